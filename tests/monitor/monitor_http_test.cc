// The monitor's HTTP side against a real monitor: a real log (LogService behind LogHttpServer on
// 127.0.0.1), read by the real MonitorDaemon and LogClient, then every endpoint fetched over
// HTTP. Includes a certificate whose names and issuer hold HTML, which must come out escaped on
// every page; and the `ctkit monitor` flags (test-alert, --http) through the real binary.

#include "monitor/monitor_http.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "base/bytes.h"
#include "base/clock.h"
#include "base/sha256.h"
#include "ct/log_signer.h"
#include "logclient/log_client.h"
#include "logclient/static_log_client.h"
#include "monitor/alerts.h"
#include "monitor/html.h"
#include "monitor/html_pages.h"
#include "monitor/monitor_daemon.h"
#include "monitor/watchlist.h"
#include "tests/cert_factory.h"
#include "tests/monitor/local_logs.h"
#include "tests/raw_http.h"
#include "tests/run_command.h"
#include "tests/running_log.h"
#include "tests/test_support.h"
#include "x509/pem.h"

namespace ctkit {
namespace {

using ::ctkit::testing::RunCtkit;
using ::ctkit::testing::RunningLog;
using ::ctkit::testing::TestCa;
using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

// The names a hostile CA might log: markup in dNSNames and in the issuer's name.
const std::string kScriptName = "<script>alert(1)</script>.example.com";
const std::string kImageName = "\"><img src=x onerror=alert(2)>.example.com";
const std::string kHostileIssuer = "Evil <b>CA</b> \"quoted\" & 'co'";

// A CA whose leaves carry dNSNames as raw IA5String bytes: the config-string API
// (X509V3_EXT_conf_nid, as in TestCa) parses "DNS:" values and refuses some characters, so
// the GENERAL_NAMEs are built directly.
class RawNameCa {
 public:
  explicit RawNameCa(const std::string& name) : key_(EVP_EC_gen("P-256")), cert_(X509_new()) {
    X509_set_version(cert_.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert_.get()), 1);
    SetCn(X509_get_subject_name(cert_.get()), name);
    SetCn(X509_get_issuer_name(cert_.get()), name);
    X509_gmtime_adj(X509_getm_notBefore(cert_.get()), -86400);
    X509_gmtime_adj(X509_getm_notAfter(cert_.get()), 86400L * 3650);
    X509_set_pubkey(cert_.get(), key_.get());
    // A CA certificate (RFC 5280 §4.2.1.9), or the log would refuse what it issues.
    X509_EXTENSION* ca =
        X509V3_EXT_conf_nid(nullptr, nullptr, NID_basic_constraints, "critical,CA:TRUE");
    X509_add_ext(cert_.get(), ca, -1);
    X509_EXTENSION_free(ca);
    X509_sign(cert_.get(), key_.get(), EVP_sha256());
  }

  Bytes der() const { return testing::ToDer(cert_.get()); }

  Bytes IssueLeaf(const std::vector<std::string>& dns_names, long serial) const {
    std::unique_ptr<EVP_PKEY, testing::PkeyDeleter> leaf_key(EVP_EC_gen("P-256"));
    std::unique_ptr<X509, testing::X509Deleter> leaf(X509_new());
    X509_set_version(leaf.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(leaf.get()), serial);
    SetCn(X509_get_subject_name(leaf.get()), dns_names.front());
    X509_set_issuer_name(leaf.get(), X509_get_subject_name(cert_.get()));
    X509_gmtime_adj(X509_getm_notBefore(leaf.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(leaf.get()), 86400L * 90);
    X509_set_pubkey(leaf.get(), leaf_key.get());
    GENERAL_NAMES* names = sk_GENERAL_NAME_new_null();
    for (const std::string& dns_name : dns_names) {
      ASN1_IA5STRING* text = ASN1_IA5STRING_new();
      ASN1_STRING_set(text, dns_name.data(), static_cast<int>(dns_name.size()));
      GENERAL_NAME* name = GENERAL_NAME_new();
      GENERAL_NAME_set0_value(name, GEN_DNS, text);
      sk_GENERAL_NAME_push(names, name);
    }
    X509_add1_ext_i2d(leaf.get(), NID_subject_alt_name, names, 0, X509V3_ADD_DEFAULT);
    GENERAL_NAMES_free(names);
    X509_sign(leaf.get(), key_.get(), EVP_sha256());
    return testing::ToDer(leaf.get());
  }

 private:
  static void SetCn(X509_NAME* name, const std::string& common_name) {
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                               0);
  }

