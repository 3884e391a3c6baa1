// Alert sinks (monitor/alert_sink.h): JSON Lines on a FILE*, hook scripts run by a real
// /bin/sh with the certspotter environment, and webhooks against a real local HTTP server.

#include "monitor/alert_sink.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "base/sha256.h"
#include "x509/certificate.h"
#include "x509/pem.h"

namespace ctkit {
namespace {

using ::testing::HasSubstr;
using Json = nlohmann::ordered_json;
namespace fs = std::filesystem;

// A scratch directory removed with everything in it when the test ends.
class TempDir {
 public:
  TempDir() {
    char name[] = "/tmp/ctkit-sink-XXXXXX";
    if (mkdtemp(name) == nullptr) throw std::runtime_error("mkdtemp failed");
    path_ = name;
  }
  ~TempDir() {
    std::error_code error;
    fs::remove_all(path_, error);
  }
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// NAME=VALUE lines as written by env(1); values hold no newlines (the sink removes them).
std::map<std::string, std::string> ParseEnvFile(const std::string& path) {
  std::map<std::string, std::string> env;
  std::istringstream in(ReadFile(path));
  std::string line;
  while (std::getline(in, line)) {
    const size_t equals = line.find('=');
    if (equals != std::string::npos) env[line.substr(0, equals)] = line.substr(equals + 1);
  }
  return env;
}

struct KeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct CertFree {
  void operator()(X509* cert) const { X509_free(cert); }
};

// A self-signed certificate for `dns_names`, valid from 2025-01-01T00:00:00Z for 90 days.
Bytes MakeCertificateDer(const std::vector<std::string>& dns_names) {
  std::unique_ptr<EVP_PKEY, KeyFree> key(EVP_EC_gen("P-256"));
  std::unique_ptr<X509, CertFree> cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 0x1234);
  X509_NAME* subject = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>("Rogue CA"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), subject);
  ASN1_TIME_set(X509_getm_notBefore(cert.get()), 1735689600);
  ASN1_TIME_set(X509_getm_notAfter(cert.get()), 1735689600 + 90 * 86400);
  X509_set_pubkey(cert.get(), key.get());
  GENERAL_NAMES* names = sk_GENERAL_NAME_new_null();
  for (const std::string& dns : dns_names) {
    ASN1_IA5STRING* value = ASN1_IA5STRING_new();
    ASN1_STRING_set(value, dns.data(), static_cast<int>(dns.size()));
    GENERAL_NAME* name = GENERAL_NAME_new();
    GENERAL_NAME_set0_value(name, GEN_DNS, value);
    sk_GENERAL_NAME_push(names, name);
  }
  X509_add1_ext_i2d(cert.get(), NID_subject_alt_name, names, 0, X509V3_ADD_DEFAULT);
  GENERAL_NAMES_free(names);
  X509_sign(cert.get(), key.get(), EVP_sha256());
  int length = i2d_X509(cert.get(), nullptr);
  Bytes der(static_cast<size_t>(length));
  unsigned char* out = der.data();
  i2d_X509(cert.get(), &out);
  return der;
}

Alert CertificateAlert(const std::vector<std::string>& names, bool with_der = true) {
  Alert alert;
  if (with_der) alert.certificate_der = MakeCertificateDer(names);
  Json entries = Json::array();
  entries.push_back(Json{{"log", "https://log.example/2025/"},
                         {"index", 6464843},
                         {"entry_type", "precert_entry"},
                         {"timestamp", 1735689700000}});
  Json finding = {{"tbs_sha256", std::string(64, 'a')},
                  {"sha256", std::string(64, 'b')},
                  {"names", names},
                  {"watch_items", Json::array({".example.com", "login.example.com"})},
                  {"issuer", "O=Rogue CA"},
                  {"serial", "1234"},
                  {"not_before", "2025-01-01T00:00:00Z"},
                  {"not_after", "2025-04-01T00:00:00Z"},
                  {"expected", false},
                  {"entries", entries},
                  {"first_seen", "2025-01-01T00:01:40Z"}};
  alert.json = {{"event", "unexpected_cert"},
                {"summary", "unexpected certificate for login.example.com"},
                {"finding", finding}};
  return alert;
}

// ---------------------------------------------------------------------------------------------
// StdoutSink.

TEST(StdoutSinkTest, WritesOneParseableObjectPerLine) {
  FILE* out = tmpfile();
  ASSERT_NE(out, nullptr);
  StdoutSink sink(out);
  EXPECT_EQ(sink.name(), "stdout");
  Alert first = CertificateAlert({"login.example.com"});
  Alert second;
  second.json = {{"event", "log_misbehaviour"},
                 {"summary", "log presented two different tree heads\nfor size 10"},
                 {"evidence", {{"sth1", "..."}, {"sth2", "..."}}}};
  ASSERT_TRUE(sink.Deliver(first));
  ASSERT_TRUE(sink.Deliver(second));

  rewind(out);
  std::string text;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), out)) > 0) text.append(buffer, n);
  fclose(out);
  std::istringstream lines(text);
  std::string line;
  std::vector<Json> parsed;
  while (std::getline(lines, line)) parsed.push_back(Json::parse(line));
  ASSERT_EQ(parsed.size(), 2u);
  EXPECT_EQ(parsed[0], first.json);
  EXPECT_EQ(parsed[1], second.json);  // the newline in the summary stays escaped in its line
}

