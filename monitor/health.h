// The monitor's health verdict: is it doing its job? One rule, used by /healthz and /metrics
// (monitor/monitor_http.h) and by the daemon, which pushes every problem through its sinks as an
// `error` event (monitor/health_events.h). docs/monitor.md, "Health".
//
//   HealthReport report = CheckHealth(store, metrics, options, UnixNowMs());
//   if (!report.healthy) ... report.problems[i].key / .text
//
// Progress, not pings, decides. Problems, each with a stable key (the same condition keeps its
// key while its numbers change) and a one-line text:
//   log-list              the list is not loaded, is the compiled-in fallback, or was last
//                         loaded longer ago than log_list_max_age_ms
//   log-list-stale        the list itself (its log_list_timestamp) is older than 70 days
//   unreachable:URL       no verified head from a followed log for unreachable_after_ms (counted
//                         from the daemon's start when it never had one)
//   stalled:URL           behind its verified head, and its proven position has not moved for
//                         stall_after_ms (counted from the daemon's start at first)
//   backlog:URL           more than max_backlog entries behind its verified head
//   deliveries:SINK       alerts that a sink refused: retried and still failing, or given up
//   database              the store cannot be read
//   no-logs               no log is followed (yet)

#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "monitor/monitor_metrics.h"
#include "monitor/monitor_store.h"

namespace ctkit {

struct HealthOptions {
  int64_t unreachable_after_ms = 600'000;
  int64_t stall_after_ms = 900'000;
  uint64_t max_backlog = 100'000;
  int64_t log_list_max_age_ms = 48 * 3'600'000LL;
  // Chrome stops enforcing CT with a list this old: its log states no longer mean much.
  int64_t log_list_max_staleness_ms = 70 * 86'400'000LL;
  int max_delivery_attempts = kMaxDeliveryAttempts;  // then a delivery counts as failed
  // The sinks configured now: undelivered alerts of other (earlier) sinks are not a problem of
  // this run. Empty: every sink counts.
  std::vector<std::string> sinks;
};

struct HealthProblem {
  std::string key;   // stable while the condition lasts, e.g. "stalled:https://log.example/"
  std::string text;  // one line for a person, e.g. "log ...: no entry proven for 912 s, 5 behind"
};

struct HealthReport {
  bool healthy = false;
  std::vector<HealthProblem> problems;
  nlohmann::ordered_json json;  // /healthz: {"status", "reasons", "log_list", "logs"}
};

// The verdict at `now_ms`.
HealthReport CheckHealth(MonitorStore& store, const MonitorMetrics& metrics,
                         const HealthOptions& options, int64_t now_ms);

}  // namespace ctkit
