// `ctkit monitor` end to end: real `ctkit log serve` processes on 127.0.0.1, certificates from
// the mock CA (`ctkit ca`) and a rogue CA, and the monitor run as a separate process. Kill -9
// during a sync is tests/monitor/crash_restart_test.cc.

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "base/clock.h"
#include "ct/log_key.h"
#include "logclient/log_client.h"
#include "tests/cert_factory.h"
#include "tests/monitor/local_logs.h"
#include "tests/run_command.h"
#include "tests/test_support.h"
#include "x509/pem.h"

namespace ctkit {
namespace {

using ::ctkit::testing::JsonLines;
using ::ctkit::testing::LocalLog;
using ::ctkit::testing::ReadFile;
using ::ctkit::testing::RunCtkit;
using ::testing::HasSubstr;

class MonitorCommandTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::TempDir("ctkit-monitor-cli"); }
  void TearDown() override { testing::RemoveTree(dir_); }

  // A log list naming `logs`, one operator each, plus `extra` (url, key file) entries.
  std::string MakeList(const std::vector<LocalLog*>& logs,
                       const std::vector<std::pair<std::string, std::string>>& extra = {},
                       const std::string& api = "rfc6962") {
    return testing::MakeLogList(dir_ + "/logs.json", logs, extra, api);
  }

  std::string WriteFile(const std::string& name, const std::string& text) {
    std::ofstream(dir_ + "/" + name) << text;
    return dir_ + "/" + name;
  }

  std::string dir_;
};

// Submits `pem_file`'s chain (leaf first) to a log with add-chain, as a CA that ignores the
// owner's opt-out would.
void AddChain(const std::string& url, const std::string& pem_file) {
  Result<std::vector<Bytes>> chain = PemDecodeCertificates(ReadFile(pem_file));
  ASSERT_TRUE(chain) << chain.error().message;
  Result<LogClient> client = LogClient::Create(url, nullptr, {});
  ASSERT_TRUE(client);
  Result<SignedCertificateTimestamp> sct = client->AddChain(*chain);
  ASSERT_TRUE(sct) << sct.error().message;
}

