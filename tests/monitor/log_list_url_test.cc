// `--log-list URL`: the list is fetched with ctkit's HTTP client (logclient/http_fetcher.h), end to
// end through `ctkit monitor --once` against a real log and an HTTP server on 127.0.0.1 that serves
// the list. A fetch that fails (an HTTP status, a body over kMaxLogListBytes) is a log failure
// (exit 3) that names the URL, as before the client was shared.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <fstream>
#include <string>
#include <thread>

#include "ct/log_list.h"
#include "tests/monitor/local_logs.h"
#include "tests/run_command.h"
#include "tests/test_support.h"

namespace ctkit {
namespace {

using ::ctkit::testing::CommandResult;
using ::ctkit::testing::RunCtkit;
using ::testing::HasSubstr;

class LogListUrlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir("ctkit-log-list-url");
    std::ofstream(dir_ + "/watchlist.txt") << ".example.com\n";
  }
  void TearDown() override {
    if (serving_.joinable()) {
      server_.stop();
      serving_.join();
    }
    testing::RemoveTree(dir_);
  }

  // Serves `list` at /logs.json, and more than kMaxLogListBytes at /huge.json; 404 elsewhere.
  std::string Serve(const std::string& list) {
    server_.Get("/logs.json", [list](const httplib::Request&, httplib::Response& response) {
      response.set_content(list, "application/json");
    });
    server_.Get("/huge.json", [](const httplib::Request&, httplib::Response& response) {
      response.set_content(std::string(kMaxLogListBytes + 1, ' '), "application/json");
    });
    const int port = server_.bind_to_any_port("127.0.0.1");
    EXPECT_GT(port, 0);
    serving_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return "http://127.0.0.1:" + std::to_string(port);
  }

  CommandResult Monitor(const std::string& log_list) {
    return RunCtkit({"monitor", "--once", "--watchlist", dir_ + "/watchlist.txt", "--db",
                     dir_ + "/m.db", "--log-list", log_list});
  }

  std::string dir_;
  httplib::Server server_;
  std::thread serving_;
};

TEST_F(LogListUrlTest, TheListIsFetchedAndAFailedFetchIsALogFailure) {
  testing::LocalLog alpha(dir_, "alpha");
  ASSERT_GT(alpha.process->port(), 0);
  std::string base = Serve(testing::ReadFile(testing::MakeLogList(dir_ + "/logs.json", {&alpha})));

  CommandResult fetched = Monitor(base + "/logs.json");
  EXPECT_EQ(fetched.exit_code, 0) << fetched.err;

  CommandResult missing = Monitor(base + "/missing.json");
  EXPECT_EQ(missing.exit_code, 3) << missing.err;
  EXPECT_THAT(missing.err, HasSubstr(base + "/missing.json: HTTP status 404"));

  CommandResult huge = Monitor(base + "/huge.json");
  EXPECT_EQ(huge.exit_code, 3) << huge.err;
  EXPECT_THAT(huge.err, HasSubstr("larger than " + std::to_string(kMaxLogListBytes) + " bytes"));
}

}  // namespace
}  // namespace ctkit
