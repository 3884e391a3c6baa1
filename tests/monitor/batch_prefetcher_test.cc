#include "monitor/batch_prefetcher.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>

namespace ctkit {
namespace {

// Serves entries [0, size) in batches of `batch`, failing at `fail_at`, and records the calls.
class CountingReader : public LogReader {
 public:
  CountingReader(uint64_t batch, uint64_t fail_at, bool empty_answer = false)
      : batch_(batch), fail_at_(fail_at), empty_answer_(empty_answer) {}
  const std::string& base_url() const override { return url_; }
  Result<SignedTreeHead> GetSth() override { return SignedTreeHead{}; }
  Result<std::vector<LogEntry>> GetEntriesBatch(uint64_t start, uint64_t end) override {
    ++requests;
    if (start >= fail_at_)
      return MakeError(ErrorCode::kNetwork, "down at " + std::to_string(start));
    for (uint64_t bad : unreadable) {
      if (start <= bad && bad <= end && bad < start + batch_) {
        return MakeError(ErrorCode::kTooLarge, "response larger than 64 bytes");
      }
    }
    std::vector<LogEntry> entries;
    if (empty_answer_) return entries;
    for (uint64_t i = start; i <= end && i < start + batch_; ++i) entries.push_back({.index = i});
    return entries;
  }
  Result<std::vector<MerkleHash>> GetSthConsistency(uint64_t, uint64_t) override { return {}; }
  Result<EntryAndProof> GetEntryAndProof(uint64_t, uint64_t) override {
    return MakeError(ErrorCode::kUnsupported, "no");
  }
  Result<void> VerifyConsistencyBetween(const SignedTreeHead&, const SignedTreeHead&) override {
    return {};
  }
  LogClientStats http_stats() const override { return {}; }  // no HTTP

  std::vector<uint64_t> unreadable;  // entries that make any answer holding them kTooLarge
  std::atomic<int> requests = 0;

 private:
  std::string url_ = "http://log.test/";
  uint64_t batch_, fail_at_;
  bool empty_answer_;
};

TEST(BatchPrefetcherTest, DeliversTheRangeInOrderThenAnEmptyBatch) {
  CountingReader reader(7, UINT64_MAX);
  BatchPrefetcher prefetcher({&reader}, 5, 100, 7, 2);
  uint64_t next = 5;
  while (true) {
    Result<std::vector<LogEntry>> batch = prefetcher.Next();
    ASSERT_TRUE(batch);
    if (batch->empty()) break;
    for (const LogEntry& entry : *batch) EXPECT_EQ(entry.index, next++);
  }
  EXPECT_EQ(next, 100u);
  EXPECT_TRUE(prefetcher.Next()->empty());
}

TEST(BatchPrefetcherTest, ErrorsArriveAfterTheBatchesBeforeThem) {
  CountingReader reader(10, 30);
  BatchPrefetcher prefetcher({&reader}, 0, 100, 10);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(prefetcher.Next());
  Result<std::vector<LogEntry>> failed = prefetcher.Next();
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::kNetwork);
}

TEST(BatchPrefetcherTest, AnEmptyAnswerIsTheLogsErrorNotAnEndlessLoop) {
  CountingReader reader(10, UINT64_MAX, /*empty_answer=*/true);
  BatchPrefetcher prefetcher({&reader}, 0, 100, 10);
  Result<std::vector<LogEntry>> batch = prefetcher.Next();
  ASSERT_FALSE(batch);
  EXPECT_EQ(batch.error().code, ErrorCode::kMalformed);
}

// An answer over the caps is asked again for half as many entries, down to the one at fault,
// which comes as a placeholder; every other entry is read, in order, in a few requests.
TEST(BatchPrefetcherTest, AnEntryThatDoesNotReadIsIsolatedAndPassedOn) {
  CountingReader reader(1000, UINT64_MAX);
  reader.unreadable = {0, 37, 38, 511, 1023};
  BatchPrefetcher prefetcher({&reader}, 0, 1024, 1024);
  Result<std::vector<LogEntry>> slice = prefetcher.Next();
  ASSERT_TRUE(slice) << slice.error().message;
  ASSERT_EQ(slice->size(), 1024u);
  for (uint64_t i = 0; i < 1024; ++i) {
    const LogEntry& entry = (*slice)[i];
    EXPECT_EQ(entry.index, i);
    bool bad =
        std::find(reader.unreadable.begin(), reader.unreadable.end(), i) != reader.unreadable.end();
    EXPECT_EQ(entry.unreadable, bad) << i;
    if (bad) {
      EXPECT_EQ(entry.parse_error, "response larger than 64 bytes");
    }
  }
  EXPECT_TRUE(prefetcher.Next()->empty());
  // Five bad entries in 1024: about two halvings per power of two each, not 1024 requests.
  EXPECT_LT(reader.requests.load(), 120);
}

// A run of entries over the caps is the log's answers, not one entry: the slice fails.
TEST(BatchPrefetcherTest, ManyUnreadableEntriesInARowFailTheSlice) {
  CountingReader reader(1000, UINT64_MAX);
  for (uint64_t i = 100; i < 100 + kMaxUnreadableInARow + 1; ++i) reader.unreadable.push_back(i);
  BatchPrefetcher prefetcher({&reader}, 0, 1024, 1024);
  Result<std::vector<LogEntry>> failed = prefetcher.Next();
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::kTooLarge);
  EXPECT_NE(failed.error().message.find("9 entries in a row from 100"), std::string::npos)
      << failed.error().message;
}

