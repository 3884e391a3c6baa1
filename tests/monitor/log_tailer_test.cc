// LogTailer against a real log (LogService behind LogHttpServer on 127.0.0.1) read through the
// real LogClient, and through a lying reader (a log that forks, serves entries that are not in
// its tree, or signs badly) wrapped around it.

#include "monitor/log_tailer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "base/bytes.h"
#include "ct/certificate_verifier.h"
#include "ct/log_entry.h"
#include "ct/signed_tree_head.h"
#include "logclient/log_client.h"
#include "merkle/compact_range.h"
#include "merkle/merkle_hash.h"
#include "monitor/expectations.h"
#include "tests/cert_factory.h"
#include "tests/running_log.h"
#include "tests/test_support.h"

namespace ctkit {
namespace {

using ::ctkit::testing::RunningLog;
using ::ctkit::testing::TestCa;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

// Watches ".example.com" the simple way; the real matcher has its own tests.
std::vector<std::string> MatchExampleCom(std::span<const std::string> names) {
  for (const std::string& name : names) {
    if (name == "example.com" || name.ends_with(".example.com")) return {".example.com"};
  }
  return {};
}

// A reader that passes everything through to a real client, except what a test makes it lie
// about.
class LyingReader : public LogReader {
 public:
  explicit LyingReader(LogReader& real) : real_(real) {}
  const std::string& base_url() const override { return real_.base_url(); }
  Result<SignedTreeHead> GetSth() override {
    if (forged_head_) return *forged_head_;
    return real_.GetSth();
  }
  Result<std::vector<LogEntry>> GetEntriesBatch(uint64_t start, uint64_t end) override {
    Result<std::vector<LogEntry>> batch = real_.GetEntriesBatch(start, end);
    if (batch && replacement_) {
      for (LogEntry& entry : *batch) {
        if (entry.index == replacement_->index) entry = *replacement_;
      }
    }
    return batch;
  }
  Result<std::vector<MerkleHash>> GetSthConsistency(uint64_t first, uint64_t second) override {
    return real_.GetSthConsistency(first, second);
  }
  Result<EntryAndProof> GetEntryAndProof(uint64_t index, uint64_t tree_size) override {
    return real_.GetEntryAndProof(index, tree_size);
  }
  Result<void> VerifyConsistencyBetween(const SignedTreeHead& old_sth,
                                        const SignedTreeHead& new_sth) override {
    return real_.VerifyConsistencyBetween(old_sth, new_sth);
  }
  LogClientStats http_stats() const override { return real_.http_stats(); }

  std::optional<SignedTreeHead> forged_head_;
  std::optional<LogEntry> replacement_;

 private:
  LogReader& real_;
};

class LogTailerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir("ctkit-tailer");
    log_ = std::make_unique<RunningLog>(dir_, "alpha", "Alpha Logs");
    LogClientOptions options;
    options.max_retries = 0;
    options.keep_malformed_entries = true;
    options.batch_size = 3;  // several batches per chunk
    client_ = std::make_unique<LogClient>(
        *LogClient::Create(log_->entry.url, log_->signer->public_key(), options));
    store_ = std::move(*MonitorStore::Open(dir_ + "/monitor.db"));
    store_->SetSinks({"stdout"});
    row_ = *store_->UpsertLog(log_->signer->log_id(), log_->entry.url, "alpha");
  }
  void TearDown() override { testing::RemoveTree(dir_); }

  // Submits a certificate (or precertificate) for `name` issued by `ca`.
  Bytes Submit(const TestCa& ca, const std::string& name, long serial, bool precert = false) {
    Bytes leaf = ca.IssueLeaf(name, serial, precert);
    std::vector<Bytes> chain = {leaf, ca.der()};
    Result<SignedCertificateTimestamp> sct = log_->service->AddChain(chain, precert, UnixNowMs());
    EXPECT_TRUE(sct) << (sct ? "" : sct.error().message);
    return leaf;
  }

  Result<SyncReport> Sync(LogReader& reader, TailerOptions options = {.chunk_size = 4}) {
    LogTailer tailer(*store_, row_, log_->entry.url, reader, matcher_, expectations_,
                     log_->signer->log_id(), options);
    std::atomic<bool> stop{false};
    return tailer.SyncOnce(stop);
  }

  std::vector<std::string> AlertEvents() {
    std::vector<std::string> events;
    std::vector<StoredAlert> alerts = *store_->Alerts(0);
    for (const StoredAlert& alert : alerts) events.push_back(alert.event);
    std::reverse(events.begin(), events.end());
    return events;
  }

  std::string dir_;
  std::unique_ptr<RunningLog> log_;
  std::unique_ptr<LogClient> client_;
  std::unique_ptr<MonitorStore> store_;
  int64_t row_ = 0;
  NameMatcher matcher_ = MatchExampleCom;
  Expectations expectations_;
  TestCa ca_{"Rogue CA"};
};

