#include "monitor/health.h"

#include <algorithm>

#include "base/plural.h"
#include "ct/rfc3339.h"

namespace ctkit {
namespace {

std::string Seconds(int64_t ms) { return std::to_string(ms / 1000) + " s"; }

}  // namespace

HealthReport CheckHealth(MonitorStore& store, const MonitorMetrics& metrics,
                         const HealthOptions& options, int64_t now_ms) {
  MonitorMetrics::Snapshot snapshot = metrics.snapshot();
  std::vector<HealthProblem> problems;
  auto problem = [&](std::string key, std::string text) {
    problems.push_back({std::move(key), std::move(text)});
  };

  nlohmann::ordered_json log_list = {
      {"source", snapshot.log_list.source},
      {"loaded", snapshot.log_list.loaded_ms ? FormatRfc3339(snapshot.log_list.loaded_ms) : ""},
      {"fallback", snapshot.log_list.fallback}};
  if (snapshot.log_list.loaded_ms == 0) {
    problem("log-list", "log list: not loaded yet");
  } else if (snapshot.log_list.fallback) {
    problem("log-list",
            "log list: using the compiled-in snapshot because the configured list could not be "
            "loaded: " +
                snapshot.log_list.error);
  } else if (now_ms - snapshot.log_list.loaded_ms > options.log_list_max_age_ms) {
    problem("log-list", "log list: last loaded " + Seconds(now_ms - snapshot.log_list.loaded_ms) +
                            " ago (max " + Seconds(options.log_list_max_age_ms) + ")");
  }

  if (snapshot.log_list.timestamp_ms != 0 &&
      now_ms - snapshot.log_list.timestamp_ms > options.log_list_max_staleness_ms) {
    problem("log-list-stale",
            "log list: published " + FormatRfc3339(snapshot.log_list.timestamp_ms) + ", " +
                std::to_string((now_ms - snapshot.log_list.timestamp_ms) / 86'400'000) +
                " days ago (max " + std::to_string(options.log_list_max_staleness_ms / 86'400'000) +
                "): fetch a current one");
  }

  nlohmann::ordered_json logs = nlohmann::ordered_json::array();
  Result<std::vector<MonitoredLog>> rows = store.AllLogs();
  if (!rows) problem("database", "database: " + rows.error().message);
  size_t watched = 0;
  for (const auto& [url, runtime] : snapshot.logs) {
    if (!runtime.watched) continue;
    ++watched;
    const MonitoredLog* row = nullptr;
    if (rows) {
      for (const MonitoredLog& candidate : *rows) {
        if (candidate.url == url) row = &candidate;
      }
    }
    std::string why = row && !row->last_error.empty() ? ": " + row->last_error : "";
    // Proving entries during a long catch-up counts as reaching the log: the head is only
    // fetched again when the round ends.
    int64_t last_head = std::max(row ? row->last_success_ms : 0, runtime.last_progress_ms);
    uint64_t backlog = row ? row->backlog() : 0;
    size_t before = problems.size();
    // Unreachable: no verified head for that long (since the start when there never was one).
    if (now_ms - std::max(last_head, snapshot.started_ms) > options.unreachable_after_ms) {
      problem("unreachable:" + url,
              "log " + url + ": " +
                  (last_head ? "not reached for " + Seconds(now_ms - last_head)
                             : "never reached in " + Seconds(now_ms - snapshot.started_ms)) +
                  " (max " + Seconds(options.unreachable_after_ms) + ")" + why);
    } else if (last_head == 0 && !why.empty()) {
      // Not reached yet and already failing; a log merely not reached yet (the daemon has just
      // started) is not a problem until unreachable_after_ms.
      problem("unreachable:" + url, "log " + url + ": never reached yet" + why);
    }
    // Stalled: behind the head it proved, and no entry proven for that long. A log answering
    // get-sth but failing get-entries (or stuck on one entry) is caught here.
    // The stall clock starts when the log was last seen caught up (or an entry was proven): a
    // log idle for hours that then grows is not stalled at once.
    int64_t progress =
        std::max({runtime.last_progress_ms, runtime.caught_up_ms, snapshot.started_ms});
    if (backlog > 0 && now_ms - progress > options.stall_after_ms) {
      problem("stalled:" + url, "log " + url + ": " + std::to_string(backlog) +
                                    " entries behind and none proven for " +
                                    Seconds(now_ms - progress) + " (max " +
                                    Seconds(options.stall_after_ms) + ")" + why);
    }
    if (backlog > options.max_backlog) {
      problem("backlog:" + url, "log " + url + ": " + std::to_string(backlog) +
                                    " entries behind (max " + std::to_string(options.max_backlog) +
                                    ")");
    }
    int64_t last_success = last_head;
    logs.push_back(
        {{"log", url},
         {"description", runtime.description},
         {"position", row ? row->verified_size : 0},
         {"tree_size", row && row->head ? row->head->tree_size : 0},
         {"lag_entries", backlog},
         {"last_success", last_success ? FormatRfc3339(last_success) : ""},
         {"last_progress", runtime.last_progress_ms ? FormatRfc3339(runtime.last_progress_ms) : ""},
         {"last_error", row ? row->last_error : ""},
         {"healthy", problems.size() == before}});
  }
  if (watched == 0) problem("no-logs", "no log is being followed yet");

  Result<std::vector<SinkDeliveries>> deliveries =
      store.UndeliveredBySink(options.max_delivery_attempts);
  if (deliveries) {
    for (const SinkDeliveries& sink : *deliveries) {
      // Tried and failed, still being retried: the sink is refusing alerts now. (Given-up
      // deliveries stay counted in `monitor status` and /metrics; they were announced by this
      // problem while they were retried.)
      if (sink.retrying == 0) continue;
      if (!options.sinks.empty() &&
          std::find(options.sinks.begin(), options.sinks.end(), sink.sink) == options.sinks.end()) {
        continue;
      }
      problem("deliveries:" + sink.sink,
              "alert deliveries to " + sink.sink + " failing: " + Count(sink.retrying, "alert") +
                  " being retried, " + std::to_string(sink.failed) + " given up");
    }
  }

  HealthReport report;
  report.healthy = problems.empty();
  std::vector<std::string> reasons;
  for (const HealthProblem& p : problems) reasons.push_back(p.text);
  report.problems = std::move(problems);
  report.json = {{"status", report.healthy ? "ok" : "unhealthy"},
                 {"reasons", std::move(reasons)},
                 {"log_list", std::move(log_list)},
                 {"logs", std::move(logs)}};
  return report;
}

}  // namespace ctkit
