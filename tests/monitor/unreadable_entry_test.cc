// A hostile log holding an entry over the monitor's caps (a certificate of 1.2 MB, over the
// 1 MiB leaf_input cap), followed by a certificate for a watched name. The monitor used to fail
// at that position every round, forever, and never see the watched certificate. Now it gets
// past the entry by its leaf hash (learned from the log's consistency proof, proven with the
// chunk), raises malformed_cert naming the index, finds and alerts the watched certificate, and
// the run ends by itself. docs/monitor.md, "Entries that cannot be read".
//
// The log is a real `ctkit log serve`; the oversized entry is written into its database while
// it is stopped (no submission API would take it), then the log sequences it on restart, so
// the entry is truly in the log's signed tree.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "base/sha256.h"
#include "ct/log_entry.h"
#include "logclient/log_client.h"
#include "logclient/log_reader.h"
#include "logserver/log_database.h"
#include "tests/cert_factory.h"
#include "tests/monitor/local_logs.h"
#include "tests/run_command.h"
#include "tests/test_support.h"

namespace ctkit {
namespace {

using ::ctkit::testing::CommandResult;
using ::ctkit::testing::JsonLines;
using ::ctkit::testing::LocalLog;
using ::ctkit::testing::RunCtkit;
using ::testing::HasSubstr;

constexpr size_t kOversizedCertBytes = 1'200'000;  // over kMaxLeafInputBytes (1 MiB)

class UnreadableEntryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir("ctkit-unreadable");
    log_ = std::make_unique<LocalLog>(dir_, "hostile");
    ASSERT_GT(log_->process->port(), 0);
    watchlist_ = dir_ + "/watchlist.txt";
    std::ofstream(watchlist_) << ".example.com\n";
  }
  void TearDown() override { testing::RemoveTree(dir_); }

  void Submit(const std::string& name, int serial) {
    Result<LogClient> client = LogClient::Create(log_->url, nullptr, {});
    ASSERT_TRUE(client);
    ASSERT_TRUE(client->AddChain(std::vector<Bytes>{ca_.IssueLeaf(name, serial), ca_.der()}));
  }

  SignedTreeHead WaitForTreeSize(uint64_t size) {
    Result<LogClient> client = LogClient::Create(log_->url, nullptr, {});
    EXPECT_TRUE(client);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      Result<SignedTreeHead> head = client->GetUnverifiedSth();
      if (head && head->tree_size >= size) return *head;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << log_->url << " did not reach tree size " << size;
    return {};
  }

  // Writes an x509 entry whose "certificate" is kOversizedCertBytes of junk straight into the
  // stopped log's database; returns its leaf hash.
  MerkleHash AppendOversizedEntry() {
    log_->Kill();
    Result<std::unique_ptr<LogDatabase>> db = LogDatabase::Open(log_->dir + "/log.db");
    EXPECT_TRUE(db) << db.error().message;
    Bytes junk(kOversizedCertBytes, 0x30);
    Result<SignedEntry> signed_entry = X509SignedEntry(junk);
    EXPECT_TRUE(signed_entry);
    TimestampedEntry entry{.timestamp_ms = 1'700'000'000'000, .signed_entry = *signed_entry};
    Result<Bytes> leaf = SerializeMerkleTreeLeaf(entry);
    EXPECT_TRUE(leaf) << leaf.error().message;
    LogDatabase::NewEntry stored{
        .dedup_key = Sha256(*leaf), .leaf_input = *leaf, .leaf_hash = HashLeaf(*leaf)};
    MerkleHash leaf_hash = stored.leaf_hash;
    Result<LogDatabase::Appended> appended = (*db)->AppendEntry(std::move(stored));
    EXPECT_TRUE(appended) << appended.error().message;
    db->reset();
    log_->Restart();
    return leaf_hash;
  }

  CommandResult Monitor() {
    return RunCtkit({"monitor", "--once", "--watchlist", watchlist_, "--db", dir_ + "/m.db",
                     "--log-list", list_, "--stdout"});
  }

