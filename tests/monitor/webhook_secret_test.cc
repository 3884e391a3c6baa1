// The webhook URL, which holds a secret token, given without the command line (where `ps` shows
// it): `ctkit monitor --webhook-file FILE` and `--webhook-env VAR`, end to end against a real
// HTTP receiver on 127.0.0.1, for `monitor test-alert` and for a real alert of `monitor --once`.
// The URL is never printed, whatever fails.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <mutex>
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
using ::ctkit::testing::RunCtkit;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kToken[] = "T0KEN-s3cret-4242";

// Receives alerts on POST /hook/<token>: answers `status`, and keeps the bodies of the requests
// whose path carried the token.
class Receiver {
 public:
  explicit Receiver(int status = 200) {
    server_.Post(R"(/hook/(.*))",
                 [this, status](const httplib::Request& request, httplib::Response& response) {
                   std::lock_guard<std::mutex> lock(mutex_);
                   if (request.matches[1] == kToken) bodies_.push_back(request.body);
                   response.status = status;
                   response.set_content(status == 200 ? "{}" : "no", "text/plain");
                 });
    port_ = server_.bind_to_any_port("127.0.0.1");
    EXPECT_GT(port_, 0);
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  std::string url() const {
    return "http://127.0.0.1:" + std::to_string(port_) + "/hook/" + kToken;
  }
  // The "event" of each alert received with the token, in order.
  std::vector<std::string> events() {
    std::lock_guard<std::mutex> lock(mutex_);
    std::vector<std::string> out;
    for (const std::string& body : bodies_) {
      out.push_back(nlohmann::json::parse(body).value("event", std::string("?")));
    }
    return out;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = -1;
  std::mutex mutex_;
  std::vector<std::string> bodies_;
};

class WebhookSecretTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::TempDir("ctkit-webhook-secret"); }
  void TearDown() override { testing::RemoveTree(dir_); }

  std::string WriteFile(const std::string& name, const std::string& text) {
    std::ofstream(dir_ + "/" + name) << text;
    return dir_ + "/" + name;
  }
  // Runs ctkit with `name`=`value` in its environment only.
  static CommandResult RunWithEnv(const std::string& name, const std::string& value,
                                  const std::vector<std::string>& args) {
    setenv(name.c_str(), value.c_str(), 1);
    CommandResult result = RunCtkit(args);
    unsetenv(name.c_str());
    return result;
  }
  // Exit 2 and one line on stderr that names `what` and not the secret.
  static void ExpectUsageError(const CommandResult& result, const std::string& what) {
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
    EXPECT_THAT(result.err, HasSubstr(what));
    EXPECT_THAT(result.err + result.out, Not(HasSubstr(kToken)));
  }

  std::string dir_;
};

TEST_F(WebhookSecretTest, TestAlertReachesTheWebhookFromAFileAndFromTheEnvironment) {
  Receiver receiver;
  // First line only, trailing white space (and a CRLF) trimmed; a comment line may follow.
  std::string file = WriteFile("webhook.url", receiver.url() + "  \r\n# rotated 2025-01\n");
  CommandResult from_file = RunCtkit({"monitor", "test-alert", "--webhook-file", file});
  EXPECT_EQ(from_file.exit_code, 0) << from_file.err;
  EXPECT_THAT(from_file.err, HasSubstr("webhook accepted the test alert"));
  EXPECT_THAT(from_file.err + from_file.out, Not(HasSubstr(kToken)));
  EXPECT_THAT(receiver.events(), ::testing::ElementsAre("test"));

  CommandResult from_env =
      RunWithEnv("CTKIT_TEST_WEBHOOK", receiver.url() + "\n",
                 {"monitor", "test-alert", "--webhook-env", "CTKIT_TEST_WEBHOOK"});
  EXPECT_EQ(from_env.exit_code, 0) << from_env.err;
  EXPECT_THAT(from_env.err + from_env.out, Not(HasSubstr(kToken)));
  EXPECT_THAT(receiver.events(), ::testing::ElementsAre("test", "test"));
}

