// BatchPrefetcher: downloads a range of log entries on a background thread, ahead of the caller,
// so fetching and parsing one batch overlaps with hashing and matching the previous one.
//
//   BatchPrefetcher prefetch(reader, start, end);       // [start, end), end exclusive
//   while (Result<std::vector<LogEntry>> batch = prefetch.Next(); ...) {
//     if (!batch) return batch.error();                  // the reader's error, in order
//     if (batch->empty()) break;                         // the range is done
//   }
//
// Batches arrive in log order. At most `max_queued` batches wait in memory (bounded memory
// whatever the log's speed). Destroying the prefetcher stops the thread after its current
// request.

#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

#include "base/error.h"
#include "ct/log_reader.h"

namespace ctkit {

class BatchPrefetcher {
 public:
  BatchPrefetcher(LogReader& reader, uint64_t start, uint64_t end, size_t max_queued = 8);
  ~BatchPrefetcher();
  BatchPrefetcher(const BatchPrefetcher&) = delete;
  BatchPrefetcher& operator=(const BatchPrefetcher&) = delete;

  // The next batch; an empty vector once the whole range was delivered; the reader's error
  // (after which the range is abandoned).
  Result<std::vector<LogEntry>> Next();

 private:
  void Run();

  LogReader& reader_;
  const uint64_t end_;
  uint64_t next_;
  const size_t max_queued_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Result<std::vector<LogEntry>>> queue_;
  bool stopping_ = false;
  bool finished_ = false;  // the thread delivered everything (or an error)
  std::thread thread_;
};

}  // namespace ctkit
