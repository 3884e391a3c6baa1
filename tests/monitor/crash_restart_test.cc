// `ctkit monitor` killed with SIGKILL at random moments while it syncs a real, growing
// `ctkit log serve` log, then run to the end: its database must hold exactly what a clean run's
// holds (findings, their log entries, alerts, the log's position and compact range), nothing lost
// and nothing twice, and every alert must reach the sink (once more at most after a kill between
// sending it and recording that it was sent). See docs/reliability.md.
//
// The seed of the kill schedule is printed; CTKIT_TEST_SEED=<n> replays one.

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <set>
#include <thread>

#include "logclient/log_client.h"
#include "storage/sqlite.h"
#include "tests/cert_factory.h"
#include "tests/monitor/monitor_process.h"
#include "tests/test_support.h"

namespace ctkit {
namespace {

using ::ctkit::testing::JsonLines;
using ::ctkit::testing::LocalLog;
using ::ctkit::testing::ReadFile;
using ::ctkit::testing::RunCtkitProcess;
using Clock = std::chrono::steady_clock;

// Rows of `sql` (its first `columns` columns as text), as a multiset: equal content, whatever
// the row ids.
std::multiset<std::string> Rows(const std::string& db_path, const std::string& sql,
                                int columns = 2) {
  std::multiset<std::string> rows;
  Result<SqliteDatabase> db = SqliteDatabase::Open(db_path);
  EXPECT_TRUE(db) << db.error().message;
  if (!db) return rows;
  Result<SqliteStatement> select = db->Prepare(sql);
  EXPECT_TRUE(select) << select.error().message;
  if (!select) return rows;
  while (true) {
    Result<bool> row = select->Step();
    EXPECT_TRUE(row) << row.error().message;
    if (!row || !*row) break;
    std::string text;
    for (int column = 0; column < columns; ++column) text += select->ColumnText(column) + "|";
    rows.insert(text);
  }
  return rows;
}

class CrashRestartTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::TempDir("ctkit-monitor-crash"); }
  void TearDown() override { testing::RemoveTree(dir_); }

  // Adds `count` certificates (every 20th for a watched name, every 60th of those as a
  // precertificate) over four concurrent connections, so submissions share group commits.
  void Grow(const std::string& url, int count) {
    std::atomic<int> next{0};
    const int first = submitted_;
    std::vector<std::thread> clients;
    std::atomic<int> failures{0};
    for (int c = 0; c < 4; ++c) {
      clients.emplace_back([&] {
        Result<LogClient> client = LogClient::Create(url, nullptr, {});
        if (!client) {
          ++failures;
          return;
        }
        for (int i = next++; i < count; i = next++) {
          int n = first + i;
          bool watched = n % 20 == 0;
          bool precert = watched && n % 60 == 0;
          std::string name = "h" + std::to_string(n) + (watched ? ".example.com" : ".other.org");
          std::vector<Bytes> chain = {ca_.IssueLeaf(name, 1000 + n, precert), ca_.der()};
          Result<SignedCertificateTimestamp> sct =
              precert ? client->AddPreChain(chain) : client->AddChain(chain);
          if (!sct) ++failures;
        }
      });
    }
    for (std::thread& client : clients) client.join();
    ASSERT_EQ(failures.load(), 0);
    submitted_ += count;
    // The log integrates within its MMD (0.2 s); wait until its head covers everything.
    Result<LogClient> client = LogClient::Create(url, nullptr, {});
    ASSERT_TRUE(client);
    for (int attempt = 0; attempt < 200; ++attempt) {
      Result<SignedTreeHead> head = client->GetUnverifiedSth();
      if (head && head->tree_size == static_cast<uint64_t>(submitted_)) return;
      usleep(50 * 1000);
    }
    FAIL() << "the log never integrated " << submitted_ << " entries";
  }

  std::string dir_;
  testing::TestCa ca_{"Rogue CA"};
  int submitted_ = 0;
};