TEST(StdoutSinkTest, InvalidUtf8IsReplacedNotThrown) {
  Alert alert;
  alert.json = {{"event", "unexpected_cert"}, {"summary", "bad \xff\xfe name"}};
  const std::string line = AlertJsonLine(alert);
  Json parsed = Json::parse(line);
  EXPECT_EQ(parsed["summary"], "bad \xef\xbf\xbd\xef\xbf\xbd name");
  FILE* out = tmpfile();
  StdoutSink sink(out);
  EXPECT_TRUE(sink.Deliver(alert));
  fclose(out);
}

TEST(StdoutSinkTest, WriteFailureIsAnError) {
  FILE* read_only = fopen("/dev/null", "r");
  ASSERT_NE(read_only, nullptr);
  StdoutSink sink(read_only);
  Alert alert;
  alert.json = {{"event", "test"}, {"summary", "x"}};
  auto delivered = sink.Deliver(alert);
  EXPECT_FALSE(delivered);
  fclose(read_only);
}

// ---------------------------------------------------------------------------------------------
// HookEnvironment and ScriptSink.

TEST(HookEnvironmentTest, CertificateEventVariables) {
  Alert alert = CertificateAlert({"login.example.com", "www.example.com"});
  auto list = HookEnvironment(
      alert, {.cert = "/certs/x.pem", .json = "/certs/x.json", .text = "/certs/x.txt"});
  std::map<std::string, std::string> env(list.begin(), list.end());
  const std::string sha256 = HexEncode(Sha256(alert.certificate_der));
  auto cert = CertificateView::Parse(ByteSpan(alert.certificate_der));
  ASSERT_TRUE(cert);
  EXPECT_EQ(env["EVENT"], "discovered_cert");
  EXPECT_EQ(env["CTKIT_EVENT"], "unexpected_cert");
  EXPECT_EQ(env["SUMMARY"], "unexpected certificate for login.example.com");
  EXPECT_EQ(env["WATCH_ITEM"], ".example.com");
  EXPECT_EQ(env["WATCH_ITEMS"], ".example.com,login.example.com");
  EXPECT_EQ(env["DNS_NAMES"], "login.example.com,www.example.com");
  EXPECT_EQ(env["CERT_SHA256"], sha256);  // computed from the DER, not taken from the JSON
  EXPECT_EQ(env["FINGERPRINT"], sha256);
  EXPECT_EQ(env["TBS_SHA256"], std::string(64, 'a'));
  EXPECT_EQ(env["PUBKEY_SHA256"], HexEncode(cert->spki_sha256()));
  EXPECT_EQ(env["SERIAL"], "1234");
  EXPECT_EQ(env["ISSUER_DN"], "O=Rogue CA");
  EXPECT_EQ(env["SUBJECT_DN"], "O=Rogue CA");
  EXPECT_EQ(env["NOT_BEFORE"], "2025-01-01 00:00:00 +0000 UTC");  // certspotter's (Go's) form
  EXPECT_EQ(env["NOT_BEFORE_RFC3339"], "2025-01-01T00:00:00Z");
  EXPECT_EQ(env["NOT_BEFORE_UNIXTIME"], "1735689600");
  EXPECT_EQ(env["NOT_AFTER"], "2025-04-01 00:00:00 +0000 UTC");
  EXPECT_EQ(env["NOT_AFTER_RFC3339"], "2025-04-01T00:00:00Z");
  EXPECT_EQ(env["NOT_AFTER_UNIXTIME"], "1743465600");
  EXPECT_EQ(env["LOG_URI"], "https://log.example/2025/");
  EXPECT_EQ(env["ENTRY_INDEX"], "6464843");
  EXPECT_EQ(env["CERT_PARSEABLE"], "yes");
  EXPECT_EQ(env["CERT_FILENAME"], "/certs/x.pem");
  EXPECT_EQ(env["JSON_FILENAME"], "/certs/x.json");
  EXPECT_EQ(env["TEXT_FILENAME"], "/certs/x.txt");
  EXPECT_EQ(env["PUBKEY_HASH"], env["PUBKEY_SHA256"]);
  EXPECT_EQ(env["CTKIT_EXPECTED"], "no");
  EXPECT_EQ(env.count("PARSE_ERROR"), 0u);
  EXPECT_EQ(env.count("SERIAL_PARSE_ERROR"), 0u);
  EXPECT_EQ(env.count("VALIDITY_PARSE_ERROR"), 0u);
  EXPECT_EQ(env.count("IP_ADDRESSES"), 0u);
  EXPECT_TRUE(std::is_sorted(list.begin(), list.end()));
}

