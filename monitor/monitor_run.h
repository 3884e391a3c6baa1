// The monitor's run, after SetUpMonitor (monitor/monitor_setup.h): rounds of MonitorDaemon
// (monitor/monitor_daemon.h) over the logs the log list says to follow
// (monitor/followed_logs.h). A round ends on `stop`, or when the log list is due for a refresh
// (--log-list-refresh; daemon mode), and the next one starts from the list loaded again. With
// --once, one round catches every log up and the run ends.
//
//   std::atomic<bool> stop{false}, reload{false};       // set from SIGTERM and SIGHUP handlers
//   Result<MonitorRunResult> run = RunMonitor(setup, console, stop, reload);
//   if (!run) ...                  // the log list (kNetwork: it could not be fetched)
//   if (run->round_failure) ...    // the daemon failed (its database)
//   console.say(MonitorSummaryLine(run->total));
//
// `reload` asks for the inventories to be read again (SIGHUP): the run clears it, says
// "inventories reloaded", or keeps the old ones and says why.

#pragma once

#include <atomic>
#include <optional>
#include <string>

#include "base/error.h"
#include "monitor/monitor_console.h"
#include "monitor/monitor_daemon.h"
#include "monitor/monitor_setup.h"

namespace ctkit {

struct MonitorRunResult {
  MonitorSummary total;  // over every round; `undelivered` as the last round left it
  // A round of the daemon failed (its database could not be read): the run stopped there.
  std::optional<Error> round_failure;
};

// Runs rounds until `stop`, or until the round of a --once run ends. Each round says which logs
// it follows, and those it leaves out, through console.say. Errors: the log list's when loading
// it again fails (kNetwork or kTooLarge when it could not be fetched); kInvalidArgument "no log
// to monitor in the log list" when it names none to follow.
Result<MonitorRunResult> RunMonitor(MonitorSetup& setup, const MonitorConsole& console,
                                    std::atomic<bool>& stop, std::atomic<bool>& reload);

// "12 entries proven, 1 new alerts, 0 logs failed", and per sink with alerts not delivered
// "; webhook: 2 alerts pending delivery, 0 failed".
std::string MonitorSummaryLine(const MonitorSummary& total);

}  // namespace ctkit
