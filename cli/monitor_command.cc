// `ctkit monitor`: tail CT logs for watched names (monitor/monitor_setup.h, monitor/monitor_run.h),
// `monitor test-alert` to try the sinks, and `monitor query|status` to read what it stored
// (monitor/monitor_report.h). Exit codes (docs/ctkit.md): 0 nothing to report (and the daemon
// after SIGTERM/SIGINT), 1 an alert was raised in this run, 2 bad usage, unreadable input or a
// set-up that cannot work, 3 a log could not be caught up or an alert is still undelivered
// (--once).

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/progress_board.h"
#include "base/terminal_text.h"
#include "cli/command.h"
#include "monitor/monitor_exit_status.h"
#include "monitor/monitor_report.h"
#include "monitor/monitor_run.h"
#include "monitor/monitor_setup.h"
#include "monitor/monitor_sinks.h"

namespace ctkit::cli {
namespace {

std::atomic<bool> g_stop{false};
std::atomic<bool> g_reload{false};

extern "C" void OnStopSignal(int) { g_stop = true; }
extern "C" void OnReloadSignal(int) { g_reload = true; }

// "ctkit monitor: LINE" on stderr, as one inert line (base/terminal_text.h).
void Say(const std::string& command, const std::string& line) {
  std::fprintf(stderr, "ctkit %s: %s\n", command.c_str(), TerminalSafe(line).c_str());
}

// `body` run with the settings completed from the configuration directory (ApplyConfigDir,
// monitor/monitor_setup.h), or exit 2 with its one line.
int WithConfigDir(const std::string& command, MonitorSettings settings, ConfigDirUse use,
                  int (*body)(const MonitorSettings&)) {
  auto warn = [&command](const std::string& line) { Say(command, line); };
  Result<void> applied = ApplyConfigDir(settings, ConfigDirEnvironment::FromProcess(), use, warn);
  if (!applied) {
    Say(command, applied.error().message);
    return kExitUsage;
  }
  return body(settings);
}

int RunTestAlert(const MonitorSettings& settings) {
  Result<std::vector<TestAlertDelivery>> sent =
      SendTestAlert(settings.sinks, settings.db, UnixNowMs());
  if (!sent) {
    Say("monitor test-alert", sent.error().message);
    return kExitUsage;
  }
  for (const TestAlertDelivery& delivery : *sent) {
    Say("monitor test-alert", TestAlertDeliveryLine(delivery));
  }
  return TestAlertExitStatus(*sent);
}

int RunMonitorDaemon(const MonitorSettings& settings) {
  ProgressBoard board(ProgressBoard::ForDaemon());
  MonitorConsole console;
  console.say = [](const std::string& line) { Say("monitor", line); };
  console.listening = [](const std::string& address) {
    std::fprintf(stderr, "http listening on %s\n", address.c_str());
  };
  console.progress = [&board](const std::string& log, const SyncProgress& progress) {
    board.Update(log, progress.position, progress.tree_size);
  };
  console.round_ended = [&board] { board.Finish(); };
  Result<std::unique_ptr<MonitorSetup>> setup = SetUpMonitor(settings, console);
  // The log list is the only thing the set-up and the rounds fetch: their other errors are
  // usage errors (exit 2).
  if (!setup) {
    console.say(setup.error().message);
    return LogListLoadExitCode(setup.error());
  }
  signal(SIGTERM, OnStopSignal);
  signal(SIGINT, OnStopSignal);
  signal(SIGHUP, OnReloadSignal);
  Result<MonitorRunResult> run = RunMonitor(**setup, console, g_stop, g_reload);
  if (!run || run->round_failure) {
    const Error& error = run ? *run->round_failure : run.error();
    console.say(error.message);
    return run ? kExitLogFailure : LogListLoadExitCode(error);
  }
  if (!isatty(STDOUT_FILENO) || settings.once) console.say(MonitorSummaryLine(run->total));
  return MonitorExitStatus(settings.once, run->total);  // monitor/monitor_exit_status.h
}

// Prints what `report` makes of the monitor's database (--db, else the daemon's default), or
// says why it cannot (exit 2).
int PrintReport(const std::string& command, const ReadDatabaseFlags& flags,
                const std::function<Result<std::string>(MonitorStore&)>& report) {
  Result<std::string> db = MonitorDatabaseToRead(flags, ConfigDirEnvironment::FromProcess());
  auto store = db ? OpenMonitorDatabase(*db) : std::unexpected(db.error());
  Result<std::string> out = store ? report(**store) : std::unexpected(store.error());
  if (!out) {
    PrintJsonError(kExitUsage, command + ": " + out.error().message);
    Say(command, out.error().message);
    return kExitUsage;
  }
  std::fwrite(out->data(), 1, out->size(), stdout);
  return kExitOk;
}

void AddInputFlags(CLI::App* monitor, MonitorSettings& settings) {
  monitor->add_option("--config-dir", settings.config_dir,
                      "Directory laid out as certspotter's: watchlist, hooks.d/, "
                      "email_recipients (default: $CTKIT_CONFIG_DIR, $CONFIGURATION_DIRECTORY, "
                      "~/.ctkit)");
  monitor->add_option("--watchlist", settings.watchlist,
                      "Watched names, one a line: example.com (exact) or .example.com (domain "
                      "and all subdomains); # comments; - reads stdin (default: "
                      "CONFIG_DIR/watchlist)");
  monitor->add_option("--db", settings.db,
                      "SQLite database of positions, heads, findings, alerts (default: "
                      "STATE_DIR/monitor.db; STATE_DIR: $CTKIT_STATE_DIR, $STATE_DIRECTORY, "
                      "CONFIG_DIR/state)");
  monitor->add_option("--log-list", settings.log_list,
                      "Log list v3 FILE or URL (default: the published list, else the "
                      "compiled-in snapshot)");
  monitor->add_option("--inventory", settings.inventories,
                      "Inventory of expected certificates (JSON Lines); repeatable; reloaded "
                      "on SIGHUP");
  monitor->add_option("--config", settings.config,
                      "Per-log overrides (batch_size, requests_per_second), JSON; see "
                      "docs/monitor.md");
  monitor->add_flag("--start-at-end", settings.start_at_end,
                    "Logs seen for the first time start at their current head");
  monitor->add_flag("--once", settings.once,
                    "Catch every log up to its current head, deliver alerts, and exit");
}

void AddSinkFlags(CLI::App* monitor, SinkSettings& sinks) {
  // One value per flag: `--script A B` must not quietly take B as a second hook.
  monitor
      ->add_option("--script", sinks.scripts,
                   "Run this command for each alert, with certspotter's hook environment and "
                   "files (ctkit-hooks(5)); repeatable: every hook runs for every alert")
      ->allow_extra_args(false);
  monitor
      ->add_option("--email", sinks.emails,
                   "Email each alert to ADDRESS through sendmail ($SENDMAIL_PATH, else "
                   "sendmail in PATH, else /usr/sbin/sendmail); repeatable: one email to all")
      ->allow_extra_args(false);
  monitor->add_flag("--alert-expected", sinks.alert_expected,
                    "Alert on certificates an inventory lists too (event expected_cert), as "
                    "certspotter alerts on every certificate it finds");
  CLI::Option* webhook = monitor->add_option(
      "--webhook", sinks.webhook,
      "POST each alert as JSON to this URL (visible in ps: see --webhook-file, --webhook-env)");
  CLI::Option* webhook_file =
      monitor
          ->add_option("--webhook-file", sinks.webhook_file,
                       "Read the --webhook URL (and its secret) from the first line of FILE")
          ->excludes(webhook);
  monitor
      ->add_option("--webhook-env", sinks.webhook_env,
                   "Read the --webhook URL (and its secret) from environment variable VAR")
      ->excludes(webhook)
      ->excludes(webhook_file);
  monitor
      ->add_option("--webhook-timeout", sinks.webhook_timeout,
                   "Longest one delivery to the webhook may take, retries included; a "
                   "webhook that fails is tried again next pass (5s, 30s, 2m)")
      ->capture_default_str();
  monitor->add_flag("--stdout", sinks.stdout_sink,
                    "Print each alert as a JSON line (the default when no other sink is set)");
  monitor->add_option("--cert-dir", sinks.cert_dir,
                      "Where the hooks' CERT_FILENAME, JSON_FILENAME and TEXT_FILENAME files go "
                      "(default: DB.certs)");
}

void AddPacingFlags(CLI::App* monitor, MonitorSettings& settings) {
  monitor
      ->add_option("--poll-interval", settings.poll_seconds,
                   "Seconds between tree head checks of a log")
      ->capture_default_str()
      ->check(CLI::Range(0.05, 86400.0));
  monitor
      ->add_option("--sct-grace", settings.sct_grace_seconds,
                   "Seconds after a log's MMD before a missing inventory SCT entry alerts")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1e9));
  monitor
      ->add_option("--log-list-refresh", settings.refresh_hours,
                   "Hours between log list refreshes (daemon mode)")
      ->capture_default_str()
      ->check(CLI::Range(0.01, 1e6));
  monitor->add_option("--chunk-size", settings.chunk_size, "Entries proven and committed together")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 24));
}