TEST(HookEnvironmentTest, FieldsComeFromTheCertificateWhenTheFindingLacksThem) {
  Alert alert = CertificateAlert({"a.example.com"});
  alert.json["finding"].erase("serial");
  alert.json["finding"].erase("issuer");
  alert.json["finding"].erase("not_before");
  alert.json["finding"].erase("not_after");
  auto list = HookEnvironment(alert, {});
  std::map<std::string, std::string> env(list.begin(), list.end());
  EXPECT_EQ(env["SERIAL"], "1234");
  EXPECT_EQ(env["ISSUER_DN"], "O=Rogue CA");
  EXPECT_EQ(env["NOT_BEFORE_UNIXTIME"], "1735689600");
  EXPECT_EQ(env["NOT_AFTER_RFC3339"], "2025-04-01T00:00:00Z");
  EXPECT_EQ(env.count("CERT_FILENAME"), 0u);
  EXPECT_EQ(env.count("JSON_FILENAME"), 0u);
}

TEST(HookEnvironmentTest, MalformedCertificate) {
  Alert alert;
  alert.certificate_der = {0x30, 0x03, 0x02, 0x01, 0x01};
  alert.json = {{"event", "malformed_cert"},
                {"summary", "cannot parse entry 5"},
                {"finding", {{"entries", Json::array({{{"log", "https://l/"}, {"index", 5}}})}}}};
  auto list = HookEnvironment(alert, {});
  std::map<std::string, std::string> env(list.begin(), list.end());
  EXPECT_EQ(list.size(), env.size());  // no variable twice
  EXPECT_EQ(env["EVENT"], "malformed_cert");
  EXPECT_EQ(env["CERT_PARSEABLE"], "no");
  EXPECT_FALSE(env["PARSE_ERROR"].empty());
  EXPECT_EQ(env["ENTRY_INDEX"], "5");
  EXPECT_EQ(env["CERT_SHA256"], HexEncode(Sha256(alert.certificate_der)));
  EXPECT_EQ(env.count("SERIAL"), 0u);
  EXPECT_EQ(env["SERIAL_PARSE_ERROR"], env["PARSE_ERROR"]);  // unknown because it did not parse
  EXPECT_EQ(env["VALIDITY_PARSE_ERROR"], env["PARSE_ERROR"]);
}

