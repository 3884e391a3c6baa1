// Per-log overrides for the monitor (`ctkit monitor --config FILE`), because operators throttle
// differently:
//
//   {"defaults": {"batch_size": 256, "requests_per_second": 0, "parallel_downloads": 2,
//                 "max_retries": 3, "timeout_seconds": 60},
//    "logs": {"https://ct.example/2026h1/": {"batch_size": 32, "requests_per_second": 2},
//             "Example 'Argon' log": {"batch_size": 1024}}}
//
// A log is named as MatchLogName (ct/log_list.h) says: by its URL, its description or its base64
// log ID. Unknown keys are errors, so a
// typo does not silently do nothing.

#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "ct/log_key.h"
#include "ct/log_list.h"

namespace ctkit {

inline constexpr uint64_t kMaxParallelDownloads = 16;

struct LogOverrides {
  std::optional<uint64_t> batch_size;          // get-entries batch (1..100000)
  std::optional<double> requests_per_second;   // 0: no cap; for all the log's connections
  std::optional<unsigned> parallel_downloads;  // connections downloading entries (1..16)
  std::optional<int> max_retries;              // retries of a failed request (0..10)
  std::optional<double> timeout_seconds;       // per request attempt, transfer included (> 0)
};

class MonitorConfig {
 public:
  MonitorConfig() = default;
  static Result<MonitorConfig> Parse(std::string_view json);
  static Result<MonitorConfig> Load(const std::string& path);

  // The defaults, overridden by the `logs` entry naming this log (MatchLogName, ct/log_list.h:
  // by URL, description or log ID; the strongest match wins).
  LogOverrides For(const LogInfo& log) const;

  // The names of `logs` entries that name none of `known` (a typo, or a log not in the list):
  // the monitor refuses to start with them, since their settings would silently do nothing.
  std::vector<std::string> UnknownLogs(std::span<const LogInfo> known) const;

 private:
  LogOverrides defaults_;
  std::map<std::string, LogOverrides> logs_;
};

}  // namespace ctkit
