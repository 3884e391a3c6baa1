// `ctkit monitor --once` against misbehaving logs: two real `ctkit log serve` processes, one
// healthy and one switched into a fault mode at run time (logserver/fault_injection.h, POST
// /ctkit-test/fault). For each fault the monitor must raise the right alert with its evidence
// (or report the log as failing when the fault proves nothing), keep the healthy log going,
// store nothing the faulty log did not prove, end in bounded time, and catch up exactly once
// when the log recovers. docs/monitor.md, "Misbehaving logs".

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "logclient/log_client.h"
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

// The bad log's entries: one watched certificate among names nobody watches.
constexpr int kBadLogEntries = 6;

class LogFaultsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir("ctkit-log-faults");
    good_ = std::make_unique<LocalLog>(dir_, "good");
    bad_ =
        std::make_unique<LocalLog>(dir_, "bad", std::vector<std::string>{"--test-faults-enabled"});
    ASSERT_GT(good_->process->port(), 0);
    ASSERT_GT(bad_->process->port(), 0);
    Submit(good_->url, "a.example.com", 1);
    Submit(bad_->url, "b.example.com", 2);
    for (int i = 1; i < kBadLogEntries; ++i) {
      Submit(bad_->url, "filler" + std::to_string(i) + ".other.org", 10 + i);
    }
    WaitForTreeSize(good_->url, 1);
    WaitForTreeSize(bad_->url, kBadLogEntries);
    list_ = testing::MakeLogList(dir_ + "/logs.json", {good_.get(), bad_.get()});
    watchlist_ = dir_ + "/watchlist.txt";
    std::ofstream(watchlist_) << ".example.com\n";
    // Fail fast on the faulty log, so each --once run ends within seconds: one retry, and a
    // request attempt limit that is still generous for a loaded machine.
    SetBadLogConfig(R"({"max_retries": 1, "timeout_seconds": 10})");
  }
  void TearDown() override { testing::RemoveTree(dir_); }

  void Submit(const std::string& url, const std::string& name, int serial) {
    Result<LogClient> client = LogClient::Create(url, nullptr, {});
    ASSERT_TRUE(client);
    ASSERT_TRUE(client->AddChain(std::vector<Bytes>{rogue_.IssueLeaf(name, serial), rogue_.der()}));
  }

  // Waits (polling get-sth) until the log has integrated `size` entries.
  void WaitForTreeSize(const std::string& url, uint64_t size) {
    Result<LogClient> client = LogClient::Create(url, nullptr, {});
    ASSERT_TRUE(client);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      Result<SignedTreeHead> head = client->GetUnverifiedSth();
      if (head && head->tree_size >= size) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    FAIL() << url << " did not reach tree size " << size;
  }

  void SetBadLogConfig(const std::string& overrides) {
    config_ = dir_ + "/config.json";
    std::ofstream(config_) << R"({"logs": {")" << bad_->url << R"(": )" << overrides << "}}";
  }

  // Switches the bad log's faults ("" for none); the log answers with the set in force.
  void SetFault(const std::string& faults) {
    httplib::Client client("127.0.0.1", bad_->process->port());
    client.set_read_timeout(30, 0);
    httplib::Result answer = client.Post("/ctkit-test/fault", faults, "text/plain");
    ASSERT_TRUE(answer) << "fault endpoint unreachable";
    ASSERT_EQ(answer->status, 200) << answer->body;
  }

  CommandResult Monitor() {
    return RunCtkit({"monitor", "--once", "--watchlist", watchlist_, "--db", dir_ + "/m.db",
                     "--log-list", list_, "--config", config_, "--stdout"});
  }

  // Finding name -> how many log entries it has.
  std::map<std::string, size_t> Findings() {
    std::map<std::string, size_t> found;
    CommandResult query =
        RunCtkit({"monitor", "query", "--db", dir_ + "/m.db", "--format", "json"});
    EXPECT_EQ(query.exit_code, 0) << query.err;
    for (const nlohmann::json& finding : JsonLines(query.out)) {
      found[finding["names"][0].get<std::string>()] = finding["entries"].size();
    }
    return found;
  }

  // The monitor's status row for `url`.
  nlohmann::json LogStatus(const std::string& url) {
    CommandResult status =
        RunCtkit({"monitor", "status", "--db", dir_ + "/m.db", "--format", "json"});
    EXPECT_EQ(status.exit_code, 0) << status.err;
    nlohmann::json parsed = nlohmann::json::parse(status.out);
    for (const nlohmann::json& log : parsed["logs"]) {
      if (log["log"] == url) return log;
    }
    ADD_FAILURE() << "no status for " << url << " in " << status.out;
    return {};
  }

  // Alerts printed by a run, as "event name-or-kind log".
  static std::vector<std::string> Events(const CommandResult& run) {
    std::vector<std::string> events;
    for (const nlohmann::json& alert : JsonLines(run.out)) {
      std::string event = alert["event"];
      if (event == "log_misbehaviour") {
        events.push_back(event + " " + alert["kind"].get<std::string>() + " " +
                         alert["log"].get<std::string>());
      } else {
        events.push_back(event + " " + alert["finding"]["names"][0].get<std::string>());
      }
    }
    std::sort(events.begin(), events.end());
    return events;
  }

  static std::vector<nlohmann::json> Misbehaviour(const CommandResult& run) {
    std::vector<nlohmann::json> alerts;
    for (const nlohmann::json& alert : JsonLines(run.out)) {
      if (alert["event"] == "log_misbehaviour") alerts.push_back(alert);
    }
    return alerts;
  }

  // The first run with the bad log faulty: the healthy log is caught up and alerted on, nothing
  // of the faulty log's entries is stored, and the faulty log's row carries the error.
  CommandResult FaultyRun() {
    CommandResult run = Monitor();
    EXPECT_EQ(run.exit_code, 1) << run.err;  // the healthy log's alert outranks the failure
    EXPECT_THAT(Events(run), ::testing::Contains("unexpected_cert a.example.com"));
    EXPECT_THAT(Events(run), ::testing::Not(::testing::Contains("unexpected_cert b.example.com")));
    EXPECT_THAT(run.err, HasSubstr(bad_->url));
    EXPECT_THAT(run.err, HasSubstr("1 log failed"));
    EXPECT_EQ(Findings(), (std::map<std::string, size_t>{{"a.example.com", 1}}));
    nlohmann::json good = LogStatus(good_->url);
    EXPECT_EQ(good["position"], 1);
    EXPECT_EQ(good["last_error"], "");
    nlohmann::json bad = LogStatus(bad_->url);
    EXPECT_NE(bad["last_error"], "");
    EXPECT_EQ(bad["position"], 0);  // nothing of it proven
    return run;
  }

  // The fault still in force and nothing new to report: the failing log alone decides, 3.
  void StillFailingRunExitsThree() {
    CommandResult run = Monitor();
    EXPECT_EQ(run.exit_code, 3) << run.err;
    EXPECT_EQ(run.out, "");
    EXPECT_THAT(run.err, HasSubstr(bad_->url));
  }

  // After the fault is gone: the bad log's certificate is found and alerted on once, and a
  // further run has nothing to say.
  void RecoveredRuns() {
    CommandResult recovered = Monitor();
    EXPECT_EQ(recovered.exit_code, 1) << recovered.err;
    EXPECT_EQ(Events(recovered), std::vector<std::string>{"unexpected_cert b.example.com"});
    nlohmann::json bad = LogStatus(bad_->url);
    EXPECT_EQ(bad["position"], kBadLogEntries);
    EXPECT_EQ(bad["last_error"], "");
    CommandResult quiet = Monitor();
    EXPECT_EQ(quiet.exit_code, 0) << quiet.err;
    EXPECT_EQ(quiet.out, "");
    EXPECT_EQ(Findings(),
              (std::map<std::string, size_t>{{"a.example.com", 1}, {"b.example.com", 1}}));
  }

  std::string dir_;
  testing::TestCa rogue_{"Rogue CA"};
  std::unique_ptr<LocalLog> good_, bad_;
  std::string list_, watchlist_, config_;
};

