// A port that is already taken is an error, not shared: cpp-httplib set SO_REUSEPORT, so a
// second `ctkit log serve` on a log's port printed "listening" and the kernel split the clients
// between two logs with one key (get-sth answered 10, 0, 10...: a split view), and `monitor
// --http` on a log's port answered the monitor's own log requests. Both now exit 2 at start-up
// with one line (httpd/http_server.h binds exclusively).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/logserver/log_process.h"
#include "tests/monitor/local_logs.h"
#include "tests/run_command.h"
#include "tests/test_paths.h"
#include "tests/test_support.h"

namespace ctkit {
namespace {

using ::ctkit::testing::CommandResult;
using ::ctkit::testing::LocalLog;
using ::testing::HasSubstr;

// `ctkit args...`, killed after 30 s: a server that wrongly starts must fail the test, not hang it.
CommandResult RunBounded(std::vector<std::string> args) {
  args.insert(args.begin(), {"/usr/bin/timeout", "30", testing::CtkitBinary()});
  return testing::RunCommand(args);
}

TEST(TakenPortTest, SecondServerOnAPortExitsTwo) {
  std::string dir = testing::TempDir("ctkit-taken-port");
  LocalLog log(dir, "first");
  ASSERT_GT(log.process->port(), 0);
  std::string address = "127.0.0.1:" + std::to_string(log.process->port());

  CommandResult second = RunBounded({"log", "serve", "--key", log.dir + "/log.key", "--db",
                                     dir + "/second.db", "--listen", address, "--accept-any-root"});
  EXPECT_EQ(second.exit_code, 2) << second.err;
  EXPECT_THAT(second.err, HasSubstr(address));
  EXPECT_THAT(second.err, HasSubstr("in use"));
  EXPECT_THAT(second.out, ::testing::Not(HasSubstr("listening")));

  std::string watchlist = dir + "/watchlist.txt";
  std::ofstream(watchlist) << ".example.com\n";
  std::string list = testing::MakeLogList(dir + "/logs.json", {&log});
  CommandResult monitor = RunBounded({"monitor", "--watchlist", watchlist, "--db", dir + "/m.db",
                                      "--log-list", list, "--http", address});
  EXPECT_EQ(monitor.exit_code, 2) << monitor.err;
  EXPECT_THAT(monitor.err, HasSubstr("in use"));
  testing::RemoveTree(dir);
}

}  // namespace
}  // namespace ctkit