TEST_F(WebhookSecretTest, MonitorDeliversARealAlertToTheWebhookFromAFileAndFromTheEnvironment) {
  Receiver receiver;
  testing::LocalLog log(dir_, "log");
  ASSERT_GT(log.process->port(), 0);
  std::string list = testing::MakeLogList(dir_ + "/logs.json", {&log});
  testing::TestCa rogue("Rogue CA");
  Result<LogClient> client = LogClient::Create(log.url, nullptr, {});
  ASSERT_TRUE(client);
  ASSERT_TRUE(
      client->AddChain(std::vector<Bytes>{rogue.IssueLeaf("login.example.com", 3), rogue.der()}));
  usleep(600 * 1000);  // integrated within the MMD (0.2 s)
  std::string watchlist = WriteFile("watchlist.txt", ".example.com\n");
  std::string file = WriteFile("webhook.url", receiver.url() + "\n");

  CommandResult run = RunCtkit({"monitor", "--once", "--watchlist", watchlist, "--db",
                                dir_ + "/file.db", "--log-list", list, "--webhook-file", file});
  EXPECT_EQ(run.exit_code, 1) << run.err;  // one alert raised, and delivered
  EXPECT_THAT(run.err + run.out, Not(HasSubstr(kToken)));
  EXPECT_THAT(receiver.events(), ::testing::ElementsAre("unexpected_cert"));

  CommandResult from_env =
      RunWithEnv("CTKIT_TEST_WEBHOOK", receiver.url(),
                 {"monitor", "--once", "--watchlist", watchlist, "--db", dir_ + "/env.db",
                  "--log-list", list, "--webhook-env", "CTKIT_TEST_WEBHOOK"});
  EXPECT_EQ(from_env.exit_code, 1) << from_env.err;
  EXPECT_THAT(from_env.err + from_env.out, Not(HasSubstr(kToken)));
  EXPECT_THAT(receiver.events(), ::testing::ElementsAre("unexpected_cert", "unexpected_cert"));
}

TEST_F(WebhookSecretTest, UnusableSourcesAreOneLineErrorsThatNeverShowTheUrl) {
  std::string watchlist = WriteFile("watchlist.txt", ".example.com\n");
  const std::vector<std::string> monitor = {"monitor", "--once", "--watchlist",
                                            watchlist, "--db",   dir_ + "/m.db"};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = monitor;
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  ExpectUsageError(RunCtkit(with({"--webhook-file", dir_ + "/missing"})),
                   "--webhook-file: " + dir_ + "/missing: No such file or directory");
  ExpectUsageError(RunCtkit(with({"--webhook-file", WriteFile("empty", "\n  \n")})),
                   "first line is empty");
  ExpectUsageError(RunCtkit(with({"--webhook-file", dir_})), "--webhook-file");  // a directory
  unsetenv("CTKIT_TEST_NO_SUCH_VARIABLE");
  ExpectUsageError(RunCtkit(with({"--webhook-env", "CTKIT_TEST_NO_SUCH_VARIABLE"})),
                   "--webhook-env: environment variable CTKIT_TEST_NO_SUCH_VARIABLE is not set");
  ExpectUsageError(
      RunWithEnv("CTKIT_TEST_WEBHOOK", "", with({"--webhook-env", "CTKIT_TEST_WEBHOOK"})),
      "is empty");
  // Exclusive with --webhook and with each other.
  std::string file = WriteFile("webhook.url", std::string("https://hooks.example/") + kToken);
  ExpectUsageError(RunCtkit(with({"--webhook", "https://hooks.example/x", "--webhook-file", file})),
                   "--webhook excludes --webhook-file");
  ExpectUsageError(RunCtkit(with({"--webhook-file", file, "--webhook-env", "HOME"})), "excludes");
  // A URL that is not one: refused without repeating it.
  std::string typo = WriteFile("typo.url", std::string("htps://hooks.example/") + kToken + "\n");
  ExpectUsageError(RunCtkit(with({"--webhook-file", typo})),
                   "--webhook: not an http:// or https:// URL with a host");

  // A webhook that fails: the failure is said, the URL is not.
  Receiver failing(500);
  std::string failing_file = WriteFile("failing.url", failing.url());
  CommandResult failed = RunCtkit(
      {"monitor", "test-alert", "--webhook-file", failing_file, "--webhook-timeout", "5s"});
  EXPECT_EQ(failed.exit_code, 3) << failed.err;
  EXPECT_THAT(failed.err, HasSubstr("webhook failed"));
  EXPECT_THAT(failed.err + failed.out, Not(HasSubstr(kToken)));
}

}  // namespace
}  // namespace ctkit