  std::unique_ptr<EVP_PKEY, testing::PkeyDeleter> key_;
  std::unique_ptr<X509, testing::X509Deleter> cert_;
};

// What a NamedSink received.
struct RecordingSink {
  std::mutex mutex;
  std::vector<nlohmann::json> bodies;
  NamedSink Named() {
    return {.name = "recording",
            .deliver = [this](const std::string& body, const Bytes&) -> Result<void> {
              std::lock_guard lock(mutex);
              bodies.push_back(nlohmann::json::parse(body));
              return {};
            }};
  }
  std::vector<std::string> Events() {
    std::lock_guard lock(mutex);
    std::vector<std::string> events;
    for (const nlohmann::json& body : bodies) events.push_back(body["event"]);
    return events;
  }
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class MonitorHttpTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir("ctkit-monitor-http");
    log_ = std::make_unique<RunningLog>(dir_, "alpha", "Alpha Logs");
    store_ = std::move(*MonitorStore::Open(dir_ + "/monitor.db"));
    watchlist_ = *Watchlist::Parse(".example.com\n");
  }
  void TearDown() override {
    if (http_) http_->Stop();
    testing::RemoveTree(dir_);
  }

  Bytes Submit(const Bytes& leaf, const Bytes& issuer) {
    std::vector<Bytes> chain = {leaf, issuer};
    Result<SignedCertificateTimestamp> sct = log_->service->AddChain(chain, false, UnixNowMs());
    EXPECT_TRUE(sct) << (sct ? "" : sct.error().message);
    return leaf;
  }

  // Example Corp's www.example.com (in the inventory), a rogue login.example.com, and a name
  // outside the watchlist; then one monitor pass over the log.
  void LogTheUsualCertificatesAndRunOnce() {
    www_ = Submit(example_ca_.IssueLeaf("www.example.com", 1), example_ca_.der());
    login_ = Submit(rogue_ca_.IssueLeaf("login.example.com", 2), rogue_ca_.der());
    Submit(rogue_ca_.IssueLeaf("www.other.org", 3), rogue_ca_.der());
    log_->Integrate();
    RunOnce();
  }

  void RunOnce() {
    InventoryRecord www{.sha256 = HexEncode(Sha256(www_)),
                        .tbs_sha256 = std::string(64, '0'),
                        .names = {"www.example.com"}};
    MonitoredLogSpec spec{.url = log_->entry.url,
                          .description = "Alpha 2026",
                          .log_id = log_->signer->log_id(),
                          .mmd_seconds = 86400};
    std::shared_ptr<const LogKey> key = log_->signer->public_key();
    std::string url = log_->entry.url;
    spec.make_reader = [url, key]() -> Result<std::unique_ptr<LogReader>> {
      LogClientOptions options;
      options.max_retries = 0;
      options.keep_malformed_entries = true;
      Result<LogClient> client = LogClient::Create(url, key, options);
      if (!client) return std::unexpected(client.error());
      return std::unique_ptr<LogReader>(std::make_unique<LogClient>(std::move(*client)));
    };
    MonitorOptions options{.once = true};
    options.metrics = &metrics_;
    options.heartbeat_interval_ms = heartbeat_interval_ms_;
    metrics_.SetWatched({{spec.url, spec.description}});
    metrics_.SetLogList({.loaded_ms = UnixNowMs(), .source = "logs.json", .logs = 1});
    MonitorDaemon daemon(
        *store_, {spec},
        [this](std::span<const std::string> names) { return watchlist_.Match(names); },
        Expectations({www}), {sink_.Named()}, options);
    std::atomic<bool> stop{false};
    Result<MonitorSummary> summary = daemon.Run(stop);
    ASSERT_TRUE(summary) << summary.error().message;
    EXPECT_EQ(summary->logs_failed, 0u);
  }

  void StartHttp(MonitorHttpOptions options = {}) {
    options.watch_items = watchlist_.items();
    http_ = std::make_unique<MonitorHttpServer>(*store_, metrics_, options);
    Result<void> started = http_->Start();
    ASSERT_TRUE(started) << started.error().message;
    client_ = std::make_unique<httplib::Client>("127.0.0.1", http_->port());
  }

  httplib::Result Get(const std::string& path) {
    httplib::Result result = client_->Get(path);
    EXPECT_TRUE(result) << path << ": " << httplib::to_string(result.error());
    return result;
  }

  std::string TbsOf(const std::string& name) {
    std::vector<Finding> findings = *store_->QueryFindings({});
    for (const Finding& finding : findings) {
      for (const std::string& n : finding.names) {
        if (n == name) return finding.tbs_sha256;
      }
    }
    ADD_FAILURE() << "no finding for " << name;
    return "";
  }

  std::string dir_;
  std::unique_ptr<RunningLog> log_;
  std::unique_ptr<MonitorStore> store_;
  Watchlist watchlist_;
  MonitorMetrics metrics_;
  RecordingSink sink_;
  int64_t heartbeat_interval_ms_ = 0;
  TestCa example_ca_{"Example Corp CA"};
  TestCa rogue_ca_{"Rogue CA"};
  Bytes www_, login_;
  std::unique_ptr<MonitorHttpServer> http_;
  std::unique_ptr<httplib::Client> client_;
};

