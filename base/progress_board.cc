#include "base/progress_board.h"

#include <unistd.h>

#include <cstdio>

#include "base/terminal_text.h"
#include "base/utf8.h"

namespace ctkit {

ProgressBoard::ProgressBoard()
    : style_(isatty(STDERR_FILENO) == 1 ? Style::kTerminal : Style::kNone) {}

ProgressBoard::Style ProgressBoard::ForDaemon() {
  return isatty(STDERR_FILENO) == 1 ? Style::kTerminal : Style::kJournal;
}

void ProgressBoard::Update(const std::string& name, uint64_t done, uint64_t total) {
  if (style_ == Style::kNone) return;
  std::lock_guard lock(mutex_);
  auto now = std::chrono::steady_clock::now();
  auto [it, inserted] = tasks_.try_emplace(name);
  Task& task = it->second;
  if (inserted) {
    task.first_done = done;
    task.started = now;
  }
  task.done = done;
  task.total = total;
  if (style_ == Style::kJournal) {
    // One plain line per task per interval, when it moved (the first update included).
    if (!inserted && (now - task.journaled < journal_interval_ || done == task.journaled_done)) {
      return;
    }
    task.journaled = now;
    task.journaled_done = done;
    std::fprintf(stderr, "%s\n", Line(name, task, now).c_str());
    std::fflush(stderr);
    return;
  }
  if (now - last_draw_ < std::chrono::milliseconds(200)) return;
  last_draw_ = now;
  Draw();
}

void ProgressBoard::Finish() {
  if (style_ != Style::kTerminal) return;
  std::lock_guard lock(mutex_);
  Draw();
}

std::string ProgressBoard::Line(const std::string& name, const Task& task,
                                std::chrono::steady_clock::time_point now) {
  double seconds = std::chrono::duration<double>(now - task.started).count();
  double rate = seconds > 0 ? static_cast<double>(task.done - task.first_done) / seconds : 0;
  double percent = task.total ? 100.0 * static_cast<double>(task.done) / task.total : 100.0;
  std::string eta = "-";
  if (rate > 0 && task.total > task.done) {
    eta = std::to_string(static_cast<uint64_t>((task.total - task.done) / rate)) + "s";
  } else if (task.total <= task.done) {
    eta = "done";
  }
  // A log's name is the log list's (fetched from the network): shown as one inert line.
  std::string shown = TerminalSafe(name);
  shown.resize(Utf8PrefixLength(shown, 28));
  char line[256];
  std::snprintf(line, sizeof(line), "%-28s %12llu / %-12llu %5.1f%%  %8.0f entries/s  ETA %s",
                shown.c_str(), static_cast<unsigned long long>(task.done),
                static_cast<unsigned long long>(task.total), percent, rate, eta.c_str());
  return line;
}

void ProgressBoard::Draw() {
  if (lines_drawn_ > 0) std::fprintf(stderr, "\x1b[%zuA", lines_drawn_);  // back to the top
  auto now = std::chrono::steady_clock::now();
  for (const auto& [name, task] : tasks_) {
    std::fprintf(stderr, "\x1b[2K%s\n", Line(name, task, now).c_str());
  }
  lines_drawn_ = tasks_.size();
  std::fflush(stderr);
}

}  // namespace ctkit
