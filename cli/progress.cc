#include "cli/progress.h"

#include <unistd.h>

#include <cstdio>

namespace ctkit::cli {

ProgressBoard::ProgressBoard() : enabled_(isatty(STDERR_FILENO) == 1) {}

void ProgressBoard::Update(const std::string& name, uint64_t done, uint64_t total) {
  if (!enabled_) return;
  std::lock_guard lock(mutex_);
  auto now = std::chrono::steady_clock::now();
  auto [it, inserted] = tasks_.try_emplace(name);
  if (inserted) {
    it->second.first_done = done;
    it->second.started = now;
  }
  it->second.done = done;
  it->second.total = total;
  if (now - last_draw_ < std::chrono::milliseconds(200)) return;
  last_draw_ = now;
  Draw();
}

void ProgressBoard::Finish() {
  if (!enabled_) return;
  std::lock_guard lock(mutex_);
  Draw();
}

void ProgressBoard::Draw() {
  if (lines_drawn_ > 0) std::fprintf(stderr, "\x1b[%zuA", lines_drawn_);  // back to the top
  auto now = std::chrono::steady_clock::now();
  for (const auto& [name, task] : tasks_) {
    double seconds = std::chrono::duration<double>(now - task.started).count();
    double rate = seconds > 0 ? static_cast<double>(task.done - task.first_done) / seconds : 0;
    double percent = task.total ? 100.0 * static_cast<double>(task.done) / task.total : 100.0;
    std::string eta = "-";
    if (rate > 0 && task.total > task.done) {
      eta = std::to_string(static_cast<uint64_t>((task.total - task.done) / rate)) + "s";
    } else if (task.total <= task.done) {
      eta = "done";
    }
    std::fprintf(stderr, "\x1b[2K%-28s %12llu / %-12llu %5.1f%%  %8.0f entries/s  ETA %s\n",
                 name.substr(0, 28).c_str(), static_cast<unsigned long long>(task.done),
                 static_cast<unsigned long long>(task.total), percent, rate, eta.c_str());
  }
  lines_drawn_ = tasks_.size();
  std::fflush(stderr);
}

}  // namespace ctkit::cli