TEST(HtmlEscapeTest, EscapesMarkupQuotesAndBadBytes) {
  EXPECT_EQ(HtmlEscape("<script>alert('x')</script>"),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
  EXPECT_EQ(HtmlEscape("a \"b\" & c"), "a &quot;b&quot; &amp; c");
  EXPECT_EQ(HtmlEscape("&lt;"), "&amp;lt;");  // escaping twice shows the text, never markup
  EXPECT_EQ(HtmlEscape("b\xC3\xBC"
                       "cher \xE2\x82\xAC \xF0\x9F\x94\x92"),
            "b\xC3\xBC"
            "cher \xE2\x82\xAC \xF0\x9F\x94\x92");  // valid UTF-8 stays
  const std::string kFffd = "\xEF\xBF\xBD";
  EXPECT_EQ(HtmlEscape(std::string("a\0b", 3)), "a" + kFffd + "b");
  EXPECT_EQ(HtmlEscape("\x1b[31m\x7f"), kFffd + "[31m" + kFffd);
  EXPECT_EQ(HtmlEscape("tab\there\nnewline"), "tab\there\nnewline");
  EXPECT_EQ(HtmlEscape("\xFF<"), kFffd + "&lt;");                // invalid byte
  EXPECT_EQ(HtmlEscape("\xC3"), kFffd);                          // truncated sequence
  EXPECT_EQ(HtmlEscape("\xC0\xBC"), kFffd + kFffd);              // overlong '<'
  EXPECT_EQ(HtmlEscape("\xED\xA0\x80"), kFffd + kFffd + kFffd);  // a surrogate
  EXPECT_EQ(HtmlEscape(""), "");
}

TEST(HtmlEscapeTest, UrlComponentEscapeKeepsOnlyUnreserved) {
  EXPECT_EQ(UrlComponentEscape("login.example.com"), "login.example.com");
  EXPECT_EQ(UrlComponentEscape("a b&c=\"<>/?#%"), "a%20b%26c%3D%22%3C%3E%2F%3F%23%25");
  EXPECT_EQ(UrlComponentEscape("\xC3\xBC"), "%C3%BC");
}

TEST(MonitorMetricsTest, ErrorKindsNameHttpStatusesAndCodes) {
  EXPECT_EQ(MonitorMetrics::ErrorKind({ErrorCode::kNetwork,
                                       "log http://x/ct/v1/get-sth: HTTP status 429 (after 4 "
                                       "attempts)"}),
            "http_429");
  EXPECT_EQ(MonitorMetrics::ErrorKind({ErrorCode::kNetwork, "log u: HTTP status 503: busy"}),
            "http_5xx");
  EXPECT_EQ(MonitorMetrics::ErrorKind({ErrorCode::kNetwork, "log u: HTTP status 403"}), "http_4xx");
  EXPECT_EQ(MonitorMetrics::ErrorKind({ErrorCode::kNetwork, "log u: Connection refused"}),
            "network");
  EXPECT_EQ(MonitorMetrics::ErrorKind({ErrorCode::kMalformed, "log u: bad json"}), "malformed");
  EXPECT_EQ(MonitorMetrics::ErrorKind({ErrorCode::kVerificationFailed, "bad sig"}), "verification");
  EXPECT_EQ(MonitorMetrics::ErrorKind({ErrorCode::kNotFound, "404"}), "not_found");
}

TEST_F(MonitorHttpTest, HealthzIsOkWhenFreshReachedAndCaughtUp) {
  LogTheUsualCertificatesAndRunOnce();
  StartHttp();
  httplib::Result health = Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200) << health->body;
  nlohmann::json body = nlohmann::json::parse(health->body);
  EXPECT_EQ(body["status"], "ok");
  EXPECT_TRUE(body["reasons"].empty());
  ASSERT_EQ(body["logs"].size(), 1u);
  EXPECT_EQ(body["logs"][0]["log"], log_->entry.url);
  EXPECT_EQ(body["logs"][0]["lag_entries"], 0);
  EXPECT_EQ(body["logs"][0]["healthy"], true);
  EXPECT_EQ(health->get_header_value("Content-Type"), "application/json");
}

