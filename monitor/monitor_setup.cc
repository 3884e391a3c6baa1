#include "monitor/monitor_setup.h"

#include <algorithm>
#include <utility>

#include "base/duration_flag.h"
#include "monitor/monitor_http_setup.h"
#include "monitor/startup_checks.h"

namespace ctkit {
namespace {

// The watchlist (refused when it watches nothing, unless allowed) and the inventories.
Result<void> LoadWatchedNames(MonitorSetup& setup) {
  const MonitorSettings& settings = setup.settings;
  ASSIGN_OR_RETURN(setup.watchlist, Watchlist::Load(settings.watchlist));
  if (setup.watchlist.empty() && !settings.allow_empty_watchlist) {
    const std::string name =
        settings.watchlist == "-" ? "the watchlist on standard input" : settings.watchlist;
    return MakeError(ErrorCode::kInvalidArgument,
                     name +
                         " watches no name (empty, or only comments); --allow-empty-watchlist "
                         "to run without one");
  }
  ASSIGN_OR_RETURN(setup.expectations, Expectations::Load(settings.inventories));
  return {};
}

// --config, and the log list with every log --config names in it.
Result<void> LoadLogs(MonitorSetup& setup, const MonitorConsole& console) {
  const MonitorSettings& settings = setup.settings;
  if (!settings.config.empty()) {
    ASSIGN_OR_RETURN(setup.config, MonitorConfig::Load(settings.config));
  }
  // Before anything starts (the HTTP side included), so that a --config naming a log that is
  // not in it is refused first.
  ASSIGN_OR_RETURN(setup.list, LoadMonitorLogList(settings.log_list, console.say));
  return CheckConfigLogs(setup.config, setup.list->list, settings.config);
}

// One monitor per database: two would fetch the same logs and race to deliver the same alerts.
Result<void> OpenDatabase(MonitorSetup& setup) {
  const std::string& db = setup.settings.db;
  Result<PidLock> lock = PidLock::Acquire(db + ".lock");
  if (!lock) {
    bool in_use = lock.error().code == ErrorCode::kInvalidArgument;
    return std::unexpected(
        WithContext(lock.error(), "--db " + db + (in_use ? " is in use by another monitor" : "")));
  }
  setup.lock.emplace(std::move(*lock));
  ASSIGN_OR_RETURN(setup.store, MonitorStore::Open(db));
  return {};
}

Result<void> StartHttp(MonitorSetup& setup, const MonitorConsole& console) {
  if (setup.settings.http.empty()) return {};
  MonitorHttpOptions options{.health = setup.health, .watch_items = setup.watchlist.items()};
  ASSIGN_OR_RETURN(setup.http,
                   StartMonitorHttp(setup.settings.http, setup.settings.http_allow_hosts, options,
                                    *setup.store, setup.metrics, console));
  return {};
}

}  // namespace

std::string HookCommandForProgram(const std::string& path) {
  constexpr std::string_view kPlain =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_/.,:=@%+-";
  if (!path.empty() && path.find_first_not_of(kPlain) == std::string::npos) return path;
  std::string quoted = "'";
  for (char c : path) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

void AppendConfigDirSinks(const ConfigDirContents& contents, SinkSettings& sinks) {
  for (const std::string& program : contents.hook_programs) {
    sinks.scripts.push_back(HookCommandForProgram(program));
  }
  sinks.emails.insert(sinks.emails.end(), contents.email_recipients.begin(),
                      contents.email_recipients.end());
}

Result<void> ApplyConfigDir(MonitorSettings& settings, const ConfigDirEnvironment& env,
                            ConfigDirUse use, const std::function<void(const std::string&)>& warn) {
  ASSIGN_OR_RETURN(ConfigDirContents contents, ReadConfigDir(settings.config_dir, env));
  for (const std::string& line : contents.warnings) warn(line);
  AppendConfigDirSinks(contents, settings.sinks);
  // A test alert writes no database: a default one would only make a directory for nothing.
  if (use == ConfigDirUse::kTestAlert) return {};
  if (settings.watchlist.empty()) settings.watchlist = contents.watchlist_path;
  if (settings.watchlist.empty()) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        contents.config_dir.empty()
            ? "--watchlist is required (no --config-dir, $CTKIT_CONFIG_DIR or $HOME)"
            : "--watchlist is required: " + contents.config_dir + "/watchlist does not exist");
  }
  if (settings.db.empty() && !contents.state_dir.empty()) {
    RETURN_IF_ERROR(MakeStateDir(contents.state_dir));
    settings.db = contents.state_dir + "/monitor.db";
  }
  return {};
}

