// Progress lines for long work: on a terminal, one line per task redrawn in place (at most five
// times a second); when stderr is not a terminal, nothing (scripts and logs stay clean).
//
//   ProgressBoard board;                       // checks isatty(stderr)
//   board.Update("argon2026h1", 1200, 50000);  // from any thread
//   board.Finish();                            // leaves the last state on screen

#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace ctkit::cli {

class ProgressBoard {
 public:
  ProgressBoard();
  explicit ProgressBoard(bool enabled) : enabled_(enabled) {}
  bool enabled() const { return enabled_; }

  // `done` of `total` for task `name`: rate and ETA are computed from the first update.
  void Update(const std::string& name, uint64_t done, uint64_t total);
  // Redraws a final time, whatever the rate limit.
  void Finish();

 private:
  struct Task {
    uint64_t done = 0;
    uint64_t total = 0;
    uint64_t first_done = 0;
    std::chrono::steady_clock::time_point started;
  };
  void Draw();

  bool enabled_;
  std::mutex mutex_;
  std::map<std::string, Task> tasks_;
  size_t lines_drawn_ = 0;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace ctkit::cli
