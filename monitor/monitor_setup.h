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
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/pid_lock.h"
#include "monitor/config_dir.h"
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
  std::string config_dir;                // --config-dir; "": looked up (monitor/config_dir.h)
  std::string watchlist;                 // required ("-": standard input); ApplyConfigDir fills it
  std::string db;                        // required; ApplyConfigDir fills it
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

// What ApplyConfigDir completes the settings for.
enum class ConfigDirUse {
  kMonitor,    // the daemon: a watchlist is needed, the database defaults to STATE_DIR/monitor.db
  kTestAlert,  // `monitor test-alert`: only the sinks; --db is used only when given
};

// Completes `settings` from the configuration directory (monitor/config_dir.h, chosen from
// settings.config_dir and `env`) before SetUpMonitor or SendTestAlert: the hooks of hooks.d and
// the addresses of email_recipients added to the sinks the flags configured
// (AppendConfigDirSinks), and for kMonitor CONFIG_DIR/watchlist when no --watchlist was given
// and STATE_DIR/monitor.db when no --db was given (the state directory made, mode 0700, when
// missing). `warn` gets one line for each hooks.d entry skipped. Errors: ReadConfigDir's,
// MakeStateDir's, and for kMonitor, kInvalidArgument when there is no --watchlist and no
// CONFIG_DIR/watchlist either, naming where it was looked for.
Result<void> ApplyConfigDir(MonitorSettings& settings, const ConfigDirEnvironment& env,
                            ConfigDirUse use, const std::function<void(const std::string&)>& warn);

// Where `monitor query` and `monitor status` find the database.
struct ReadDatabaseFlags {
  std::string db;          // --db
  std::string config_dir;  // --config-dir
};

// The database `monitor query` and `monitor status` read: --db when given, else
// STATE_DIR/monitor.db as the daemon would use it (monitor/config_dir.h, from --config-dir and
// `env`). kInvalidArgument when neither --db nor any state directory names one; that the file
// exists is OpenMonitorDatabase's check (monitor/monitor_report.h).
Result<std::string> MonitorDatabaseToRead(const ReadDatabaseFlags& flags,
                                          const ConfigDirEnvironment& env);

// The hooks.d programs and email_recipients addresses of `contents` as sinks, appended to those
// the flags gave (--script, --email): each program runs as a hook, with the environment of
// --script; the addresses get the alerts by email.
void AppendConfigDirSinks(const ConfigDirContents& contents, SinkSettings& sinks);

// The command `/bin/sh -c` runs for a hook program at `path`, with no arguments: the path as
// one shell word (as it is when it holds only [A-Za-z0-9_/.,:=@%+-], else single-quoted), so a
// hooks.d name with spaces, quotes or `$` in it runs that file and nothing else.
std::string HookCommandForProgram(const std::string& path);

// Checks, loads and starts, in this order, stopping at the first failure: --watchlist and --db
// given, the health settings, the watchlist (empty only with allow_empty_watchlist), the
// inventories, the database's directory writable, the webhook secret, the sinks, --config, the
// log list (said through console.say when it falls back), --config's logs in it, the database
// lock and the database, then the HTTP side. Errors name the flag or file; kNetwork or
// kTooLarge only when the log list could not be fetched.
Result<std::unique_ptr<MonitorSetup>> SetUpMonitor(const MonitorSettings& settings,
                                                   const MonitorConsole& console);

}  // namespace ctkit
