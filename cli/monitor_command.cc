// `ctkit monitor`: tail CT logs for watched names (monitor/), and `monitor query|status` to read
// what it stored. Exit codes (docs/ctkit.md): 0 nothing to report (and the daemon after
// SIGTERM/SIGINT), 1 an alert was raised in this run, 2 bad usage, unreadable input or a set-up
// that cannot work, 3 a log could not be caught up or an alert is still undelivered (--once).

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <atomic>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/bytes.h"
#include "base/clock.h"
#include "base/duration.h"
#include "base/pid_lock.h"
#include "base/terminal_text.h"
#include "cli/command.h"
#include "cli/log_list_source.h"
#include "cli/progress.h"
#include "cli/secret_input.h"
#include "ct/log_client.h"
#include "ct/static_log_client.h"
#include "ct/rfc3339.h"
#include "monitor/alert_sink.h"
#include "monitor/alerts.h"
#include "monitor/expectations.h"
#include "monitor/health.h"
#include "monitor/health_events.h"
#include "monitor/monitor_config.h"
#include "monitor/monitor_daemon.h"
#include "monitor/monitor_http.h"
#include "monitor/monitor_metrics.h"
#include "monitor/monitor_store.h"
#include "monitor/startup_checks.h"
#include "monitor/watchlist.h"