TEST_F(MonitorHttpTest, HealthzIs503WithEachReason) {
  LogTheUsualCertificatesAndRunOnce();
  // The log grows and the monitor learns the new head but has not read its entries: a backlog.
  for (int i = 0; i < 3; ++i) {
    Submit(rogue_ca_.IssueLeaf("h" + std::to_string(i) + ".other.org", 10 + i), rogue_ca_.der());
  }
  SignedTreeHead bigger = log_->Integrate();
  int64_t row = *store_->UpsertLog(log_->signer->log_id(), log_->entry.url, "Alpha 2026");
  ASSERT_TRUE(store_->AddVerifiedHead(row, bigger, UnixNowMs()));
  StartHttp({.health = {.max_backlog = 2}});
  httplib::Result health = Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 503);
  nlohmann::json body = nlohmann::json::parse(health->body);
  EXPECT_EQ(body["status"], "unhealthy");
  EXPECT_THAT(body["reasons"].dump(), HasSubstr("3 entries behind (max 2)"));
  EXPECT_EQ(body["logs"][0]["healthy"], false);

  // Not reached recently, behind with no progress (stalled) and a stale log list, judged at a
  // later time (no sleeping).
  HealthOptions strict{
      .unreachable_after_ms = 3'600'000, .max_backlog = 10, .log_list_max_age_ms = 3'600'000};
  HealthReport later = CheckHealth(*store_, metrics_, strict, UnixNowMs() + 7'200'000);
  EXPECT_FALSE(later.healthy);
  std::string reasons = later.json["reasons"].dump();
  EXPECT_THAT(reasons, HasSubstr("log " + log_->entry.url + ": not reached for"));
  EXPECT_THAT(reasons, HasSubstr("3 entries behind and none proven for"));
  EXPECT_THAT(reasons, HasSubstr("log list: last loaded"));
  std::vector<std::string> keys;
  for (const HealthProblem& problem : later.problems) keys.push_back(problem.key);
  EXPECT_THAT(keys,
              ::testing::IsSupersetOf(std::vector<std::string>{
                  "unreachable:" + log_->entry.url, "stalled:" + log_->entry.url, "log-list"}));
  // A list published more than 70 days before: Chrome no longer enforces CT with it.
  metrics_.SetLogList({.loaded_ms = UnixNowMs(),
                       .source = "logs.json",
                       .timestamp_ms = UnixNowMs() - 71 * 86'400'000LL});
  HealthReport stale = CheckHealth(*store_, metrics_, strict, UnixNowMs());
  EXPECT_FALSE(stale.healthy);
  EXPECT_THAT(stale.json["reasons"].dump(), HasSubstr("71 days ago (max 70)"));
  metrics_.SetLogList({.loaded_ms = UnixNowMs(), .source = "logs.json"});
  EXPECT_TRUE(CheckHealth(*store_, metrics_, strict, UnixNowMs()).healthy)
      << CheckHealth(*store_, metrics_, strict, UnixNowMs()).json.dump();

  // The configured log list failed and the snapshot is in use.
  metrics_.SetLogList({.loaded_ms = UnixNowMs(),
                       .source = "compiled-in snapshot",
                       .fallback = true,
                       .error = "cannot fetch"});
  HealthReport fallback = CheckHealth(*store_, metrics_, strict, UnixNowMs());
  EXPECT_FALSE(fallback.healthy);
  EXPECT_THAT(fallback.json["reasons"].dump(), HasSubstr("compiled-in snapshot"));

  // A log that was never reached.
  metrics_.SetLogList({.loaded_ms = UnixNowMs(), .source = "logs.json"});
  metrics_.SetWatched({{log_->entry.url, "Alpha 2026"}, {"http://127.0.0.1:1/", "Dead"}});
  // Just started, no round ended yet: not a problem (the first heartbeat is not "unhealthy").
  EXPECT_TRUE(CheckHealth(*store_, metrics_, strict, UnixNowMs()).healthy);
  HealthReport dead = CheckHealth(*store_, metrics_, strict, UnixNowMs() + 3'600'001);
  EXPECT_FALSE(dead.healthy);
  EXPECT_THAT(dead.json["reasons"].dump(), HasSubstr("log http://127.0.0.1:1/: never reached in"));
}

