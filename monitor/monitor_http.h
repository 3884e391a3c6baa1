// MonitorHttpServer: the monitor's HTTP side (httpd/http_server.h), so a person or a probe can
// see that it works. Read-only: it reads MonitorStore (thread-safe) and MonitorMetrics, never
// writes. GET and HEAD only (405 otherwise), no request body (413).
//
//   MonitorHttpServer http(store, metrics, {.host = "127.0.0.1", .port = 0});
//   if (Result<void> started = http.Start(); !started) ...;   // binds, serves on its own thread
//   fprintf(stderr, "http listening on %s:%d\n", "127.0.0.1", http.port());
//   ...
//   http.Stop();
//
// Endpoints:
//   GET /healthz        200 {"status": "ok", ...} when CheckHealth (monitor/health.h) finds no
//                       problem: the log list fresh, every followed log reached and making
//                       progress, no delivery failing; else 503 {"status": "unhealthy",
//                       "reasons": [...], ...}.
//   GET /metrics        Prometheus text exposition format 0.0.4 (MetricsText below).
//   GET /               the findings page: watched domains and their certificates (UNEXPECTED
//                       highlighted), log status, recent alerts; /?q=NAME searches names.
//   GET /cert/<tbs_sha256>      one certificate: names, validity, fingerprints, where logged, PEM
//   GET /cert/<tbs_sha256>.pem  the certificate (or precertificate) as PEM, as an attachment
//   GET /api/findings   JSON array of findings (the objects `ctkit monitor query --format json`
//                       prints); ?domain=NAME (that name or under it), ?unexpected=1
//   GET /api/logs       the object `ctkit monitor status --format json` prints
// Every answer carries a Content-Security-Policy that allows no script and no external resource,
// X-Content-Type-Options: nosniff and Cache-Control: no-store: defence in depth behind the
// escaping (monitor/html.h for HTML; JSON escapes '<', '>' and '&'), which is what keeps
// certificate names from becoming markup. A request whose Host header is not an IP address,
// "localhost", the address listened on or one of `allowed_hosts` gets 403: a web page on some
// other name that an attacker's DNS rebinds to this address cannot read it.

#pragma once

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/error.h"
#include "httpd/http_server.h"
#include "monitor/health.h"
#include "monitor/monitor_metrics.h"
#include "monitor/monitor_store.h"

namespace ctkit {

struct MonitorHttpOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port (see port())
  // What /healthz checks (monitor/health.h); the daemon raises `error` events on the same rule.
  HealthOptions health;
  // The watchlist's items, so the page shows every watched domain, also those with no
  // certificate yet.
  std::vector<std::string> watch_items;
  size_t page_findings_limit = 5000;  // the page shows at most this many certificates
  // Host names (lower case, no port) the page answers to besides IP addresses, "localhost" and
  // `host`: the name a reverse proxy or a person uses for it.
  std::vector<std::string> allowed_hosts;
};

// Every metric, in the Prometheus text format:
//   per log (label log="URL"): ctkit_monitor_log_tree_size, _position, _lag_entries,
//   _lag_seconds, _entries_per_second, _entries_total, _requests_total, _retries_total,
//   _request_errors_total{kind}, _http_429_total, _last_success_timestamp_seconds,
//   _head_timestamp_seconds, ctkit_monitor_log_info{description};
//   ctkit_monitor_findings{expected}, ctkit_monitor_alerts_total{event},
//   ctkit_monitor_alert_deliveries{state="pending"|"failed"}, ctkit_monitor_log_list_age_seconds,
//   ctkit_monitor_log_list_fallback, ctkit_monitor_healthy, ctkit_monitor_start_time_seconds.
Result<std::string> MetricsText(MonitorStore& store, const MonitorMetrics& metrics,
                                const MonitorHttpOptions& options, int64_t now_ms);

// {"logs": [...], "deliveries": {"pending", "failed"}}: `ctkit monitor status --format json`
// and /api/logs (docs/json-output.md).
Result<nlohmann::ordered_json> LogsStatusJson(MonitorStore& store, int max_delivery_attempts);

class MonitorHttpServer {
 public:
  MonitorHttpServer(MonitorStore& store, const MonitorMetrics& metrics, MonitorHttpOptions options);
  ~MonitorHttpServer();  // stops

  // Binds host:port exclusively (kIo when it cannot, e.g. the port is taken) and serves on
  // threads of its own until Stop().
  Result<void> Start();
  int port() const { return port_; }
  void Stop();

 private:
  bool HostAllowed(const HttpRequest& req) const;
  void Handle(const HttpRequest& req, HttpResponse& res);
  void FindingsPage(const std::string& query, HttpResponse& res);
  void CertificatePage(std::string tbs, bool pem, HttpResponse& res);

  MonitorStore& store_;
  const MonitorMetrics& metrics_;
  MonitorHttpOptions options_;
  std::unique_ptr<HttpServer> server_;
  int port_ = 0;
};

}  // namespace ctkit
