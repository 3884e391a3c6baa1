// Group commit in LogDatabase (logserver/log_database.h): concurrent AppendEntry calls share one
// transaction, nobody is answered before the transaction holding their entry has committed, and
// duplicates (within a batch or against an earlier one) are stored once.
//
// The tests hold a batch inside its transaction with the before-commit hook and look at the
// database through a connection of their own, which (WAL) only sees committed transactions.
// Nothing here depends on timing: the tests wait for states, they never measure.

#include "logserver/log_database.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "storage/sqlite.h"

namespace ctkit {
namespace {

class LogDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/ctkit-logdb-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    Result<std::unique_ptr<LogDatabase>> db = LogDatabase::Open(path());
    ASSERT_TRUE(db) << db.error().message;
    db_ = std::move(*db);
  }
  void TearDown() override {
    db_.reset();
    (void)system(("rm -rf " + dir_).c_str());
  }
  std::string path() const { return dir_ + "/log.db"; }

  // An entry whose fields are all derived from `name`; its "SCT" is the name's bytes.
  static LogDatabase::NewEntry Entry(const std::string& name) {
    Bytes bytes(name.begin(), name.end());
    LogDatabase::NewEntry entry{
        .dedup_key = Sha256(bytes), .leaf_input = bytes, .extra_data = {}, .sct = bytes};
    entry.leaf_hash = Sha256(entry.leaf_input);
    return entry;
  }

  // Entries committed, as another process would see them.
  int64_t CommittedEntries() {
    Result<SqliteDatabase> other = SqliteDatabase::Open(path());
    EXPECT_TRUE(other);
    Result<SqliteStatement> count = other->Prepare("SELECT COUNT(*) FROM entries");
    EXPECT_TRUE(count && *count->Step());
    return count->ColumnInt(0);
  }

  template <typename Predicate>
  static void WaitFor(Predicate done) {
    while (!done()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }

  std::string dir_;
  std::unique_ptr<LogDatabase> db_;
};

TEST_F(LogDatabaseTest, BatchIsAnsweredOnlyAfterItCommitsAndDuplicatesLandOnce) {
  // The hook holds every batch in its transaction until the test releases it, and records what
  // was committed and who had been answered at that moment.
  struct Observation {
    int64_t committed;
    int answered;  // of the ten submitters queued behind the first
  };
  std::mutex mutex;
  std::condition_variable changed;
  int batches_held = 0, batches_released = 0;
  std::vector<Observation> observations;
  std::atomic<int> answered = 0;  // the ten
  db_->SetBeforeCommitHookForTesting([&] {
    Observation seen{CommittedEntries(), answered.load()};
    std::unique_lock lock(mutex);
    observations.push_back(seen);
    int mine = ++batches_held;
    changed.notify_all();
    changed.wait(lock, [&] { return batches_released >= mine; });
  });
  auto release = [&] {
    std::lock_guard lock(mutex);
    ++batches_released;
    changed.notify_all();
  };

  // The first submitter becomes the writer of a batch of one, held uncommitted.
  Result<LogDatabase::Appended> first_result;
  std::thread first([&] { first_result = db_->AppendEntry(Entry("first")); });
  {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return batches_held == 1; });
  }
  // Meanwhile ten more queue up: eight new names, one of them twice, and "first" again.
  std::vector<std::string> names = {"a", "b", "c", "d", "e", "f", "g", "h", "c", "first"};
  std::vector<Result<LogDatabase::Appended>> results(names.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < names.size(); ++i) {
    threads.emplace_back([&, i] {
      results[i] = db_->AppendEntry(Entry(names[i]));
      ++answered;
    });
  }
  WaitFor([&] { return db_->QueuedForTesting() == names.size(); });
  EXPECT_EQ(answered.load(), 0);

  release();  // the first batch commits; one of the ten becomes the writer of all ten
  {
    std::unique_lock lock(mutex);
    changed.wait(lock, [&] { return batches_held == 2; });
  }
  first.join();  // answered after its own commit, while the ten are still uncommitted
  EXPECT_EQ(answered.load(), 0);
  release();
  for (std::thread& thread : threads) thread.join();

  ASSERT_EQ(observations.size(), 2u);
  EXPECT_EQ(observations[0].committed, 0);  // "first" held: not visible to anyone yet
  EXPECT_EQ(observations[1].committed, 1);  // the ten held: only "first" is visible
  EXPECT_EQ(observations[1].answered, 0);   // and none of the ten was answered
  EXPECT_EQ(answered.load(), 10);

  ASSERT_TRUE(first_result) << first_result.error().message;
  EXPECT_EQ(first_result->index, 0u);
  EXPECT_FALSE(first_result->duplicate);
  std::map<std::string, std::vector<LogDatabase::Appended>> by_name;
  for (size_t i = 0; i < names.size(); ++i) {
    ASSERT_TRUE(results[i]) << names[i] << ": " << results[i].error().message;
    by_name[names[i]].push_back(*results[i]);
  }
  // "first" again: the earlier batch's entry; "c" twice in one batch: one entry, one SCT.
  EXPECT_TRUE(by_name["first"][0].duplicate);
  EXPECT_EQ(by_name["first"][0].index, 0u);
  EXPECT_EQ(by_name["first"][0].sct, Entry("first").sct);
  ASSERT_EQ(by_name["c"].size(), 2u);
  EXPECT_EQ(by_name["c"][0].index, by_name["c"][1].index);
  EXPECT_EQ(by_name["c"][0].sct, by_name["c"][1].sct);
  EXPECT_NE(by_name["c"][0].duplicate, by_name["c"][1].duplicate);
  // Eight new entries at indices 1..8, each once.
  std::set<uint64_t> indices;
  for (const auto& [name, appended] : by_name) {
    if (name != "first") indices.insert(appended[0].index);
  }
  EXPECT_EQ(indices, (std::set<uint64_t>{1, 2, 3, 4, 5, 6, 7, 8}));

  EXPECT_EQ(CommittedEntries(), 9);
  EXPECT_EQ(*db_->EntryCount(), 9u);
  LogDatabase::CommitStats stats = db_->commit_stats();
  EXPECT_EQ(stats.transactions, 2u);  // ten submissions, one transaction
  EXPECT_EQ(stats.entries, 9u);
}