TEST_F(MonitorHttpTest, MetricsInPrometheusTextFormat) {
  LogTheUsualCertificatesAndRunOnce();
  metrics_.CountError(log_->entry.url,
                      {ErrorCode::kNetwork, "log x: HTTP status 429 (after 4 attempts)"});
  metrics_.CountError(log_->entry.url, {ErrorCode::kNetwork, "log x: Connection refused"});
  StartHttp();
  httplib::Result metrics = Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_EQ(metrics->status, 200);
  EXPECT_THAT(metrics->get_header_value("Content-Type"), HasSubstr("text/plain; version=0.0.4"));
  const std::string& text = metrics->body;
  std::string log = "log=\"" + log_->entry.url + "\"";
  EXPECT_THAT(text, HasSubstr("ctkit_monitor_log_tree_size{" + log + "} 3\n"));
  EXPECT_THAT(text, HasSubstr("ctkit_monitor_log_position{" + log + "} 3\n"));
  EXPECT_THAT(text, HasSubstr("ctkit_monitor_log_lag_entries{" + log + "} 0\n"));
  EXPECT_THAT(text, HasSubstr("ctkit_monitor_log_lag_seconds{" + log + "} 0\n"));
  EXPECT_THAT(text, HasSubstr("ctkit_monitor_log_entries_total{" + log + "} 3\n"));
  EXPECT_THAT(
      text, HasSubstr("ctkit_monitor_log_request_errors_total{" + log + ",kind=\"http_429\"} 1\n"));
  EXPECT_THAT(
      text, HasSubstr("ctkit_monitor_log_request_errors_total{" + log + ",kind=\"network\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("ctkit_monitor_log_http_429_total{" + log + "} 1\n"));
  EXPECT_THAT(text, ContainsRegex("ctkit_monitor_log_requests_total\\{" + log + "\\} [1-9]"));
  EXPECT_THAT(text, ContainsRegex("ctkit_monitor_log_last_success_timestamp_seconds\\{" + log +
                                  "\\} 1[0-9.e+]+\n"));
  EXPECT_THAT(text, HasSubstr("ctkit_monitor_log_info{" + log +
                              ",description=\"Alpha 2026\",followed=\"true\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("ctkit_monitor_findings{expected=\"true\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("ctkit_monitor_findings{expected=\"false\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("ctkit_monitor_alerts_total{event=\"unexpected_cert\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("ctkit_monitor_alert_deliveries{state=\"pending\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("ctkit_monitor_alert_deliveries{state=\"failed\"} 0\n"));
  EXPECT_THAT(text, HasSubstr("ctkit_monitor_healthy 1\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE ctkit_monitor_alerts_total counter\n"));
  // Every line is a comment or one sample: name{labels} value.
  std::regex sample(R"(^[a-z_][a-z0-9_]*(\{([a-z_]+="([^"\\]|\\.)*",?)+\})? -?[0-9.e+-]+$)");
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with("# HELP ") || line.starts_with("# TYPE ")) continue;
    EXPECT_TRUE(std::regex_match(line, sample)) << line;
  }
}

// The request counters come from LogReader, so a static-ct-api log (a real `ctkit log serve
// --api static`, read by StaticLogClient) reports its requests as an RFC 6962 log does.
TEST_F(MonitorHttpTest, StaticCtApiLogsReportTheirRequestsToo) {
  testing::LocalLog tiled(dir_, "tiled", {"--api", "static"});
  ASSERT_GT(tiled.process->port(), 0);
  Result<LogClient> submitter = LogClient::Create(tiled.url, nullptr, {});
  ASSERT_TRUE(submitter);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(submitter->AddChain(std::vector<Bytes>{
        rogue_ca_.IssueLeaf("t" + std::to_string(i) + ".example.com", 40 + i), rogue_ca_.der()}));
  }
  std::shared_ptr<const LogKey> key =
      (*LogSigner::FromPem(testing::ReadFile(tiled.dir + "/log.key")))->public_key();
  Result<StaticLogClient> probe = StaticLogClient::Create(tiled.url, key);
  ASSERT_TRUE(probe);
  for (int wait = 0; wait < 100 && probe->GetSth().value_or(SignedTreeHead{}).tree_size < 3;
       ++wait) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));  // integrated within the MMD
  }

  MonitoredLogSpec spec{.url = tiled.url, .description = "Tiled", .log_id = key->log_id()};
  spec.make_reader = [url = tiled.url, key]() -> Result<std::unique_ptr<LogReader>> {
    ASSIGN_OR_RETURN(StaticLogClient client, StaticLogClient::Create(url, key));
    return std::make_unique<StaticLogClient>(std::move(client));
  };
  MonitorOptions options{.once = true};
  options.metrics = &metrics_;
  metrics_.SetWatched({{spec.url, spec.description}});
  MonitorDaemon daemon(
      *store_, {spec},
      [this](std::span<const std::string> names) { return watchlist_.Match(names); },
      Expectations(), {sink_.Named()}, options);
  std::atomic<bool> stop{false};
  Result<MonitorSummary> summary = daemon.Run(stop);
  ASSERT_TRUE(summary) << summary.error().message;
  ASSERT_EQ(summary->entries, 3u);

  // checkpoint, data tile, issuer at least.
  EXPECT_GE(metrics_.snapshot().logs[tiled.url].requests, 3u);
  StartHttp();
  httplib::Result metrics = Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_THAT(metrics->body, ContainsRegex("ctkit_monitor_log_requests_total\\{log=\"" + tiled.url +
                                           "\"\\} [1-9]"));
}