TEST_F(MonitorCommandTest, TwoLogsMockCaAndRogueCaEndToEnd) {
  LocalLog alpha(dir_, "alpha"), beta(dir_, "beta");
  std::string list = MakeList({&alpha, &beta});
  std::string ca = dir_ + "/example-ca", rogue = dir_ + "/rogue-ca";
  ASSERT_EQ(RunCtkit({"ca", "init", "--dir", ca, "--name", "Example Corp CA", "--log", alpha.url,
                      "--log", beta.url, "--log-list", list})
                .exit_code,
            0);
  for (const char* name : {"www", "api"}) {
    testing::CommandResult issued =
        RunCtkit({"ca", "issue", "--dir", ca, "--name", std::string(name) + ".example.com", "--out",
                  dir_ + "/" + name + ".pem"});
    ASSERT_EQ(issued.exit_code, 0) << issued.err;
  }
  ASSERT_EQ(RunCtkit({"ca", "issue", "--dir", ca, "--name", "payments.example.com", "--ct-logging",
                      "disabled", "--out", dir_ + "/payments.pem"})
                .exit_code,
            0);
  // An opted-out certificate that gets logged anyway.
  ASSERT_EQ(RunCtkit({"ca", "issue", "--dir", ca, "--name", "secret.example.com", "--ct-logging",
                      "disabled", "--out", dir_ + "/secret.pem"})
                .exit_code,
            0);
  AddChain(beta.url, dir_ + "/secret.pem");
  ASSERT_EQ(RunCtkit({"ca", "init", "--dir", rogue, "--name", "Rogue CA", "--log", alpha.url,
                      "--log-list", list})
                .exit_code,
            0);
  ASSERT_EQ(RunCtkit({"ca", "issue", "--dir", rogue, "--name", "login.example.com", "--min-logs",
                      "1", "--out", dir_ + "/rogue.pem"})
                .exit_code,
            0);
  // Certificates for names nobody watches.
  ASSERT_EQ(RunCtkit({"ca", "issue", "--dir", rogue, "--name", "www.other.org", "--min-logs", "1",
                      "--out", dir_ + "/other.pem"})
                .exit_code,
            0);
  std::string inventory =
      WriteFile("inventory.jsonl", RunCtkit({"ca", "inventory", "--dir", ca}).out);
  std::string watchlist = WriteFile("watchlist.txt", "# Example Corp\n.example.com\n");
  usleep(600 * 1000);  // the logs integrate within their MMD (0.2 s)

  std::vector<std::string> monitor = {"monitor",     "--once",       "--watchlist", watchlist,
                                      "--db",        dir_ + "/m.db", "--log-list",  list,
                                      "--inventory", inventory,      "--stdout"};
  testing::CommandResult first = RunCtkit(monitor);
  EXPECT_EQ(first.exit_code, 1) << first.err;  // alerts were raised
  std::vector<nlohmann::json> alerts = JsonLines(first.out);
  std::multiset<std::string> events;
  for (const nlohmann::json& alert : alerts) {
    events.insert(alert["event"].get<std::string>() + " " +
                  alert["finding"]["names"][0].get<std::string>());
  }
  EXPECT_EQ(events, (std::multiset<std::string>{"unexpected_cert login.example.com",
                                                "opt_out_logged secret.example.com"}));

  testing::CommandResult query =
      RunCtkit({"monitor", "query", "--db", dir_ + "/m.db", "--format", "json"});
  ASSERT_EQ(query.exit_code, 0) << query.err;
  std::map<std::string, nlohmann::json> by_name;
  for (const nlohmann::json& finding : JsonLines(query.out)) {
    by_name[finding["names"][0]] = finding;
  }
  ASSERT_EQ(by_name.size(), 4u);  // www, api, secret, login; payments was never logged
  EXPECT_TRUE(by_name["www.example.com"]["expected"]);
  EXPECT_EQ(by_name["www.example.com"]["entries"].size(), 2u);  // in both logs, one finding
  EXPECT_EQ(by_name["www.example.com"]["entries"][0]["entry_type"], "precert");
  EXPECT_FALSE(by_name["login.example.com"]["expected"]);
  EXPECT_EQ(by_name["login.example.com"]["watch_items"][0], ".example.com");
  EXPECT_THAT(by_name["login.example.com"]["issuer"].get<std::string>(), HasSubstr("Rogue CA"));
  EXPECT_EQ(
      RunCtkit({"monitor", "query", "--db", dir_ + "/m.db", "--unexpected", "--format", "json"})
          .out.find("www.example.com"),
      std::string::npos);

  // Nothing new: nothing raised again.
  testing::CommandResult second = RunCtkit(monitor);
  EXPECT_EQ(second.exit_code, 0) << second.err;
  EXPECT_EQ(second.out, "");

  testing::CommandResult status =
      RunCtkit({"monitor", "status", "--db", dir_ + "/m.db", "--format", "json"});
  ASSERT_EQ(status.exit_code, 0) << status.err;
  nlohmann::json logs = nlohmann::json::parse(status.out)["logs"];
  ASSERT_EQ(logs.size(), 2u);
  for (const nlohmann::json& log : logs) {
    EXPECT_EQ(log["lag_entries"], 0);
    EXPECT_EQ(log["position"], log["tree_size"]);
    EXPECT_EQ(log["last_error"], "");
  }
}

TEST_F(MonitorCommandTest, ABrokenLogDoesNotStopTheOthers) {
  LocalLog alpha(dir_, "alpha");
  // A second log in the list that nobody serves (its port is closed).
  std::string dead_key = dir_ + "/dead.key";
  ASSERT_EQ(RunCtkit({"log", "keygen", "--out", dead_key}).exit_code, 0);
  std::string list = MakeList({&alpha}, {{"http://127.0.0.1:1/", dead_key}});
  testing::TestCa rogue("Rogue CA");
  Result<LogClient> client = LogClient::Create(alpha.url, nullptr, {});
  ASSERT_TRUE(client);
  ASSERT_TRUE(
      client->AddChain(std::vector<Bytes>{rogue.IssueLeaf("x.example.com", 5), rogue.der()}));
  usleep(600 * 1000);
  std::string watchlist = WriteFile("watchlist.txt", ".example.com\n");
  testing::CommandResult run = RunCtkit({"monitor", "--once", "--watchlist", watchlist, "--db",
                                         dir_ + "/m.db", "--log-list", list, "--stdout"});
  EXPECT_EQ(run.exit_code, 1) << run.err;  // the alert outranks the failed log
  EXPECT_THAT(run.out, HasSubstr("x.example.com"));
  EXPECT_THAT(run.err, HasSubstr("127.0.0.1:1"));
  testing::CommandResult status = RunCtkit({"monitor", "status", "--db", dir_ + "/m.db"});
  EXPECT_THAT(status.out, HasSubstr("last error"));

  // With the alert already raised, the dead log alone decides: exit 3.
  run = RunCtkit({"monitor", "--once", "--watchlist", watchlist, "--db", dir_ + "/m.db",
                  "--log-list", list, "--stdout"});
  EXPECT_EQ(run.exit_code, 3) << run.err;
}