TEST_F(LogDatabaseTest, FailedFinishFailsOnlyItsEntryAndUsesNoIndex) {
  ASSERT_TRUE(db_->AppendEntry(Entry("zero")));
  Result<LogDatabase::Appended> failed =
      db_->AppendEntry(Entry("broken"), [](uint64_t, LogDatabase::NewEntry&) -> Result<void> {
        return MakeError(ErrorCode::kInternal, "signing failed");
      });
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message, "signing failed");
  uint64_t finished_at = 0;
  Result<LogDatabase::Appended> next = db_->AppendEntry(
      Entry("one"), [&](uint64_t index, LogDatabase::NewEntry& entry) -> Result<void> {
        finished_at = index;
        entry.sct = {static_cast<uint8_t>(index)};  // e.g. an SCT naming its leaf_index
        return {};
      });
  ASSERT_TRUE(next) << next.error().message;
  EXPECT_EQ(next->index, 1u);
  EXPECT_EQ(finished_at, 1u);
  EXPECT_EQ(next->sct, Bytes{1});
  EXPECT_FALSE(*db_->FindByDedupKey(Entry("broken").dedup_key));
  Result<std::optional<StoredEntry>> stored = db_->FindByDedupKey(Entry("one").dedup_key);
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->sct, Bytes{1});
}

// Many writers at once, no hook: every entry lands exactly once at a distinct index, and the
// commits were shared (fewer transactions than entries is not asserted: it depends on timing).
TEST_F(LogDatabaseTest, ManyConcurrentWritersEachEntryOnce) {
  constexpr int kThreads = 16, kPerThread = 20;
  std::vector<std::vector<uint64_t>> indices(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        // Every thread also submits "shared-i": sixteen concurrent duplicates of each.
        Result<LogDatabase::Appended> own =
            db_->AppendEntry(Entry("t" + std::to_string(t) + "-" + std::to_string(i)));
        Result<LogDatabase::Appended> shared =
            db_->AppendEntry(Entry("shared-" + std::to_string(i)));
        if (own && !own->duplicate) indices[t].push_back(own->index);
        if (!shared) indices[t].push_back(UINT64_MAX);  // shows up as a wrong count below
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::set<uint64_t> all;
  for (const std::vector<uint64_t>& list : indices) {
    EXPECT_EQ(list.size(), static_cast<size_t>(kPerThread));
    all.insert(list.begin(), list.end());
  }
  EXPECT_EQ(all.size(), static_cast<size_t>(kThreads * kPerThread));
  uint64_t expected = kThreads * kPerThread + kPerThread;  // own entries and one of each shared
  EXPECT_EQ(*db_->EntryCount(), expected);
  EXPECT_EQ(CommittedEntries(), static_cast<int64_t>(expected));
  EXPECT_EQ(db_->commit_stats().entries, expected);
  // Indices are dense: the sequencer integrates [0, count) with no gap.
  Result<std::vector<StoredEntry>> entries = db_->ReadEntries(0, expected);
  ASSERT_TRUE(entries);
  ASSERT_EQ(entries->size(), expected);
  for (uint64_t i = 0; i < expected; ++i) EXPECT_EQ((*entries)[i].index, i);
}

}  // namespace
}  // namespace ctkit