TEST_F(MonitorHttpTest, FindingsPageShowsDomainsCertificatesLogsAndAlerts) {
  LogTheUsualCertificatesAndRunOnce();
  StartHttp();
  httplib::Result page = Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_EQ(page->get_header_value("Content-Type"), "text/html; charset=utf-8");
  EXPECT_THAT(page->get_header_value("Content-Security-Policy"), HasSubstr("default-src 'none'"));
  const std::string& html = page->body;
  EXPECT_THAT(html, HasSubstr("<h3>.example.com"));
  EXPECT_THAT(html, HasSubstr("login.example.com</a>"));
  EXPECT_THAT(html, HasSubstr("www.example.com</a>"));
  EXPECT_THAT(html, Not(HasSubstr("www.other.org")));  // not watched
  EXPECT_THAT(html, HasSubstr("UNEXPECTED"));
  EXPECT_THAT(html, HasSubstr("<tr class=\"unexpected\">"));
  EXPECT_THAT(html, HasSubstr("CN=Rogue CA"));
  EXPECT_THAT(html, HasSubstr("Alpha 2026 #1"));    // which log, which entry
  EXPECT_THAT(html, HasSubstr(log_->entry.url));    // log status
  EXPECT_THAT(html, HasSubstr("unexpected_cert"));  // recent alerts
  EXPECT_THAT(html, HasSubstr("/cert/" + TbsOf("login.example.com")));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("<link")));  // no external asset

  httplib::Result search = Get("/?q=LOGIN.example");
  ASSERT_TRUE(search);
  EXPECT_THAT(search->body, HasSubstr("login.example.com</a>"));
  EXPECT_THAT(search->body, Not(HasSubstr("www.example.com</a>")));
  EXPECT_THAT(search->body, HasSubstr("value=\"LOGIN.example\""));

  httplib::Result none = Get("/?q=nothing.example.net");
  ASSERT_TRUE(none);
  EXPECT_THAT(none->body, HasSubstr("No certificate matches."));
}

TEST_F(MonitorHttpTest, CertificatePageAndPemDownload) {
  LogTheUsualCertificatesAndRunOnce();
  StartHttp();
  std::string tbs = TbsOf("login.example.com");
  httplib::Result page = Get("/cert/" + tbs);
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_THAT(page->body, HasSubstr(HexEncode(Sha256(login_))));  // certificate fingerprint
  EXPECT_THAT(page->body, HasSubstr(tbs));
  EXPECT_THAT(page->body, HasSubstr("public key SHA-256"));
  EXPECT_THAT(page->body, HasSubstr("UNEXPECTED"));
  EXPECT_THAT(page->body, HasSubstr("-----BEGIN CERTIFICATE-----"));
  EXPECT_THAT(page->body, HasSubstr("href=\"/cert/" + tbs + ".pem\""));

  httplib::Result pem = Get("/cert/" + tbs + ".pem");
  ASSERT_TRUE(pem);
  EXPECT_EQ(pem->status, 200);
  EXPECT_EQ(pem->get_header_value("Content-Disposition"),
            "attachment; filename=\"" + tbs + ".pem\"");
  Result<std::vector<Bytes>> decoded = PemDecodeCertificates(pem->body);
  ASSERT_TRUE(decoded) << decoded.error().message;
  ASSERT_EQ(decoded->size(), 1u);
  EXPECT_EQ(decoded->front(), login_);

  EXPECT_EQ(Get("/cert/" + std::string(64, '0'))->status, 404);
  EXPECT_EQ(Get("/cert/" + std::string(64, '0') + ".pem")->status, 404);
  EXPECT_EQ(Get("/cert/not-a-hash")->status, 404);
  EXPECT_EQ(Get("/nowhere")->status, 404);
}

TEST_F(MonitorHttpTest, ApiFindingsIsWhatMonitorQueryPrints) {
  LogTheUsualCertificatesAndRunOnce();
  StartHttp();
  httplib::Result all = Get("/api/findings");
  ASSERT_TRUE(all);
  EXPECT_EQ(all->status, 200);
  nlohmann::json array = nlohmann::json::parse(all->body);
  ASSERT_TRUE(array.is_array());
  ASSERT_EQ(array.size(), 2u);

  testing::CommandResult query =
      RunCtkit({"monitor", "query", "--db", dir_ + "/monitor.db", "--format", "json"});
  ASSERT_EQ(query.exit_code, 0) << query.err;
  nlohmann::json lines = nlohmann::json::array();
  std::istringstream in(query.out);
  for (std::string line; std::getline(in, line);) lines.push_back(nlohmann::json::parse(line));
  EXPECT_EQ(array, lines);

  nlohmann::json unexpected = nlohmann::json::parse(Get("/api/findings?unexpected=1")->body);
  ASSERT_EQ(unexpected.size(), 1u);
  EXPECT_EQ(unexpected[0]["names"][0], "login.example.com");
  EXPECT_EQ(unexpected[0]["expected"], false);
  nlohmann::json www = nlohmann::json::parse(Get("/api/findings?domain=WWW.example.com.")->body);
  ASSERT_EQ(www.size(), 1u);
  EXPECT_EQ(www[0]["expected"], true);
  EXPECT_EQ(nlohmann::json::parse(Get("/api/findings?domain=example.com")->body).size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(Get("/api/findings?domain=other.org")->body).size(), 0u);
}