TEST(HookEnvironmentTest, LogEventHasOnlyEventVariables) {
  Alert alert;
  alert.json = {{"event", "log_misbehaviour"}, {"summary", "split view"}, {"evidence", {{"a", 1}}}};
  auto list = HookEnvironment(alert, {.json = "/x/alert.json"});
  std::map<std::string, std::string> env(list.begin(), list.end());
  EXPECT_EQ(env.size(), 4u);
  EXPECT_EQ(env["EVENT"], "log_misbehaviour");
  EXPECT_EQ(env["CTKIT_EVENT"], "log_misbehaviour");
  EXPECT_EQ(env["SUMMARY"], "split view");
  EXPECT_EQ(env["JSON_FILENAME"], "/x/alert.json");
}

TEST(HookEnvironmentTest, ControlCharactersNeverReachTheEnvironment) {
  Alert alert = CertificateAlert({std::string("a.example.com\0\n\x1b[2J", 19)}, false);
  alert.json["summary"] = "line one\nline two";
  auto list = HookEnvironment(alert, {});
  std::map<std::string, std::string> env(list.begin(), list.end());
  EXPECT_EQ(env["DNS_NAMES"], "a.example.com???[2J");
  EXPECT_EQ(env["SUMMARY"], "line one?line two");
}

TEST(ScriptSinkTest, HookSeesEveryVariableAndTheFiles) {
  TempDir dir;
  const std::string env_file = dir / "env.txt";
  setenv("SUBJECT_DN", "stale value from the daemon", 1);
  setenv("CTKIT_TEST_INHERITED", "kept", 1);
  ScriptSink sink({.command = "env > '" + env_file + "'", .output_dir = dir / "certs"});
  EXPECT_EQ(sink.name(), "script");
  Alert alert = CertificateAlert({"login.example.com"});
  alert.json["finding"]["subject"] = nullptr;  // unknown: must not fall back to the stale value
  auto delivered = sink.Deliver(alert);
  unsetenv("SUBJECT_DN");
  unsetenv("CTKIT_TEST_INHERITED");
  ASSERT_TRUE(delivered) << delivered.error().message;

  auto env = ParseEnvFile(env_file);
  const std::string sha256 = HexEncode(Sha256(alert.certificate_der));
  auto expected = HookEnvironment(alert, {.cert = dir / "certs/" + sha256 + ".pem",
                                          .json = dir / "certs/" + sha256 + ".json",
                                          .text = dir / "certs/" + sha256 + ".txt"});
  for (const auto& [name, value] : expected) EXPECT_EQ(env[name], value) << name;
  EXPECT_EQ(env["EVENT"], "discovered_cert");
  EXPECT_EQ(env["SUBJECT_DN"], "O=Rogue CA");  // from the certificate, not the daemon
  EXPECT_EQ(env["CTKIT_TEST_INHERITED"], "kept");
  EXPECT_FALSE(env["PATH"].empty());

  // CERT_FILENAME is the certificate in PEM; JSON_FILENAME certspotter's fields with the alert
  // under "ctkit"; TEXT_FILENAME names the certificate.
  auto pem_certs = PemDecodeCertificates(ReadFile(env["CERT_FILENAME"]));
  ASSERT_TRUE(pem_certs);
  ASSERT_EQ(pem_certs->size(), 1u);
  EXPECT_EQ((*pem_certs)[0], alert.certificate_der);
  Json saved = Json::parse(ReadFile(env["JSON_FILENAME"]));
  EXPECT_EQ(saved["ctkit"], alert.json);
  EXPECT_EQ(saved["dns_names"], Json::array({"login.example.com"}));
  EXPECT_EQ(saved["tbs_sha256"], std::string(64, 'a'));
  EXPECT_EQ(saved["cert_sha256"], sha256);
  EXPECT_EQ(saved["entry_index"], "6464843");  // a string, as certspotter writes it
  EXPECT_EQ(saved["not_before"], "2025-01-01T00:00:00Z");
  const std::string text = ReadFile(env["TEXT_FILENAME"]);
  EXPECT_THAT(text, HasSubstr(sha256 + ":\n"));
  EXPECT_THAT(text, HasSubstr("DNS Name = login.example.com\n"));
  EXPECT_THAT(text, HasSubstr("Log Entry = 6464843 @ https://log.example/2025/\n"));
  // No temporary files left behind.
  size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir / "certs")) {
    (void)entry;
    ++files;
  }
  EXPECT_EQ(files, 3u);
}

