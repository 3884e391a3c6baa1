// The log list the monitor follows (docs/monitor.md, "What it trusts and what it proves"): the
// list --log-list names, or the published list (its signature checked, merged with the lists
// compiled into ctkit: logclient/log_list_source.h), with the compiled-in lists as the fallback
// when the published one cannot be fetched or verified. Loaded at start-up and at every
// --log-list-refresh.
//
//   Result<MonitorLogList> list = LoadMonitorLogList(flags.log_list, say);
//   metrics.SetLogList(list->Status(followed, UnixNowMs()));
//   say(list->FollowingLine(followed, UnixNowMs()));

#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "base/error.h"
#include "ct/log_list.h"
#include "logclient/log_list_source.h"
#include "monitor/monitor_metrics.h"

namespace ctkit {

// The published v3 list (Chrome's).
inline constexpr const char* kPublicLogListUrl =
    "https://www.gstatic.com/ct/log_list/v3/log_list.json";

// Loads a list from a source as --log-list names one (logclient/log_list_source.h LoadLogList;
// tests give another).
using LogListLoader = std::function<Result<LogList>(const std::string& source)>;

struct MonitorLogList {
  LogList list;
  std::string source;    // --log-list as given; "" for the published list
  std::string fallback;  // why the compiled-in snapshot stands in for the published list, or ""

  // A list the user gave: its logs without a state are followed (monitor/followed_logs.h).
  bool users_list() const { return !source.empty(); }
  // For the metrics and /healthz: where the list came from, when, how many logs it gave.
  LogListStatus Status(size_t followed, int64_t now_ms) const;
  // "following 2 of the 5 logs of the published log list (version 7, 2026-01-02, 3 days old)";
  // the version is the list's (made TerminalSafe).
  std::string FollowingLine(size_t followed, int64_t now_ms) const;
};

// `source` through `load`, or with `source` empty the published list, falling back to the
// snapshot: the reason is then in `fallback` and said through `say` at once. Errors are
// `load`'s (kNetwork, kTooLarge: a URL could not be fetched).
Result<MonitorLogList> LoadMonitorLogList(const std::string& source,
                                          const std::function<void(const std::string&)>& say,
                                          const LogListLoader& load = LoadLogList);

}  // namespace ctkit
