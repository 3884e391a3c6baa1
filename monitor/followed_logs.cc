#include "monitor/followed_logs.h"

#include <algorithm>
#include <chrono>
#include <memory>

#include "logclient/log_target.h"

namespace ctkit {
namespace {

using ReaderFactory = std::function<Result<std::unique_ptr<LogReader>>()>;

// Opens one connection's reader of `endpoint`, with the log's --config overrides.
ReaderFactory MakeReaderFactory(LogEndpoint endpoint, LogOverrides overrides, unsigned connections,
                                const std::string& user_agent) {
  return [endpoint, overrides, connections, user_agent]() {
    LogClientOptions options;
    options.user_agent = user_agent;
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
    return OpenLogReader(endpoint, options);
  };
}

}  // namespace

bool IsFollowed(const LogInfo& log, bool users_list) {
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

FollowedLogs FollowedLogSpecs(const LogList& list, const MonitorConfig& config, bool users_list,
                              const std::string& user_agent) {
  FollowedLogs followed;
  for (const LogInfo& log : list.logs()) {
    if (!IsFollowed(log, users_list)) continue;
    Result<LogEndpoint> endpoint = LogEndpointOf(log);
    if (!endpoint) {
      followed.notices.push_back(endpoint.error().message);
      continue;
    }
    bool tiled = log.api == LogApi::kStaticCtApi;
    LogOverrides overrides = config.For(log);
    MonitoredLogSpec spec{.url = tiled ? log.monitoring_url : log.url,
                          .description = log.description,
                          .log_id = log.log_id,
                          .mmd_seconds = log.mmd_seconds ? log.mmd_seconds : 86400};
    if (overrides.batch_size) spec.batch_size = *overrides.batch_size;
    if (overrides.parallel_downloads) spec.parallel_downloads = *overrides.parallel_downloads;
    spec.make_reader =
        MakeReaderFactory(std::move(*endpoint), overrides, spec.parallel_downloads, user_agent);
    followed.specs.push_back(std::move(spec));
  }
  return followed;
}

}  // namespace ctkit