TEST(ScriptSinkTest, SubjectUnknownAndNoCertificateMeansUnset) {
  TempDir dir;
  const std::string env_file = dir / "env.txt";
  setenv("SUBJECT_DN", "stale", 1);
  ScriptSink sink({.command = "env > '" + env_file + "'"});
  auto delivered = sink.Deliver(CertificateAlert({"login.example.com"}, /*with_der=*/false));
  unsetenv("SUBJECT_DN");
  ASSERT_TRUE(delivered) << delivered.error().message;
  auto env = ParseEnvFile(env_file);
  EXPECT_EQ(env.count("SUBJECT_DN"), 0u);
  EXPECT_EQ(env.count("CERT_FILENAME"), 0u);  // no output_dir
  EXPECT_EQ(env.count("JSON_FILENAME"), 0u);
  EXPECT_EQ(env["CERT_SHA256"], std::string(64, 'b'));  // from the finding without DER
}

TEST(ScriptSinkTest, LogEventWritesItsJsonByHash) {
  TempDir dir;
  const std::string env_file = dir / "env.txt";
  ScriptSink sink({.command = "env > '" + env_file + "'", .output_dir = dir.path()});
  Alert alert;
  alert.json = {{"event", "error"}, {"summary", "log unreachable"}};
  ASSERT_TRUE(sink.Deliver(alert));
  auto env = ParseEnvFile(env_file);
  EXPECT_EQ(env["EVENT"], "error");
  EXPECT_EQ(env.count("CERT_FILENAME"), 0u);
  EXPECT_THAT(env["JSON_FILENAME"], HasSubstr(dir / "alert-"));
  EXPECT_EQ(Json::parse(ReadFile(env["JSON_FILENAME"])), Json({{"ctkit", alert.json}}));
  EXPECT_THAT(ReadFile(env["TEXT_FILENAME"]), HasSubstr("log unreachable"));
}

TEST(ScriptSinkTest, ShellMetacharactersInNamesExecuteNothing) {
  TempDir dir;
  const std::string marker = dir / "pwned";
  const std::vector<std::string> hostile = {
      "$(touch " + marker + "1).example.com", "`touch " + marker + "2`.example.com",
      "a.example.com;touch " + marker + "3",  "a.example.com|touch " + marker + "4",
      "a.example.com&&touch " + marker + "5", "'\"; touch " + marker + "6; echo \"'",
      "a.example.com\ntouch " + marker + "7"};
  Alert alert = CertificateAlert(hostile, /*with_der=*/false);
  alert.json["summary"] = "$(touch " + marker + "8)";
  alert.json["finding"]["issuer"] = "`touch " + marker + "9`";
  // A typical hook that uses the values quoted and unquoted, as hooks in the wild do.
  const std::string out = dir / "out.txt";
  const std::string command = "echo \"$DNS_NAMES\" > '" + out + "'; echo $SUMMARY $ISSUER_DN " +
                              "$DNS_NAMES >> '" + out + "'; for n in $(echo \"$DNS_NAMES\" | " +
                              "tr ',' ' '); do echo \"$n\" >> '" + out + "'; done";
  ScriptSink sink({.command = command, .output_dir = dir / "files"});
  auto delivered = sink.Deliver(alert);
  ASSERT_TRUE(delivered) << delivered.error().message;
  for (int i = 1; i <= 9; ++i) {
    EXPECT_FALSE(fs::exists(marker + std::to_string(i))) << "marker " << i;
  }
  const std::string written = ReadFile(out);
  EXPECT_THAT(written, HasSubstr("$(touch " + marker + "1).example.com"));
  EXPECT_THAT(written, HasSubstr("a.example.com;touch " + marker + "3"));
  // The JSON file keeps the exact names.
  Json saved;
  for (const auto& file : fs::directory_iterator(dir / "files")) {
    if (file.path().extension() == ".json") saved = Json::parse(ReadFile(file.path().string()));
  }
  EXPECT_EQ(saved["ctkit"]["finding"]["names"], Json(hostile));
  EXPECT_EQ(saved["dns_names"], Json(hostile));
}

