#include "monitor/health_events.h"

#include <nlohmann/json.hpp>
#include <set>

#include "base/json_text.h"
#include "ct/rfc3339.h"
#include "monitor/alerts.h"

namespace ctkit {
namespace {

NewAlert Event(const std::string& event, const std::string& key, const std::string& summary,
               int64_t since_ms, int64_t now_ms, int repeat) {
  nlohmann::ordered_json body = {{"event", event},
                                 {"summary", summary},
                                 {"problem", key},
                                 {"since", FormatRfc3339(since_ms)},
                                 {"time", FormatRfc3339(now_ms)},
                                 {"host", LocalHostName()}};
  return {.key = event + ":" + key + ":" + std::to_string(since_ms) + ":" + std::to_string(repeat),
          .event = event,
          .body_json = JsonCompact(body)};
}

}  // namespace

std::vector<NewAlert> HealthEvents::Update(const std::vector<HealthProblem>& problems,
                                           int64_t now_ms) {
  std::vector<NewAlert> events;
  std::set<std::string> present;
  for (const HealthProblem& problem : problems) {
    present.insert(problem.key);
    auto [it, inserted] = active_.try_emplace(problem.key);
    Active& active = it->second;
    if (inserted) active.since_ms = now_ms;
    active.text = problem.text;
    bool due = active.raised_ms == 0 ? now_ms - active.since_ms >= options_.debounce_ms
                                     : now_ms - active.raised_ms >= options_.repeat_ms;
    if (!due) continue;
    if (active.raised_ms != 0) ++active.repeats;
    active.raised_ms = now_ms;
    events.push_back(Event("error", problem.key, "ctkit monitor cannot do its job: " + problem.text,
                           active.since_ms, now_ms, active.repeats));
  }
  for (auto it = active_.begin(); it != active_.end();) {
    if (present.contains(it->first)) {
      ++it;
      continue;
    }
    if (it->second.raised_ms != 0) {  // only what was announced is announced as over
      events.push_back(Event("recovered", it->first, "ctkit monitor recovered: " + it->second.text,
                             it->second.since_ms, now_ms, 0));
    }
    it = active_.erase(it);
  }
  return events;
}

}  // namespace ctkit
