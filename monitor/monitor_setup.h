// Everything `ctkit monitor` does before it follows the first log (docs/monitor.md, "Start-up
// checks"): its settings checked, its files loaded, its database locked and opened, its sinks
// made and its HTTP side started, so that a set-up that cannot work is refused at once with one
// clear line instead of failing later.
//
//   MonitorSettings settings{.watchlist = "watch.txt", .db = "m.db"};
//   Result<std::unique_ptr<MonitorSetup>> setup = SetUpMonitor(settings, console);
//   Result<MonitorRunResult> run = RunMonitor(**setup, console, stop, reload);  // monitor_run.h

#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/pid_lock.h"
#include "monitor/expectations.h"
#include "monitor/health.h"
#include "monitor/health_events.h"
#include "monitor/monitor_config.h"
#include "monitor/monitor_console.h"
#include "monitor/monitor_daemon.h"
#include "monitor/monitor_http.h"
#include "monitor/monitor_log_list.h"
#include "monitor/monitor_metrics.h"
#include "monitor/monitor_sinks.h"
#include "monitor/monitor_store.h"
#include "monitor/watchlist.h"

namespace ctkit {

// The monitor's settings, as its flags give them (docs/ctkit.md, "monitor").
struct MonitorSettings {
  std::string watchlist;                 // required
  std::string db;                        // required
  std::string log_list;                  // "": the published list (monitor/monitor_log_list.h)
  std::vector<std::string> inventories;  // reloaded on `reload`
  std::string config;                    // per-log overrides (monitor/monitor_config.h)
  bool start_at_end = false;
  bool once = false;
  SinkSettings sinks;
  double poll_seconds = 60;
  double sct_grace_seconds = 3600;
  double refresh_hours = 24;  // between log list loads (daemon mode)
  uint64_t chunk_size = 16384;
  std::string http;  // ADDR:PORT of the HTTP side; "": none
  std::vector<std::string> http_allow_hosts;
  double health_max_age_seconds = 0;  // 0: 3 poll intervals, at least 300 s
  uint64_t health_max_backlog = 100000;
  double heartbeat_hours = 0;       // 0: no heartbeat
  std::string stall_after = "15m";  // base/duration.h
  std::string error_repeat = "24h";
  bool allow_empty_watchlist = false;
  std::string user_agent = "ctkit";  // of every request to a log
};

// What a run needs, ready. Owns the database lock for as long as it lives.
struct MonitorSetup {
  MonitorSettings settings;  // the webhook URL resolved (ResolveWebhookSecret)
  Watchlist watchlist;
  Expectations expectations;
  MonitorConfig config;
  std::optional<MonitorLogList> list;  // the log list of the next round
  std::optional<PidLock> lock;         // one monitor per database
  std::unique_ptr<MonitorStore> store;
  std::vector<NamedSink> sinks;
  MonitorMetrics metrics;
  HealthOptions health;  // what /healthz and the `error` events check (monitor/health.h)
  std::optional<HealthEvents> health_events;
  std::unique_ptr<MonitorHttpServer> http;  // nullptr without settings.http
};

// What /healthz and the `error` events check (monitor/health.h), from the settings: a log
// unreachable for --health-max-age (default 3 poll intervals, at least 300 s), stalled for
// --stall-after, more than --health-max-backlog behind; a log list older than two refresh
// intervals. A problem becomes an `error` event once it has lasted a minute (less when
// --stall-after is shorter), and again every --error-repeat.
struct MonitorHealth {
  HealthOptions checks;
  HealthEventOptions events;
};
// Errors: kInvalidArgument naming --stall-after or --error-repeat when it is not a duration
// above 0.
Result<MonitorHealth> HealthFromSettings(const MonitorSettings& settings);

// Every log in `list` that a --config entry names, or kInvalidArgument naming the first one that
// is not there: its settings would silently do nothing.
Result<void> CheckConfigLogs(const MonitorConfig& config, const LogList& list,
                             const std::string& config_path);

// Checks, loads and starts, in this order, stopping at the first failure: --watchlist and --db
// given, the health settings, the watchlist (empty only with allow_empty_watchlist), the
// inventories, the database's directory writable, the webhook secret, the sinks, --config, the
// log list (said through console.say when it falls back), --config's logs in it, the database
// lock and the database, then the HTTP side. Errors name the flag or file; kNetwork or
// kTooLarge only when the log list could not be fetched.
Result<std::unique_ptr<MonitorSetup>> SetUpMonitor(const MonitorSettings& settings,
                                                   const MonitorConsole& console);

}  // namespace ctkit
