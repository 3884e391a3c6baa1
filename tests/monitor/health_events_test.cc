// HealthEvents (monitor/health_events.h): problems become `error` events after the debounce,
// repeat at the interval, and end with one `recovered`; and end to end, a log that answers
// get-sth but fails every get-entries makes a running daemon unhealthy with the reason and push
// an `error` event through its sink, where it used to stay silent and "ok".

#include "monitor/health_events.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "logclient/log_client.h"
#include "tests/cert_factory.h"
#include "tests/monitor/local_logs.h"
#include "tests/run_command.h"
#include "tests/test_support.h"

namespace ctkit {
namespace {

using ::ctkit::testing::LocalLog;
using ::ctkit::testing::ReadFile;
using ::testing::HasSubstr;

std::vector<std::string> Events(const std::vector<NewAlert>& alerts) {
  std::vector<std::string> out;
  for (const NewAlert& alert : alerts) out.push_back(alert.event);
  return out;
}

TEST(HealthEventsTest, DebounceRepeatAndRecovery) {
  HealthEvents events({.debounce_ms = 60'000, .repeat_ms = 3'600'000});
  std::vector<HealthProblem> stalled = {{"stalled:L", "log L: 5 entries behind"}};
  EXPECT_TRUE(events.Update(stalled, 0).empty());       // just started
  EXPECT_TRUE(events.Update(stalled, 59'999).empty());  // within the debounce
  std::vector<NewAlert> raised = events.Update(stalled, 60'000);
  ASSERT_EQ(Events(raised), std::vector<std::string>{"error"});
  nlohmann::json body = nlohmann::json::parse(raised[0].body_json);
  EXPECT_EQ(body["event"], "error");
  EXPECT_EQ(body["problem"], "stalled:L");
  EXPECT_THAT(body["summary"].get<std::string>(), HasSubstr("log L: 5 entries behind"));
  EXPECT_EQ(body["since"], "1970-01-01T00:00:00Z");
  EXPECT_TRUE(events.Update(stalled, 3'659'999).empty());  // not yet due again
  std::vector<NewAlert> again = events.Update(stalled, 3'660'000);
  ASSERT_EQ(Events(again), std::vector<std::string>{"error"});
  EXPECT_NE(again[0].key, raised[0].key);  // stored as a new alert, delivered again

  std::vector<NewAlert> over = events.Update({}, 3'700'000);
  ASSERT_EQ(Events(over), std::vector<std::string>{"recovered"});
  EXPECT_THAT(nlohmann::json::parse(over[0].body_json)["summary"].get<std::string>(),
              HasSubstr("recovered"));
  EXPECT_TRUE(events.Update({}, 3'800'000).empty());
}

TEST(HealthEventsTest, AShortProblemRaisesNothingAndEachKeyIsItsOwn) {
  HealthEvents events({.debounce_ms = 10'000, .repeat_ms = 3'600'000});
  EXPECT_TRUE(events.Update({{"unreachable:A", "a"}}, 0).empty());
  EXPECT_TRUE(events.Update({}, 5'000).empty());  // gone before it was announced: no recovered
  EXPECT_TRUE(events.Update({{"unreachable:A", "a"}, {"log-list", "b"}}, 6'000).empty());
  std::vector<NewAlert> both = events.Update({{"unreachable:A", "a"}, {"log-list", "b"}}, 16'000);
  EXPECT_EQ(both.size(), 2u);
  std::vector<NewAlert> one = events.Update({{"log-list", "b"}}, 17'000);
  ASSERT_EQ(Events(one), std::vector<std::string>{"recovered"});
  EXPECT_EQ(nlohmann::json::parse(one[0].body_json)["problem"], "unreachable:A");
}

// Waits until `path` holds `needle`, at most `seconds`.
bool WaitForText(const std::string& path, const std::string& needle, int seconds) {
  auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  while (std::chrono::steady_clock::now() < until) {
    if (ReadFile(path).find(needle) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

TEST(HealthEventsEndToEndTest, ALogThatFailsGetEntriesIsStalledUnhealthyAndPushed) {
  std::string dir = testing::TempDir("ctkit-stall");
  LocalLog bad(dir, "bad", {"--test-faults-enabled"});
  std::string list = testing::MakeLogList(dir + "/logs.json", {&bad});
  testing::TestCa rogue("Rogue CA");
  Result<LogClient> client = LogClient::Create(bad.url, nullptr, {});
  ASSERT_TRUE(client);
  ASSERT_TRUE(
      client->AddChain(std::vector<Bytes>{rogue.IssueLeaf("x.example.com", 5), rogue.der()}));
  std::this_thread::sleep_for(std::chrono::milliseconds(600));  // integrated (--mmd 0.2)
  {
    httplib::Client faults("127.0.0.1", bad.process->port());
    httplib::Result set = faults.Post("/ctkit-test/fault", "truncated", "text/plain");
    ASSERT_TRUE(set);
    ASSERT_EQ(set->status, 200) << set->body;
  }
  std::string watchlist = dir + "/watchlist.txt";
  std::ofstream(watchlist) << ".example.com\n";
  std::string out = dir + "/daemon.out", err = dir + "/daemon.err";
  pid_t daemon = fork();
  if (daemon == 0) {
    dup2(open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644), 1);
    dup2(open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644), 2);
    testing::ExecOrExit({testing::CtkitBinary(), "monitor", "--watchlist", watchlist, "--db",
                         dir + "/m.db", "--log-list", list, "--stdout", "--http", "127.0.0.1:0",
                         "--poll-interval", "0.2", "--stall-after", "2"});
  }
  // However the test ends, the daemon does not outlive it.
  std::shared_ptr<void> reaper(nullptr, [daemon](void*) {
    if (kill(daemon, 0) == 0) {
      kill(daemon, SIGKILL);
      waitpid(daemon, nullptr, 0);
    }
  });
  ASSERT_TRUE(WaitForText(err, "http listening on 127.0.0.1:", 30)) << ReadFile(err);
  std::string text = ReadFile(err);
  size_t at = text.find("http listening on 127.0.0.1:") + 28;
  int port = std::stoi(text.substr(at, text.find('\n', at) - at));

  // The head verifies, every get-entries fails: after --stall-after (and the debounce) the
  // daemon pushes an error event through its sink and /healthz names the reason.
  EXPECT_TRUE(WaitForText(out, "\"event\":\"error\"", 60)) << ReadFile(out) << ReadFile(err);
  std::string alerts = ReadFile(out);
  EXPECT_THAT(alerts, HasSubstr("stalled:" + bad.url));
  EXPECT_THAT(alerts, ::testing::Not(HasSubstr("x.example.com")));  // nothing unproven
  httplib::Client http("127.0.0.1", port);
  httplib::Result health = http.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 503);
  EXPECT_THAT(health->body, HasSubstr("entries behind and none proven for"));

  // The log recovers: the entry is proven and alerted, and a `recovered` event follows.
  {
    httplib::Client faults("127.0.0.1", bad.process->port());
    ASSERT_TRUE(faults.Post("/ctkit-test/fault", "", "text/plain"));
  }
  EXPECT_TRUE(WaitForText(out, "x.example.com", 60)) << ReadFile(err);
  EXPECT_TRUE(WaitForText(out, "\"event\":\"recovered\"", 60)) << ReadFile(out) << ReadFile(err);
  health = http.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_EQ(health->status, 200) << health->body;

  kill(daemon, SIGTERM);
  int status = 0;
  waitpid(daemon, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status;
  testing::RemoveTree(dir);
}

}  // namespace
}  // namespace ctkit