TEST_F(LogTailerTest, ProvesEveryEntryAndFindsWatchedNames) {
  for (int i = 0; i < 9; ++i) Submit(ca_, "host" + std::to_string(i) + ".other.org", 100 + i);
  Submit(ca_, "login.example.com", 7);
  Submit(ca_, "shop.example.com", 8, /*precert=*/true);
  SignedTreeHead head = log_->Integrate();
  ASSERT_EQ(head.tree_size, 11u);

  Result<SyncReport> report = Sync(*client_);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_TRUE(report->caught_up);
  EXPECT_EQ(report->entries_processed, 11u);
  MonitoredLog state = *store_->GetLog(row_);
  EXPECT_EQ(state.verified_size, 11u);
  ASSERT_TRUE(state.head);
  EXPECT_EQ(*state.head, head);

  std::vector<Finding> findings = *store_->QueryFindings({});
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_THAT(findings[0].names, ElementsAre("login.example.com"));
  EXPECT_THAT(findings[0].watch_items, ElementsAre(".example.com"));
  EXPECT_FALSE(findings[0].expected);
  ASSERT_EQ(findings[0].entries.size(), 1u);
  EXPECT_EQ(findings[0].entries[0].index, 9u);
  EXPECT_EQ(findings[0].entries[0].entry_type, "x509");
  EXPECT_EQ(findings[1].entries[0].entry_type, "precert");
  EXPECT_THAT(AlertEvents(), ElementsAre("unexpected_cert", "unexpected_cert"));

  // A second round with nothing new changes nothing and raises nothing.
  report = Sync(*client_);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->entries_processed, 0u);
  EXPECT_EQ(store_->QueryFindings({})->size(), 2u);
  EXPECT_EQ(store_->Alerts(0)->size(), 2u);
}

TEST_F(LogTailerTest, ResumesFromItsStoredPositionAcrossHeads) {
  Submit(ca_, "a.example.com", 1);
  log_->Integrate();
  ASSERT_TRUE(Sync(*client_));
  Submit(ca_, "b.example.com", 2);
  Submit(ca_, "c.other.org", 3);
  log_->Integrate();
  Result<SyncReport> report = Sync(*client_);
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->entries_processed, 2u);  // only the new ones
  EXPECT_EQ(store_->QueryFindings({})->size(), 2u);
  EXPECT_EQ(*store_->CountHeads(row_), 2u);
}

TEST_F(LogTailerTest, DistinctIssuancesForOneNameAreDistinctFindings) {
  Submit(ca_, "api.example.com", 42);
  Submit(ca_, "api.example.com", 43);  // another serial: another issuance
  log_->Integrate();
  ASSERT_TRUE(Sync(*client_));
  EXPECT_EQ(store_->QueryFindings({})->size(), 2u);
  EXPECT_EQ(store_->QueryFindings({.domain = "api.example.com"})->size(), 2u);
  EXPECT_EQ(store_->QueryFindings({.domain = "example.com"})->size(), 2u);
  EXPECT_TRUE(store_->QueryFindings({.domain = "other.example.com"})->empty());
  EXPECT_THAT(AlertEvents(), ElementsAre("unexpected_cert", "unexpected_cert"));
}

TEST_F(LogTailerTest, InventoryCertificatesAreExpectedAndOptOutsThatShowUpAlert) {
  Bytes expected_leaf = Submit(ca_, "www.example.com", 1);
  Bytes opted_out = Submit(ca_, "payments.example.com", 2);
  Submit(ca_, "login.example.com", 3);
  log_->Integrate();
  auto record_for = [](const Bytes& der, bool logging) {
    CertificateView view = *CertificateView::Parse(der);
    return InventoryRecord{.sha256 = HexEncode(view.sha256()),
                           .tbs_sha256 = HexEncode(DeduplicationTbsHash(view)),
                           .serial = view.serial_hex(),
                           .issuer = view.issuer(),
                           .names = view.dns_names(),
                           .ct_logging = logging,
                           .not_before = "2026-01-01T00:00:00Z",
                           .not_after = "2027-01-01T00:00:00Z"};
  };
  expectations_ = Expectations({record_for(expected_leaf, true), record_for(opted_out, false)});
  ASSERT_TRUE(Sync(*client_));
  std::vector<Finding> findings = *store_->QueryFindings({});
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_TRUE(findings[0].expected);
  EXPECT_TRUE(findings[1].expected);
  EXPECT_FALSE(findings[2].expected);
  EXPECT_THAT(AlertEvents(), ElementsAre("opt_out_logged", "unexpected_cert"));
  EXPECT_EQ(store_->QueryFindings({.unexpected_only = true})->size(), 1u);
}