// Other errors are the log's, for the whole slice: a network error is not an unreadable entry.
TEST(BatchPrefetcherTest, NetworkErrorsAreNotUnreadableEntries) {
  CountingReader reader(3, 5);
  BatchPrefetcher prefetcher({&reader}, 0, 10, 10);
  Result<std::vector<LogEntry>> failed = prefetcher.Next();
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::kNetwork);
}

TEST(BatchPrefetcherTest, StopsCleanlyWhenAbandoned) {
  CountingReader reader(1, UINT64_MAX);
  {
    BatchPrefetcher prefetcher({&reader, &reader}, 0, 1'000'000, 1, 4);
    ASSERT_TRUE(prefetcher.Next());
  }
  SUCCEED();  // the destructor joined a thread that was still fetching
}

// Three connections, slices longer than the log's answers (short reads are completed): every
// entry once, in order, in slices of exactly the slice size but the last.
TEST(BatchPrefetcherTest, ParallelReadersDeliverWholeSlicesInOrder) {
  CountingReader a(7, UINT64_MAX), b(7, UINT64_MAX), c(7, UINT64_MAX);
  BatchPrefetcher prefetcher({&a, &b, &c}, 3, 250, 20, 3);
  uint64_t next = 3;
  while (true) {
    Result<std::vector<LogEntry>> slice = prefetcher.Next();
    ASSERT_TRUE(slice);
    if (slice->empty()) break;
    EXPECT_EQ(slice->size(), std::min<uint64_t>(20, 250 - next));
    for (const LogEntry& entry : *slice) ASSERT_EQ(entry.index, next++);
  }
  EXPECT_EQ(next, 250u);
}

// Consumed slices handed back (to be freed by the threads that fetched them) change nothing
// the caller sees: every entry once, in order, whether a thread is still fetching, waiting, or
// has returned; slices still queued for freeing when the prefetcher goes are freed with it.
TEST(BatchPrefetcherTest, RecycledSlicesChangeNothingTheCallerSees) {
  for (size_t max_queued : {1, 4}) {
    CountingReader a(7, UINT64_MAX), b(7, UINT64_MAX);
    BatchPrefetcher prefetcher({&a, &b}, 0, 500, 16, max_queued);
    uint64_t next = 0;
    while (true) {
      Result<std::vector<LogEntry>> slice = prefetcher.Next();
      ASSERT_TRUE(slice);
      if (slice->empty()) break;
      for (LogEntry& entry : *slice) {
        ASSERT_EQ(entry.index, next++);
        entry.leaf_input.assign(100, static_cast<uint8_t>(entry.index));  // something to free
      }
      prefetcher.Recycle(std::move(*slice));
    }
    EXPECT_EQ(next, 500u);
    prefetcher.Recycle({});  // nothing delivered since: ignored
    EXPECT_TRUE(prefetcher.Next()->empty());
  }
  CountingReader reader(4, UINT64_MAX);
  BatchPrefetcher abandoned({&reader, &reader}, 0, 1'000'000, 8, 2);
  Result<std::vector<LogEntry>> first = abandoned.Next();
  ASSERT_TRUE(first);
  abandoned.Recycle(std::move(*first));
}

TEST(BatchPrefetcherTest, ParallelReadersDeliverAnErrorAfterEverySliceBeforeIt) {
  CountingReader a(10, 100), b(10, 100);
  BatchPrefetcher prefetcher({&a, &b}, 0, 1000, 10, 4);
  for (uint64_t i = 0; i < 10; ++i) {
    Result<std::vector<LogEntry>> slice = prefetcher.Next();
    ASSERT_TRUE(slice) << i;
    ASSERT_EQ(slice->front().index, i * 10);
  }
  Result<std::vector<LogEntry>> failed = prefetcher.Next();
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().code, ErrorCode::kNetwork);
  EXPECT_TRUE(prefetcher.Next()->empty());
}

}  // namespace
}  // namespace ctkit