TEST_F(CrashRestartTest, KillNineDuringSyncLosesNothingAndDuplicatesNothing) {
  uint32_t seed = std::random_device{}();
  if (const char* fixed = std::getenv("CTKIT_TEST_SEED")) seed = std::strtoul(fixed, nullptr, 10);
  std::cout << "kill schedule seed: " << seed << " (CTKIT_TEST_SEED=" << seed << " replays it)\n";
  RecordProperty("seed", std::to_string(seed));
  std::mt19937 random(seed);

  LocalLog alpha(dir_, "alpha");
  ASSERT_GT(alpha.process->port(), 0);
  testing::MakeLogList(dir_ + "/logs.json", {&alpha});
  std::ofstream(dir_ + "/watchlist.txt") << ".example.com\n";
  // Small get-entries batches and chunks: a sync is many requests and many commits, so the
  // kills land in every phase (start-up, head and consistency checks, downloads, commits,
  // deliveries).
  std::ofstream(dir_ + "/config.json") << R"({"defaults": {"batch_size": 16}})";
  auto args = [&](const std::string& db) {
    return std::vector<std::string>{"monitor",
                                    "--once",
                                    "--watchlist",
                                    dir_ + "/watchlist.txt",
                                    "--db",
                                    db,
                                    "--log-list",
                                    dir_ + "/logs.json",
                                    "--stdout",
                                    "--chunk-size",
                                    "48",
                                    "--config",
                                    dir_ + "/config.json"};
  };
  Grow(alpha.url, 1500);

  // Kill the monitor at random moments; between kills the log grows, as a real one does, so
  // every run has work to be interrupted in. Delays are drawn up to about how long a run takes
  // on this machine: the time of a run that finished before its kill, growing while runs are
  // all killed.
  const std::string killed_db = dir_ + "/killed.db", killed_out = dir_ + "/killed.out";
  auto typical = std::chrono::microseconds(400'000);
  int kills = 0;
  for (int attempt = 0; kills < 20 && attempt < 60; ++attempt) {
    auto delay = std::chrono::microseconds(std::uniform_int_distribution<int64_t>(
        1'000, std::max<int64_t>(2'000, typical.count()))(random));
    Clock::time_point started = Clock::now();
    int status = RunCtkitProcess(args(killed_db), killed_out, delay);
    if (status == -9) {
      ++kills;
      // Reach further into the next run (a slow machine spends longer starting up).
      typical = std::min<std::chrono::microseconds>(typical * 5 / 4, std::chrono::seconds(3));
    } else {
      ASSERT_TRUE(status == 0 || status == 1) << status;  // caught up, alerts or none
      typical = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started);
    }
    if (attempt % 2 == 1) Grow(alpha.url, 60);
  }
  std::cout << kills << " kills landed; the log grew to " << submitted_ << " entries\n";
  EXPECT_GE(kills, 10) << "too few kills landed during a run";
  int last = RunCtkitProcess(args(killed_db), killed_out, std::chrono::microseconds(-1));
  EXPECT_TRUE(last == 0 || last == 1) << last;

  // The reference: one clean run over the whole log.
  const std::string clean_db = dir_ + "/clean.db", clean_out = dir_ + "/clean.out";
  ASSERT_EQ(RunCtkitProcess(args(clean_db), clean_out, std::chrono::microseconds(-1)), 1);
  std::vector<nlohmann::json> clean_alerts = JsonLines(ReadFile(clean_out));
  ASSERT_EQ(clean_alerts.size(), static_cast<size_t>((submitted_ + 19) / 20));

  // Same findings, each entry once (finding_entries' key is (log, index), so compare content).
  const std::string findings_sql =
      "SELECT f.tbs_sha256, f.names, e.entry_index, e.entry_type FROM findings f "
      "JOIN finding_entries e ON e.finding = f.id";
  std::multiset<std::string> clean_findings = Rows(clean_db, findings_sql, 4);
  EXPECT_EQ(clean_findings.size(), clean_alerts.size());
  EXPECT_EQ(Rows(killed_db, findings_sql, 4), clean_findings);
  // Same alerts (by deduplication key and content of what they say), none twice.
  const std::string alerts_sql =
      "SELECT key, event, json_extract(body, '$.finding.tbs_sha256') FROM alerts";
  EXPECT_EQ(Rows(killed_db, alerts_sql, 3), Rows(clean_db, alerts_sql, 3));
  // Same position and compact range; nothing malformed, nothing left undelivered.
  const std::string position_sql = "SELECT verified_size, hex(frontier) FROM logs";
  EXPECT_EQ(Rows(killed_db, position_sql), Rows(clean_db, position_sql));
  EXPECT_EQ(Rows(killed_db, "SELECT count(*), 'm' FROM malformed_entries"),
            (std::multiset<std::string>{"0|m|"}));
  EXPECT_EQ(Rows(killed_db, "SELECT count(*), 'u' FROM deliveries WHERE delivered_ms = 0"),
            (std::multiset<std::string>{"0|u|"}));

  // Every alert reached the sink, none more than twice.
  std::map<std::string, int> delivered;
  for (const nlohmann::json& alert : JsonLines(ReadFile(killed_out))) {
    ++delivered[alert["finding"]["tbs_sha256"].get<std::string>()];
  }
  ASSERT_EQ(delivered.size(), clean_alerts.size());
  for (const nlohmann::json& alert : clean_alerts) {
    int count = delivered[alert["finding"]["tbs_sha256"].get<std::string>()];
    EXPECT_GE(count, 1);
    EXPECT_LE(count, 2);
  }
}

}  // namespace
}  // namespace ctkit