TEST_F(LogFaultsTest, BadTreeHeadSignatureRaisesAnAlertWithTheHead) {
  SetFault("bad-sth-signature");
  CommandResult faulty = FaultyRun();
  std::vector<nlohmann::json> alerts = Misbehaviour(faulty);
  ASSERT_FALSE(alerts.empty()) << faulty.out;
  for (const nlohmann::json& alert : alerts) {
    EXPECT_EQ(alert["kind"], "bad_tree_head_signature");
    EXPECT_EQ(alert["log"], bad_->url);
    // The evidence names the head as served, signature included.
    std::string error = alert["evidence"]["error"];
    EXPECT_THAT(error, HasSubstr("served head"));
    EXPECT_THAT(error, HasSubstr("\"tree_size\":" + std::to_string(kBadLogEntries)));
    EXPECT_THAT(error, HasSubstr("tree_head_signature"));
  }
  // No head of the faulty log was taken: the status shows none.
  EXPECT_EQ(LogStatus(bad_->url)["tree_size"], 0);
  SetFault("");
  RecoveredRuns();
}

TEST_F(LogFaultsTest, ForkedHeadIsCaughtByConsistencyAndNotFollowed) {
  // A clean first run: the monitor holds the bad log's real head of kBadLogEntries.
  CommandResult first = Monitor();
  ASSERT_EQ(first.exit_code, 1) << first.err;
  ASSERT_EQ(Findings().size(), 2u);

  // The same size over another root, validly signed: caught by comparing the roots.
  SetFault("fork");
  CommandResult same_size = Monitor();
  EXPECT_EQ(same_size.exit_code, 1) << same_size.err;
  std::vector<nlohmann::json> alerts = Misbehaviour(same_size);
  ASSERT_EQ(alerts.size(), 1u) << same_size.out;  // one alert for the pair of heads
  EXPECT_EQ(alerts[0]["kind"], "inconsistent_tree_heads");
  const nlohmann::json& evidence = alerts[0]["evidence"];
  EXPECT_EQ(evidence["previous_head"]["tree_size"], kBadLogEntries);
  EXPECT_EQ(evidence["new_head"]["tree_size"], kBadLogEntries);
  EXPECT_NE(evidence["previous_head"]["sha256_root_hash"],
            evidence["new_head"]["sha256_root_hash"]);
  EXPECT_TRUE(evidence["new_head"].contains("tree_head_signature"));

  // The log grows; the forked head of the new size fails the log's own consistency proof.
  Submit(bad_->url, "c.example.com", 3);
  WaitForTreeSize(bad_->url, kBadLogEntries + 1);
  CommandResult larger = Monitor();
  EXPECT_EQ(larger.exit_code, 1) << larger.err;
  alerts = Misbehaviour(larger);
  ASSERT_EQ(alerts.size(), 1u) << larger.out;
  EXPECT_EQ(alerts[0]["evidence"]["previous_head"]["tree_size"], kBadLogEntries);
  EXPECT_EQ(alerts[0]["evidence"]["new_head"]["tree_size"], kBadLogEntries + 1);
  EXPECT_THAT(alerts[0]["evidence"]["error"].get<std::string>(), HasSubstr("consistency"));
  // Not followed: the new entry is not read, the verified head is still the old one.
  EXPECT_EQ(Findings().count("c.example.com"), 0u);
  nlohmann::json status = LogStatus(bad_->url);
  EXPECT_EQ(status["tree_size"], kBadLogEntries);
  EXPECT_EQ(status["position"], kBadLogEntries);

  // The real head again: consistent with the one held, followed, the new entry found once.
  SetFault("");
  CommandResult recovered = Monitor();
  EXPECT_EQ(recovered.exit_code, 1) << recovered.err;
  EXPECT_EQ(Events(recovered), std::vector<std::string>{"unexpected_cert c.example.com"});
  EXPECT_EQ(Findings(), (std::map<std::string, size_t>{
                            {"a.example.com", 1}, {"b.example.com", 1}, {"c.example.com", 1}}));
}

