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
// delivered in log order whatever order they finish in.
//
// An answer over a size cap (kTooLarge: the response, or one entry's field) is asked again
// for half as many entries, down to one (and grows back by doubling after each answer that
// reads); an entry still over a cap alone is delivered as a
// placeholder (LogEntry::unreadable, parse_error saying why) for the caller to get past, and
// the entries after it are read as usual. More than kMaxUnreadableInARow such entries in a row
// fail the slice: that is the log's answers (an endless body, a static-ct-api data tile over
// the cap), not one entry, and costs a full-size download each. Any other error (the network, the
// log's status, an answer that does not parse) fails the slice: the log is failing, not one entry.
//
// At most `max_queued` slices are fetched ahead of the caller (bounded memory whatever the log's
// speed). After an error no new slice starts, and the error arrives after every slice before
// it. Destroying the prefetcher stops the threads after their current request.
//
// Recycle() hands a consumed slice back so that the thread which fetched (and allocated) it
// frees it: freeing a slice's thousands of buffers on another thread cost the caller more than
// matching them did (glibc frees into another thread's arena under its lock, past the caller's
// per-thread cache).

#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "base/error.h"
#include "logclient/log_reader.h"

namespace ctkit {

inline constexpr uint64_t kMaxUnreadableInARow = 8;

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

  // Gives back the slice the last Next() returned, once consumed, to be freed by the thread
  // that fetched it. Optional: a slice simply destroyed is freed where it is destroyed.
  void Recycle(std::vector<LogEntry> slice);

 private:
  void Run(size_t thread, LogReader& reader);
  Result<std::vector<LogEntry>> FetchSlice(LogReader& reader, uint64_t first, uint64_t end);

  const uint64_t start_;
  const uint64_t end_;
  const uint64_t slice_size_;
  const size_t max_queued_;
  std::mutex mutex_;
  std::condition_variable changed_;
  uint64_t next_to_claim_ = 0;  // slice numbers, from 0 at `start`
  uint64_t next_to_deliver_ = 0;
  struct Fetched {
    Result<std::vector<LogEntry>> entries;
    size_t thread;  // which thread fetched it
  };
  std::map<uint64_t, Fetched> done_;  // fetched, not yet delivered
  size_t last_delivered_thread_ = 0;
  // Consumed slices given back, by the thread that is to free them (bounded: a thread frees
  // its own before each slice it fetches, and only delivered slices come back).
  std::vector<std::vector<std::vector<LogEntry>>> spent_;
  std::vector<char> exited_;  // by thread: Run has returned
  bool stopping_ = false;
  bool failed_ = false;  // a slice failed: claim no more
  std::vector<std::thread> threads_;
};

}  // namespace ctkit
