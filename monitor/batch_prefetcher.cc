#include "monitor/batch_prefetcher.h"

#include <algorithm>

namespace ctkit {

BatchPrefetcher::BatchPrefetcher(std::vector<LogReader*> readers, uint64_t start, uint64_t end,
                                 uint64_t slice_size, size_t max_queued)
    : start_(start),
      end_(std::max(start, end)),
      slice_size_(slice_size ? slice_size : 1),
      max_queued_(max_queued ? max_queued : 1) {
  spent_.resize(readers.size());
  exited_.resize(readers.size());
  threads_.reserve(readers.size());
  for (size_t i = 0; i < readers.size(); ++i) {
    threads_.emplace_back([this, i, reader = readers[i]] { Run(i, *reader); });
  }
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
  uint64_t ask = end - first;  // entries asked for at once; halved while an answer will not read
  uint64_t unread_in_a_row = 0;
  while (next < end) {
    ask = std::min(ask, end - next);  // >= 1
    Result<std::vector<LogEntry>> batch = reader.GetEntriesBatch(next, next + ask - 1);
    if (!batch && batch.error().code == ErrorCode::kTooLarge) {
      // Over a size cap: narrow down to the entry at fault, which alone is then left unread,
      // so the entries around it are still read.
      if (ask > 1) {
        ask /= 2;
        continue;
      }
      if (++unread_in_a_row > kMaxUnreadableInARow) {
        return MakeError(ErrorCode::kTooLarge,
                         "log " + reader.base_url() + ": " + std::to_string(unread_in_a_row) +
                             " entries in a row from " +
                             std::to_string(next + 1 - unread_in_a_row) +
                             " are over the caps; the log's answers, not one entry (" +
                             batch.error().message + ")");
      }
      LogEntry unread{.index = next, .parse_error = batch.error().message, .unreadable = true};
      batch = std::vector<LogEntry>();
      batch->push_back(std::move(unread));
    }
    if (!batch) return std::unexpected(batch.error());
    if (batch->empty() || batch->size() > ask) {
      // Readers return at least one entry and never past the end asked for; anything else would
      // make us loop or skip, so it is the log's error.
      return MakeError(ErrorCode::kMalformed, "log " + reader.base_url() + ": get-entries from " +
                                                  std::to_string(next) + " returned " +
                                                  std::to_string(batch->size()) + " entries");
    }
    if (!batch->front().unreadable) unread_in_a_row = 0;
    next += batch->size();
    ask *= 2;  // back up gradually: a log that serves many bad entries costs a request each
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

void BatchPrefetcher::Run(size_t thread, LogReader& reader) {
  std::vector<std::vector<LogEntry>> spent;
  while (true) {
    spent.clear();  // frees the slices this thread fetched and the caller gave back
    uint64_t slice;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this, thread] {
        return stopping_ || failed_ || next_to_claim_ < next_to_deliver_ + max_queued_ ||
               !spent_[thread].empty();
      });
      if (!spent_[thread].empty()) {
        spent.swap(spent_[thread]);
        continue;
      }
      // Done: no new slice, or every slice is claimed.
      if (stopping_ || failed_ || start_ + next_to_claim_ * slice_size_ >= end_) {
        exited_[thread] = true;
        return;
      }
      slice = next_to_claim_++;
    }
    uint64_t first = start_ + slice * slice_size_;
    Result<std::vector<LogEntry>> fetched =
        FetchSlice(reader, first, std::min(end_, first + slice_size_));
    std::lock_guard lock(mutex_);
    if (!fetched) failed_ = true;
    done_.emplace(slice, Fetched{std::move(fetched), thread});
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
  Result<std::vector<LogEntry>> slice = std::move(found->second.entries);
  last_delivered_thread_ = found->second.thread;
  done_.erase(found);
  if (slice) {
    ++next_to_deliver_;
  } else {
    next_to_deliver_ = slices;  // the range is abandoned
  }
  changed_.notify_all();
  return slice;
}

void BatchPrefetcher::Recycle(std::vector<LogEntry> slice) {
  if (slice.empty()) return;
  {
    std::lock_guard lock(mutex_);
    // A thread that has returned frees nothing more: the slice is then freed here, now.
    if (exited_[last_delivered_thread_]) return;
    spent_[last_delivered_thread_].push_back(std::move(slice));
  }
  changed_.notify_all();
}

}  // namespace ctkit
