// MonitorStore's crash safety and bounds. After a torn write: the database and its write-ahead log
// are copied as a crash would leave them (the WAL cut at a random offset, or its tail overwritten
// with garbage, as a power cut in the middle of a write might), then opened. SQLite must find the
// database intact (PRAGMA integrity_check), the store must open, and what it holds must be a
// prefix of the commits: a position together with exactly the findings and alerts of the chunks
// it covers (one transaction each), and never less than what a checkpoint had already moved into
// the database file. See docs/reliability.md for the settings (WAL, synchronous=FULL).

#include "monitor/monitor_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>

#include "monitor/monitor_daemon.h"
#include "storage/sqlite.h"
#include "tests/test_support.h"

namespace ctkit {
namespace {

namespace fs = std::filesystem;

constexpr uint64_t kChunk = 10;  // entries per commit

ChunkCommit ChunkWithOneFinding(int64_t log, uint64_t end) {
  std::string tbs = std::to_string(end);
  tbs.insert(0, 64 - tbs.size(), '0');
  Finding finding{.tbs_sha256 = tbs,
                  .sha256 = tbs,
                  .names = {"n" + std::to_string(end) + ".example.com"},
                  .watch_items = {".example.com"},
                  .entries = {{.log = "http://log/", .index = end - 1, .entry_type = "x509"}},
                  // Some bulk, so a commit spans several WAL pages.
                  .certificate = Bytes(3000, static_cast<uint8_t>(end))};
  return ChunkCommit{
      .log = log,
      .new_verified_size = end,
      .new_frontier = {MerkleHash{}},
      .findings = {finding},
      .alerts = {{.key = "unexpected_cert:" + tbs, .event = "unexpected_cert", .body_json = "{}"}}};
}

std::string Scalar(SqliteDatabase& db, const std::string& sql) {
  Result<SqliteStatement> select = db.Prepare(sql);
  EXPECT_TRUE(select) << select.error().message;
  if (!select) return "";
  Result<bool> row = select->Step();
  EXPECT_TRUE(row && *row);
  return row && *row ? select->ColumnText(0) : "";
}

class MonitorStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::TempDir("ctkit-store-torn"); }
  void TearDown() override { testing::RemoveTree(dir_); }

  // Copies the database and its WAL as they are on disk right now (what a crash leaves).
  void Snapshot(const std::string& name) {
    fs::create_directories(dir_ + "/" + name);
    fs::copy_file(dir_ + "/m.db", dir_ + "/" + name + "/m.db");
    if (fs::exists(dir_ + "/m.db-wal")) {
      fs::copy_file(dir_ + "/m.db-wal", dir_ + "/" + name + "/m.db-wal");
    }
  }

  // Opens a torn copy and checks it: intact, a prefix of the commits, at least `at_least`.
  // Records the position it holds in `positions_`.
  void ExpectConsistent(const std::string& path, uint64_t at_least, uint64_t at_most) {
    SCOPED_TRACE(path);
    {
      Result<SqliteDatabase> raw = SqliteDatabase::Open(path);
      ASSERT_TRUE(raw) << raw.error().message;
      EXPECT_EQ(Scalar(*raw, "PRAGMA integrity_check"), "ok");
      EXPECT_EQ(Scalar(*raw, "PRAGMA journal_mode"), "wal");
    }
    Result<std::unique_ptr<MonitorStore>> store = MonitorStore::Open(path);
    ASSERT_TRUE(store) << store.error().message;
    Result<std::vector<MonitoredLog>> logs = (*store)->AllLogs();
    ASSERT_TRUE(logs) << logs.error().message;
    uint64_t position = logs->empty() ? 0 : logs->front().verified_size;
    EXPECT_GE(position, at_least);
    EXPECT_LE(position, at_most);
    EXPECT_EQ(position % kChunk, 0u);
    positions_.insert(position);
    // The findings and alerts of exactly the chunks below the position.
    Result<std::vector<Finding>> findings = (*store)->QueryFindings({});
    ASSERT_TRUE(findings);
    EXPECT_EQ(findings->size(), position / kChunk);
    for (const Finding& finding : *findings) {
      ASSERT_EQ(finding.entries.size(), 1u);
      EXPECT_LT(finding.entries[0].index, position);
      EXPECT_EQ(finding.certificate.size(), 3000u);
    }
    EXPECT_EQ((*store)->Alerts(0)->size(), position / kChunk);
    // And it goes on from there: the next chunk commits.
    if (!logs->empty()) {
      Result<size_t> next = (*store)->CommitChunk(
          ChunkWithOneFinding(logs->front().id, position + kChunk), position, 1);
      EXPECT_TRUE(next) << next.error().message;
    }
  }

  std::string dir_;
  std::set<uint64_t> positions_;
};