TEST_F(MonitorHttpTest, ApiLogsIsWhatMonitorStatusPrints) {
  LogTheUsualCertificatesAndRunOnce();
  StartHttp();
  httplib::Result logs = Get("/api/logs");
  ASSERT_TRUE(logs);
  EXPECT_EQ(logs->status, 200);
  nlohmann::json body = nlohmann::json::parse(logs->body);
  testing::CommandResult status =
      RunCtkit({"monitor", "status", "--db", dir_ + "/monitor.db", "--format", "json"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  EXPECT_EQ(body, nlohmann::json::parse(status.out));
  ASSERT_EQ(body["logs"].size(), 1u);
  EXPECT_EQ(body["logs"][0]["log"], log_->entry.url);
  EXPECT_EQ(body["logs"][0]["position"], 3);
  EXPECT_EQ(body["deliveries"]["pending"], 0);
}

// A CA logs a certificate whose names and issuer are HTML. The page, the search and the
// certificate page show them as text; no markup from the certificate reaches the browser.
TEST_F(MonitorHttpTest, HtmlInCertificateNamesIsEscapedEverywhere) {
  RawNameCa evil_ca(kHostileIssuer);
  Bytes hostile = evil_ca.IssueLeaf({kScriptName, kImageName}, 66);
  Submit(hostile, evil_ca.der());
  log_->Integrate();
  RunOnce();
  std::vector<Finding> findings = *store_->QueryFindings({});
  ASSERT_EQ(findings.size(), 1u) << "the fail-safe matcher should have kept the hostile names";
  EXPECT_THAT(findings[0].names, ::testing::Contains(kScriptName));
  std::string tbs = findings[0].tbs_sha256;
  StartHttp();

  auto expect_inert = [](const std::string& where, const std::string& html) {
    EXPECT_THAT(html, Not(HasSubstr("<script"))) << where;
    EXPECT_THAT(html, Not(HasSubstr("<img"))) << where;
    EXPECT_THAT(html, Not(ContainsRegex("<b[^a-z]"))) << where;  // <b> (not <body>, <br>)
    EXPECT_THAT(html, Not(HasSubstr("onerror=alert(2)>"))) << where;
  };
  httplib::Result page = Get("/");
  ASSERT_TRUE(page);
  expect_inert("/", page->body);
  EXPECT_THAT(page->body, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;.example.com"));
  EXPECT_THAT(page->body, HasSubstr("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;.example.com"));
  EXPECT_THAT(page->body, HasSubstr("Evil "));
  EXPECT_THAT(page->body, HasSubstr("&lt;b"));  // RFC 4514 text escapes it too: \&lt;b\&gt;

  httplib::Result search =
      Get("/?q=" + UrlComponentEscape("<script>alert(1)</script>\"><img src=x>"));
  ASSERT_TRUE(search);
  expect_inert("search", search->body);
  EXPECT_THAT(search->body, HasSubstr("value=\"&lt;script&gt;alert(1)&lt;/script&gt;&quot;"));

  httplib::Result cert = Get("/cert/" + tbs);
  ASSERT_TRUE(cert);
  EXPECT_EQ(cert->status, 200);
  expect_inert("/cert", cert->body);
  EXPECT_THAT(cert->body, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt;.example.com"));

  // JSON stays JSON: the names come back exactly, for programs to handle, but no answer carries
  // a raw tag: '<', '>' and '&' are escaped (\u003c ...), and nothing is to be sniffed.
  httplib::Result raw_api = Get("/api/findings");
  expect_inert("/api/findings", raw_api->body);
  EXPECT_THAT(raw_api->body, HasSubstr("\\u003cscript\\u003e"));
  EXPECT_EQ(raw_api->get_header_value("X-Content-Type-Options"), "nosniff");
  nlohmann::json api = nlohmann::json::parse(raw_api->body);
  EXPECT_THAT(api[0]["names"].dump(), HasSubstr("alert(1)"));
  EXPECT_EQ(api[0]["names"][0], kScriptName);
}

// DNS rebinding: a page on another name that resolves to 127.0.0.1 makes the browser send that
// name as Host; the monitor answers only to IP addresses, localhost and its own address. Every
// answer carries nosniff and the CSP; only GET and HEAD are served.
TEST_F(MonitorHttpTest, HostCheckMethodsAndHeadersOnEveryAnswer) {
  LogTheUsualCertificatesAndRunOnce();
  StartHttp();
  std::vector<Finding> findings = *store_->QueryFindings({});
  ASSERT_FALSE(findings.empty());
  const std::string secret = findings[0].tbs_sha256;  // on the page and in the API
  for (const char* path : {"/", "/api/findings", "/metrics", "/healthz"}) {
    httplib::Result ours = client_->Get(path);
    ASSERT_TRUE(ours) << path;
    EXPECT_NE(ours->status, 403) << path;
    EXPECT_EQ(ours->get_header_value("X-Content-Type-Options"), "nosniff") << path;
    EXPECT_THAT(ours->get_header_value("Content-Security-Policy"), HasSubstr("default-src 'none'"))
        << path;
    httplib::Result rebound =
        client_->Get(path, {{"Host", "attacker.example:" + std::to_string(http_->port())}});
    ASSERT_TRUE(rebound) << path;
    EXPECT_EQ(rebound->status, 403) << path;
    EXPECT_THAT(rebound->body, Not(HasSubstr(secret))) << path;
  }
  for (const char* host : {"localhost", "LOCALHOST:1234", "127.0.0.1", "[::1]:80"}) {
    httplib::Result allowed = client_->Get("/healthz", {{"Host", host}});
    ASSERT_TRUE(allowed) << host;
    EXPECT_NE(allowed->status, 403) << host;
  }
  httplib::Result post = client_->Post("/api/findings", "", "text/plain");
  ASSERT_TRUE(post);
  EXPECT_EQ(post->status, 405);
  httplib::Result head = client_->Head("/api/findings");
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->body, "");
}

// 100 connections trickling a request head, from the same address as the person using the page
// (on loopback every client shares one): the page keeps answering, 99% within a second.
TEST_F(MonitorHttpTest, SlowlorisConnectionsDoNotStopThePage) {
  LogTheUsualCertificatesAndRunOnce();
  StartHttp();
  std::vector<std::unique_ptr<testing::RawConnection>> slow;
  for (int i = 0; i < 100; ++i) {
    slow.push_back(std::make_unique<testing::RawConnection>(http_->port()));
    slow.back()->Send("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ");
  }
  int total = 0, fast = 0;
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(6);
  while (std::chrono::steady_clock::now() < until) {
    for (auto& connection : slow) connection->Send("a");
    auto started = std::chrono::steady_clock::now();
    httplib::Result health = client_->Get("/healthz");
    ++total;
    if (health && std::chrono::steady_clock::now() - started < std::chrono::seconds(1)) ++fast;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_GT(total, 20);
  EXPECT_GE(fast * 100, total * 99) << fast << " of " << total;
}

TEST_F(MonitorHttpTest, HeartbeatGoesThroughEverySinkOncePerInterval) {
  heartbeat_interval_ms_ = 3'600'000;
  LogTheUsualCertificatesAndRunOnce();
  RunOnce();  // the same interval (unless the hour turned in between: then one more)
  std::vector<std::string> events = sink_.Events();
  size_t heartbeats = std::count(events.begin(), events.end(), "heartbeat");
  EXPECT_GE(heartbeats, 1u);
  EXPECT_LE(heartbeats, 2u);
  EXPECT_EQ(std::count(events.begin(), events.end(), "unexpected_cert"), 1);
  for (const nlohmann::json& body : sink_.bodies) {
    if (body["event"] == "heartbeat") {
      EXPECT_THAT(body["summary"].get<std::string>(), HasSubstr("heartbeat"));
      EXPECT_TRUE(body.contains("time"));
    }
  }
}

TEST(MonitorTestAlertTest, SendsThroughEverySinkAndFailsWhenOneRefuses) {
  std::string dir = testing::TempDir("ctkit-test-alert");
  testing::CommandResult sent = RunCtkit({"monitor", "test-alert", "--stdout", "--script",
                                          "echo \"$EVENT $CTKIT_EVENT\" > " + dir + "/hook.out"});
  EXPECT_EQ(sent.exit_code, 0) << sent.err;
  nlohmann::json line = nlohmann::json::parse(sent.out);
  EXPECT_EQ(line["event"], "test");
  EXPECT_THAT(ReadFile(dir + "/hook.out"), HasSubstr("test test"));
  EXPECT_THAT(sent.err, HasSubstr("stdout accepted the test alert"));
  EXPECT_THAT(sent.err, HasSubstr("script accepted the test alert"));

  // Sink flags before the subcommand name work too.
  testing::CommandResult refused = RunCtkit({"monitor", "--script", "exit 7", "test-alert"});
  EXPECT_EQ(refused.exit_code, 3);
  EXPECT_THAT(refused.err, HasSubstr("script failed"));
  testing::RemoveTree(dir);
}

TEST(MonitorHttpFlagsTest, BadListenAddressIsUsage) {
  std::string dir = testing::TempDir("ctkit-http-flags");
  std::ofstream(dir + "/watchlist.txt") << ".example.com\n";
  for (const char* address : {"8080", "127.0.0.1:", "127.0.0.1:99999", "localhost:http"}) {
    testing::CommandResult run = RunCtkit({"monitor", "--watchlist", dir + "/watchlist.txt", "--db",
                                           dir + "/m.db", "--once", "--http", address});
    EXPECT_EQ(run.exit_code, 2) << address;
    EXPECT_THAT(run.err, HasSubstr("--http wants ADDR:PORT")) << address;
  }
  testing::RemoveTree(dir);
}

}  // namespace
}  // namespace ctkit
