#include "monitor/monitor_metrics.h"

#include "base/clock.h"

namespace ctkit {

MonitorMetrics::MonitorMetrics() { data_.started_ms = UnixNowMs(); }

void MonitorMetrics::SetLogList(LogListStatus status) {
  std::lock_guard lock(mutex_);
  data_.log_list = std::move(status);
}

void MonitorMetrics::WatchLog(const std::string& url, const std::string& description) {
  std::lock_guard lock(mutex_);
  LogRuntimeMetrics& log = data_.logs[url];
  log.description = description;
  log.watched = true;
}

void MonitorMetrics::SetWatched(const std::vector<std::pair<std::string, std::string>>& logs) {
  std::lock_guard lock(mutex_);
  for (auto& [url, log] : data_.logs) log.watched = false;
  for (const auto& [url, description] : logs) {
    data_.logs[url].description = description;
    data_.logs[url].watched = true;
  }
}

void MonitorMetrics::AddEntries(const std::string& url, uint64_t count, uint64_t round_entries,
                                int64_t round_elapsed_ms) {
  std::lock_guard lock(mutex_);
  LogRuntimeMetrics& log = data_.logs[url];
  log.entries += count;
  log.last_progress_ms = UnixNowMs();
  if (round_elapsed_ms > 0) {
    log.entries_per_second =
        static_cast<double>(round_entries) * 1000.0 / static_cast<double>(round_elapsed_ms);
  }
}

void MonitorMetrics::SetCaughtUp(const std::string& url, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  data_.logs[url].caught_up_ms = now_ms;
}

void MonitorMetrics::CountError(const std::string& url, const Error& error) {
  std::string kind = ErrorKind(error);
  std::lock_guard lock(mutex_);
  LogRuntimeMetrics& log = data_.logs[url];
  ++log.errors[kind];
  if (kind == "http_429") ++log.http_429;
}

void MonitorMetrics::SetRequestCounts(const std::string& url, uint64_t requests, uint64_t retries) {
  std::lock_guard lock(mutex_);
  LogRuntimeMetrics& log = data_.logs[url];
  log.requests = requests;
  log.retries = retries;
}

MonitorMetrics::Snapshot MonitorMetrics::snapshot() const {
  std::lock_guard lock(mutex_);
  return data_;
}

std::string MonitorMetrics::ErrorKind(const Error& error) {
  switch (error.code) {
    case ErrorCode::kNetwork: {
      // LogClient says "HTTP status N" for a final status (logclient/log_client.h); anything else
      // on the wire is a transport failure.
      constexpr std::string_view kStatus = "HTTP status ";
      size_t at = error.message.find(kStatus);
      if (at == std::string::npos) return "network";
      std::string_view code = std::string_view(error.message).substr(at + kStatus.size(), 3);
      if (code == "429") return "http_429";
      if (!code.empty() && code[0] == '5') return "http_5xx";
      if (!code.empty() && code[0] == '4') return "http_4xx";
      return "network";
    }
    case ErrorCode::kNotFound:
      return "not_found";
    case ErrorCode::kMalformed:
    case ErrorCode::kTooLarge:
    case ErrorCode::kUnsupported:
      return "malformed";
    case ErrorCode::kVerificationFailed:
      return "verification";
    case ErrorCode::kIo:
      return "storage";
    default:
      return "other";
  }
}

}  // namespace ctkit