TEST_F(MonitorStoreTest, TornWalKeepsAConsistentPrefixOfCommits) {
  uint32_t seed = std::random_device{}();
  std::cout << "torn write seed: " << seed << "\n";
  RecordProperty("seed", std::to_string(seed));
  std::mt19937 random(seed);

  std::unique_ptr<MonitorStore> store = std::move(*MonitorStore::Open(dir_ + "/m.db"));
  store->SetSinks({"stdout"});
  int64_t log = *store->UpsertLog(Bytes(32, 1), "http://log/", "log");
  constexpr int kCommits = 24, kCheckpointAfter = 12;
  uint64_t checkpointed = 0;
  for (int i = 0; i < kCommits; ++i) {
    uint64_t start = i * kChunk;
    ASSERT_TRUE(store->CommitChunk(ChunkWithOneFinding(log, start + kChunk), start, 1));
    if (i + 1 == kCheckpointAfter) {
      // Another connection moves the WAL into the database file, as SQLite's automatic
      // checkpoint does every 1000 pages; later commits overwrite the WAL from its start.
      Result<SqliteDatabase> other = SqliteDatabase::Open(dir_ + "/m.db");
      ASSERT_TRUE(other);
      ASSERT_TRUE(other->Execute("PRAGMA wal_checkpoint(FULL)"));
      checkpointed = start + kChunk;
    }
  }
  const uint64_t committed = kCommits * kChunk;
  // Two copies: opening one checkpoints and removes its WAL when it is closed, so the torn
  // copies are made from the other, never opened.
  Snapshot("whole");
  Snapshot("source");
  ExpectConsistent(dir_ + "/whole/m.db", committed, committed);  // a clean copy loses nothing

  const uintmax_t wal_size = fs::file_size(dir_ + "/source/m.db-wal");
  ASSERT_GT(wal_size, 32u);
  for (int trial = 0; trial < 12; ++trial) {
    std::string name = "torn" + std::to_string(trial);
    fs::create_directories(dir_ + "/" + name);
    fs::copy_file(dir_ + "/source/m.db", dir_ + "/" + name + "/m.db");
    fs::copy_file(dir_ + "/source/m.db-wal", dir_ + "/" + name + "/m.db-wal");
    uintmax_t cut = std::uniform_int_distribution<uintmax_t>(0, wal_size)(random);
    if (trial % 2 == 0) {
      fs::resize_file(dir_ + "/" + name + "/m.db-wal", cut);  // the rest never reached the disk
    } else {
      // Garbage where the last writes were (a sector written half, or not at all).
      std::fstream wal(dir_ + "/" + name + "/m.db-wal",
                       std::ios::in | std::ios::out | std::ios::binary);
      wal.seekp(static_cast<std::streamoff>(cut));
      for (uintmax_t i = cut; i < std::min(wal_size, cut + 4096); ++i) {
        wal.put(static_cast<char>(random()));
      }
    }
    ExpectConsistent(dir_ + "/" + name + "/m.db", checkpointed, committed);
  }
  // The cuts really tore commits off (a test that never lost anything would prove nothing).
  EXPECT_GT(positions_.size(), 1u);
  EXPECT_LT(*positions_.begin(), committed);
}

// A sink that was down for long leaves many deliveries pending; they are read a page at a time.
TEST_F(MonitorStoreTest, PendingDeliveriesComeInBoundedPages) {
  std::unique_ptr<MonitorStore> store = std::move(*MonitorStore::Open(dir_ + "/m.db"));
  store->SetSinks({"a", "b"});
  int64_t log = *store->UpsertLog(Bytes(32, 1), "http://log/", "log");
  for (uint64_t end = kChunk; end <= 25 * kChunk; end += kChunk) {
    ASSERT_TRUE(store->CommitChunk(ChunkWithOneFinding(log, end), end - kChunk, 1));
  }
  ASSERT_TRUE(store->MarkDelivered(1, "a", 2));  // one already went out
  std::vector<std::pair<int64_t, std::string>> seen;
  DeliveryCursor cursor;
  for (int page = 0; page < 10; ++page) {
    Result<std::vector<PendingDelivery>> pending = store->PendingDeliveries(10, 7, cursor);
    ASSERT_TRUE(pending) << pending.error().message;
    EXPECT_LE(pending->size(), 7u);
    for (const PendingDelivery& delivery : *pending) {
      seen.emplace_back(delivery.alert_id, delivery.sink);
      cursor = {delivery.alert_id, delivery.sink};
    }
    if (pending->size() < 7) break;
  }
  ASSERT_EQ(seen.size(), 49u);  // 25 alerts, 2 sinks, 1 delivered
  EXPECT_EQ(seen.front(), (std::pair<int64_t, std::string>{1, "b"}));
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(std::adjacent_find(seen.begin(), seen.end()), seen.end());
}

// The dispatcher reads those pages until the backlog is empty: a backlog larger than a page is
// delivered whole, each delivery once.
TEST_F(MonitorStoreTest, DaemonDeliversABacklogLargerThanAPage) {
  std::unique_ptr<MonitorStore> store = std::move(*MonitorStore::Open(dir_ + "/m.db"));
  store->SetSinks({"count"});
  int64_t log = *store->UpsertLog(Bytes(32, 1), "http://log/", "log");
  constexpr uint64_t kAlerts = 300;  // more than a page of 256
  for (uint64_t end = kChunk; end <= kAlerts * kChunk; end += kChunk) {
    ASSERT_TRUE(store->CommitChunk(ChunkWithOneFinding(log, end), end - kChunk, 1));
  }
  std::multiset<std::string> delivered;
  NamedSink sink{.name = "count", .deliver = [&](const std::string& body, const Bytes& der) {
                   delivered.insert(std::to_string(der.size()) + body);
                   return Result<void>{};
                 }};
  MonitorDaemon daemon(
      *store, {}, [](std::span<const std::string>) { return std::vector<std::string>{}; },
      Expectations{}, {sink}, MonitorOptions{});
  EXPECT_EQ(daemon.DeliverPending(), 0u);
  EXPECT_EQ(delivered.size(), kAlerts);
  EXPECT_EQ(store->DeliveryCounts(10)->first, 0);  // nothing pending
  EXPECT_EQ(daemon.DeliverPending(), 0u);
  EXPECT_EQ(delivered.size(), kAlerts);  // and nothing sent twice
}

}  // namespace
}  // namespace ctkit
