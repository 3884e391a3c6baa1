// A set-up that cannot work is refused at start-up with exit 2 and one line (monitor/
// startup_checks.h, docs/monitor.md "Start-up checks"), and the daemon's lifecycle: one monitor
// per database, and SIGTERM is a clean exit 0 even after alerts.

#include "monitor/startup_checks.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "base/pid_lock.h"
#include "logclient/log_client.h"
#include "tests/cert_factory.h"
#include "tests/monitor/local_logs.h"
#include "tests/run_command.h"
#include "tests/test_support.h"

namespace ctkit {
namespace {

using ::ctkit::testing::LocalLog;
using ::ctkit::testing::ReadFile;
using ::ctkit::testing::RunCtkit;
using ::testing::HasSubstr;

size_t Lines(const std::string& text) {
  return static_cast<size_t>(std::count(text.begin(), text.end(), '\n'));
}

class StartupChecksTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::TempDir("ctkit-startup"); }
  void TearDown() override { testing::RemoveTree(dir_); }

  std::string WriteFile(const std::string& name, const std::string& text, mode_t mode = 0644) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path) << text;
    chmod(path.c_str(), mode);
    return path;
  }

  std::string dir_;
};

TEST_F(StartupChecksTest, HookCommandMustNameAnExecutable) {
  EXPECT_TRUE(CheckHookCommand("/bin/true"));
  EXPECT_TRUE(CheckHookCommand("true --flag"));        // found in PATH
  EXPECT_TRUE(CheckHookCommand("\"$HOOK\" x"));        // shell syntax: not checkable, accepted
  EXPECT_TRUE(CheckHookCommand("cd /tmp && ./hook"));  // a shell builtin runs first
  EXPECT_TRUE(CheckHookCommand("exec /bin/true"));
  std::string script = WriteFile("hook.sh", "#!/bin/sh\n", 0755);
  EXPECT_TRUE(CheckHookCommand(script + " arg"));

  Result<void> missing = CheckHookCommand(dir_ + "/missing.sh");
  ASSERT_FALSE(missing);
  EXPECT_THAT(missing.error().message, HasSubstr("no such file"));
  Result<void> not_executable = CheckHookCommand(WriteFile("plain.sh", "#!/bin/sh\n", 0644));
  ASSERT_FALSE(not_executable);
  EXPECT_THAT(not_executable.error().message, HasSubstr("not an executable"));
  EXPECT_FALSE(CheckHookCommand(dir_));  // a directory
  EXPECT_FALSE(CheckHookCommand("no-such-program-ctkit-test"));
  EXPECT_FALSE(CheckHookCommand("   "));
}

TEST_F(StartupChecksTest, WebhookMustBeHttpWithAHost) {
  EXPECT_TRUE(CheckWebhookUrl("http://127.0.0.1:8080/hook"));
  EXPECT_TRUE(CheckWebhookUrl("https://hooks.example.com/x?token=1"));
  for (const char* bad :
       {"notaurl", "ftp://x/", "http://", "https:///path", "file:///etc/passwd", "HTTP//x", ""}) {
    EXPECT_FALSE(CheckWebhookUrl(bad)) << bad;
  }
}

TEST_F(StartupChecksTest, DirectoriesAndDatabasesMustBeWritable) {
  EXPECT_TRUE(CheckWritableDirectory(dir_ + "/new/certs"));
  EXPECT_TRUE(std::filesystem::is_directory(dir_ + "/new/certs"));
  std::string file = WriteFile("file", "x");
  EXPECT_FALSE(CheckWritableDirectory(file + "/certs"));  // under a regular file
  EXPECT_TRUE(CheckWritableDatabase(dir_ + "/m.db"));
  Result<void> no_dir = CheckWritableDatabase(dir_ + "/missing/m.db");
  ASSERT_FALSE(no_dir);
  EXPECT_THAT(no_dir.error().message, HasSubstr("does not exist"));
}

TEST(PidLockTest, SecondHolderIsRefusedWithTheFirstsPid) {
  std::string dir = testing::TempDir("ctkit-pidlock");
  std::string path = dir + "/db.lock";
  {
    Result<PidLock> first = PidLock::Acquire(path);
    ASSERT_TRUE(first) << first.error().message;
    EXPECT_EQ(ReadFile(path), std::to_string(getpid()) + "\n");
    // flock locks belong to the open file description: a second open in the same process is
    // refused just as another process would be.
    Result<PidLock> second = PidLock::Acquire(path);
    ASSERT_FALSE(second);
    EXPECT_THAT(second.error().message, HasSubstr("PID " + std::to_string(getpid())));
  }
  EXPECT_TRUE(PidLock::Acquire(path));  // released with its holder
  testing::RemoveTree(dir);
}