// An alert a sink did not take is not done: the run says how many are pending per sink, and
// every --once run exits 3 until the hook works again; then it is delivered, once.
TEST_F(MonitorCommandTest, FailingHookIsExitThreeUntilItsAlertIsDelivered) {
  LocalLog alpha(dir_, "alpha");
  std::string list = MakeList({&alpha});
  testing::TestCa rogue("Rogue CA");
  Result<LogClient> client = LogClient::Create(alpha.url, nullptr, {});
  ASSERT_TRUE(client);
  ASSERT_TRUE(
      client->AddChain(std::vector<Bytes>{rogue.IssueLeaf("x.example.com", 5), rogue.der()}));
  usleep(600 * 1000);  // integrated (the log's MMD is 0.2 s)
  std::string watchlist = WriteFile("watchlist.txt", ".example.com\n");
  std::string delivered = dir_ + "/delivered.txt";
  std::string hook = WriteFile("hook.sh", "#!/bin/sh\n[ -f " + dir_ +
                                              "/hook-works ] || exit 1\n"
                                              "echo \"$SUMMARY\" >> " +
                                              delivered + "\n");
  chmod(hook.c_str(), 0755);
  std::vector<std::string> args = {"monitor",      "--once",     "--watchlist", watchlist,  "--db",
                                   dir_ + "/m.db", "--log-list", list,          "--script", hook};
  testing::CommandResult first = RunCtkit(args);
  EXPECT_EQ(first.exit_code, 1) << first.err;  // the alert was raised in this run
  EXPECT_THAT(first.err, HasSubstr("1 alert pending delivery"));
  // stderr is not a terminal here: progress comes as plain journal lines, and start-up says
  // which logs are followed.
  EXPECT_THAT(first.err, HasSubstr("entries/s"));
  EXPECT_THAT(first.err, ::testing::Not(HasSubstr("\x1b[")));
  EXPECT_THAT(first.err, HasSubstr("following 1 of the 1 logs of " + list));

  testing::CommandResult second = RunCtkit(args);
  EXPECT_EQ(second.exit_code, 3) << second.err;  // no new alert, but one still undelivered
  EXPECT_THAT(second.err, HasSubstr("0 new alerts"));
  EXPECT_THAT(second.err, HasSubstr("1 alert pending delivery"));
  testing::CommandResult status = RunCtkit({"monitor", "status", "--db", dir_ + "/m.db"});
  EXPECT_THAT(status.out, HasSubstr("1 pending (retried)"));
  nlohmann::json json_status = nlohmann::json::parse(
      RunCtkit({"monitor", "status", "--db", dir_ + "/m.db", "--format", "json"}).out);
  EXPECT_EQ(json_status["deliveries"]["pending"], 1);
  EXPECT_EQ(json_status["deliveries"]["by_sink"].size(), 1u);

  WriteFile("hook-works", "");
  testing::CommandResult third = RunCtkit(args);
  EXPECT_EQ(third.exit_code, 0) << third.err;
  EXPECT_THAT(ReadFile(delivered), HasSubstr("x.example.com"));
  status = RunCtkit({"monitor", "status", "--db", dir_ + "/m.db"});
  EXPECT_THAT(status.out, HasSubstr("every alert delivered"));
  EXPECT_EQ(RunCtkit(args).exit_code, 0);
  std::string lines = ReadFile(delivered);
  EXPECT_EQ(std::count(lines.begin(), lines.end(), '\n'), 1) << lines;
}

