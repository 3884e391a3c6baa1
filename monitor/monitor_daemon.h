// MonitorDaemon: runs one LogTailer per log, each on its own thread (a slow or broken log never
// stalls the others), and delivers the alerts they store to every sink.
//
//   MonitorDaemon daemon(store, logs, matcher, expectations, sinks, options);
//   Result<MonitorSummary> summary = daemon.Run(stop);   // options.once: catch up and return
//
// Alerts are delivered from the store, not from the tailers: a tailer commits an alert with its
// chunk, and the dispatcher later sends every pending delivery and marks it delivered, so an alert
// survives a crash and is re-sent once at most. Failed deliveries are retried on the next pass,
// up to health.max_delivery_attempts.

#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "logclient/http_fetcher.h"
#include "logclient/log_reader.h"
#include "monitor/expectations.h"
#include "monitor/health.h"
#include "monitor/health_events.h"
#include "monitor/log_tailer.h"
#include "monitor/monitor_metrics.h"
#include "monitor/monitor_store.h"

namespace ctkit {

// One log to follow: how to reach it and what the tailer needs to know about it.
struct MonitoredLogSpec {
  std::string url;
  std::string description;
  LogId log_id{};
  uint64_t mmd_seconds = 86400;
  // Makes the reader (RFC 6962 client or static-ct-api client) for the log's thread.
  std::function<Result<std::unique_ptr<LogReader>>()> make_reader;
  // Entries per get-entries request and per download slice: the client's default unless the
  // log's --config entry sets one.
  uint64_t batch_size = LogClientOptions{}.batch_size;
  unsigned parallel_downloads = 2;  // connections downloading entries at once (the first also
                                    // fetches heads and proofs)
};

// A place alerts go: a name (stored with each delivery) and how to deliver one alert.
struct NamedSink {
  std::string name;
  std::function<Result<void>(const std::string& body_json, const Bytes& certificate)> deliver;
};

struct MonitorOptions {
  bool once = false;                   // catch every log up to its current head, then return
  int64_t poll_interval_ms = 60'000;   // between rounds of one log (daemon mode)
  int64_t retry_interval_ms = 10'000;  // after a failed round (daemon mode)
  int once_attempts = 2;               // rounds a log gets in once mode before it counts failed
  TailerOptions tailer;                // chunk size, start at end, SCT grace (mmd set per log)
  // Called from the log threads (serialize your output).
  std::function<void(const std::string& log, const SyncProgress&)> on_progress;
  std::function<void(const std::string& message)> on_message;  // errors and notices, one line
  // Optional: per-log entries/s, request errors by kind and request counts for the HTTP side
  // (monitor/monitor_http.h). Must outlive Run().
  MonitorMetrics* metrics = nullptr;
  // Proof of life: a "heartbeat" alert through every sink once per interval (0: none). Stored
  // and delivered like any alert, keyed by the interval it falls in, so a restart within the
  // same interval does not send another. It does not count as a new alert in the summary.
  int64_t heartbeat_interval_ms = 0;
  // With `metrics`: the health rule (monitor/health.h) the dispatcher checks every second, and
  // where its problems become `error` and `recovered` events through every sink. Owned by the
  // caller so that an ongoing problem is not announced again when the daemon is rebuilt (a log
  // list refresh). nullptr: no health events.
  HealthOptions health;
  HealthEvents* health_events = nullptr;
};

struct MonitorSummary {
  uint64_t entries = 0;
  uint64_t new_alerts = 0;       // raised during this run
  size_t logs_failed = 0;        // once mode: logs that could not be caught up
  size_t deliveries_failed = 0;  // deliveries that gave up during this run
  // Configured sinks that still have undelivered alerts when the run ends (pending: retried on
  // the next run; failed: gave up), from the store, so earlier runs' leftovers count too.
  std::vector<SinkDeliveries> undelivered;
};

// The body of a proof-of-life alert, {"event", "summary", "time" (RFC 3339), "host"}: `event` is
// "test" (ctkit monitor test-alert) or "heartbeat" (MonitorOptions::heartbeat_interval_ms). With
// `health`, also {"health": "ok"|"unhealthy", "problems": [...]}, and the summary says which: a
// heartbeat is proof of life, not of health.
std::string ProofOfLifeAlertJson(const std::string& event, int64_t now_ms,
                                 const HealthReport* health = nullptr);

class MonitorDaemon {
 public:
  MonitorDaemon(MonitorStore& store, std::vector<MonitoredLogSpec> logs, NameMatcher matcher,
                Expectations expectations, std::vector<NamedSink> sinks, MonitorOptions options);

  // Runs until `stop` (daemon mode) or until every log is caught up or given up (once mode).
  Result<MonitorSummary> Run(std::atomic<bool>& stop);

  // Replaces the inventories (SIGHUP); takes effect at each log's next round.
  void SetExpectations(Expectations expectations);

  // Sends every pending delivery that is due once; returns how many failed for good. A delivery
  // that failed waits min(2^(attempts-1) s, 1 h) before its next attempt, unless `all_due`
  // (the first and last pass of a run: a cron of --once runs is its own schedule).
  size_t DeliverPending(bool all_due = true);

 private:
  void RunLog(const MonitoredLogSpec& spec, std::atomic<bool>& stop);
  void MaybeHeartbeat();
  void RaiseHealthEvents();
  void Message(const std::string& message);

  MonitorStore& store_;
  std::vector<MonitoredLogSpec> logs_;
  NameMatcher matcher_;
  std::mutex expectations_mutex_;
  std::shared_ptr<const Expectations> expectations_;
  std::vector<NamedSink> sinks_;
  MonitorOptions options_;
  std::mutex deliver_mutex_;
  // Once mode: sinks that failed in this run are not tried again before it ends (their alerts
  // stay pending for the next run), so a dead webhook costs a run one delivery budget.
  std::set<std::string> failed_in_run_;

  std::atomic<uint64_t> entries_{0};
  std::atomic<uint64_t> new_alerts_{0};
  std::atomic<size_t> logs_failed_{0};
  int64_t heartbeat_period_ = -1;  // the dispatcher's last heartbeat interval
};

}  // namespace ctkit