TEST(ScriptSinkTest, NonZeroExitIsAnError) {
  ScriptSink sink({.command = "exit 3"});
  Alert alert;
  alert.json = {{"event", "test"}, {"summary", "hello"}};
  auto delivered = sink.Deliver(alert);
  ASSERT_FALSE(delivered);
  EXPECT_THAT(delivered.error().message, HasSubstr("exited with status 3"));

  ScriptSink missing({.command = "/nonexistent/ctkit-hook"});
  auto not_found = missing.Deliver(alert);
  ASSERT_FALSE(not_found);
  EXPECT_THAT(not_found.error().message, HasSubstr("status 127"));
}

TEST(ScriptSinkTest, HookInheritsNoOtherDescriptors) {
  const int fd = open("/dev/null", O_RDONLY);  // no O_CLOEXEC, like a careless library's
  ASSERT_GE(fd, 3);
  ScriptSink sink({.command = "[ -e /proc/$$/fd/" + std::to_string(fd) + " ] && exit 9; exit 0"});
  Alert alert;
  alert.json = {{"event", "test"}, {"summary", "fds"}};
  auto delivered = sink.Deliver(alert);
  close(fd);
  EXPECT_TRUE(delivered) << delivered.error().message;
}

TEST(ScriptSinkTest, SignalIsAnError) {
  ScriptSink sink({.command = "kill -TERM $$"});
  Alert alert;
  alert.json = {{"event", "test"}, {"summary", "hello"}};
  auto delivered = sink.Deliver(alert);
  ASSERT_FALSE(delivered);
  EXPECT_THAT(delivered.error().message, HasSubstr("signal 15"));
}

