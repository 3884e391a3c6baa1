// BatchPrefetcher: downloads a range of log entries on background threads, ahead of the caller,
// so fetching and parsing overlap with hashing and matching, and, with more than one reader
// (each its own connection), the log's work on one slice overlaps with ours on another.
//
//   BatchPrefetcher prefetch({&reader_a, &reader_b}, start, end, 1024);  // [start, end)
//   while (Result<std::vector<LogEntry>> batch = prefetch.Next(); ...) {
//     if (!batch) return batch.error();                  // the reader's error, in order
//     if (batch->empty()) break;                         // the range is done
//   }
//
// The range is cut into slices of `slice_size` entries; each thread takes the next free slice
// and fetches all of it (a log may answer fewer entries than asked, RFC 6962 §4.6). Slices are
// delivered in log order whatever order they finish in. At most `max_queued` slices are fetched
// ahead of the caller (bounded memory whatever the log's speed). After an error no new slice
// starts, and the error arrives after every slice before it. Destroying the prefetcher stops the
// threads after their current request.

#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "base/error.h"
#include "ct/log_reader.h"

namespace ctkit {

class BatchPrefetcher {
 public:
  // `readers` must be non-empty and outlive the prefetcher; one thread each.
  BatchPrefetcher(std::vector<LogReader*> readers, uint64_t start, uint64_t end,
                  uint64_t slice_size, size_t max_queued = 8);
  ~BatchPrefetcher();
  BatchPrefetcher(const BatchPrefetcher&) = delete;
  BatchPrefetcher& operator=(const BatchPrefetcher&) = delete;

  // The next slice; an empty vector once the whole range was delivered; the reader's error
  // (after which the range is abandoned).
  Result<std::vector<LogEntry>> Next();

 private:
  void Run(LogReader& reader);
  Result<std::vector<LogEntry>> FetchSlice(LogReader& reader, uint64_t first, uint64_t end);

  const uint64_t start_;
  const uint64_t end_;
  const uint64_t slice_size_;
  const size_t max_queued_;
  std::mutex mutex_;
  std::condition_variable changed_;
  uint64_t next_to_claim_ = 0;    // slice numbers, from 0 at `start`
  uint64_t next_to_deliver_ = 0;
  std::map<uint64_t, Result<std::vector<LogEntry>>> done_;  // fetched, not yet delivered
  bool stopping_ = false;
  bool failed_ = false;  // a slice failed: claim no more
  std::vector<std::thread> threads_;
};

}  // namespace ctkit