namespace ctkit::cli {
namespace {

// The published v3 list (Chrome's); fetched at start and every refresh, the snapshot otherwise.
constexpr const char* kPublicLogListUrl = "https://www.gstatic.com/ct/log_list/v3/log_list.json";

std::atomic<bool> g_stop{false};
std::atomic<bool> g_reload{false};

extern "C" void OnStopSignal(int) { g_stop = true; }
extern "C" void OnReloadSignal(int) { g_reload = true; }

struct MonitorFlags {
  std::string watchlist;
  std::string db;
  std::string log_list;
  std::vector<std::string> inventories;
  std::string config;
  bool start_at_end = false;
  bool once = false;
  std::string script;
  std::string webhook;
  std::string webhook_file;  // --webhook-file: the URL from a file's first line
  std::string webhook_env;   // --webhook-env: the URL from an environment variable
  std::string webhook_timeout = "30s";  // one delivery, retries included
  bool stdout_sink = false;
  std::string cert_dir;
  double poll_seconds = 60;
  double sct_grace_seconds = 3600;
  double refresh_hours = 24;
  uint64_t chunk_size = 16384;
  std::string http;                 // ADDR:PORT of the HTTP side; empty: none
  std::vector<std::string> http_allow_hosts;  // Host names the HTTP side answers to
  double health_max_age_seconds = 0;  // 0: 3 poll intervals, at least 300 s
  uint64_t health_max_backlog = 100000;
  double heartbeat_hours = 0;       // 0: no heartbeat
  std::string stall_after = "15m";
  std::string error_repeat = "24h";
  bool allow_empty_watchlist = false;
};

// "127.0.0.1:8080", "[::1]:0" -> host and port; false when it is not that.
bool ParseListenAddress(const std::string& text, std::string& host, int& port) {
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return false;
  host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  std::string digits = text.substr(colon + 1);
  if (digits.size() > 5 || digits.find_first_not_of("0123456789") != std::string::npos) {
    return false;
  }
  port = std::stoi(digits);
  return !host.empty() && port <= 65535;
}

// A log with a state is followed when it can be relied on now: usable, qualified or read-only
// (not pending, rejected or retired), whatever the list. A log without a state is followed only
// from a list the user gave (--log-list: local and monitoring-only logs); in the published list
// and the compiled-in snapshot it is a retired test log.
bool Monitored(const LogInfo& log, bool users_list) {
  if (!log.state) return users_list;
  switch (log.state->state) {
    case LogState::kUsable:
    case LogState::kQualified:
    case LogState::kReadOnly:
      return true;
    default:
      return false;
  }
}

// The log list: --log-list as given, or the published list with the snapshot as fallback.
Result<LogList> LoadMonitorLogList(const std::string& source, std::string& notice) {
  if (!source.empty()) return LoadLogList(source);
  Result<LogList> published = LoadLogList(kPublicLogListUrl);
  if (published) return published;
  notice = "cannot fetch the published log list (" + published.error().message +
           "); using the compiled-in snapshot";
  return LoadLogList("");
}

std::vector<MonitoredLogSpec> LogSpecs(const LogList& list, const MonitorConfig& config,
                                       bool users_list, std::vector<std::string>& notices) {
  std::vector<MonitoredLogSpec> specs;
  for (const LogInfo& log : list.logs()) {
    if (!Monitored(log, users_list)) continue;
    Result<std::shared_ptr<const LogKey>> key = LogKey::FromSpkiDer(log.key_der);
    if (!key) {
      notices.push_back(log.description + ": unusable key: " + key.error().message);
      continue;
    }
    bool tiled = log.api == LogApi::kStaticCtApi;
    std::string url = tiled ? log.monitoring_url : log.url;
    LogOverrides overrides = config.For(log);
    MonitoredLogSpec spec{.url = url,
                          .description = log.description,
                          .log_id = log.log_id,
                          .mmd_seconds = log.mmd_seconds ? log.mmd_seconds : 86400};
    if (overrides.batch_size) spec.batch_size = *overrides.batch_size;
    if (overrides.parallel_downloads) spec.parallel_downloads = *overrides.parallel_downloads;
    std::shared_ptr<const LogKey> log_key = *key;
    std::string origin = OriginFromSubmissionUrl(log.submission_url);
    unsigned connections = spec.parallel_downloads;
    spec.make_reader = [url, tiled, origin, log_key, overrides,
                        connections]() -> Result<std::unique_ptr<LogReader>> {
      LogClientOptions options;
      options.user_agent = "ctkit/" CTKIT_VERSION;
      options.keep_malformed_entries = true;
      if (overrides.batch_size) options.batch_size = *overrides.batch_size;
      // The log's request budget is shared by its connections.
      if (overrides.requests_per_second) {
        options.requests_per_second = *overrides.requests_per_second / connections;
      }
      if (overrides.max_retries) options.max_retries = *overrides.max_retries;
      if (overrides.timeout_seconds) {
        options.total_timeout = std::chrono::milliseconds(
            std::max<int64_t>(1, static_cast<int64_t>(*overrides.timeout_seconds * 1000)));
        options.connect_timeout = std::min(options.connect_timeout, options.total_timeout);
      }
      if (tiled) {
        // static-ct-api: checkpoints, data tiles and hash tiles (c2sp.org/static-ct-api).
        Result<StaticLogClient> client =
            StaticLogClient::Create(url, log_key, {.http = options, .origin = origin});
        if (!client) return std::unexpected(client.error());
        return std::unique_ptr<LogReader>(std::make_unique<StaticLogClient>(std::move(*client)));
      }
      Result<LogClient> client = LogClient::Create(url, log_key, options);
      if (!client) return std::unexpected(client.error());
      return std::unique_ptr<LogReader>(std::make_unique<LogClient>(std::move(*client)));
    };
    specs.push_back(std::move(spec));
  }
  return specs;
}

NamedSink Named(std::shared_ptr<AlertSink> sink) {
  std::string name = sink->name();
  return {.name = name,
          .deliver = [sink](const std::string& body, const Bytes& certificate) -> Result<void> {
            Alert alert;
            alert.json = nlohmann::ordered_json::parse(body, nullptr, false);
            alert.certificate_der = certificate;
            return sink->Deliver(alert);
          }};
}

// Where --script's certificate files go: --cert-dir, else DB.certs ("" without --db).
std::string HookCertDir(const MonitorFlags& flags) {
  if (!flags.cert_dir.empty()) return flags.cert_dir;
  return flags.db.empty() ? "" : flags.db + ".certs";
}

// Every configured sink; with none configured, standard output.
std::vector<std::shared_ptr<AlertSink>> MakeSinks(const MonitorFlags& flags) {
  std::vector<std::shared_ptr<AlertSink>> sinks;
  bool any_sink = flags.stdout_sink || !flags.script.empty() || !flags.webhook.empty();
  if (flags.stdout_sink || !any_sink) sinks.push_back(std::make_shared<StdoutSink>());
  if (!flags.script.empty()) {
    ScriptSinkOptions options;
    options.command = flags.script;
    options.output_dir = HookCertDir(flags);
    sinks.push_back(std::make_shared<ScriptSink>(options));
  }
  if (!flags.webhook.empty()) {
    WebhookSinkOptions options;
    options.url = flags.webhook;
    // Checked by CheckSinkFlags before any sink is made. Every attempt is cut to what is left of
    // the budget (monitor/alert_sink.h), connecting included.
    options.delivery_budget =
        std::chrono::milliseconds(ParseDurationMs(flags.webhook_timeout).value_or(30'000));
    sinks.push_back(std::make_shared<WebhookSink>(options));
  }
  return sinks;
}

// The log list to follow (cli/log_list_source.h), with what it fell back to (`notice`) and any
// failure said on stderr.
Result<LogList> LoadListSaying(const MonitorFlags& flags, std::string& notice) {
  notice.clear();
  Result<LogList> list = LoadMonitorLogList(flags.log_list, notice);
  if (!notice.empty()) std::fprintf(stderr, "ctkit monitor: %s\n", notice.c_str());
  if (!list) std::fprintf(stderr, "ctkit monitor: %s\n", list.error().message.c_str());
  return list;
}

// Every log --config names is in `list`.
Result<void> CheckConfigLogs(const MonitorConfig& config, const LogList& list,
                             const std::string& config_path) {
  std::vector<std::string> unknown = config.UnknownLogs(list.logs());
  if (unknown.empty()) return {};
  return MakeError(ErrorCode::kInvalidArgument, "--config " + config_path +
                                                    " names a log that is not in the log list: " +
                                                    unknown.front());
}

// The sink flags can work: the hook's program exists and is executable, the webhook is an
// http(s) URL, the hook's certificate directory is writable.
Result<void> CheckSinkFlags(const MonitorFlags& flags) {
  if (!flags.script.empty()) {
    if (Result<void> ok = CheckHookCommand(flags.script); !ok) return ok;
    std::string cert_dir = HookCertDir(flags);
    if (!cert_dir.empty()) {
      if (Result<void> ok = CheckWritableDirectory(cert_dir); !ok) {
        return MakeError(ok.error().code, "--cert-dir: " + ok.error().message);
      }
    }
  }
  if (!flags.webhook.empty()) {
    if (Result<void> ok = CheckWebhookUrl(flags.webhook); !ok) return ok;
  }
  Result<int64_t> webhook_timeout = ParseDurationMs(flags.webhook_timeout);
  if (!webhook_timeout || *webhook_timeout == 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "--webhook-timeout: " + (webhook_timeout ? std::string("must be more than 0")
                                                              : webhook_timeout.error().message));
  }
  return {};
}

// --webhook-file / --webhook-env into flags.webhook: the URL holds a secret token, which the
// command line would show to every local user (`ps`). The URL is never in a message.
Result<void> ResolveWebhookSecret(MonitorFlags& flags) {
  if (flags.webhook_file.empty() && flags.webhook_env.empty()) return {};
  Result<std::string> url = !flags.webhook_file.empty()
                                ? ReadSecretFile(flags.webhook_file)
                                : TakeSecretFromEnvironment(flags.webhook_env);
  if (!url) {
    return std::unexpected(WithContext(
        url.error(), !flags.webhook_file.empty() ? "--webhook-file" : "--webhook-env"));
  }
  flags.webhook = std::move(*url);
  return {};
}

// `ctkit monitor test-alert`: one {"event": "test"} alert straight to every sink, not stored,
// so an operator can check the hook or webhook before a real alert needs it.
int RunTestAlert(MonitorFlags flags) {
  if (Result<void> resolved = ResolveWebhookSecret(flags); !resolved) {
    std::fprintf(stderr, "ctkit monitor test-alert: %s\n", resolved.error().message.c_str());
    return kExitUsage;
  }
  Alert alert;
  alert.json = nlohmann::ordered_json::parse(ProofOfLifeAlertJson("test", UnixNowMs()));
  int failed = 0;
  for (const std::shared_ptr<AlertSink>& sink : MakeSinks(flags)) {
    Result<void> sent = sink->Deliver(alert);
    if (sent) {
      std::fprintf(stderr, "ctkit monitor test-alert: %s accepted the test alert\n",
                   sink->name().c_str());
    } else {
      ++failed;
      std::fprintf(stderr, "ctkit monitor test-alert: %s failed: %s\n", sink->name().c_str(),
                   sent.error().message.c_str());
    }
  }
  return failed == 0 ? kExitOk : kExitLogFailure;
}

int RunMonitor(MonitorFlags flags) {
  if (flags.watchlist.empty() || flags.db.empty()) {
    std::fprintf(stderr, "ctkit monitor: --watchlist and --db are required\n");
    return kExitUsage;
  }
  // What "doing its job" means (monitor/health.h): /healthz and the `error` events use it.
  Result<int64_t> stall_after = ParseDurationMs(flags.stall_after);
  Result<int64_t> error_repeat = ParseDurationMs(flags.error_repeat);
  if (!stall_after || !error_repeat || *stall_after == 0 || *error_repeat == 0) {
    std::fprintf(stderr, "ctkit monitor: %s: %s\n",
                 !stall_after || *stall_after == 0 ? "--stall-after" : "--error-repeat",
                 (!stall_after ? stall_after.error().message
                  : !error_repeat ? error_repeat.error().message
                                  : std::string("must be more than 0")).c_str());
    return kExitUsage;
  }
  HealthOptions health;
  double max_age = flags.health_max_age_seconds > 0 ? flags.health_max_age_seconds
                                                    : std::max(300.0, 3 * flags.poll_seconds);
  health.unreachable_after_ms = static_cast<int64_t>(max_age * 1000);
  health.stall_after_ms = *stall_after;
  health.max_backlog = flags.health_max_backlog;
  health.log_list_max_age_ms = static_cast<int64_t>(2 * flags.refresh_hours * 3.6e6);
  // A problem is pushed once it has lasted a minute (less when --stall-after is shorter): one
  // failed round or a log still being reached at start-up is not worth an alert.
  HealthEvents health_events({.debounce_ms = std::min<int64_t>(*stall_after, 60'000),
                              .repeat_ms = *error_repeat});

  Result<Watchlist> watchlist = Watchlist::Load(flags.watchlist);
  if (!watchlist) {
    std::fprintf(stderr, "ctkit monitor: %s\n", watchlist.error().message.c_str());
    return kExitUsage;
  }
  if (watchlist->empty() && !flags.allow_empty_watchlist) {
    std::fprintf(stderr,
                 "ctkit monitor: %s watches no name (empty, or only comments); "
                 "--allow-empty-watchlist to run without one\n",
                 flags.watchlist.c_str());
    return kExitUsage;
  }
  Result<Expectations> expectations = Expectations::Load(flags.inventories);
  if (!expectations) {
    std::fprintf(stderr, "ctkit monitor: %s\n", expectations.error().message.c_str());
    return kExitUsage;
  }
  // The database first: the sink checks may create the default DB.certs directory.
  if (Result<void> writable = CheckWritableDatabase(flags.db); !writable) {
    std::fprintf(stderr, "ctkit monitor: %s\n", writable.error().message.c_str());
    return kExitUsage;
  }
  if (Result<void> resolved = ResolveWebhookSecret(flags); !resolved) {
    std::fprintf(stderr, "ctkit monitor: %s\n", resolved.error().message.c_str());
    return kExitUsage;
  }
  if (Result<void> usable = CheckSinkFlags(flags); !usable) {
    std::fprintf(stderr, "ctkit monitor: %s\n", usable.error().message.c_str());
    return kExitUsage;
  }
  MonitorConfig config;
  if (!flags.config.empty()) {
    Result<MonitorConfig> loaded = MonitorConfig::Load(flags.config);
    if (!loaded) {
      std::fprintf(stderr, "ctkit monitor: %s\n", loaded.error().message.c_str());
      return kExitUsage;
    }
    config = *loaded;
  }
  // The log list before anything starts (HTTP side included), so that a --config naming a log
  // that is not in it is refused first; refreshed lists are loaded at each round below.
  std::string notice;
  Result<LogList> list = LoadListSaying(flags, notice);
  if (!list) return LogListLoadExitCode(list.error());
  if (Result<void> known = CheckConfigLogs(config, *list, flags.config); !known) {
    std::fprintf(stderr, "ctkit monitor: %s\n", known.error().message.c_str());
    return kExitUsage;
  }
  // One monitor per database: two would fetch the same logs and race to deliver the same alerts.
  Result<PidLock> lock = PidLock::Acquire(flags.db + ".lock");
  if (!lock) {
    if (lock.error().code == ErrorCode::kInvalidArgument) {
      std::fprintf(stderr, "ctkit monitor: --db %s is in use by another monitor: %s\n",
                   flags.db.c_str(), lock.error().message.c_str());
    } else {
      std::fprintf(stderr, "ctkit monitor: --db %s: %s\n", flags.db.c_str(),
                   lock.error().message.c_str());
    }
    return kExitUsage;
  }
  Result<std::unique_ptr<MonitorStore>> store = MonitorStore::Open(flags.db);
  if (!store) {
    std::fprintf(stderr, "ctkit monitor: %s\n", store.error().message.c_str());
    return kExitUsage;
  }

  std::vector<NamedSink> sinks;
  for (const std::shared_ptr<AlertSink>& sink : MakeSinks(flags)) sinks.push_back(Named(sink));
  for (const NamedSink& sink : sinks) health.sinks.push_back(sink.name);

  MonitorMetrics metrics;
  std::unique_ptr<MonitorHttpServer> http;
  if (!flags.http.empty()) {
    MonitorHttpOptions http_options;
    if (!ParseListenAddress(flags.http, http_options.host, http_options.port)) {
      std::fprintf(stderr, "ctkit monitor: --http wants ADDR:PORT (e.g. 127.0.0.1:8080), not %s\n",
                   flags.http.c_str());
      return kExitUsage;
    }
    http_options.health = health;
    http_options.watch_items = watchlist->items();
    for (std::string name : flags.http_allow_hosts) {
      std::transform(name.begin(), name.end(), name.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      http_options.allowed_hosts.push_back(std::move(name));
    }
    http = std::make_unique<MonitorHttpServer>(**store, metrics, http_options);
    if (Result<void> started = http->Start(); !started) {
      std::fprintf(stderr, "ctkit monitor: %s\n", started.error().message.c_str());
      return kExitUsage;
    }
    std::string shown = http_options.host.find(':') != std::string::npos
                             ? "[" + http_options.host + "]"
                             : http_options.host;
    std::fprintf(stderr, "http listening on %s:%d\n", shown.c_str(), http->port());
    const std::string& host = http_options.host;
    if (!(host.starts_with("127.") || host == "::1" || host == "localhost")) {
      std::fprintf(stderr,
                   "ctkit monitor: warning: --http %s is reachable from other machines, and the "
                   "page has no login: put it behind a proxy that authenticates, or listen on "
                   "127.0.0.1\n",
                   flags.http.c_str());
    }
  }

  ProgressBoard board(ProgressBoard::ForDaemon());
  MonitorOptions options;
  options.once = flags.once;
  options.poll_interval_ms = static_cast<int64_t>(flags.poll_seconds * 1000);
  options.tailer.chunk_size = flags.chunk_size;
  options.tailer.start_at_end = flags.start_at_end;
  options.tailer.sct_grace_ms = static_cast<int64_t>(flags.sct_grace_seconds * 1000);
  options.metrics = &metrics;
  options.heartbeat_interval_ms = static_cast<int64_t>(flags.heartbeat_hours * 3.6e6);
  options.health = health;
  options.health_events = &health_events;
  options.on_progress = [&board](const std::string& log, const SyncProgress& progress) {
    board.Update(log, progress.position, progress.tree_size);
  };
  options.on_message = [](const std::string& message) {
    std::fprintf(stderr, "ctkit monitor: %s\n", TerminalSafe(message).c_str());
  };

  signal(SIGTERM, OnStopSignal);
  signal(SIGINT, OnStopSignal);
  signal(SIGHUP, OnReloadSignal);

  MonitorSummary total;
  bool first_list = true;
  while (true) {
    if (!first_list) {
      list = LoadListSaying(flags, notice);
      if (!list) return LogListLoadExitCode(list.error());
      // A log that left the list since start-up: said, and its overrides no longer apply.
      if (Result<void> known = CheckConfigLogs(config, *list, flags.config); !known) {
        std::fprintf(stderr, "ctkit monitor: %s\n", known.error().message.c_str());
      }
    }
    first_list = false;
    bool users_list = !flags.log_list.empty();
    std::vector<std::string> notices;
    std::vector<MonitoredLogSpec> specs = LogSpecs(*list, config, users_list, notices);
    std::vector<std::pair<std::string, std::string>> followed;
    for (const MonitoredLogSpec& spec : specs) followed.emplace_back(spec.url, spec.description);
    metrics.SetWatched(followed);
    metrics.SetLogList({.loaded_ms = UnixNowMs(),
                        .source = notice.empty() ? (flags.log_list.empty() ? kPublicLogListUrl
                                                                           : flags.log_list)
                                                 : "compiled-in snapshot",
                        // Staleness is the published list's: a hand-written list has no
                        // publisher to fetch a newer one from.
                        .timestamp_ms = users_list ? 0 : list->timestamp_ms(),
                        .fallback = !notice.empty(),
                        .error = notice,
                        .logs = specs.size()});
    for (const std::string& line : notices) {
      std::fprintf(stderr, "ctkit monitor: %s\n", TerminalSafe(line).c_str());  // log descriptions
    }
    if (specs.empty()) {
      std::fprintf(stderr, "ctkit monitor: no log to monitor in the log list\n");
      return kExitUsage;
    }
    std::fprintf(stderr, "ctkit monitor: following %zu of the %zu logs of %s (version %s, %s)\n",
                 specs.size(), list->logs().size(),
                 users_list ? flags.log_list.c_str()
                 : notice.empty() ? "the published log list"
                                  : "the compiled-in log list",
                 TerminalSafe(list->version()).c_str(),
                 (FormatRfc3339(list->timestamp_ms()).substr(0, 10) + ", " +
                  std::to_string(list->AgeDays(UnixNowMs())) + " days old")
                     .c_str());
    MonitorDaemon daemon(**store, std::move(specs), [&watchlist](std::span<const std::string> n) {
      return watchlist->Match(n);
    }, *expectations, sinks, options);

    // This round ends on SIGTERM/SIGINT, or when the log list is due for a refresh.
    std::atomic<bool> round_stop{false};
    std::atomic<bool> round_done{false};
    auto refresh_at = std::chrono::steady_clock::now() +
                      std::chrono::milliseconds(static_cast<int64_t>(flags.refresh_hours * 3.6e6));
    std::thread watcher([&] {
      while (!round_done.load()) {
        if (g_stop.load()) round_stop = true;
        if (!flags.once && std::chrono::steady_clock::now() >= refresh_at) round_stop = true;
        if (g_reload.exchange(false)) {
          Result<Expectations> reloaded = Expectations::Load(flags.inventories);
          if (reloaded) {
            daemon.SetExpectations(std::move(*reloaded));
            std::fprintf(stderr, "ctkit monitor: inventories reloaded\n");
          } else {
            std::fprintf(stderr, "ctkit monitor: reload failed, keeping the old inventories: %s\n",
                         reloaded.error().message.c_str());
          }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    });
    Result<MonitorSummary> summary = daemon.Run(round_stop);
    round_done = true;
    watcher.join();
    board.Finish();
    if (!summary) {
      std::fprintf(stderr, "ctkit monitor: %s\n", summary.error().message.c_str());
      return kExitLogFailure;
    }
    total.entries += summary->entries;
    total.new_alerts += summary->new_alerts;
    total.logs_failed += summary->logs_failed;
    total.deliveries_failed += summary->deliveries_failed;
    total.undelivered = summary->undelivered;  // the store's state at the end of the round
    if (flags.once || g_stop.load()) break;
  }
  if (!isatty(STDOUT_FILENO) || flags.once) {
    std::string deliveries;
    for (const SinkDeliveries& sink : total.undelivered) {
      deliveries += "; " + sink.sink + ": " + std::to_string(sink.pending) +
                    " alerts pending delivery, " + std::to_string(sink.failed) + " failed";
    }
    std::fprintf(stderr, "ctkit monitor: %llu entries proven, %llu new alerts, %zu logs failed%s\n",
                 static_cast<unsigned long long>(total.entries),
                 static_cast<unsigned long long>(total.new_alerts), total.logs_failed,
                 deliveries.c_str());
  }
  // A daemon stopped by SIGTERM or SIGINT has shut down cleanly: that is success, whatever it
  // found on the way (its alerts are stored and delivered); `systemctl stop` must not leave the
  // unit failed. --once reports what the run found.
  if (!flags.once) return kExitOk;
  if (total.new_alerts > 0) return kExitFailed;
  // An alert that has not reached a sink is not reported yet: retried on the next run, and
  // until then this run did not do its job.
  bool pending = std::ranges::any_of(total.undelivered,
                                     [](const SinkDeliveries& sink) { return sink.pending > 0; });
  if (total.logs_failed > 0 || pending) return kExitLogFailure;
  return kExitOk;
}

int RunQuery(const std::string& db, const FindingQuery& query, const std::string& format) {
  if (access(db.c_str(), R_OK) != 0) {
    std::fprintf(stderr, "ctkit monitor query: %s: no such database\n", db.c_str());
    return kExitUsage;
  }
  Result<std::unique_ptr<MonitorStore>> store = MonitorStore::Open(db);
  if (!store) {
    std::fprintf(stderr, "ctkit monitor query: %s\n", store.error().message.c_str());
    return kExitUsage;
  }
  FindingQuery normalized = query;
  normalized.domain = NormalizeDnsName(query.domain);
  Result<std::vector<Finding>> findings = (*store)->QueryFindings(normalized);
  if (!findings) {
    std::fprintf(stderr, "ctkit monitor query: %s\n", findings.error().message.c_str());
    return kExitUsage;
  }
  for (const Finding& finding : *findings) {
    if (format == "json") {
      std::printf("%s\n", FindingToJson(finding).dump(-1, ' ', false,
                                                      nlohmann::json::error_handler_t::replace)
                              .c_str());
      continue;
    }
    std::string names;
    for (const std::string& name : finding.names) names += (names.empty() ? "" : ",") + name;
    std::string where;
    for (const FindingEntry& entry : finding.entries) {
      where += (where.empty() ? "" : " ") + entry.log + "#" + std::to_string(entry.index);
    }
    // What certificates and logs said, as one inert line each (base/terminal_text.h).
    std::printf("%-10s %s\n           issuer %s, serial %s, valid %s to %s\n           in %s\n",
                finding.expected ? "expected" : "UNEXPECTED", TerminalSafe(names).c_str(),
                TerminalSafe(finding.issuer).c_str(), TerminalSafe(finding.serial).c_str(),
                TerminalSafe(finding.not_before).c_str(), TerminalSafe(finding.not_after).c_str(),
                TerminalSafe(where).c_str());
  }
  return kExitOk;
}

int RunStatus(const std::string& db, const std::string& format) {
  if (access(db.c_str(), R_OK) != 0) {
    std::fprintf(stderr, "ctkit monitor status: %s: no such database\n", db.c_str());
    return kExitUsage;
  }
  Result<std::unique_ptr<MonitorStore>> store = MonitorStore::Open(db);
  if (!store) {
    std::fprintf(stderr, "ctkit monitor status: %s\n", store.error().message.c_str());
    return kExitUsage;
  }
  Result<std::vector<MonitoredLog>> logs = (*store)->AllLogs();
  if (!logs) {
    std::fprintf(stderr, "ctkit monitor status: %s\n", logs.error().message.c_str());
    return kExitUsage;
  }
  if (format == "json") {
    // The same object as the HTTP side's /api/logs.
    Result<nlohmann::ordered_json> status = LogsStatusJson(**store, kMaxDeliveryAttempts);
    if (!status) {
      std::fprintf(stderr, "ctkit monitor status: %s\n", status.error().message.c_str());
      return kExitUsage;
    }
    std::printf("%s\n",
                status->dump(2, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
    return kExitOk;
  }
  int64_t now = UnixNowMs();
  for (const MonitoredLog& log : *logs) {
    uint64_t tree_size = log.head ? log.head->tree_size : 0;
    uint64_t lag = tree_size > log.verified_size ? tree_size - log.verified_size : 0;
    std::string age = log.last_success_ms
                          ? std::to_string((now - log.last_success_ms) / 1000) + "s ago"
                          : "never";
    std::printf("%s (%s)\n  position %llu of %llu (lag %llu entries), last head %s\n",
                TerminalSafe(log.description).c_str(), TerminalSafe(log.url).c_str(),
                static_cast<unsigned long long>(log.verified_size),
                static_cast<unsigned long long>(tree_size), static_cast<unsigned long long>(lag),
                age.c_str());
    if (!log.last_error.empty()) {
      std::printf("  last error: %s\n", TerminalSafe(log.last_error).c_str());
    }
  }
  Result<std::vector<SinkDeliveries>> undelivered =
      (*store)->UndeliveredBySink(kMaxDeliveryAttempts);
  if (!undelivered) {
    std::fprintf(stderr, "ctkit monitor status: %s\n", undelivered.error().message.c_str());
    return kExitUsage;
  }
  if (undelivered->empty()) std::printf("deliveries: every alert delivered\n");
  for (const SinkDeliveries& sink : *undelivered) {
    std::printf("deliveries to %s: %lld pending (retried), %lld failed (gave up)\n",
                TerminalSafe(sink.sink).c_str(), static_cast<long long>(sink.pending),
                static_cast<long long>(sink.failed));
  }
  return kExitOk;
}

}  // namespace

void AddMonitorCommand(CLI::App& app, Action& run) {
  CLI::App* monitor = app.add_subcommand(
      "monitor", "Tail CT logs, prove every entry, and alert on unexpected certificates");
  auto flags = std::make_shared<MonitorFlags>();
  monitor->add_option("--watchlist", flags->watchlist,
                      "Watched names, one a line: example.com (exact) or .example.com (domain "
                      "and all subdomains); # comments");
  monitor->add_option("--db", flags->db, "SQLite database of positions, heads, findings, alerts");
  monitor->add_option("--log-list", flags->log_list,
                      "Log list v3 FILE or URL (default: the published list, else the "
                      "compiled-in snapshot)");
  monitor->add_option("--inventory", flags->inventories,
                      "Inventory of expected certificates (JSON Lines); repeatable; reloaded "
                      "on SIGHUP");
  monitor->add_option("--config", flags->config,
                      "Per-log overrides (batch_size, requests_per_second), JSON; see "
                      "docs/monitor.md");
  monitor->add_flag("--start-at-end", flags->start_at_end,
                    "Logs seen for the first time start at their current head");
  monitor->add_flag("--once", flags->once,
                    "Catch every log up to its current head, deliver alerts, and exit");
  monitor->add_option("--script", flags->script,
                      "Run this command for each alert, with certspotter's hook environment");
  CLI::Option* webhook = monitor->add_option(
      "--webhook", flags->webhook,
      "POST each alert as JSON to this URL (visible in ps: see --webhook-file, --webhook-env)");
  CLI::Option* webhook_file =
      monitor
          ->add_option("--webhook-file", flags->webhook_file,
                       "Read the --webhook URL (and its secret) from the first line of FILE")
          ->excludes(webhook);
  monitor
      ->add_option("--webhook-env", flags->webhook_env,
                   "Read the --webhook URL (and its secret) from environment variable VAR")
      ->excludes(webhook)
      ->excludes(webhook_file);
  monitor->add_option("--webhook-timeout", flags->webhook_timeout,
                      "Longest one delivery to the webhook may take, retries included; a "
                      "webhook that fails is tried again next pass (5s, 30s, 2m)")
      ->capture_default_str();
  monitor->add_flag("--stdout", flags->stdout_sink,
                    "Print each alert as a JSON line (the default when no other sink is set)");
  monitor->add_option("--cert-dir", flags->cert_dir,
                      "Where --script finds CERT_FILENAME files (default: DB.certs)");
  monitor->add_option("--poll-interval", flags->poll_seconds,
                      "Seconds between tree head checks of a log")
      ->capture_default_str()
      ->check(CLI::Range(0.05, 86400.0));
  monitor->add_option("--sct-grace", flags->sct_grace_seconds,
                      "Seconds after a log's MMD before a missing inventory SCT entry alerts")
      ->capture_default_str()
      ->check(CLI::Range(0.0, 1e9));
  monitor->add_option("--log-list-refresh", flags->refresh_hours,
                      "Hours between log list refreshes (daemon mode)")
      ->capture_default_str()
      ->check(CLI::Range(0.01, 1e6));
  monitor->add_option("--chunk-size", flags->chunk_size,
                      "Entries proven and committed together")
      ->capture_default_str()
      ->check(CLI::Range(uint64_t{1}, uint64_t{1} << 24));
  monitor->add_option("--http", flags->http,
                      "Serve /healthz, /metrics, the findings page and /api on ADDR:PORT "
                      "(e.g. 127.0.0.1:8080; port 0 picks a free one)");
  monitor->add_option("--http-allow-host", flags->http_allow_hosts,
                      "A host name the HTTP side answers to, besides IP addresses and localhost "
                      "(the name a reverse proxy passes on); repeatable. Other Host headers get "
                      "403 (DNS rebinding)");
  monitor->add_option("--health-max-age", flags->health_max_age_seconds,
                      "/healthz fails when a log was not reached for this many seconds "
                      "(default: 3 poll intervals, at least 300)")
      ->check(CLI::Range(0.0, 1e9));
  monitor->add_option("--health-max-backlog", flags->health_max_backlog,
                      "/healthz fails when a log is more entries behind than this")
      ->capture_default_str();
  monitor->add_option("--heartbeat", flags->heartbeat_hours,
                      "Send a heartbeat alert (event \"heartbeat\") through every sink every "
                      "HOURS, as proof of life")
      ->check(CLI::Range(0.0, 1e6));
  monitor->add_option("--stall-after", flags->stall_after,
                      "A log behind its head with no entry proven for this long is stalled: "
                      "/healthz fails and an error event goes through every sink (90, 30s, 15m, "
                      "2h)")
      ->capture_default_str();
  monitor->add_option("--error-repeat", flags->error_repeat,
                      "Repeat the error event of a problem that lasts, this often")
      ->capture_default_str();
  monitor->add_flag("--allow-empty-watchlist", flags->allow_empty_watchlist,
                    "Run even when the watchlist names nothing (only inventories are checked)");
  monitor->require_subcommand(0, 1);

  auto query_db = std::make_shared<std::string>();
  auto query = std::make_shared<FindingQuery>();
  auto query_format = std::make_shared<std::string>("text");
  CLI::App* query_command =
      monitor->add_subcommand("query", "List findings stored by the monitor");
  query_command->add_option("--db", *query_db, "The monitor's database")->required();
  query_command->add_option("--domain", query->domain,
                            "Only certificates for this name or names under it");
  query_command->add_flag("--unexpected", query->unexpected_only,
                          "Only certificates no inventory lists");
  AddFormatFlag(query_command, *query_format);
  query_command->callback([&run, query_db, query, query_format] {
    run = [=] { return RunQuery(*query_db, *query, *query_format); };
  });

  auto status_db = std::make_shared<std::string>();
  auto status_format = std::make_shared<std::string>("text");
  CLI::App* status_command =
      monitor->add_subcommand("status", "Show each log's position, lag and last error");
  status_command->add_option("--db", *status_db, "The monitor's database")->required();
  AddFormatFlag(status_command, *status_format);
  status_command->callback([&run, status_db, status_format] {
    run = [=] { return RunStatus(*status_db, *status_format); };
  });

  // Sink flags may come before or after the subcommand name (fallthrough to `monitor`).
  CLI::App* test_alert = monitor->add_subcommand(
      "test-alert",
      "Send a test alert (event \"test\") through every configured sink: the monitor's "
      "--stdout, --script, --webhook (or --webhook-file, --webhook-env) and --cert-dir, given "
      "before or after test-alert");
  test_alert->fallthrough();
  test_alert->callback([&run, flags] { run = [flags] { return RunTestAlert(*flags); }; });

  monitor->callback([&run, monitor, flags] {
    if (!monitor->get_subcommands().empty()) return;  // query/status set `run`
    run = [flags] { return RunMonitor(*flags); };
  });
}

}  // namespace ctkit::cli