void AddHealthFlags(CLI::App* monitor, MonitorSettings& settings) {
  monitor->add_option("--http", settings.http,
                      "Serve /healthz, /metrics, the findings page and /api on ADDR:PORT "
                      "(e.g. 127.0.0.1:8080; port 0 picks a free one)");
  monitor->add_option("--http-allow-host", settings.http_allow_hosts,
                      "A host name the HTTP side answers to, besides IP addresses and localhost "
                      "(the name a reverse proxy passes on); repeatable. Other Host headers get "
                      "403 (DNS rebinding)");
  monitor
      ->add_option("--health-max-age", settings.health_max_age_seconds,
                   "/healthz fails when a log was not reached for this many seconds "
                   "(default: 3 poll intervals, at least 300)")
      ->check(CLI::Range(0.0, 1e9));
  monitor
      ->add_option("--health-max-backlog", settings.health_max_backlog,
                   "/healthz fails when a log is more entries behind than this")
      ->capture_default_str();
  monitor
      ->add_option("--heartbeat", settings.heartbeat_hours,
                   "Send a heartbeat alert (event \"heartbeat\") through every sink every "
                   "HOURS, as proof of life")
      ->check(CLI::Range(0.0, 1e6));
  monitor
      ->add_option("--stall-after", settings.stall_after,
                   "A log behind its head with no entry proven for this long is stalled: "
                   "/healthz fails and an error event goes through every sink (90, 30s, 15m, "
                   "2h)")
      ->capture_default_str();
  monitor
      ->add_option("--error-repeat", settings.error_repeat,
                   "Repeat the error event of a problem that lasts, this often")
      ->capture_default_str();
  monitor->add_flag("--allow-empty-watchlist", settings.allow_empty_watchlist,
                    "Run even when the watchlist names nothing (only inventories are checked)");
}

