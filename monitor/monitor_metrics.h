// MonitorMetrics: what the monitor knows only while it runs, for its HTTP side (/metrics,
// /healthz). Everything that survives a restart (positions, heads, findings, alerts,
// deliveries) is read from MonitorStore instead; this registry holds the rest: which logs this
// process follows, how fast, how its requests fail, and when the log list was last loaded.
//
//   MonitorMetrics metrics;
//   metrics.SetLogList({.loaded_ms = now, .source = "logs.json"});
//   metrics.WatchLog(url, description);              // the daemon, once per log thread
//   metrics.AddEntries(url, 1024, /*round_entries=*/4096, /*round_elapsed_ms=*/2000);
//   metrics.CountError(url, error);                   // a failed round
//   MonitorMetrics::Snapshot now = metrics.snapshot();  // the HTTP side, any thread
//
// Thread-safe: one mutex; every call is short (no I/O under the lock).

#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "base/error.h"

namespace ctkit {

// How the current log list was obtained.
struct LogListStatus {
  int64_t loaded_ms = 0;     // 0: not loaded yet
  std::string source;        // file, URL, or "compiled-in snapshot"
  int64_t timestamp_ms = 0;  // the list's own log_list_timestamp (0: unknown)
  // The configured source failed and the compiled-in snapshot is in use; `error` says why.
  bool fallback = false;
  std::string error;
  size_t logs = 0;  // logs followed from it
};

// One log, as this process saw it since it started.
struct LogRuntimeMetrics {
  std::string description;
  bool watched = false;           // followed by the running daemon (health checks it)
  uint64_t entries = 0;           // entries read and proven
  double entries_per_second = 0;  // over the current (or last) round that read entries
  int64_t last_progress_ms = 0;   // when entries were last proven (a long catch-up is alive)
  int64_t caught_up_ms = 0;       // when a round last ended at the head: behind only since then
  std::map<std::string, uint64_t> errors;  // failed rounds by kind (ErrorKind)
  uint64_t http_429 = 0;                   // failed rounds that ended on HTTP 429 (rate limited)
  uint64_t requests = 0;                   // HTTP attempts of every reader, retries included
  uint64_t retries = 0;
};

class MonitorMetrics {
 public:
  struct Snapshot {
    LogListStatus log_list;
    std::map<std::string, LogRuntimeMetrics> logs;  // by log URL
    int64_t started_ms = 0;
  };

  MonitorMetrics();

  void SetLogList(LogListStatus status);
  // The daemon follows this log: health requires it to be reached recently.
  void WatchLog(const std::string& url, const std::string& description);
  // Exactly these logs (url, description) are followed from now on: a new log list replaces
  // the set at once, so health never sees an empty set in between.
  void SetWatched(const std::vector<std::pair<std::string, std::string>>& logs);
  // `count` more entries proven; the round so far read `round_entries` in `round_elapsed_ms`.
  void AddEntries(const std::string& url, uint64_t count, uint64_t round_entries,
                  int64_t round_elapsed_ms);
  // A round ended with every entry of the head proven.
  void SetCaughtUp(const std::string& url, int64_t now_ms);
  // A round that failed with `error`, counted under ErrorKind(error).
  void CountError(const std::string& url, const Error& error);
  // The log's readers' own counters (LogReader::http_stats, cumulative; the latest value wins).
  void SetRequestCounts(const std::string& url, uint64_t requests, uint64_t retries);

  Snapshot snapshot() const;

  // A short, stable label for an error: "http_429", "http_5xx", "http_4xx", "not_found",
  // "network" (transport failures, timeouts), "malformed", "verification", "storage", "other".
  static std::string ErrorKind(const Error& error);

 private:
  mutable std::mutex mutex_;
  Snapshot data_;
};

}  // namespace ctkit
