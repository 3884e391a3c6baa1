#include "monitor/monitor_run.h"

#include <chrono>
#include <span>
#include <thread>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/plural.h"
#include "monitor/followed_logs.h"

namespace ctkit {
namespace {

MonitorOptions DaemonOptions(MonitorSetup& setup, const MonitorConsole& console) {
  const MonitorSettings& settings = setup.settings;
  MonitorOptions options;
  options.once = settings.once;
  options.poll_interval_ms = static_cast<int64_t>(settings.poll_seconds * 1000);
  options.tailer.chunk_size = settings.chunk_size;
  options.tailer.start_at_end = settings.start_at_end;
  options.tailer.sct_grace_ms = static_cast<int64_t>(settings.sct_grace_seconds * 1000);
  options.tailer.alert_expected = settings.sinks.alert_expected;
  options.metrics = &setup.metrics;
  options.heartbeat_interval_ms = static_cast<int64_t>(settings.heartbeat_hours * 3.6e6);
  options.health = setup.health;
  options.health_events = &*setup.health_events;
  options.on_progress = console.progress;
  options.on_message = console.say;
  return options;
}

// The log list loaded again for a new round. A log --config names that left the list is said:
// its overrides no longer apply.
Result<void> ReloadLogList(MonitorSetup& setup, const MonitorConsole& console) {
  const MonitorSettings& settings = setup.settings;
  ASSIGN_OR_RETURN(setup.list, LoadMonitorLogList(settings.log_list, console.say));
  if (Result<void> known = CheckConfigLogs(setup.config, setup.list->list, settings.config);
      !known) {
    console.say(known.error().message);
  }
  return {};
}

// The logs this round follows, said and recorded in the metrics.
Result<std::vector<MonitoredLogSpec>> FollowedThisRound(MonitorSetup& setup,
                                                        const MonitorConsole& console) {
  const MonitorLogList& list = *setup.list;
  FollowedLogs followed =
      FollowedLogSpecs(list.list, setup.config, list.users_list(), setup.settings.user_agent);
  std::vector<std::pair<std::string, std::string>> watched;
  for (const MonitoredLogSpec& spec : followed.specs)
    watched.emplace_back(spec.url, spec.description);
  setup.metrics.SetWatched(watched);
  setup.metrics.SetLogList(list.Status(followed.specs.size(), UnixNowMs()));
  for (const std::string& notice : followed.notices) console.say(notice);
  if (followed.specs.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "no log to monitor in the log list");
  }
  console.say(list.FollowingLine(followed.specs.size(), UnixNowMs()));
  return std::move(followed.specs);
}

// On SIGHUP: the inventories read again, for this round's daemon and the next rounds'.
void ReloadInventories(MonitorSetup& setup, MonitorDaemon& daemon, const MonitorConsole& console) {
  Result<Expectations> reloaded = Expectations::Load(setup.settings.inventories);
  if (!reloaded) {
    console.say("reload failed, keeping the old inventories: " + reloaded.error().message);
    return;
  }
  setup.expectations = *reloaded;
  daemon.SetExpectations(std::move(*reloaded));
  console.say("inventories reloaded");
}

// One round: the daemon over `specs` until `stop`, the end of a --once round, or the log list
// is due for a refresh.
Result<MonitorSummary> RunRound(MonitorSetup& setup, std::vector<MonitoredLogSpec> specs,
                                const MonitorOptions& options, const MonitorConsole& console,
                                std::atomic<bool>& stop, std::atomic<bool>& reload) {
  const Watchlist& watchlist = setup.watchlist;
  MonitorDaemon daemon(
      *setup.store, std::move(specs),
      [&watchlist](std::span<const std::string> names) { return watchlist.Match(names); },
      setup.expectations, setup.sinks, options);
  std::atomic<bool> round_stop{false};
  std::atomic<bool> round_done{false};
  auto refresh_at =
      std::chrono::steady_clock::now() +
      std::chrono::milliseconds(static_cast<int64_t>(setup.settings.refresh_hours * 3.6e6));
  std::thread watcher([&] {
    while (!round_done.load()) {
      if (stop.load()) round_stop = true;
      if (!options.once && std::chrono::steady_clock::now() >= refresh_at) round_stop = true;
      if (reload.exchange(false)) ReloadInventories(setup, daemon, console);
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  });
  Result<MonitorSummary> summary = daemon.Run(round_stop);
  round_done = true;
  watcher.join();
  return summary;
}

}  // namespace

Result<MonitorRunResult> RunMonitor(MonitorSetup& setup, const MonitorConsole& console,
                                    std::atomic<bool>& stop, std::atomic<bool>& reload) {
  MonitorOptions options = DaemonOptions(setup, console);
  MonitorRunResult result;
  for (bool first = true;; first = false) {
    if (!first) RETURN_IF_ERROR(ReloadLogList(setup, console));
    ASSIGN_OR_RETURN(std::vector<MonitoredLogSpec> specs, FollowedThisRound(setup, console));
    Result<MonitorSummary> summary =
        RunRound(setup, std::move(specs), options, console, stop, reload);
    if (console.round_ended) console.round_ended();
    if (!summary) {
      result.round_failure = summary.error();
      return result;
    }
    result.total.entries += summary->entries;
    result.total.new_alerts += summary->new_alerts;
    result.total.logs_failed += summary->logs_failed;
    result.total.deliveries_failed += summary->deliveries_failed;
    result.total.undelivered = summary->undelivered;  // the store's state at the round's end
    if (setup.settings.once || stop.load()) break;
  }
  return result;
}

std::string MonitorSummaryLine(const MonitorSummary& total) {
  std::string line = Count(total.entries, "entry", "entries") + " proven, " +
                     Count(total.new_alerts, "new alert") + ", " + Count(total.logs_failed, "log") +
                     " failed";
  for (const SinkDeliveries& sink : total.undelivered) {
    line += "; " + sink.sink + ": " + Count(sink.pending, "alert") + " pending delivery, " +
            std::to_string(sink.failed) + " failed";
  }
  return line;
}

}  // namespace ctkit