  std::string dir_;
  testing::TestCa ca_{"Hostile Log CA"};
  std::unique_ptr<LocalLog> log_;
  std::string list_, watchlist_;
};

TEST_F(UnreadableEntryTest, WatchedCertificateAfterAnOversizedEntryIsFound) {
  Submit("filler1.other.org", 1);
  Submit("filler2.other.org", 2);
  WaitForTreeSize(2);
  MerkleHash oversized = AppendOversizedEntry();  // entry 2
  Submit("www.example.com", 3);                   // entry 3
  Submit("filler3.other.org", 4);                 // entry 4
  WaitForTreeSize(5);
  list_ = testing::MakeLogList(dir_ + "/logs.json", {log_.get()});

  // What the monitor used to be stuck on: the entry does not read within the cap.
  Result<LogClient> client = LogClient::Create(log_->url, nullptr, {});
  ASSERT_TRUE(client);
  Result<std::vector<LogEntry>> direct = client->GetEntriesBatch(2, 2);
  ASSERT_FALSE(direct);
  EXPECT_THAT(direct.error().message, HasSubstr("longer than 1048576 bytes"));

  auto started = std::chrono::steady_clock::now();
  CommandResult run = Monitor();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(60));
  EXPECT_EQ(run.exit_code, 1) << run.err;  // alerts raised, nothing failed
  std::vector<nlohmann::json> alerts = JsonLines(run.out);
  ASSERT_EQ(alerts.size(), 2u) << run.out;
  const nlohmann::json* malformed = nullptr;
  const nlohmann::json* unexpected = nullptr;
  for (const nlohmann::json& alert : alerts) {
    if (alert["event"] == "malformed_cert") malformed = &alert;
    if (alert["event"] == "unexpected_cert") unexpected = &alert;
  }
  ASSERT_NE(malformed, nullptr) << run.out;
  ASSERT_NE(unexpected, nullptr) << run.out;
  EXPECT_EQ((*malformed)["index"], 2);
  EXPECT_EQ((*malformed)["unreadable"], true);
  EXPECT_EQ((*malformed)["leaf_hash"], Base64Encode(oversized));
  EXPECT_THAT((*malformed)["summary"].get<std::string>(), HasSubstr("could not be read"));
  EXPECT_THAT((*malformed)["error"].get<std::string>(), HasSubstr("longer than 1048576 bytes"));
  EXPECT_EQ((*unexpected)["finding"]["names"][0], "www.example.com");
  EXPECT_EQ((*unexpected)["finding"]["entries"][0]["index"], 3);

  CommandResult status =
      RunCtkit({"monitor", "status", "--db", dir_ + "/m.db", "--format", "json"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  nlohmann::json logs = nlohmann::json::parse(status.out)["logs"];
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0]["position"], 5);
  EXPECT_EQ(logs[0]["last_error"], "");

  // Nothing more to say: the entry is not read again, nor alerted twice.
  CommandResult again = Monitor();
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(again.out, "");
}

// The oversized entry as the last of the tree: its leaf hash, learned from the consistency proof
// between the tree before it and the tree with it, is proven by the head's root.
TEST_F(UnreadableEntryTest, OversizedLastEntryIsProvenByTheHeadsRoot) {
  Submit("www.example.com", 1);
  WaitForTreeSize(1);
  MerkleHash oversized = AppendOversizedEntry();  // entry 1, the last
  WaitForTreeSize(2);
  list_ = testing::MakeLogList(dir_ + "/logs.json", {log_.get()});
  CommandResult run = Monitor();
  EXPECT_EQ(run.exit_code, 1) << run.err;
  std::vector<nlohmann::json> alerts = JsonLines(run.out);
  ASSERT_EQ(alerts.size(), 2u) << run.out;
  bool found_malformed = false;
  for (const nlohmann::json& alert : alerts) {
    if (alert["event"] != "malformed_cert") continue;
    found_malformed = true;
    EXPECT_EQ(alert["index"], 1);
    EXPECT_EQ(alert["leaf_hash"], Base64Encode(oversized));
  }
  EXPECT_TRUE(found_malformed) << run.out;
}

}  // namespace
}  // namespace ctkit
