#include "ct/log_reader.h"

#include <iterator>

namespace ctkit {

Result<std::vector<LogEntry>> LogReader::GetEntries(uint64_t start, uint64_t end) {
  if (start > end) return GetEntriesBatch(start, end);  // the same error
  std::vector<LogEntry> entries;
  uint64_t next = start;
  while (true) {
    Result<std::vector<LogEntry>> batch = GetEntriesBatch(next, end);
    if (!batch) return batch;
    uint64_t got = batch->size();  // >= 1 and <= end - next + 1
    if (entries.empty()) {
      entries = std::move(*batch);
    } else {
      std::move(batch->begin(), batch->end(), std::back_inserter(entries));
    }
    if (got > end - next) break;  // reached `end` (written to avoid overflow at UINT64_MAX)
    next += got;
  }
  return entries;
}

}  // namespace ctkit
