// ProgressBoard: progress lines for long work, on stderr. On a terminal, one line per task
// redrawn in place (at most five times a second). When stderr is not a terminal (a journal, a log
// file), the daemon's board prints one plain line per task at most once per journal interval
// (default a minute), and only when the task moved, so a journal shows what the daemon is doing
// without flooding; other commands stay quiet there (scripts and logs stay clean).
//
//   ProgressBoard board(ProgressBoard::ForDaemon());  // terminal or journal, by isatty(stderr)
//   board.Update("argon2026h1", 1200, 50000);         // from any thread
//   board.Finish();                                   // leaves the last state on screen

#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace ctkit {

class ProgressBoard {
 public:
  enum class Style { kNone, kTerminal, kJournal };

  // A terminal board when stderr is a terminal, else none.
  ProgressBoard();
  explicit ProgressBoard(bool enabled) : style_(enabled ? Style::kTerminal : Style::kNone) {}
  explicit ProgressBoard(
      Style style, std::chrono::steady_clock::duration journal_interval = std::chrono::minutes(1))
      : style_(style), journal_interval_(journal_interval) {}
  // For a long-running daemon: terminal on a terminal, journal lines otherwise.
  static Style ForDaemon();
  bool enabled() const { return style_ != Style::kNone; }

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
    std::chrono::steady_clock::time_point journaled{};  // last journal line
    uint64_t journaled_done = 0;
  };
  void Draw();
  static std::string Line(const std::string& name, const Task& task,
                          std::chrono::steady_clock::time_point now);

  Style style_;
  std::chrono::steady_clock::duration journal_interval_ = std::chrono::minutes(1);
  std::mutex mutex_;
  std::map<std::string, Task> tasks_;
  size_t lines_drawn_ = 0;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace ctkit
