// Which logs of a log list the monitor follows, and how it reaches each (docs/monitor.md, "What
// it trusts and what it proves"):
//
//   FollowedLogs followed = FollowedLogSpecs(list, config, /*users_list=*/true, "ctkit/1.0");
//   for (const std::string& notice : followed.notices) ... say it (a log left out, and why)
//   MonitorDaemon daemon(store, std::move(followed.specs), ...);
//
// A log with a state is followed when it can be relied on now: usable, qualified or read-only
// (not pending, rejected or retired), whatever the list. A log without a state is followed only
// from a list the user gave (--log-list: local and monitoring-only logs); in the published list
// and the compiled-in snapshot it is a retired test log. An RFC 6962 log is read at its `url`, a
// static-ct-api log (`tiled_logs`) at its `monitoring_url`, with its checkpoint origin taken from
// its `submission_url`. Each log's settings are the --config overrides for it
// (MonitorConfig::For, monitor/monitor_config.h).

#pragma once

#include <string>
#include <vector>

#include "ct/log_list.h"
#include "monitor/monitor_config.h"
#include "monitor/monitor_daemon.h"

namespace ctkit {

// Whether the monitor follows `log` (the rule above); `users_list`: the list came from
// --log-list.
bool IsFollowed(const LogInfo& log, bool users_list);

struct FollowedLogs {
  std::vector<MonitoredLogSpec> specs;  // in list order
  // Followed logs left out, one line each ("DESCRIPTION: unusable key: ..."); the description
  // is the list's (untrusted).
  std::vector<std::string> notices;
};

// The logs of `list` to follow, each with its reader factory and the overrides `config` has for
// it; `user_agent` goes with every request.
FollowedLogs FollowedLogSpecs(const LogList& list, const MonitorConfig& config, bool users_list,
                              const std::string& user_agent);

}  // namespace ctkit