TEST_F(LogFaultsTest, EntryNotInTheTreeRaisesAnAlertAndStoresNothing) {
  SetFault("bad-entry");
  CommandResult faulty = FaultyRun();
  std::vector<nlohmann::json> alerts = Misbehaviour(faulty);
  ASSERT_EQ(alerts.size(), 1u) << faulty.out;  // both rounds saw the same range and head
  EXPECT_EQ(alerts[0]["kind"], "entries_not_in_tree");
  const nlohmann::json& evidence = alerts[0]["evidence"];
  EXPECT_EQ(evidence["tree_head"]["tree_size"], kBadLogEntries);
  EXPECT_EQ(evidence["entries"]["start"], 0);
  EXPECT_EQ(evidence["entries"]["end"], kBadLogEntries);
  EXPECT_NE(evidence["computed_root"], evidence["tree_head"]["sha256_root_hash"]);
  // The head itself was good, and is kept; the entries were not.
  EXPECT_EQ(LogStatus(bad_->url)["tree_size"], kBadLogEntries);
  SetFault("none");
  RecoveredRuns();
}

TEST_F(LogFaultsTest, OtherEntriesThanAskedForDoNotProve) {
  SetFault("out-of-range");
  CommandResult faulty = FaultyRun();
  std::vector<nlohmann::json> alerts = Misbehaviour(faulty);
  ASSERT_EQ(alerts.size(), 1u) << faulty.out;
  EXPECT_EQ(alerts[0]["kind"], "entries_not_in_tree");
  SetFault("");
  RecoveredRuns();
}