TEST(ScriptSinkTest, SlowHookIsKilledWithItsChildren) {
  TempDir dir;
  const std::string pid_file = dir / "child.pid";
  ScriptSink sink({.command = "sleep 30 & echo $! > '" + pid_file + "'; wait",
                   .timeout = std::chrono::milliseconds(300)});
  Alert alert;
  alert.json = {{"event", "test"}, {"summary", "slow"}};
  const auto start = std::chrono::steady_clock::now();
  auto delivered = sink.Deliver(alert);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(delivered);
  EXPECT_THAT(delivered.error().message, HasSubstr("timed out"));
  EXPECT_LT(elapsed, std::chrono::seconds(20));  // not the hook's 30 s (a bound, not a timing)

  // The background `sleep` went with its shell: gone or a zombie awaiting its new parent.
  const std::string child = ReadFile(pid_file);
  ASSERT_FALSE(child.empty());
  const std::string stat_path = "/proc/" + std::to_string(std::stoi(child)) + "/stat";
  bool gone = false;
  for (int i = 0; i < 200 && !gone; ++i) {
    const std::string stat = ReadFile(stat_path);
    const size_t paren = stat.rfind(')');
    gone = stat.empty() || (paren != std::string::npos && stat.substr(paren + 2, 1) == "Z");
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(gone);
}

TEST(ScriptSinkTest, HookOutputDoesNotReachStdout) {
  // The hook's stdout is redirected to stderr; a pipe on our stdout would otherwise see it.
  fflush(stdout);
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const int saved = dup(STDOUT_FILENO);
  dup2(pipe_fds[1], STDOUT_FILENO);
  ScriptSink sink({.command = "echo from-the-hook"});
  Alert alert;
  alert.json = {{"event", "test"}, {"summary", "x"}};
  auto delivered = sink.Deliver(alert);
  dup2(saved, STDOUT_FILENO);
  close(saved);
  close(pipe_fds[1]);
  std::string captured;
  char buffer[256];
  ssize_t n;
  while ((n = read(pipe_fds[0], buffer, sizeof(buffer))) > 0) captured.append(buffer, n);
  close(pipe_fds[0]);
  ASSERT_TRUE(delivered) << delivered.error().message;
  EXPECT_EQ(captured.find("from-the-hook"), std::string::npos);
}

// ---------------------------------------------------------------------------------------------
// WebhookSink against a real HTTP server on 127.0.0.1.

class WebhookServer {
 public:
  // The first `failures` requests get `failure_status`; later ones 200 with `success_body` (or
  // `failure_status` forever with failures < 0).
  WebhookServer(int failures, int failure_status, std::string success_body = "{}") {
    server_.Post("/hook", [this, failures, failure_status, success_body](
                              const httplib::Request& request, httplib::Response& response) {
      std::lock_guard<std::mutex> lock(mutex_);
      ++requests_;
      bodies_.push_back(request.body);
      content_types_.push_back(request.get_header_value("Content-Type"));
      authorizations_.push_back(request.get_header_value("Authorization"));
      if (failures < 0 || requests_ <= failures) {
        response.status = failure_status;
        response.set_content("try later", "text/plain");
        if (failure_status == 302) response.set_header("Location", "http://127.0.0.1:1/");
        return;
      }
      response.status = 200;
      response.set_content(success_body, "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    EXPECT_GT(port_, 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    // stop() before the accept loop runs would be lost and join() would hang.
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~WebhookServer() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  int requests() {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }
  std::vector<std::string> bodies() {
    std::lock_guard<std::mutex> lock(mutex_);
    return bodies_;
  }
  std::vector<std::string> content_types() {
    std::lock_guard<std::mutex> lock(mutex_);
    return content_types_;
  }
  std::vector<std::string> authorizations() {
    std::lock_guard<std::mutex> lock(mutex_);
    return authorizations_;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = -1;
  std::mutex mutex_;
  int requests_ = 0;
  std::vector<std::string> bodies_;
  std::vector<std::string> content_types_;
  std::vector<std::string> authorizations_;
};

WebhookSinkOptions FastOptions(const std::string& url, int retries) {
  WebhookSinkOptions options;
  options.url = url;
  options.connect_timeout = std::chrono::milliseconds(2000);
  options.total_timeout = std::chrono::milliseconds(5000);
  options.max_retries = retries;
  options.backoff_base = std::chrono::milliseconds(0);
  options.backoff_max = std::chrono::milliseconds(0);
  return options;
}

TEST(WebhookSinkTest, RetriesServerErrorsThenSucceeds) {
  WebhookServer server(2, 503);
  WebhookSinkOptions options = FastOptions(server.url(), 3);
  options.headers = {"Authorization: Bearer secret-token"};
  WebhookSink sink(options);
  EXPECT_EQ(sink.name(), "webhook");
  Alert alert = CertificateAlert({"login.example.com"});
  auto delivered = sink.Deliver(alert);
  ASSERT_TRUE(delivered) << delivered.error().message;
  EXPECT_EQ(server.requests(), 3);
  for (const std::string& body : server.bodies()) EXPECT_EQ(Json::parse(body), alert.json);
  for (const std::string& type : server.content_types()) EXPECT_EQ(type, "application/json");
  for (const std::string& auth : server.authorizations()) {
    EXPECT_EQ(auth, "Bearer secret-token");
  }
}

TEST(WebhookSinkTest, RetriesTooManyRequests) {
  WebhookServer server(1, 429);
  WebhookSink sink(FastOptions(server.url(), 1));
  Alert alert = CertificateAlert({"a.example.com"}, false);
  ASSERT_TRUE(sink.Deliver(alert));
  EXPECT_EQ(server.requests(), 2);
}

TEST(WebhookSinkTest, AlwaysFailingServerIsAnErrorAfterTheRetries) {
  WebhookServer server(-1, 500);
  WebhookSink sink(FastOptions(server.url() + "?token=secret", 2));
  Alert alert = CertificateAlert({"a.example.com"}, false);
  auto delivered = sink.Deliver(alert);
  ASSERT_FALSE(delivered);
  EXPECT_EQ(delivered.error().code, ErrorCode::kNetwork);
  EXPECT_THAT(delivered.error().message, HasSubstr("HTTP status 500"));
  EXPECT_THAT(delivered.error().message, HasSubstr("3 attempts"));
  EXPECT_EQ(delivered.error().message.find("secret"), std::string::npos);
  EXPECT_EQ(server.requests(), 3);
}

TEST(WebhookSinkTest, ClientErrorsAndRedirectsAreNotRetried) {
  for (int status : {400, 404, 302}) {
    WebhookServer server(-1, status);
    WebhookSink sink(FastOptions(server.url(), 3));
    Alert alert = CertificateAlert({"a.example.com"}, false);
    auto delivered = sink.Deliver(alert);
    ASSERT_FALSE(delivered) << status;
    EXPECT_THAT(delivered.error().message, HasSubstr("HTTP status " + std::to_string(status)));
    EXPECT_EQ(server.requests(), 1) << status;
  }
}

TEST(WebhookSinkTest, UnreachableServerIsANetworkError) {
  std::string url;
  {
    WebhookServer closed(0, 200);
    url = closed.url();
  }  // stopped: nothing listens on the port now
  WebhookSink sink(FastOptions(url, 2));
  Alert alert;
  alert.json = {{"event", "test"}, {"summary", "x"}};
  auto delivered = sink.Deliver(alert);
  ASSERT_FALSE(delivered);
  EXPECT_EQ(delivered.error().code, ErrorCode::kNetwork);
  EXPECT_THAT(delivered.error().message, HasSubstr("3 attempts"));
}

TEST(WebhookSinkTest, OnlyHttpAndHttps) {
  WebhookSink sink(FastOptions("file:///etc/passwd", 3));
  Alert alert;
  alert.json = {{"event", "test"}, {"summary", "x"}};
  auto delivered = sink.Deliver(alert);
  ASSERT_FALSE(delivered);
  // Refused before any request (logclient/http_fetcher.h), and the URL is not repeated.
  EXPECT_EQ(delivered.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(delivered.error().message, "webhook: not an http:// or https:// URL");
}

// The webhook goes through ctkit's one HTTP client: any 2xx is delivered, the answer is bounded,
// and the whole delivery, waits included, fits its budget.
TEST(WebhookSinkTest, AnyTwoHundredIsDelivered) {
  for (int status : {201, 202, 204}) {
    WebhookServer server(-1, status);
    WebhookSink sink(FastOptions(server.url(), 3));
    Alert alert = CertificateAlert({"a.example.com"}, false);
    auto delivered = sink.Deliver(alert);
    EXPECT_TRUE(delivered) << status << ": " << delivered.error().message;
    EXPECT_EQ(server.requests(), 1) << status;
  }
}

TEST(WebhookSinkTest, AnAnswerOverItsBoundIsRefused) {
  WebhookServer server(0, 200, std::string(100 * 1024, 'x'));
  WebhookSink sink(FastOptions(server.url(), 3));
  Alert alert = CertificateAlert({"a.example.com"}, false);
  auto delivered = sink.Deliver(alert);
  ASSERT_FALSE(delivered);
  EXPECT_EQ(server.requests(), 1);  // not retried
  EXPECT_EQ(delivered.error().code, ErrorCode::kTooLarge);
  EXPECT_THAT(delivered.error().message, HasSubstr("webhook: response larger than 65536 bytes"));
}

TEST(WebhookSinkTest, TheDeliveryBudgetEndsTheRetries) {
  WebhookServer server(-1, 503);
  WebhookSinkOptions options = FastOptions(server.url(), 3);
  options.backoff_base = std::chrono::milliseconds(2000);  // longer than the budget
  options.backoff_max = std::chrono::milliseconds(2000);
  options.delivery_budget = std::chrono::milliseconds(500);
  WebhookSink sink(options);
  Alert alert = CertificateAlert({"a.example.com"}, false);
  const auto started = std::chrono::steady_clock::now();
  auto delivered = sink.Deliver(alert);
  ASSERT_FALSE(delivered);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(1000));
  EXPECT_EQ(server.requests(), 1);
  EXPECT_EQ(delivered.error().message,
            "webhook: HTTP status 503: \"try later\" (after 1 attempt, call budget of 500 ms "
            "spent)");
}

}  // namespace
}  // namespace ctkit
