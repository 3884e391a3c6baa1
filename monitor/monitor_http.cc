#include "monitor/monitor_http.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

#include "base/bytes.h"
#include "base/clock.h"
#include "ct/rfc3339.h"
#include "monitor/alerts.h"
#include "monitor/expectations.h"
#include "monitor/html_pages.h"

namespace ctkit {
namespace {

// Only the page's own inline CSS: no script, no external resource, no framing.
constexpr const char* kHtmlPolicy =
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'";

// JSON with '<', '>' and '&' escaped (\u003c, \u003e, \u0026), so that no answer ever carries
// a raw tag or entity, whatever a browser makes of it. Those characters occur only inside
// strings in JSON, where the escapes mean the same.
std::string Dump(const nlohmann::ordered_json& json, int indent = -1) {
  std::string text = json.dump(indent, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '<') {
      out += "\\u003c";
    } else if (c == '>') {
      out += "\\u003e";
    } else if (c == '&') {
      out += "\\u0026";
    } else {
      out += c;
    }
  }
  return out;
}

// Prometheus label value escaping (text exposition format): backslash, quote, newline.
std::string Label(std::string_view value) {
  std::string out;
  for (char c : value) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string Number(double value) {
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%.17g", value);
  return buffer;
}

class MetricWriter {
 public:
  void Family(const std::string& name, const std::string& type, const std::string& help) {
    text_ += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
  }
  void Sample(const std::string& name, const std::string& labels, double value) {
    text_ += name + (labels.empty() ? "" : "{" + labels + "}") + " " + Number(value) + "\n";
  }
  std::string& text() { return text_; }

 private:
  std::string text_;
};

// Every answer, whatever its type: no sniffing, no caching, and the policy that allows no script
// and no external resource (defence in depth behind the escaping).
void AddSecurityHeaders(HttpResponse& res) {
  res.AddHeader("Content-Security-Policy", kHtmlPolicy);
  res.AddHeader("X-Content-Type-Options", "nosniff");
  res.AddHeader("Cache-Control", "no-store");
}

void SetHtml(HttpResponse& res, int status, const std::string& html) {
  res.Set(status, html, "text/html; charset=utf-8");
}

void SetJson(HttpResponse& res, int status, const nlohmann::ordered_json& json) {
  res.Set(status, Dump(json) + "\n", "application/json");
}

void SetError(HttpResponse& res, const Error& error) {
  SetJson(res, 500, {{"error", error.message}});
}

// Case-insensitive substring match on any name: a person searching types part of a name.
bool NameContains(const Finding& finding, const std::string& needle) {
  for (const std::string& name : finding.names) {
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower.find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

Result<std::string> MetricsText(MonitorStore& store, const MonitorMetrics& metrics,
                                const MonitorHttpOptions& options, int64_t now_ms) {
  MonitorMetrics::Snapshot snapshot = metrics.snapshot();
  ASSIGN_OR_RETURN(std::vector<MonitoredLog> rows, store.AllLogs());
  struct LogSample {
    const MonitoredLog* row;
    const LogRuntimeMetrics* runtime;
    std::string labels;
    double lag_seconds = 0;
  };
  std::vector<LogSample> samples;
  static const LogRuntimeMetrics kNone;
  for (const MonitoredLog& row : rows) {
    auto runtime = snapshot.logs.find(row.url);
    LogSample sample{.row = &row,
                     .runtime = runtime == snapshot.logs.end() ? &kNone : &runtime->second,
                     .labels = "log=\"" + Label(row.url) + "\""};
    if (row.head && row.backlog() > 0) {
      ASSIGN_OR_RETURN(HeadCoverage coverage, store.CoverageOf(row.id, row.verified_size));
      // Behind by the log time between the newest head reached and the newest head; before
      // any head is reached, by how long we have been at it.
      int64_t reference = coverage.reached_timestamp_ms
                              ? row.head->timestamp_ms - coverage.reached_timestamp_ms
                              : now_ms - coverage.first_received_ms;
      sample.lag_seconds = static_cast<double>(std::max<int64_t>(reference, 0)) / 1000.0;
    }
    samples.push_back(std::move(sample));
  }

  MetricWriter out;
  auto per_log = [&](const std::string& name, const std::string& type, const std::string& help,
                     auto value) {
    out.Family(name, type, help);
    for (const LogSample& sample : samples) out.Sample(name, sample.labels, value(sample));
  };
  out.Family("ctkit_monitor_log_info", "gauge", "A log in the database; its description.");
  for (const LogSample& sample : samples) {
    out.Sample("ctkit_monitor_log_info",
               sample.labels + ",description=\"" + Label(sample.row->description) +
                   "\",followed=\"" + (sample.runtime->watched ? "true" : "false") + "\"",
               1);
  }
  per_log("ctkit_monitor_log_tree_size", "gauge", "Size of the latest verified tree head.",
          [](const LogSample& s) { return s.row->head ? double(s.row->head->tree_size) : 0.0; });
  per_log("ctkit_monitor_log_position", "gauge", "Entries read and proven.",
          [](const LogSample& s) { return double(s.row->verified_size); });
  per_log("ctkit_monitor_log_lag_entries", "gauge",
          "Entries in the latest verified tree head not yet proven.",
          [](const LogSample& s) { return double(s.row->backlog()); });
  per_log("ctkit_monitor_log_lag_seconds", "gauge",
          "Log time between the newest head the position reached and the latest head; 0 when "
          "caught up.",
          [](const LogSample& s) { return s.lag_seconds; });
  per_log("ctkit_monitor_log_entries_per_second", "gauge",
          "Entries proven per second in the current or last round that read entries.",
          [](const LogSample& s) { return s.runtime->entries_per_second; });
  per_log("ctkit_monitor_log_entries_total", "counter", "Entries proven by this process.",
          [](const LogSample& s) { return double(s.runtime->entries); });
  per_log("ctkit_monitor_log_requests_total", "counter",
          "HTTP requests to the log by this process, retries included.",
          [](const LogSample& s) { return double(s.runtime->requests); });
  per_log("ctkit_monitor_log_retries_total", "counter",
          "HTTP requests that repeated a failed one (transport errors, 429, 5xx).",
          [](const LogSample& s) { return double(s.runtime->retries); });
  out.Family("ctkit_monitor_log_request_errors_total", "counter",
             "Rounds that failed, by kind (after the client's retries).");
  for (const LogSample& sample : samples) {
    for (const auto& [kind, count] : sample.runtime->errors) {
      out.Sample("ctkit_monitor_log_request_errors_total",
                 sample.labels + ",kind=\"" + Label(kind) + "\"", double(count));
    }
  }
  per_log("ctkit_monitor_log_http_429_total", "counter",
          "Rounds that failed because the log kept answering 429 Too Many Requests.",
          [](const LogSample& s) { return double(s.runtime->http_429); });
  per_log("ctkit_monitor_log_last_success_timestamp_seconds", "gauge",
          "When the log's head was last fetched and verified (Unix time).",
          [](const LogSample& s) { return double(s.row->last_success_ms) / 1000.0; });
  per_log("ctkit_monitor_log_head_timestamp_seconds", "gauge",
          "Timestamp of the latest verified tree head (Unix time).", [](const LogSample& s) {
            return s.row->head ? double(s.row->head->timestamp_ms) / 1000.0 : 0.0;
          });

  ASSIGN_OR_RETURN(FindingCounts findings, store.CountFindings());
  out.Family("ctkit_monitor_findings", "gauge", "Certificates found for watched names.");
  out.Sample("ctkit_monitor_findings", "expected=\"true\"", double(findings.expected));
  out.Sample("ctkit_monitor_findings", "expected=\"false\"", double(findings.unexpected));

  Result<std::vector<std::pair<std::string, int64_t>>> alerts = store.CountAlertsByEvent();
  if (!alerts) return std::unexpected(alerts.error());
  out.Family("ctkit_monitor_alerts_total", "counter", "Alerts raised, by event.");
  for (const auto& [event, count] : *alerts) {
    out.Sample("ctkit_monitor_alerts_total", "event=\"" + Label(event) + "\"", double(count));
  }

  Result<std::pair<int64_t, int64_t>> deliveries =
      store.DeliveryCounts(options.health.max_delivery_attempts);
  if (!deliveries) return std::unexpected(deliveries.error());
  out.Family("ctkit_monitor_alert_deliveries", "gauge",
             "Alert deliveries not done: pending (will be retried) or failed (gave up).");
  out.Sample("ctkit_monitor_alert_deliveries", "state=\"pending\"", double(deliveries->first));
  out.Sample("ctkit_monitor_alert_deliveries", "state=\"failed\"", double(deliveries->second));

  out.Family("ctkit_monitor_log_list_age_seconds", "gauge",
             "Seconds since the log list was last loaded.");
  out.Sample(
      "ctkit_monitor_log_list_age_seconds", "",
      snapshot.log_list.loaded_ms ? double(now_ms - snapshot.log_list.loaded_ms) / 1000.0 : -1);
  out.Family("ctkit_monitor_log_list_fallback", "gauge",
             "1 when the compiled-in log list snapshot is in use because the configured list "
             "failed.");
  out.Sample("ctkit_monitor_log_list_fallback", "", snapshot.log_list.fallback ? 1 : 0);
  out.Family("ctkit_monitor_healthy", "gauge", "1 when /healthz answers 200.");
  out.Sample("ctkit_monitor_healthy", "",
             CheckHealth(store, metrics, options.health, now_ms).healthy ? 1 : 0);
  out.Family("ctkit_monitor_start_time_seconds", "gauge", "When this process started.");
  out.Sample("ctkit_monitor_start_time_seconds", "", double(snapshot.started_ms) / 1000.0);
  return std::move(out.text());
}

Result<nlohmann::ordered_json> LogsStatusJson(MonitorStore& store, int max_delivery_attempts) {
  ASSIGN_OR_RETURN(std::vector<MonitoredLog> logs, store.AllLogs());
  nlohmann::ordered_json json_logs = nlohmann::ordered_json::array();
  for (const MonitoredLog& log : logs) {
    nlohmann::ordered_json item = {
        {"log", log.url},
        {"description", log.description},
        {"log_id", Base64Encode(log.log_id)},
        {"position", log.verified_size},
        {"tree_size", log.head ? log.head->tree_size : 0},
        {"lag_entries", log.backlog()},
        {"last_success", log.last_success_ms ? FormatRfc3339(log.last_success_ms) : ""},
        {"last_error", log.last_error}};
    if (log.head) item["head"] = TreeHeadToJson(*log.head);
    json_logs.push_back(std::move(item));
  }
  nlohmann::ordered_json out = {{"logs", std::move(json_logs)}};
  Result<std::pair<int64_t, int64_t>> deliveries = store.DeliveryCounts(max_delivery_attempts);
  if (deliveries) {
    out["deliveries"] = {{"pending", deliveries->first}, {"failed", deliveries->second}};
  }
  Result<std::vector<SinkDeliveries>> by_sink = store.UndeliveredBySink(max_delivery_attempts);
  if (by_sink && deliveries) {
    nlohmann::ordered_json sinks = nlohmann::ordered_json::object();
    for (const SinkDeliveries& sink : *by_sink) {
      sinks[sink.sink] = {{"pending", sink.pending}, {"failed", sink.failed}};
    }
    out["deliveries"]["by_sink"] = std::move(sinks);
  }
  return out;
}

MonitorHttpServer::MonitorHttpServer(MonitorStore& store, const MonitorMetrics& metrics,
                                     MonitorHttpOptions options)
    : store_(store), metrics_(metrics), options_(std::move(options)) {}

MonitorHttpServer::~MonitorHttpServer() { Stop(); }

bool MonitorHttpServer::HostAllowed(const HttpRequest& req) const {
  const std::string* header = req.Header("Host");
  if (header == nullptr || header->empty()) return false;
  std::string host = *header;
  // Without the port: "name:8080", "[::1]:8080", "[::1]".
  if (host.front() == '[') {
    size_t close = host.find(']');
    if (close == std::string::npos) return false;
    host = host.substr(1, close - 1);
    return !host.empty() && host.find_first_not_of("0123456789abcdefABCDEF:.") == std::string::npos;
  }
  if (size_t colon = host.rfind(':'); colon != std::string::npos) host.resize(colon);
  std::transform(host.begin(), host.end(), host.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  // An IP address is never a rebound name; "localhost" and the address we listen on are ours.
  if (!host.empty() && host.find_first_not_of("0123456789.") == std::string::npos) return true;
  if (host == "localhost" || host == options_.host) return true;
  return std::find(options_.allowed_hosts.begin(), options_.allowed_hosts.end(), host) !=
         options_.allowed_hosts.end();
}

void MonitorHttpServer::Handle(const HttpRequest& req, HttpResponse& res) {
  AddSecurityHeaders(res);
  if (!HostAllowed(req)) {
    // DNS rebinding: a page on another name that resolves to this address must not read it.
    return SetHtml(res, 403,
                   RenderMessagePage("Forbidden", "This page answers only to its own address."));
  }
  std::string_view path = req.path;
  auto param = [&req](const char* name) {
    const std::string* value = req.Param(name);
    return value != nullptr ? *value : std::string();
  };
  if (path == "/healthz") {
    HealthReport report = CheckHealth(store_, metrics_, options_.health, UnixNowMs());
    return SetJson(res, report.healthy ? 200 : 503, report.json);
  }
  if (path == "/metrics") {
    Result<std::string> text = MetricsText(store_, metrics_, options_, UnixNowMs());
    if (!text) return SetError(res, text.error());
    return res.Set(200, std::move(*text), "text/plain; version=0.0.4; charset=utf-8");
  }
  if (path == "/api/findings") {
    FindingQuery query;
    if (req.Param("domain") != nullptr) query.domain = NormalizeDnsName(param("domain"));
    if (req.Param("unexpected") != nullptr) {
      std::string value = param("unexpected");
      query.unexpected_only = value == "1" || value == "true" || value == "yes";
    }
    Result<std::vector<Finding>> findings = store_.QueryFindings(query);
    if (!findings) return SetError(res, findings.error());
    nlohmann::ordered_json array = nlohmann::ordered_json::array();
    for (const Finding& finding : *findings) array.push_back(FindingToJson(finding));
    return SetJson(res, 200, array);
  }
  if (path == "/api/logs") {
    Result<nlohmann::ordered_json> status =
        LogsStatusJson(store_, options_.health.max_delivery_attempts);
    if (!status) return SetError(res, status.error());
    return SetJson(res, 200, *status);
  }
  if (path == "/") return FindingsPage(param("q"), res);
  // Certificate pages are addressed by the deduplication hash (64 hex digits, nothing else, so
  // the file name of the download is ours).
  constexpr std::string_view kCert = "/cert/";
  if (path.starts_with(kCert)) {
    std::string_view rest = path.substr(kCert.size());
    bool pem = rest.ends_with(".pem");
    if (pem) rest.remove_suffix(4);
    if (rest.size() == 64 &&
        rest.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos) {
      return CertificatePage(std::string(rest), pem, res);
    }
  }
  SetHtml(res, 404, RenderMessagePage("Not found", "There is no page here."));
}

void MonitorHttpServer::FindingsPage(const std::string& query, HttpResponse& res) {
  int64_t now = UnixNowMs();
  FindingsPageData data;
  data.query = query;
  data.watch_items = options_.watch_items;
  data.now_ms = now;
  Result<std::vector<Finding>> findings = store_.QueryFindings({});
  Result<FindingCounts> totals = store_.CountFindings();
  Result<std::vector<MonitoredLog>> logs = store_.AllLogs();
  Result<std::vector<StoredAlert>> alerts = store_.Alerts(20);
  for (const Error* error :
       {findings ? nullptr : &findings.error(), totals ? nullptr : &totals.error(),
        logs ? nullptr : &logs.error(), alerts ? nullptr : &alerts.error()}) {
    if (error) return SetHtml(res, 500, RenderMessagePage("Database error", error->message));
  }
  std::string needle = NormalizeDnsName(data.query);
  for (Finding& finding : *findings) {
    if (!needle.empty() && !NameContains(finding, needle)) continue;
    if (data.findings.size() >= options_.page_findings_limit) {
      data.truncated = true;
      break;
    }
    finding.certificate.clear();  // the page does not show it; keep the copy small
    data.findings.push_back(std::move(finding));
  }
  data.totals = *totals;
  data.logs = std::move(*logs);
  data.alerts = std::move(*alerts);
  HealthReport health = CheckHealth(store_, metrics_, options_.health, now);
  data.healthy = health.healthy;
  for (const auto& reason : health.json["reasons"]) data.health_reasons.push_back(reason);
  SetHtml(res, 200, RenderFindingsPage(data));
}

void MonitorHttpServer::CertificatePage(std::string tbs, bool pem, HttpResponse& res) {
  std::transform(tbs.begin(), tbs.end(), tbs.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  Result<std::optional<Finding>> finding = store_.FindingByTbs(tbs);
  if (!finding) {
    return SetHtml(res, 500, RenderMessagePage("Database error", finding.error().message));
  }
  if (!*finding) {
    return SetHtml(
        res, 404,
        RenderMessagePage("Not found", "No certificate with TBS SHA-256 " + tbs + " was found."));
  }
  if (!pem) {
    Result<std::vector<MonitoredLog>> logs = store_.AllLogs();
    return SetHtml(
        res, 200,
        RenderCertificatePage(**finding, logs ? *logs : std::vector<MonitoredLog>{}, UnixNowMs()));
  }
  if ((*finding)->certificate.empty()) {
    return SetHtml(res, 404,
                   RenderMessagePage("Not found",
                                     "The log did not serve this certificate's bytes (only its "
                                     "TBSCertificate)."));
  }
  res.AddHeader("Content-Disposition",
                "attachment; filename=\"" + (*finding)->tbs_sha256 + ".pem\"");
  res.Set(200, CertificatePem((*finding)->certificate), "application/x-pem-file");
}

Result<void> MonitorHttpServer::Start() {
  // A person and a scraper, not a crowd; GET and HEAD only (every route reads), and a request
  // body has no use, so one is refused (413) unread. Bound to loopback every client shares one
  // address, so the per-address cap leaves room for a user beside a hundred slow connections.
  HttpLimits limits{.max_body_bytes = 0,
                    .request_deadline = std::chrono::seconds(10),
                    .max_connections = 512,
                    .max_connections_per_address = 256,
                    .io_threads = 1,
                    .workers = 4,
                    .methods = {"GET", "HEAD"}};
  server_ = std::make_unique<HttpServer>(
      limits, [this](const HttpRequest& req, HttpResponse& res) { Handle(req, res); });
  if (Result<void> listening = server_->Listen(options_.host, options_.port); !listening) {
    server_.reset();
    return listening;
  }
  port_ = server_->port();
  return {};
}

void MonitorHttpServer::Stop() {
  if (server_) server_->Stop();
}

}  // namespace ctkit