void AddDatabaseFlags(CLI::App* command, ReadDatabaseFlags& flags) {
  command->add_option("--db", flags.db, "The monitor's database (default: STATE_DIR/monitor.db)");
  command->add_option("--config-dir", flags.config_dir, "Read CONFIG_DIR's STATE_DIR/monitor.db");
}

void AddReadCommands(CLI::App* monitor, Action& run) {
  auto db = std::make_shared<ReadDatabaseFlags>();
  auto query = std::make_shared<FindingQuery>();
  auto format = std::make_shared<std::string>("text");
  CLI::App* query_command = monitor->add_subcommand("query", "List findings stored by the monitor");
  AddDatabaseFlags(query_command, *db);
  query_command->add_option("--domain", query->domain,
                            "Only certificates for this name or names under it");
  query_command->add_flag("--unexpected", query->unexpected_only,
                          "Only certificates no inventory lists");
  AddFormatFlag(query_command, *format, JsonStyle::kLine);
  query_command->callback([&run, db, query, format] {
    run = [=] {
      return PrintReport("monitor query", *db, [&](MonitorStore& store) {
        return FindingsReport(store, *query, *format == "json");
      });
    };
  });
  CLI::App* status_command =
      monitor->add_subcommand("status", "Show each log's position, lag and last error");
  AddDatabaseFlags(status_command, *db);
  AddFormatFlag(status_command, *format);
  status_command->callback([&run, db, format] {
    run = [=] {
      return PrintReport("monitor status", *db, [&](MonitorStore& store) {
        return StatusReport(store, *format == "json", UnixNowMs());
      });
    };
  });
}

}  // namespace

void AddMonitorCommand(CLI::App& app, Action& run) {
  CLI::App* monitor = app.add_subcommand(
      "monitor", "Tail CT logs, prove every entry, and alert on unexpected certificates");
  auto settings = std::make_shared<MonitorSettings>();
  settings->user_agent = "ctkit/" CTKIT_VERSION;
  AddInputFlags(monitor, *settings);
  AddSinkFlags(monitor, settings->sinks);
  AddPacingFlags(monitor, *settings);
  AddHealthFlags(monitor, *settings);
  monitor->require_subcommand(0, 1);
  AddReadCommands(monitor, run);
  // Sink flags may come before or after the subcommand name (fallthrough to `monitor`).
  CLI::App* test_alert = monitor->add_subcommand(
      "test-alert",
      "Send a test alert (event \"test\") through every configured sink: the monitor's "
      "--stdout, --script, --email, --webhook (or --webhook-file, --webhook-env) and "
      "--cert-dir, given "
      "before or after test-alert");
  test_alert->fallthrough();
  test_alert->callback([&run, settings] {
    run = [settings] {
      return WithConfigDir("monitor test-alert", *settings, ConfigDirUse::kTestAlert, RunTestAlert);
    };
  });
  monitor->callback([&run, monitor, settings] {
    if (!monitor->get_subcommands().empty()) return;  // a subcommand set `run`
    run = [settings] {
      return WithConfigDir("monitor", *settings, ConfigDirUse::kMonitor, RunMonitorDaemon);
    };
  });
}

}  // namespace ctkit::cli