TEST_F(LogTailerTest, BrokenSctPromiseAlertsAfterMmdAndGrace) {
  Submit(ca_, "www.example.com", 1);
  log_->Integrate();
  InventoryRecord promised{.sha256 = std::string(64, 'a'),
                           .tbs_sha256 = std::string(64, 'b'),
                           .serial = "01",
                           .issuer = "CN=Example Corp CA",
                           .names = {"never.example.com"},
                           .not_before = "2026-01-01T00:00:00Z",
                           .not_after = "2027-01-01T00:00:00Z",
                           .scts = {{.log_id = log_->signer->log_id(),
                                     .timestamp_ms = static_cast<uint64_t>(UnixNowMs()) - 10'000}}};
  expectations_ = Expectations({promised});
  // Within MMD: nothing yet.
  ASSERT_TRUE(Sync(*client_, {.chunk_size = 4, .sct_grace_ms = 0, .mmd_seconds = 3600}));
  EXPECT_THAT(AlertEvents(), ElementsAre("unexpected_cert"));
  // Past MMD + grace by the head's clock: the promise is broken, raised once.
  usleep(5000);
  log_->Integrate();  // a fresh head timestamp
  ASSERT_TRUE(Sync(*client_, {.chunk_size = 4, .sct_grace_ms = 0, .mmd_seconds = 1}));
  ASSERT_TRUE(Sync(*client_, {.chunk_size = 4, .sct_grace_ms = 0, .mmd_seconds = 1}));
  EXPECT_THAT(AlertEvents(), ElementsAre("unexpected_cert", "sct_promise_broken"));
}

TEST_F(LogTailerTest, EntriesNotInTheSignedTreeRaiseMisbehaviourAndStoreNothing) {
  for (int i = 0; i < 6; ++i) Submit(ca_, "host" + std::to_string(i) + ".other.org", 10 + i);
  log_->Integrate();
  // The log serves, at index 2, a certificate for a watched name that is not in its tree.
  LyingReader liar(*client_);
  Bytes bogus = ca_.IssueLeaf("bogus.example.com", 99);
  TimestampedEntry timestamped{.timestamp_ms = 1, .signed_entry = *X509SignedEntry(bogus)};
  liar.replacement_ = MakeLenientLogEntry(2, *SerializeMerkleTreeLeaf(timestamped),
                                          *SerializeExtraData(LogEntryType::kX509, {}));
  Result<SyncReport> report = Sync(liar);
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code, ErrorCode::kVerificationFailed);
  EXPECT_THAT(AlertEvents(), ElementsAre("log_misbehaviour"));
  EXPECT_TRUE(store_->QueryFindings({})->empty());     // the bogus match was never stored
  EXPECT_EQ(store_->GetLog(row_)->verified_size, 0u);  // rewound to the last proven position
  EXPECT_THAT(store_->GetLog(row_)->last_error, HasSubstr("not in the signed tree"));

  // The honest log is read fine afterwards, and the misbehaviour is not raised twice.
  ASSERT_TRUE(Sync(liar).has_value() == false);
  EXPECT_EQ(store_->Alerts(0)->size(), 1u);
  ASSERT_TRUE(Sync(*client_));
  EXPECT_EQ(store_->GetLog(row_)->verified_size, 6u);
}

TEST_F(LogTailerTest, InconsistentHeadIsAFork) {
  Submit(ca_, "a.other.org", 1);
  log_->Integrate();
  ASSERT_TRUE(Sync(*client_));
  Submit(ca_, "b.other.org", 2);
  log_->Integrate();
  // A validly signed head of the right size with another root: a split view.
  LyingReader liar(*client_);
  MerkleHash other_root = HashLeaf(Bytes{1, 2, 3});
  liar.forged_head_ = *SignTreeHead(2, UnixNowMs(), other_root, *log_->signer);
  Result<SyncReport> report = Sync(liar);
  ASSERT_FALSE(report);
  EXPECT_EQ(report.error().code, ErrorCode::kVerificationFailed);
  std::vector<StoredAlert> alerts = *store_->Alerts(0);
  ASSERT_EQ(alerts.size(), 1u);
  nlohmann::json body = nlohmann::json::parse(alerts[0].body_json);
  EXPECT_EQ(body["kind"], "inconsistent_tree_heads");
  EXPECT_EQ(body["evidence"]["previous_head"]["tree_size"], 1);
  EXPECT_EQ(body["evidence"]["new_head"]["tree_size"], 2);
  EXPECT_EQ(*store_->CountHeads(row_), 2u);  // the good head and the rejected one, as evidence
  EXPECT_EQ(store_->GetLog(row_)->head->tree_size, 1u);  // the forged head is not followed
}

TEST_F(LogTailerTest, BadHeadSignatureIsMisbehaviour) {
  Submit(ca_, "a.other.org", 1);
  log_->Integrate();
  // A reader with another key sees the log's heads as badly signed.
  std::shared_ptr<const LogSigner> stranger = *LogSigner::Generate();
  LogClient wrong_key = *LogClient::Create(log_->entry.url, stranger->public_key(), {});
  Result<SyncReport> report = Sync(wrong_key);
  ASSERT_FALSE(report);
  EXPECT_THAT(AlertEvents(), ElementsAre("log_misbehaviour"));
  EXPECT_EQ(store_->GetLog(row_)->verified_size, 0u);
}

// A log whose tree really holds malformed entries: a self-consistent fake log (entries, root and
// head signed with the log's key), since the real log refuses such submissions.
class FakeLogReader : public LogReader {
 public:
  FakeLogReader(std::string url, const LogSigner& signer, std::vector<LogEntry> entries)
      : url_(std::move(url)), entries_(std::move(entries)) {
    CompactRange range;
    for (const LogEntry& entry : entries_) range.Append(entry.leaf_hash);
    head_ = *SignTreeHead(entries_.size(), UnixNowMs(), range.Root(), signer);
  }
  const std::string& base_url() const override { return url_; }
  Result<SignedTreeHead> GetSth() override { return head_; }
  Result<std::vector<LogEntry>> GetEntriesBatch(uint64_t start, uint64_t end) override {
    return std::vector<LogEntry>(entries_.begin() + start, entries_.begin() + end + 1);
  }
  Result<std::vector<MerkleHash>> GetSthConsistency(uint64_t, uint64_t) override {
    return MakeError(ErrorCode::kUnsupported, "fake log");
  }
  Result<EntryAndProof> GetEntryAndProof(uint64_t, uint64_t) override {
    return MakeError(ErrorCode::kUnsupported, "fake log");
  }
  Result<void> VerifyConsistencyBetween(const SignedTreeHead&, const SignedTreeHead&) override {
    return MakeError(ErrorCode::kUnsupported, "fake log");
  }
  LogClientStats http_stats() const override { return {}; }  // no HTTP

 private:
  std::string url_;
  std::vector<LogEntry> entries_;
  SignedTreeHead head_;
};

LogEntry X509Entry(uint64_t index, const Bytes& der) {
  TimestampedEntry timestamped{.timestamp_ms = 1, .signed_entry = *X509SignedEntry(der)};
  return MakeLenientLogEntry(index, *SerializeMerkleTreeLeaf(timestamped),
                             *SerializeExtraData(LogEntryType::kX509, {}));
}

TEST_F(LogTailerTest, MalformedEntriesAreReportedNotSkipped) {
  Bytes not_a_certificate = {0x30, 0x03, 0x02, 0x01, 0x01};
  std::vector<LogEntry> entries = {
      X509Entry(0, ca_.IssueLeaf("a.other.org", 1)),
      X509Entry(1, not_a_certificate),
      MakeLenientLogEntry(2, Bytes{0, 0, 1, 2, 3}, Bytes{}),  // leaf_input is no MerkleTreeLeaf
      X509Entry(3, ca_.IssueLeaf("login.example.com", 2)),
  };
  FakeLogReader fake(log_->entry.url, *log_->signer, entries);
  Result<SyncReport> report = Sync(fake, {.chunk_size = 100});
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_TRUE(report->caught_up);
  EXPECT_EQ(*store_->CountMalformed(row_), 2u);
  EXPECT_THAT(AlertEvents(), ElementsAre("malformed_cert", "malformed_cert", "unexpected_cert"));
  nlohmann::json body = nlohmann::json::parse(store_->Alerts(0)->back().body_json);
  EXPECT_EQ(body["index"], 1);
  EXPECT_EQ(body["leaf_input"], Base64Encode(entries[1].leaf_input));
}

TEST_F(LogTailerTest, StartAtEndSkipsHistoryButProvesTheFrontier) {
  for (int i = 0; i < 7; ++i) Submit(ca_, "old" + std::to_string(i) + ".example.com", 10 + i);
  log_->Integrate();
  ASSERT_TRUE(Sync(*client_, {.chunk_size = 4, .start_at_end = true}));
  EXPECT_EQ(store_->GetLog(row_)->verified_size, 7u);
  EXPECT_TRUE(store_->QueryFindings({})->empty());
  Submit(ca_, "new.example.com", 20);
  log_->Integrate();
  Result<SyncReport> report = Sync(*client_, {.chunk_size = 4, .start_at_end = true});
  ASSERT_TRUE(report) << report.error().message;
  EXPECT_EQ(report->entries_processed, 1u);
  std::vector<Finding> findings = *store_->QueryFindings({});
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_THAT(findings[0].names, ElementsAre("new.example.com"));
}

}  // namespace
}  // namespace ctkit