// A webhook that takes the connection and never answers (a listening socket nobody accepts
// on): one delivery costs at most --webhook-timeout, the sink is not tried again in the run, and
// the run ends with its alert pending (exit 3 next time) instead of holding on for minutes.
TEST_F(MonitorCommandTest, DeadWebhookCostsARunOneBoundedDelivery) {
  LocalLog alpha(dir_, "alpha");
  std::string list = MakeList({&alpha});
  testing::TestCa rogue("Rogue CA");
  Result<LogClient> client = LogClient::Create(alpha.url, nullptr, {});
  ASSERT_TRUE(client);
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(client->AddChain(std::vector<Bytes>{
        rogue.IssueLeaf("x" + std::to_string(i) + ".example.com", 5 + i), rogue.der()}));
  }
  usleep(600 * 1000);  // integrated (the log's MMD is 0.2 s)
  int hole = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(hole, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  ASSERT_EQ(bind(hole, reinterpret_cast<sockaddr*>(&address), length), 0);
  ASSERT_EQ(listen(hole, 16), 0);
  ASSERT_EQ(getsockname(hole, reinterpret_cast<sockaddr*>(&address), &length), 0);
  std::string webhook = "http://127.0.0.1:" + std::to_string(ntohs(address.sin_port)) + "/alerts";
  std::string watchlist = WriteFile("watchlist.txt", ".example.com\n");
  std::vector<std::string> args = {"monitor",   "--once",       "--watchlist",       watchlist,
                                   "--db",      dir_ + "/m.db", "--log-list",        list,
                                   "--webhook", webhook,        "--webhook-timeout", "2s"};
  int64_t started = UnixNowMs();
  testing::CommandResult first = RunCtkit(args);
  int64_t took = UnixNowMs() - started;
  EXPECT_EQ(first.exit_code, 1) << first.err;  // three alerts raised in this run
  EXPECT_THAT(first.err, HasSubstr("to webhook: webhook: "));
  EXPECT_THAT(first.err, HasSubstr("3 alerts pending delivery"));
  // Three alerts, each of which would have cost 4 attempts of 30 s: one budget of 2 s instead
  // (the bound is loose for a loaded machine; the old cost was minutes).
  EXPECT_LT(took, 20'000) << first.err;

  started = UnixNowMs();
  testing::CommandResult second = RunCtkit(args);
  EXPECT_EQ(second.exit_code, 3) << second.err;  // nothing new, three still undelivered
  EXPECT_LT(UnixNowMs() - started, 20'000) << second.err;
  EXPECT_THAT(RunCtkit({"monitor", "status", "--db", dir_ + "/m.db"}).out, HasSubstr("webhook"));
  close(hole);

  args.back() = "0s";
  testing::CommandResult zero = RunCtkit(args);
  EXPECT_EQ(zero.exit_code, 2);
  EXPECT_THAT(zero.err, HasSubstr("--webhook-timeout"));
}

TEST_F(MonitorCommandTest, FollowsAStaticCtApiLogFromTheLogList) {
  LocalLog tiled(dir_, "tiled", {"--api", "static"});
  std::string list = MakeList({&tiled}, {}, "static");
  EXPECT_THAT(ReadFile(list), HasSubstr("tiled_logs"));
  testing::TestCa rogue("Rogue CA");
  Result<LogClient> client = LogClient::Create(tiled.url, nullptr, {});
  ASSERT_TRUE(client);
  for (int i = 0; i < 300; ++i) {  // more than one full data tile (256 entries)
    std::string name = std::string("n").append(std::to_string(i));
    name.append(i % 100 == 7 ? ".example.com" : ".other.org");
    ASSERT_TRUE(client->AddChain(std::vector<Bytes>{rogue.IssueLeaf(name, 10 + i), rogue.der()}));
  }
  usleep(800 * 1000);
  std::string watchlist = WriteFile("watchlist.txt", ".example.com\n");
  testing::CommandResult run = RunCtkit({"monitor", "--once", "--watchlist", watchlist, "--db",
                                         dir_ + "/m.db", "--log-list", list, "--stdout"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  std::vector<nlohmann::json> alerts = JsonLines(run.out);
  ASSERT_EQ(alerts.size(), 3u);
  EXPECT_EQ(alerts[0]["finding"]["names"][0], "n7.example.com");
  EXPECT_EQ(alerts[2]["finding"]["names"][0], "n207.example.com");
  nlohmann::json logs = nlohmann::json::parse(
      RunCtkit({"monitor", "status", "--db", dir_ + "/m.db", "--format", "json"}).out)["logs"];
  ASSERT_EQ(logs.size(), 1u);
  EXPECT_EQ(logs[0]["position"], 300);
}

TEST_F(MonitorCommandTest, BadUsageExitsTwo) {
  EXPECT_EQ(RunCtkit({"monitor", "--once", "--db", dir_ + "/m.db"}).exit_code, 2);
  std::string bad = WriteFile("bad.txt", "exa mple.com\n");
  testing::CommandResult run =
      RunCtkit({"monitor", "--once", "--watchlist", bad, "--db", dir_ + "/m.db"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("line 1"));
  EXPECT_EQ(RunCtkit({"monitor", "query", "--db", dir_ + "/none.db"}).exit_code, 2);
  std::string watchlist = WriteFile("w.txt", ".example.com\n");
  std::string inventory = WriteFile("inv.jsonl", "{\"sha256\": 1}\n");
  run = RunCtkit({"monitor", "--once", "--watchlist", watchlist, "--db", dir_ + "/m.db",
                  "--inventory", inventory});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("inv.jsonl"));
}

}  // namespace
}  // namespace ctkit
