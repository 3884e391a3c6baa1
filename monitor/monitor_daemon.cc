#include "monitor/monitor_daemon.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "base/clock.h"
#include "base/json_text.h"
#include "ct/rfc3339.h"
#include "monitor/alerts.h"

namespace ctkit {
namespace {

// Sleeps up to `ms`, waking early when `stop` is set.
void SleepUnlessStopped(int64_t ms, const std::atomic<bool>& stop) {
  auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (!stop.load() && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

// Every HTTP request made for one log so far, by all of its readers (the tailer's, which is
// the first, and the extra download connections), whichever API the log speaks.
LogClientStats RequestCounts(const std::vector<LogReader*>& readers) {
  LogClientStats total;
  for (const LogReader* reader : readers) {
    LogClientStats stats = reader->http_stats();
    total.requests += stats.requests;
    total.retries += stats.retries;
    total.connections += stats.connections;
  }
  return total;
}

}  // namespace

std::string ProofOfLifeAlertJson(const std::string& event, int64_t now_ms,
                                 const HealthReport* health) {
  std::string time = FormatRfc3339(now_ms);
  std::string summary = event == "heartbeat" ? "ctkit monitor heartbeat: running at " + time
                                             : "ctkit monitor test alert sent at " + time;
  if (health != nullptr) {
    summary += health->healthy ? ", healthy"
                               : ", UNHEALTHY (" + std::to_string(health->problems.size()) +
                                     " problems): " + health->problems.front().text;
  }
  nlohmann::ordered_json body = {
      {"event", event}, {"summary", summary}, {"time", time}, {"host", LocalHostName()}};
  if (health != nullptr) {
    body["health"] = health->healthy ? "ok" : "unhealthy";
    nlohmann::ordered_json problems = nlohmann::ordered_json::array();
    for (const HealthProblem& problem : health->problems) problems.push_back(problem.text);
    body["problems"] = std::move(problems);
  }
  return JsonCompact(body);
}

MonitorDaemon::MonitorDaemon(MonitorStore& store, std::vector<MonitoredLogSpec> logs,
                             NameMatcher matcher, Expectations expectations,
                             std::vector<NamedSink> sinks, MonitorOptions options)
    : store_(store),
      logs_(std::move(logs)),
      matcher_(std::move(matcher)),
      expectations_(std::make_shared<const Expectations>(std::move(expectations))),
      sinks_(std::move(sinks)),
      options_(std::move(options)) {
  std::vector<std::string> names;
  for (const NamedSink& sink : sinks_) names.push_back(sink.name);
  store_.SetSinks(std::move(names));
}

void MonitorDaemon::SetExpectations(Expectations expectations) {
  std::lock_guard lock(expectations_mutex_);
  expectations_ = std::make_shared<const Expectations>(std::move(expectations));
}

void MonitorDaemon::Message(const std::string& message) {
  if (options_.on_message) options_.on_message(message);
}

void MonitorDaemon::RunLog(const MonitoredLogSpec& spec, std::atomic<bool>& stop) {
  Result<int64_t> row = store_.UpsertLog(spec.log_id, spec.url, spec.description);
  if (!row) {
    Message(spec.url + ": " + row.error().message);
    ++logs_failed_;
    return;
  }
  Result<std::unique_ptr<LogReader>> reader = spec.make_reader();
  if (!reader) {
    Message(spec.url + ": " + reader.error().message);
    if (Result<void> kept = store_.RecordError(*row, reader.error().message, UnixNowMs()); !kept) {
      Message(spec.url + ": recording that in the database failed: " + kept.error().message);
    }
    ++logs_failed_;
    return;
  }
  MonitorMetrics* metrics = options_.metrics;
  if (metrics) metrics->WatchLog(spec.url, spec.description);
  TailerOptions tailer_options = options_.tailer;
  tailer_options.mmd_seconds = spec.mmd_seconds;
  tailer_options.download_slice = spec.batch_size;
  // More connections for downloads: while the log answers one slice, another is parsed here.
  std::vector<std::unique_ptr<LogReader>> extra_readers;
  tailer_options.download_readers.push_back(reader->get());
  for (unsigned i = 1; i < spec.parallel_downloads; ++i) {
    Result<std::unique_ptr<LogReader>> extra = spec.make_reader();
    if (!extra) break;  // the first reader works; fewer connections is still correct
    tailer_options.download_readers.push_back(extra->get());
    extra_readers.push_back(std::move(*extra));
  }
  int failures = 0;
  while (!stop.load()) {
    std::shared_ptr<const Expectations> expectations;
    {
      std::lock_guard lock(expectations_mutex_);
      expectations = expectations_;
    }
    LogTailer tailer(store_, *row, spec.url, **reader, matcher_, *expectations, spec.log_id,
                     tailer_options);
    auto round_start = std::chrono::steady_clock::now();
    uint64_t counted = 0;
    auto progress = [&](const SyncProgress& p) {
      if (options_.on_progress) options_.on_progress(spec.description, p);
      if (metrics && p.entries_this_round > counted) {
        auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::steady_clock::now() - round_start);
        metrics->AddEntries(spec.url, p.entries_this_round - counted, p.entries_this_round,
                            elapsed.count());
        counted = p.entries_this_round;
      }
    };
    Result<SyncReport> report = tailer.SyncOnce(stop, progress);
    new_alerts_ += tailer.alerts_raised();
    if (metrics) {
      LogClientStats stats = RequestCounts(tailer_options.download_readers);
      metrics->SetRequestCounts(spec.url, stats.requests, stats.retries);
    }
    if (metrics && !report) metrics->CountError(spec.url, report.error());
    if (report) {
      if (metrics && report->caught_up) metrics->SetCaughtUp(spec.url, UnixNowMs());
      entries_ += report->entries_processed;
      failures = 0;
      if (!options_.once) DeliverPending(/*all_due=*/false);
      if (options_.once && report->caught_up) return;
      if (!options_.once) SleepUnlessStopped(options_.poll_interval_ms, stop);
      continue;
    }
    Message(report.error().message);
    ++failures;
    if (options_.once && failures >= options_.once_attempts) {
      ++logs_failed_;
      return;
    }
    // Back off: the log may be overloaded or away; other logs go on meanwhile.
    int64_t wait = options_.retry_interval_ms << std::min(failures - 1, 6);
    SleepUnlessStopped(options_.once ? std::min<int64_t>(wait, 1000) : wait, stop);
  }
}

void MonitorDaemon::MaybeHeartbeat() {
  if (options_.heartbeat_interval_ms <= 0) return;
  int64_t now = UnixNowMs();
  int64_t period = now / options_.heartbeat_interval_ms;
  if (period == heartbeat_period_) return;
  heartbeat_period_ = period;
  // Keyed by the interval: raised once per interval, also across restarts.
  NewAlert heartbeat{.key = "heartbeat:" + std::to_string(period),
                     .event = "heartbeat",
                     .body_json = ProofOfLifeAlertJson("heartbeat", now)};
  if (options_.metrics != nullptr) {
    HealthReport health = CheckHealth(store_, *options_.metrics, options_.health, now);
    heartbeat.body_json = ProofOfLifeAlertJson("heartbeat", now, &health);
  }
  if (Result<size_t> added = store_.AddAlerts({heartbeat}, now); !added) {
    Message("heartbeat: " + added.error().message);
  }
}

void MonitorDaemon::RaiseHealthEvents() {
  if (options_.metrics == nullptr || options_.health_events == nullptr) return;
  int64_t now = UnixNowMs();
  HealthReport health = CheckHealth(store_, *options_.metrics, options_.health, now);
  std::vector<NewAlert> events = options_.health_events->Update(health.problems, now);
  if (events.empty()) return;
  for (const NewAlert& event : events) {
    nlohmann::json body = nlohmann::json::parse(event.body_json, nullptr, false);
    Message(event.event + ": " + (body.is_object() ? body.value("summary", "") : event.key));
  }
  if (Result<size_t> added = store_.AddAlerts(events, now); !added) {
    Message("health events: " + added.error().message);
  }
}

size_t MonitorDaemon::DeliverPending(bool all_due) {
  std::lock_guard lock(deliver_mutex_);
  const int64_t now = UnixNowMs();
  // Page by page, so a backlog (a sink down for days) is never all in memory at once.
  constexpr size_t kPage = 256;
  DeliveryCursor cursor;
  size_t gave_up = 0;
  // A sink that failed once in this pass is not tried again until the next pass: a dead webhook
  // costs one delivery's retries per pass, not one per alert (its other alerts stay pending,
  // their attempts not counted).
  std::set<std::string> failing = failed_in_run_;
  // (Once mode only: a daemon tries every sink again at the next pass.)
  auto remember = [&] {
    if (options_.once) failed_in_run_ = failing;
  };
  while (true) {
    Result<std::vector<PendingDelivery>> pending =
        store_.PendingDeliveries(options_.health.max_delivery_attempts, kPage, cursor);
    if (!pending) {
      Message("alert delivery: " + pending.error().message);
      remember();
      return gave_up;
    }
    for (const PendingDelivery& delivery : *pending) {
      cursor = {delivery.alert_id, delivery.sink};
      const NamedSink* sink = nullptr;
      for (const NamedSink& candidate : sinks_) {
        if (candidate.name == delivery.sink) sink = &candidate;
      }
      if (sink == nullptr) continue;  // a sink of an earlier configuration
      if (failing.contains(sink->name)) continue;
      if (!all_due && delivery.attempts > 0) {
        int64_t backoff =
            std::min<int64_t>(int64_t{1000} << std::min(delivery.attempts - 1, 22), 3'600'000);
        if (now - delivery.updated_ms < backoff) continue;
      }
      Result<void> sent = sink->deliver(delivery.body_json, delivery.certificate);
      if (sent) {
        // Not marked, it is delivered again next time: a duplicate rather than a loss, said.
        if (Result<void> marked =
                store_.MarkDelivered(delivery.alert_id, delivery.sink, UnixNowMs());
            !marked) {
          Message("alert " + std::to_string(delivery.alert_id) + " to " + delivery.sink +
                  ": delivered, but the database did not record it: " + marked.error().message);
        }
        continue;
      }
      if (Result<void> marked = store_.MarkDeliveryFailed(delivery.alert_id, delivery.sink,
                                                          sent.error().message, UnixNowMs());
          !marked) {
        Message("alert " + std::to_string(delivery.alert_id) + " to " + delivery.sink +
                ": the database did not record the failed attempt: " + marked.error().message);
      }
      Message("alert " + std::to_string(delivery.alert_id) + " to " + delivery.sink + ": " +
              sent.error().message);
      failing.insert(sink->name);
      if (delivery.attempts + 1 >= options_.health.max_delivery_attempts) ++gave_up;
    }
    if (pending->size() < kPage) {
      remember();
      return gave_up;
    }
  }
}

Result<MonitorSummary> MonitorDaemon::Run(std::atomic<bool>& stop) {
  entries_ = 0;
  new_alerts_ = 0;
  logs_failed_ = 0;
  MaybeHeartbeat();
  DeliverPending();  // what an earlier run left undelivered (e.g. it was killed)
  std::vector<std::thread> threads;
  threads.reserve(logs_.size());
  for (const MonitoredLogSpec& spec : logs_) {
    threads.emplace_back([this, &spec, &stop] { RunLog(spec, stop); });
  }
  std::atomic<bool> threads_done{false};
  std::thread dispatcher([&] {
    for (int tick = 1; !threads_done.load(); ++tick) {
      MaybeHeartbeat();
      if (tick % 5 == 0) RaiseHealthEvents();  // reads the store: not every second
      SleepUnlessStopped(1000, threads_done);
      DeliverPending(/*all_due=*/false);
    }
  });
  for (std::thread& thread : threads) thread.join();
  threads_done = true;
  dispatcher.join();
  MonitorSummary summary{.entries = entries_.load(),
                         .new_alerts = new_alerts_.load(),
                         .logs_failed = logs_failed_.load()};
  summary.deliveries_failed = DeliverPending();
  Result<std::vector<SinkDeliveries>> undelivered =
      store_.UndeliveredBySink(options_.health.max_delivery_attempts);
  if (!undelivered) return std::unexpected(undelivered.error());
  for (SinkDeliveries& sink : *undelivered) {
    bool configured = std::ranges::any_of(
        sinks_, [&](const NamedSink& named) { return named.name == sink.sink; });
    if (configured) summary.undelivered.push_back(std::move(sink));
  }
  return summary;
}

}  // namespace ctkit