Result<std::string> MonitorDatabaseToRead(const ReadDatabaseFlags& flags,
                                          const ConfigDirEnvironment& env) {
  if (!flags.db.empty()) return flags.db;
  const std::string state_dir = ChooseStateDir(ChooseConfigDir(flags.config_dir, env).dir, env);
  if (state_dir.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "--db is required (no --config-dir, $CTKIT_STATE_DIR, $CTKIT_CONFIG_DIR or "
                     "$HOME names a state directory)");
  }
  return state_dir + "/monitor.db";
}

Result<MonitorHealth> HealthFromSettings(const MonitorSettings& settings) {
  ASSIGN_OR_RETURN(int64_t stall_after,
                   ParsePositiveDurationMs("--stall-after", settings.stall_after));
  ASSIGN_OR_RETURN(int64_t error_repeat,
                   ParsePositiveDurationMs("--error-repeat", settings.error_repeat));
  MonitorHealth health;
  double max_age = settings.health_max_age_seconds > 0 ? settings.health_max_age_seconds
                                                       : std::max(300.0, 3 * settings.poll_seconds);
  health.checks.unreachable_after_ms = static_cast<int64_t>(max_age * 1000);
  health.checks.stall_after_ms = stall_after;
  health.checks.max_backlog = settings.health_max_backlog;
  health.checks.log_list_max_age_ms = static_cast<int64_t>(2 * settings.refresh_hours * 3.6e6);
  // One failed round or a log still being reached at start-up is not worth an alert.
  health.events = {.debounce_ms = std::min<int64_t>(stall_after, 60'000),
                   .repeat_ms = error_repeat};
  return health;
}

Result<void> CheckConfigLogs(const MonitorConfig& config, const LogList& list,
                             const std::string& config_path) {
  std::vector<std::string> unknown = config.UnknownLogs(list.logs());
  if (unknown.empty()) return {};
  return MakeError(
      ErrorCode::kInvalidArgument,
      "--config " + config_path + " names a log that is not in the log list: " + unknown.front());
}

Result<std::unique_ptr<MonitorSetup>> SetUpMonitor(const MonitorSettings& settings,
                                                   const MonitorConsole& console) {
  if (settings.watchlist.empty() || settings.db.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "--watchlist and --db are required");
  }
  auto setup = std::make_unique<MonitorSetup>();
  setup->settings = settings;
  ASSIGN_OR_RETURN(MonitorHealth health, HealthFromSettings(settings));
  setup->health = health.checks;
  setup->health_events.emplace(health.events);
  RETURN_IF_ERROR(LoadWatchedNames(*setup));
  // The database first: the sink checks may create the default DB.certs directory.
  RETURN_IF_ERROR(CheckWritableDatabase(settings.db));
  RETURN_IF_ERROR(ResolveWebhookSecret(setup->settings.sinks));
  RETURN_IF_ERROR(CheckSinkSettings(setup->settings.sinks, settings.db));
  RETURN_IF_ERROR(LoadLogs(*setup, console));
  RETURN_IF_ERROR(OpenDatabase(*setup));
  setup->sinks = NamedSinks(MakeSinks(setup->settings.sinks, settings.db));
  for (const NamedSink& sink : setup->sinks) setup->health.sinks.push_back(sink.name);
  RETURN_IF_ERROR(StartHttp(*setup, console));
  return setup;
}

}  // namespace ctkit
