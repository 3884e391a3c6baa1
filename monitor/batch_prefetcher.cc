#include "monitor/batch_prefetcher.h"

namespace ctkit {

BatchPrefetcher::BatchPrefetcher(LogReader& reader, uint64_t start, uint64_t end,
                                 size_t max_queued)
    : reader_(reader), end_(end), next_(start), max_queued_(max_queued ? max_queued : 1) {
  thread_ = std::thread([this] { Run(); });
}

BatchPrefetcher::~BatchPrefetcher() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

void BatchPrefetcher::Run() {
  while (true) {
    uint64_t next;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return stopping_ || queue_.size() < max_queued_; });
      if (stopping_) return;
      if (next_ >= end_) {
        finished_ = true;
        changed_.notify_all();
        return;
      }
      next = next_;
    }
    Result<std::vector<LogEntry>> batch = reader_.GetEntriesBatch(next, end_ - 1);
    std::lock_guard lock(mutex_);
    bool failed = !batch;
    if (batch) {
      if (batch->empty() || batch->size() > end_ - next) {
        // Readers return at least one entry and never past `end`; anything else would make us
        // loop or skip, so it is the log's error.
        batch = MakeError(ErrorCode::kMalformed,
                          "log " + reader_.base_url() + ": get-entries from " +
                              std::to_string(next) + " returned " +
                              std::to_string(batch->size()) + " entries");
        failed = true;
      } else {
        next_ = next + batch->size();
      }
    }
    queue_.push_back(std::move(batch));
    if (failed) finished_ = true;
    changed_.notify_all();
    if (failed) return;
  }
}

Result<std::vector<LogEntry>> BatchPrefetcher::Next() {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [this] { return !queue_.empty() || finished_; });
  if (queue_.empty()) return std::vector<LogEntry>();
  Result<std::vector<LogEntry>> batch = std::move(queue_.front());
  queue_.pop_front();
  changed_.notify_all();
  return batch;
}

}  // namespace ctkit
