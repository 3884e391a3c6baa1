#include "monitor/monitor_log_list.h"

#include "base/plural.h"
#include "base/terminal_text.h"
#include "ct/rfc3339.h"

namespace ctkit {

LogListStatus MonitorLogList::Status(size_t followed, int64_t now_ms) const {
  return {.loaded_ms = now_ms,
          .source = !fallback.empty() ? "compiled-in snapshot"
                    : source.empty()  ? kPublicLogListUrl
                                      : source,
          // Staleness is the published list's: a hand-written list has no publisher to fetch
          // a newer one from.
          .timestamp_ms = users_list() ? 0 : list.timestamp_ms(),
          .fallback = !fallback.empty(),
          .error = fallback,
          .logs = followed};
}

std::string MonitorLogList::FollowingLine(size_t followed, int64_t now_ms) const {
  std::string name = users_list()       ? source
                     : fallback.empty() ? "the published log list"
                                        : "the compiled-in log lists";
  // The published list is merged with the compiled-in ones (logclient/log_list_source.h).
  if (!users_list() && fallback.empty() && list.origins().size() > 1) {
    name += " merged with the compiled-in ones";
  }
  return "following " + std::to_string(followed) + " of the " + std::to_string(list.logs().size()) +
         " logs of " + name + " (version " + TerminalSafe(list.version()) + ", " +
         FormatRfc3339(list.timestamp_ms()).substr(0, 10) + ", " +
         Count(static_cast<uint64_t>(list.AgeDays(now_ms)), "day") + " old)";
}

Result<MonitorLogList> LoadMonitorLogList(const std::string& source,
                                          const std::function<void(const std::string&)>& say,
                                          const LogListLoader& load) {
  if (!source.empty()) {
    ASSIGN_OR_RETURN(LogList list, load(source));
    return MonitorLogList{.list = std::move(list), .source = source};
  }
  Result<LogList> published = load(kPublicLogListUrl);
  if (published) return MonitorLogList{.list = std::move(*published)};
  std::string fallback = "cannot fetch the published log list (" + published.error().message +
                         "); using the compiled-in snapshot";
  say(fallback);
  ASSIGN_OR_RETURN(LogList snapshot, load(""));
  return MonitorLogList{.list = std::move(snapshot), .fallback = std::move(fallback)};
}

}  // namespace ctkit
