#include "monitor/batch_prefetcher.h"

#include <algorithm>

namespace ctkit {

BatchPrefetcher::BatchPrefetcher(std::vector<LogReader*> readers, uint64_t start, uint64_t end,
                                 uint64_t slice_size, size_t max_queued)
    : start_(start),
      end_(std::max(start, end)),
      slice_size_(slice_size ? slice_size : 1),
      max_queued_(max_queued ? max_queued : 1) {
  threads_.reserve(readers.size());
  for (LogReader* reader : readers) threads_.emplace_back([this, reader] { Run(*reader); });
}

BatchPrefetcher::~BatchPrefetcher() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  for (std::thread& thread : threads_) thread.join();
}

Result<std::vector<LogEntry>> BatchPrefetcher::FetchSlice(LogReader& reader, uint64_t first,
                                                          uint64_t end) {
  std::vector<LogEntry> slice;
  uint64_t next = first;
  while (next < end) {
    Result<std::vector<LogEntry>> batch = reader.GetEntriesBatch(next, end - 1);
    if (!batch) return std::unexpected(batch.error());
    if (batch->empty() || batch->size() > end - next) {
      // Readers return at least one entry and never past `end`; anything else would make us
      // loop or skip, so it is the log's error.
      return MakeError(ErrorCode::kMalformed, "log " + reader.base_url() +
                                                  ": get-entries from " + std::to_string(next) +
                                                  " returned " + std::to_string(batch->size()) +
                                                  " entries");
    }
    next += batch->size();
    if (slice.empty()) {
      slice = std::move(*batch);
    } else {
      slice.insert(slice.end(), std::make_move_iterator(batch->begin()),
                   std::make_move_iterator(batch->end()));
    }
    std::lock_guard lock(mutex_);
    if (stopping_) break;
  }
  return slice;
}

void BatchPrefetcher::Run(LogReader& reader) {
  while (true) {
    uint64_t slice;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] {
        return stopping_ || failed_ || next_to_claim_ < next_to_deliver_ + max_queued_;
      });
      if (stopping_ || failed_) return;
      if (start_ + next_to_claim_ * slice_size_ >= end_) return;  // every slice is claimed
      slice = next_to_claim_++;
    }
    uint64_t first = start_ + slice * slice_size_;
    Result<std::vector<LogEntry>> fetched =
        FetchSlice(reader, first, std::min(end_, first + slice_size_));
    std::lock_guard lock(mutex_);
    if (!fetched) failed_ = true;
    done_.emplace(slice, std::move(fetched));
    changed_.notify_all();
  }
}

Result<std::vector<LogEntry>> BatchPrefetcher::Next() {
  std::unique_lock lock(mutex_);
  uint64_t slices = (end_ - start_ + slice_size_ - 1) / slice_size_;
  if (next_to_deliver_ >= slices) return std::vector<LogEntry>();
  // The next slice in order: fetched, or known never to come (an earlier failure was
  // delivered already, or every thread has stopped).
  changed_.wait(lock, [this] { return done_.contains(next_to_deliver_) || threads_.empty(); });
  auto found = done_.find(next_to_deliver_);
  if (found == done_.end()) return MakeError(ErrorCode::kInternal, "prefetcher has no readers");
  Result<std::vector<LogEntry>> slice = std::move(found->second);
  done_.erase(found);
  if (slice) {
    ++next_to_deliver_;
  } else {
    next_to_deliver_ = slices;  // the range is abandoned
  }
  changed_.notify_all();
  return slice;
}

}  // namespace ctkit