// Every refusal: exit 2, one line on stderr naming what is wrong, nothing run.
TEST_F(StartupChecksTest, MonitorRefusesASetUpThatCannotWork) {
  LocalLog alpha(dir_, "alpha");
  std::string list = testing::MakeLogList(dir_ + "/logs.json", {&alpha});
  std::string watchlist = WriteFile("watchlist.txt", ".example.com\n");
  std::string db = dir_ + "/m.db";
  std::vector<std::string> base = {"monitor", "--once", "--log-list", list, "--db", db};
  auto run = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = base;
    args.insert(args.end(), extra.begin(), extra.end());
    return RunCtkit(args);
  };
  struct Case {
    std::vector<std::string> extra;
    std::string says;
  };
  std::string not_executable = WriteFile("hook.sh", "#!/bin/sh\n", 0644);
  std::string file = WriteFile("file", "x");
  std::string config =
      WriteFile("config.json", R"({"logs": {"http://typo.example/": {"batch_size": 5}}})");
  std::string empty = WriteFile("empty.txt", "# nothing yet\n\n");
  std::vector<Case> cases = {
      {{"--watchlist", watchlist, "--script", dir_ + "/missing.sh"}, "no such file"},
      {{"--watchlist", watchlist, "--script", not_executable}, "not an executable"},
      {{"--watchlist", watchlist, "--webhook", "notaurl"}, "--webhook"},
      {{"--watchlist", watchlist, "--script", "/bin/true", "--cert-dir", file + "/certs"},
       "--cert-dir"},
      {{"--watchlist", watchlist, "--config", config}, "http://typo.example/"},
      // Refused before the HTTP side starts: the one line is the refusal, not "http listening".
      {{"--watchlist", watchlist, "--config", config, "--http", "127.0.0.1:0"},
       "names a log that is not in the log list"},
      {{"--watchlist", empty}, "--allow-empty-watchlist"},
  };
  for (const Case& c : cases) {
    testing::CommandResult result = run(c.extra);
    EXPECT_EQ(result.exit_code, 2) << c.says << ": " << result.err;
    EXPECT_THAT(result.err, HasSubstr(c.says));
    EXPECT_EQ(Lines(result.err), 1u) << result.err;
    EXPECT_EQ(result.out, "");
  }
  testing::CommandResult no_dir = RunCtkit({"monitor", "--once", "--log-list", list, "--watchlist",
                                            watchlist, "--db", dir_ + "/missing/m.db"});
  EXPECT_EQ(no_dir.exit_code, 2);
  EXPECT_THAT(no_dir.err, HasSubstr("does not exist"));

  // Meant: an empty watchlist with the flag runs (and finds nothing).
  testing::CommandResult allowed = run({"--watchlist", empty, "--allow-empty-watchlist"});
  EXPECT_EQ(allowed.exit_code, 0) << allowed.err;
  EXPECT_THAT(allowed.err, HasSubstr("following 1 of the 1 logs of " + list));
}

TEST_F(StartupChecksTest, CaInitRefusesALogListThatDoesNotParse) {
  std::string garbage = WriteFile("garbage.txt", "not a log list\n");
  testing::CommandResult run =
      RunCtkit({"ca", "init", "--dir", dir_ + "/ca", "--log-list", garbage});
  EXPECT_EQ(run.exit_code, 2) << run.out << run.err;
  EXPECT_THAT(run.err, HasSubstr("--log-list"));
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/ca/config.json"));
}

// A daemon holds its database: a second monitor on it is refused, naming the first's PID. The
// first, once it has raised an alert, still ends with exit 0 on SIGTERM.
TEST_F(StartupChecksTest, OneMonitorPerDatabaseAndSigtermIsACleanExit) {
  LocalLog alpha(dir_, "alpha");
  std::string list = testing::MakeLogList(dir_ + "/logs.json", {&alpha});
  testing::TestCa rogue("Rogue CA");
  Result<LogClient> client = LogClient::Create(alpha.url, nullptr, {});
  ASSERT_TRUE(client);
  ASSERT_TRUE(
      client->AddChain(std::vector<Bytes>{rogue.IssueLeaf("x.example.com", 5), rogue.der()}));
  std::string watchlist = WriteFile("watchlist.txt", ".example.com\n");
  std::string db = dir_ + "/m.db";
  std::string out = dir_ + "/daemon.out";

  pid_t daemon = fork();
  if (daemon == 0) {
    int fd = open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, 1);
    testing::ExecOrExit({testing::CtkitBinary(), "monitor", "--watchlist", watchlist, "--db", db,
                         "--log-list", list, "--stdout", "--poll-interval", "0.2"});
  }
  // Wait for the alert: the daemon is then past start-up and holds the lock.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (ReadFile(out).find("x.example.com") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_THAT(ReadFile(out), HasSubstr("x.example.com"));

  testing::CommandResult second =
      RunCtkit({"monitor", "--once", "--watchlist", watchlist, "--db", db, "--log-list", list});
  EXPECT_EQ(second.exit_code, 2) << second.err;
  EXPECT_THAT(second.err, HasSubstr("in use by another monitor"));
  EXPECT_THAT(second.err, HasSubstr("PID " + std::to_string(daemon)));

  kill(daemon, SIGTERM);
  int status = 0;
  waitpid(daemon, &status, 0);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);

  // Released: the next run may use the database.
  testing::CommandResult after =
      RunCtkit({"monitor", "--once", "--watchlist", watchlist, "--db", db, "--log-list", list});
  EXPECT_EQ(after.exit_code, 0) << after.err;
}

}  // namespace
}  // namespace ctkit
