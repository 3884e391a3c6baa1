// HealthEvents: turns the health verdict (monitor/health.h) into events pushed through every
// sink, so a monitor that cannot do its job says so without anyone polling /healthz
// (docs/monitor.md, "Health"):
//
//   HealthEvents events({.debounce_ms = 60'000, .repeat_ms = 86'400'000});
//   for (NewAlert& alert : events.Update(report.problems, now_ms)) ... store and deliver
//
// A problem (by its key) that has lasted debounce_ms raises an `error` event; while it lasts,
// another every repeat_ms; when it is gone, a `recovered` event. A problem shorter than
// debounce_ms (a log still being reached at start-up, one failed round) raises nothing. Events
// are NewAlerts keyed by the problem and the time it started, so the store keeps one of each.
// Bodies: {"event": "error"|"recovered", "summary", "problem", "since", "time", "host"}.
// Not thread-safe: one caller (the daemon's dispatcher).

#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "monitor/health.h"
#include "monitor/monitor_store.h"

namespace ctkit {

struct HealthEventOptions {
  int64_t debounce_ms = 60'000;
  int64_t repeat_ms = 86'400'000;
};

class HealthEvents {
 public:
  explicit HealthEvents(HealthEventOptions options) : options_(options) {}

  // The events due at `now_ms` for the problems present now.
  std::vector<NewAlert> Update(const std::vector<HealthProblem>& problems, int64_t now_ms);

 private:
  struct Active {
    std::string text;
    int64_t since_ms = 0;
    int64_t raised_ms = 0;  // 0: not raised yet (still within the debounce)
    int repeats = 0;
  };

  HealthEventOptions options_;
  std::map<std::string, Active> active_;  // by problem key
};

}  // namespace ctkit