// The faults below prove nothing against the log (no signed statement is wrong): the log is
// reported failing, not accused.
TEST_F(LogFaultsTest, MoreEntriesThanAskedForFailTheLog) {
  SetFault("extra-entries");
  CommandResult faulty = FaultyRun();
  EXPECT_TRUE(Misbehaviour(faulty).empty()) << faulty.out;
  EXPECT_THAT(LogStatus(bad_->url)["last_error"].get<std::string>(), HasSubstr("more than"));
  StillFailingRunExitsThree();
  SetFault("");
  RecoveredRuns();
}

TEST_F(LogFaultsTest, TruncatedAndCutAnswersFailTheLogUntilItRecovers) {
  SetFault("truncated");  // get-entries: connection dropped short of Content-Length
  CommandResult faulty = FaultyRun();
  EXPECT_TRUE(Misbehaviour(faulty).empty()) << faulty.out;
  StillFailingRunExitsThree();  // get-sth answers, every get-entries fails: not a silent 0
  SetFault("cut-json");         // get-sth: well-framed, but the JSON ends halfway
  StillFailingRunExitsThree();
  EXPECT_THAT(LogStatus(bad_->url)["last_error"].get<std::string>(), HasSubstr("get-sth"));
  SetFault("");
  RecoveredRuns();
}

TEST_F(LogFaultsTest, OversizedAnswerIsRefusedAtABound) {
  // A body that never ends: the client stops reading at its bound (64 KiB for a tree head)
  // instead of buffering it, and does not ask again.
  SetFault("oversized");
  CommandResult faulty = FaultyRun();
  EXPECT_TRUE(Misbehaviour(faulty).empty()) << faulty.out;
  EXPECT_THAT(LogStatus(bad_->url)["last_error"].get<std::string>(),
              HasSubstr("larger than 65536 bytes"));
  StillFailingRunExitsThree();
  SetFault("");
  RecoveredRuns();
}

TEST_F(LogFaultsTest, SlowlorisAnswerIsCutByTheRequestTimeout) {
  // One byte every 200 ms, forever: each attempt ends at the per-request timeout.
  SetBadLogConfig(R"({"max_retries": 0, "timeout_seconds": 3})");
  SetFault("slowloris");
  CommandResult faulty = FaultyRun();
  EXPECT_TRUE(Misbehaviour(faulty).empty()) << faulty.out;
  EXPECT_THAT(LogStatus(bad_->url)["last_error"].get<std::string>(), HasSubstr("get-entries"));
  SetFault("");
  RecoveredRuns();
}

TEST_F(LogFaultsTest, TooManyRequestsStormsWithAndWithoutRetryAfter) {
  SetFault("429-retry-after");
  CommandResult faulty = FaultyRun();
  EXPECT_THAT(faulty.err, HasSubstr("HTTP status 429"));
  EXPECT_THAT(faulty.err, HasSubstr("after 2 attempts"));  // Retry-After was waited for, once
  SetFault("429");
  StillFailingRunExitsThree();
  SetFault("");
  RecoveredRuns();
}

TEST_F(LogFaultsTest, LogThatGoesAwayAndComesBack) {
  bad_->Kill();  // connection refused
  CommandResult faulty = FaultyRun();
  EXPECT_TRUE(Misbehaviour(faulty).empty()) << faulty.out;
  StillFailingRunExitsThree();
  bad_->Restart();
  ASSERT_GT(bad_->process->port(), 0) << "the log did not come back on its port";
  RecoveredRuns();
}

}  // namespace
}  // namespace ctkit
