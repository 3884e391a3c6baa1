// The configuration directory (monitor/config_dir.h, ApplyConfigDir in monitor/monitor_setup.h):
// which directory is used, what is read from hooks.d and email_recipients, the address rule
// (monitor/email_address.h), and end to end, `ctkit monitor --config-dir DIR --once` holding a
// certspotter-style watchlist against a real `ctkit log serve`, and `--watchlist -` on stdin.

#include "monitor/config_dir.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>

#include "logclient/log_client.h"
#include "monitor/email_address.h"
#include "monitor/monitor_setup.h"
#include "tests/cert_factory.h"
#include "tests/monitor/local_logs.h"
#include "tests/run_command.h"
#include "tests/test_support.h"

namespace ctkit {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class ConfigDirTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::TempDir("ctkit-config-dir"); }
  void TearDown() override { testing::RemoveTree(dir_); }

  std::string Write(const std::string& name, const std::string& text, mode_t mode = 0644) {
    std::string path = dir_ + "/" + name;
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path, std::ios::binary) << text;
    chmod(path.c_str(), mode);
    return path;
  }

  std::string dir_;
};

TEST(ConfigDirLookupTest, FlagThenCtkitVariableThenSystemdThenHome) {
  ConfigDirEnvironment env{.ctkit_config_dir = "/from/ctkit",
                           .configuration_directory = "/etc/ctkit:/etc/other",
                           .home = "/home/alice"};
  ConfigDirChoice choice = ChooseConfigDir("/from/flag", env);
  EXPECT_EQ(choice.dir, "/from/flag");
  EXPECT_EQ(choice.source, "--config-dir");
  EXPECT_TRUE(choice.must_exist);

  choice = ChooseConfigDir("", env);
  EXPECT_EQ(choice.dir, "/from/ctkit");
  EXPECT_EQ(choice.source, "$CTKIT_CONFIG_DIR");
  EXPECT_TRUE(choice.must_exist);

  env.ctkit_config_dir.clear();  // empty is unset
  choice = ChooseConfigDir("", env);
  EXPECT_EQ(choice.dir, "/etc/ctkit");  // the first of systemd's list
  EXPECT_EQ(choice.source, "$CONFIGURATION_DIRECTORY");
  EXPECT_TRUE(choice.must_exist);

  env.configuration_directory.clear();
  choice = ChooseConfigDir("", env);
  EXPECT_EQ(choice.dir, "/home/alice/.ctkit");
  EXPECT_EQ(choice.source, "$HOME");
  EXPECT_FALSE(choice.must_exist);  // a default that is not there is not an error

  env.home.clear();
  EXPECT_EQ(ChooseConfigDir("", env).dir, "");
}

TEST(ConfigDirLookupTest, RelativeDirectoriesAreMadeAbsolute) {
  const std::string cwd = std::filesystem::current_path().string();
  EXPECT_EQ(ChooseConfigDir("conf/", {}).dir, cwd + "/conf");
  EXPECT_EQ(ChooseStateDir("", {.ctkit_state_dir = "./state"}), cwd + "/state");
  EXPECT_EQ(ChooseConfigDir("/etc/ctkit/", {}).dir, "/etc/ctkit");
}

TEST(ConfigDirLookupTest, StateDirIsCtkitVariableThenSystemdThenConfigDirState) {
  ConfigDirEnvironment env{.ctkit_state_dir = "/srv/ctkit-state",
                           .state_directory = "/var/lib/ctkit:/var/lib/other"};
  EXPECT_EQ(ChooseStateDir("/etc/ctkit", env), "/srv/ctkit-state");
  env.ctkit_state_dir.clear();
  EXPECT_EQ(ChooseStateDir("/etc/ctkit", env), "/var/lib/ctkit");
  env.state_directory.clear();
  EXPECT_EQ(ChooseStateDir("/home/alice/.ctkit", env), "/home/alice/.ctkit/state");
  EXPECT_EQ(ChooseStateDir("", env), "");  // no directory at all: --db stays required
}

TEST_F(ConfigDirTest, ADirectoryNamedExplicitlyMustExist) {
  const std::string missing = dir_ + "/nope";
  Result<ConfigDirContents> flag = ReadConfigDir(missing, {});
  ASSERT_FALSE(flag);
  EXPECT_EQ(flag.error().message,
            "configuration directory " + missing + " (--config-dir) does not exist");
  Result<ConfigDirContents> env = ReadConfigDir("", {.ctkit_config_dir = missing});
  ASSERT_FALSE(env);
  EXPECT_THAT(env.error().message, HasSubstr("($CTKIT_CONFIG_DIR) does not exist"));
  env = ReadConfigDir("", {.configuration_directory = missing});
  ASSERT_FALSE(env);
  EXPECT_THAT(env.error().message, HasSubstr("($CONFIGURATION_DIRECTORY) does not exist"));
  Result<ConfigDirContents> file = ReadConfigDir(Write("plain", "x"), {});
  ASSERT_FALSE(file);
  EXPECT_THAT(file.error().message, HasSubstr("is not a directory"));

  // $HOME/.ctkit that is not there: nothing is read, the state directory is still under it.
  Result<ConfigDirContents> home = ReadConfigDir("", {.home = dir_});
  ASSERT_TRUE(home) << home.error().message;
  EXPECT_EQ(home->config_dir, dir_ + "/.ctkit");
  EXPECT_EQ(home->state_dir, dir_ + "/.ctkit/state");
  EXPECT_EQ(home->watchlist_path, "");
  EXPECT_THAT(home->hook_programs, IsEmpty());
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/.ctkit"));  // reading creates nothing
}

TEST_F(ConfigDirTest, ReadsACertspotterDirectory) {
  Write("conf/watchlist", ".example.com\n");
  Write("conf/hooks.d/notify", "#!/bin/sh\n", 0755);
  Write("conf/email_recipients", "ops@example.com\n");
  Result<ConfigDirContents> contents = ReadConfigDir(dir_ + "/conf", {});
  ASSERT_TRUE(contents) << contents.error().message;
  EXPECT_EQ(contents->config_dir, dir_ + "/conf");
  EXPECT_EQ(contents->state_dir, dir_ + "/conf/state");
  EXPECT_EQ(contents->watchlist_path, dir_ + "/conf/watchlist");
  EXPECT_THAT(contents->hook_programs, ElementsAre(dir_ + "/conf/hooks.d/notify"));
  EXPECT_THAT(contents->email_recipients, ElementsAre("ops@example.com"));
  EXPECT_THAT(contents->warnings, IsEmpty());

  // Every file is optional.
  Result<ConfigDirContents> empty = ReadConfigDir(dir_, {});
  ASSERT_TRUE(empty) << empty.error().message;
  EXPECT_EQ(empty->watchlist_path, "");
  EXPECT_THAT(empty->hook_programs, IsEmpty());
  EXPECT_THAT(empty->email_recipients, IsEmpty());
}

TEST_F(ConfigDirTest, HooksAreTheExecutableFilesSortedAndTheRestIsSaidOrHidden) {
  const std::string hooks = dir_ + "/hooks.d";
  Write("hooks.d/20-page", "#!/bin/sh\n", 0755);
  Write("hooks.d/10-mail", "#!/bin/sh\n", 0700);
  Write("hooks.d/.disabled", "#!/bin/sh\n", 0755);  // hidden: skipped without a word
  Write("hooks.d/.hook.swp", "", 0644);
  Write("hooks.d/README", "what goes here\n", 0644);  // Debian's certspotter ships one
  Write("hooks.d/forgot-chmod", "#!/bin/sh\n", 0644);
  std::filesystem::create_directories(hooks + "/old");
  std::filesystem::create_symlink(dir_ + "/gone", hooks + "/dangling");
  std::string outside = Write("elsewhere/hook", "#!/bin/sh\n", 0755);
  std::filesystem::create_symlink(outside, hooks + "/30-linked");
  mkfifo((hooks + "/fifo").c_str(), 0755);

  std::vector<std::string> warnings;
  Result<std::vector<std::string>> programs = ListHookPrograms(hooks, warnings);
  ASSERT_TRUE(programs) << programs.error().message;
  EXPECT_THAT(*programs, ElementsAre(hooks + "/10-mail", hooks + "/20-page", hooks + "/30-linked"));
  EXPECT_THAT(warnings,
              ElementsAre(hooks + ": \"README\" is not executable by this user (chmod +x it, or "
                                  "rename it to start with '.'): not run as a hook",
                          hooks + ": \"dangling\" is a symbolic link to nothing: not run as a hook",
                          hooks + ": \"fifo\" is not a regular file: not run as a hook",
                          HasSubstr("\"forgot-chmod\" is not executable by this user"),
                          hooks + ": \"old\" is a directory: not run as a hook"));

  // A missing hooks.d has no hooks; a file where it should be is refused.
  warnings.clear();
  EXPECT_THAT(ListHookPrograms(dir_ + "/none", warnings).value(), IsEmpty());
  Result<std::vector<std::string>> file = ListHookPrograms(Write("not-a-dir", ""), warnings);
  ASSERT_FALSE(file);
  EXPECT_THAT(file.error().message, HasSubstr("is not a directory of hooks"));
}

TEST_F(ConfigDirTest, AHookNamedLikeShellCodeRunsThatFileAndNothingElse) {
  const std::string marker = dir_ + "/ran";
  const std::string name = "it's $(echo injected >&2); `echo injected >&2` a hook";
  Write("hooks.d/" + name, "#!/bin/sh\necho ok > '" + marker + "'\n", 0755);
  std::vector<std::string> warnings;
  Result<std::vector<std::string>> programs = ListHookPrograms(dir_ + "/hooks.d", warnings);
  ASSERT_TRUE(programs) << programs.error().message;
  ASSERT_EQ(programs->size(), 1u);
  EXPECT_EQ(HookCommandForProgram("/etc/ctkit/hooks.d/notify.sh"),
            "/etc/ctkit/hooks.d/notify.sh");  // plain paths stay readable
  testing::CommandResult run =
      testing::RunCommand({"/bin/sh", "-c", HookCommandForProgram(programs->front())});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(testing::ReadFile(marker), "ok\n");
  EXPECT_THAT(run.err, ::testing::Not(HasSubstr("injected")));
}

TEST(EmailRecipientsTest, OneAddressALineWithCommentsAndBlankLines) {
  Result<std::vector<std::string>> addresses = ParseEmailRecipients(
      "# who gets the alerts\n"
      "ops@example.com\n"
      "\n"
      "   \t\n"
      "  security+ct@example.net  \r\n"
      "#alice@example.com (on leave)\n"
      "o'brien@bücher.example\n"
      "last@example.org");  // no final newline
  ASSERT_TRUE(addresses) << addresses.error().message;
  EXPECT_THAT(*addresses, ElementsAre("ops@example.com", "security+ct@example.net",
                                      "o'brien@bücher.example", "last@example.org"));
  EXPECT_THAT(ParseEmailRecipients("").value(), IsEmpty());
  EXPECT_THAT(ParseEmailRecipients("# none yet\n").value(), IsEmpty());
}

TEST(EmailRecipientsTest, HostileLinesAreRefusedNamingTheLine) {
  std::map<std::string, std::string> refused = {
      {"-oQ/tmp", "line 1: \"-oQ/tmp\" starts with '-', which sendmail would read as an option"},
      {"ops@example.com\nBcc: spy@evil.example",
       "line 2: \"Bcc: spy@evil.example\" holds white space or a control character; one "
       "address a line"},
      {"a@example.com b@example.com", "line 1: \"a@example.com b@example.com\" holds white space"},
      {"a@example.com\x0d\x0a\x0dX-Injected: 1", "line 2: \"X-Injected: 1\" holds white space"},
      {std::string("a@ex\0ample.com", 14), "line 1: \"a@ex\\x00ample.com\" holds white space"},
      {"a@b\x1b]0;pwned\x07", "line 1: \"a@b\\x1b]0;pwned\\x07\" holds white space"},
      {"nobody", "line 1: \"nobody\" has no '@'"},
      {"a@b,c@d", "is not a plain address"},
      {"a@example.com,-oQ/tmp", "is not a plain address"},
      {"<a@example.com>", "is not a plain address"},
      {"\"a b\"@example.com", "holds white space"},
      {"a@@example.com", "is not a plain address"},
      {"a..b@example.com", "is not a plain address"},
      {"@example.com", "is not a plain address"},
      {"a@", "is not a plain address"},
      {"a@\xff.example", "is not valid UTF-8"},
      {"a@\u202eexample.com", "holds white space or a control character"},
      {std::string(250, 'a') + "@b.cd", "is longer than 254 octets"},
  };
  for (const auto& [text, message] : refused) {
    Result<std::vector<std::string>> addresses = ParseEmailRecipients(text);
    ASSERT_FALSE(addresses) << text;
    EXPECT_EQ(addresses.error().code, ErrorCode::kInvalidArgument);
    EXPECT_THAT(addresses.error().message, HasSubstr(message)) << text;
  }
}

TEST(EmailAddressTest, PlainAddressesPass) {
  for (const char* address : {"a@b", "ops@example.com", "first.last+tag@sub.example.co.uk",
                              "x!#$%&'*/=?^_`{|}~-y@example.com", "δοκιμή@παράδειγμα.δοκιμή"}) {
    EXPECT_TRUE(CheckEmailAddress(address)) << address;
  }
  std::string longest = std::string(64, 'a') + "@" + std::string(189, 'b');
  EXPECT_EQ(longest.size(), kMaxEmailAddressLength);
  EXPECT_TRUE(CheckEmailAddress(longest));
  EXPECT_FALSE(CheckEmailAddress(longest + "b"));
  EXPECT_FALSE(CheckEmailAddress(""));
}

TEST_F(ConfigDirTest, EmailRecipientsFileErrorsNameTheFile) {
  EXPECT_THAT(LoadEmailRecipients(dir_ + "/none").value(), IsEmpty());  // optional
  const std::string bad = Write("email_recipients", "ops@example.com\n-C/etc/passwd\n");
  Result<std::vector<std::string>> loaded = LoadEmailRecipients(bad);
  ASSERT_FALSE(loaded);
  EXPECT_THAT(loaded.error().message, ::testing::StartsWith(bad + ": line 2: \"-C/etc/passwd\""));
  // Unreadable (a directory where the file should be: refused even for root).
  std::filesystem::remove(bad);
  std::filesystem::create_directories(bad);
  loaded = LoadEmailRecipients(bad);
  ASSERT_FALSE(loaded);
  EXPECT_THAT(loaded.error().message, HasSubstr("cannot read email recipients " + bad));
  Result<ConfigDirContents> contents = ReadConfigDir(dir_, {});
  ASSERT_FALSE(contents);
  EXPECT_THAT(contents.error().message, HasSubstr("cannot read email recipients"));
}

TEST_F(ConfigDirTest, StateDirIsCreatedPrivateAndExistingOnesAreLeftAlone) {
  const std::string state = dir_ + "/a/b/state";
  ASSERT_TRUE(MakeStateDir(state));
  struct stat info;
  ASSERT_EQ(stat(state.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0700u);
  ASSERT_EQ(stat((dir_ + "/a").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0700u);
  chmod(state.c_str(), 0750);
  ASSERT_TRUE(MakeStateDir(state));  // there already: as it is
  ASSERT_EQ(stat(state.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0750u);
  Result<void> file = MakeStateDir(Write("file", ""));
  ASSERT_FALSE(file);
  EXPECT_THAT(file.error().message, HasSubstr("is not a directory"));
  Result<void> under_file = MakeStateDir(dir_ + "/file/state");
  ASSERT_FALSE(under_file);
  EXPECT_THAT(under_file.error().message, HasSubstr("cannot create state directory"));
}

TEST_F(ConfigDirTest, ApplyFillsOnlyWhatTheFlagsLeftOpen) {
  Write("conf/watchlist", ".example.com\n");
  const ConfigDirEnvironment env{.home = dir_ + "/home"};
  MonitorSettings settings{.config_dir = dir_ + "/conf"};
  std::vector<std::string> warnings;
  auto warn = [&warnings](const std::string& line) { warnings.push_back(line); };
  ASSERT_TRUE(ApplyConfigDir(settings, env, ConfigDirUse::kMonitor, warn));
  EXPECT_EQ(settings.watchlist, dir_ + "/conf/watchlist");
  EXPECT_EQ(settings.db, dir_ + "/conf/state/monitor.db");
  EXPECT_TRUE(std::filesystem::is_directory(dir_ + "/conf/state"));
  EXPECT_THAT(warnings, IsEmpty());

  MonitorSettings given{.config_dir = dir_ + "/conf", .watchlist = "-", .db = dir_ + "/m.db"};
  ASSERT_TRUE(ApplyConfigDir(given, {.ctkit_state_dir = dir_ + "/elsewhere"},
                             ConfigDirUse::kMonitor, warn));
  EXPECT_EQ(given.watchlist, "-");
  EXPECT_EQ(given.db, dir_ + "/m.db");
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/elsewhere"));  // not needed, not made

  // No watchlist anywhere: the monitor says where it looked; test-alert needs none.
  MonitorSettings none;
  Result<void> applied = ApplyConfigDir(none, env, ConfigDirUse::kMonitor, warn);
  ASSERT_FALSE(applied);
  EXPECT_EQ(applied.error().message,
            "--watchlist is required: " + dir_ + "/home/.ctkit/watchlist does not exist");
  MonitorSettings test_alert;
  ASSERT_TRUE(ApplyConfigDir(test_alert, env, ConfigDirUse::kTestAlert, warn));
  EXPECT_EQ(test_alert.db, "");  // a test alert makes no database directory
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/home"));
  MonitorSettings no_home;
  EXPECT_EQ(ApplyConfigDir(no_home, {}, ConfigDirUse::kMonitor, warn).error().message,
            "--watchlist is required (no --config-dir, $CTKIT_CONFIG_DIR or $HOME)");
  EXPECT_EQ(no_home.db, "");
}

// End to end: the real `ctkit monitor` against a real `ctkit log serve`, with the environment
// it looks directories up in set by each test (and put back after).
class ConfigDirCommandTest : public ConfigDirTest {
 protected:
  static constexpr const char* kVariables[] = {
      "CTKIT_CONFIG_DIR", "CONFIGURATION_DIRECTORY", "CTKIT_STATE_DIR", "STATE_DIRECTORY", "HOME",
      "SENDMAIL_PATH"};

  void SetUp() override {
    ConfigDirTest::SetUp();
    for (const char* name : kVariables) {
      const char* value = getenv(name);
      saved_[name] = value ? std::optional<std::string>(value) : std::nullopt;
      unsetenv(name);
    }
    setenv("HOME", (dir_ + "/home").c_str(), 1);  // no ~/.ctkit of the machine's user is read
    alpha_ = std::make_unique<testing::LocalLog>(dir_, "alpha");
    list_ = testing::MakeLogList(dir_ + "/logs.json", {alpha_.get()});
    testing::TestCa rogue("Rogue CA");
    Result<LogClient> client = LogClient::Create(alpha_->url, nullptr, {});
    ASSERT_TRUE(client);
    ASSERT_TRUE(
        client->AddChain(std::vector<Bytes>{rogue.IssueLeaf("x.example.com", 5), rogue.der()}));
    ASSERT_TRUE(
        client->AddChain(std::vector<Bytes>{rogue.IssueLeaf("www.unwatched.org", 6), rogue.der()}));
    usleep(600 * 1000);  // integrated (the log's MMD is 0.2 s)
  }
  void TearDown() override {
    alpha_.reset();
    for (const auto& [name, value] : saved_) {
      if (value) {
        setenv(name.c_str(), value->c_str(), 1);
      } else {
        unsetenv(name.c_str());
      }
    }
    ConfigDirTest::TearDown();
  }

  // The names of the alerts a run printed on stdout.
  static std::vector<std::string> AlertedNames(const std::string& out) {
    std::vector<std::string> names;
    for (const nlohmann::json& alert : testing::JsonLines(out)) {
      names.push_back(alert["finding"]["names"][0].get<std::string>());
    }
    return names;
  }

  std::unique_ptr<testing::LocalLog> alpha_;
  std::string list_;
  std::map<std::string, std::optional<std::string>> saved_;
};

TEST_F(ConfigDirCommandTest, CertspotterDirectoryGivesTheWatchlistAndTheDatabaseGoesToItsState) {
  // certspotter's layout, as `certspotter` would read it from ~/.certspotter.
  const std::string certspotter = dir_ + "/.certspotter";
  Write(".certspotter/watchlist", "# ours\n.example.com\n");
  testing::CommandResult run = testing::RunCtkit(
      {"monitor", "--config-dir", certspotter, "--once", "--log-list", list_, "--stdout"});
  EXPECT_EQ(run.exit_code, 1) << run.err;  // an alert was raised
  EXPECT_THAT(AlertedNames(run.out), ElementsAre("x.example.com"));
  const std::string db = certspotter + "/state/monitor.db";
  ASSERT_TRUE(std::filesystem::exists(db)) << run.err;
  struct stat info;
  ASSERT_EQ(stat((certspotter + "/state").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0700u);
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/home"));  // $HOME was not used
  testing::CommandResult query =
      testing::RunCtkit({"monitor", "query", "--db", db, "--format", "json"});
  EXPECT_THAT(query.out, HasSubstr("x.example.com"));

  // The same directory through $CTKIT_CONFIG_DIR, the state through $CTKIT_STATE_DIR.
  setenv("CTKIT_CONFIG_DIR", certspotter.c_str(), 1);
  setenv("CTKIT_STATE_DIR", (dir_ + "/state2").c_str(), 1);
  run = testing::RunCtkit({"monitor", "--once", "--log-list", list_, "--stdout"});
  EXPECT_EQ(run.exit_code, 1) << run.err;  // a new database: the alert is new to it
  EXPECT_THAT(AlertedNames(run.out), ElementsAre("x.example.com"));
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/state2/monitor.db"));

  // query and status read the daemon's default database without --db.
  query = testing::RunCtkit({"monitor", "query", "--format", "json"});
  EXPECT_EQ(query.exit_code, 0) << query.err;
  EXPECT_THAT(query.out, HasSubstr("x.example.com"));
  unsetenv("CTKIT_STATE_DIR");
  unsetenv("CTKIT_CONFIG_DIR");
  testing::CommandResult status =
      testing::RunCtkit({"monitor", "status", "--config-dir", certspotter});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_THAT(status.out, HasSubstr(alpha_->url));
  // A state directory with no database yet is exit 2 naming it, not an empty report.
  status = testing::RunCtkit({"monitor", "status", "--config-dir", dir_ + "/home"});
  EXPECT_EQ(status.exit_code, 2);
  EXPECT_THAT(status.err, HasSubstr(dir_ + "/home/state/monitor.db"));
}

// certspotter's notification files: each hooks.d program runs for the alert (the names of
// hooks.d sorted), email_recipients' addresses get it through sendmail, and what is not a hook
// is said once at start-up.
TEST_F(ConfigDirCommandTest, HooksDAndEmailRecipientsGetTheAlert) {
  const std::string ran = dir_ + "/ran.txt";
  Write("conf/watchlist", ".example.com\n");
  for (const char* name : {"b-second", "a first"}) {
    Write(std::string("conf/hooks.d/") + name,
          std::string("#!/bin/sh\necho \"") + name + " $EVENT $WATCH_ITEM\" >> '" + ran + "'\n",
          0755);
  }
  Write("conf/hooks.d/README", "Executables here run for each alert.\n");
  Write("conf/hooks.d/.off", "#!/bin/sh\necho off >> '" + ran + "'\n", 0755);
  Write("conf/email_recipients", "# security team\nsecurity@example.com\n\nops@example.net\n");
  const std::string mail = dir_ + "/mail.txt";
  setenv("SENDMAIL_PATH",
         Write("sendmail",
               "#!/bin/sh\necho \"args: $*\" >> '" + mail + "'\ncat >> '" + mail + "'\n", 0755)
             .c_str(),
         1);
  testing::CommandResult run =
      testing::RunCtkit({"monitor", "--config-dir", dir_ + "/conf", "--once", "--log-list", list_});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(testing::ReadFile(ran),
            "a first discovered_cert .example.com\nb-second discovered_cert .example.com\n");
  const std::string sent = testing::ReadFile(mail);
  EXPECT_THAT(sent, HasSubstr("args: -i -- security@example.com ops@example.net"));
  EXPECT_THAT(sent, HasSubstr("x.example.com"));
  EXPECT_THAT(run.err, HasSubstr("ctkit monitor: " + dir_ +
                                 "/conf/hooks.d: \"README\" is not executable by this user"));
  EXPECT_THAT(run.err, ::testing::Not(HasSubstr(".off")));
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/conf/state/monitor.db"));

  // `monitor test-alert` reaches the same sinks, without a watchlist to need.
  std::filesystem::remove(dir_ + "/conf/watchlist");
  run = testing::RunCtkit({"monitor", "test-alert", "--config-dir", dir_ + "/conf"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_THAT(testing::ReadFile(ran), HasSubstr("a first test"));
  EXPECT_THAT(run.err, HasSubstr("accepted the test alert"));
}

TEST_F(ConfigDirCommandTest, WatchlistFromStandardInput) {
  testing::CommandResult run =
      testing::RunCtkit({"monitor", "--watchlist", "-", "--db", dir_ + "/m.db", "--once",
                         "--log-list", list_, "--stdout"},
                        "# piped in\n.unwatched.org\n");
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_THAT(AlertedNames(run.out), ElementsAre("www.unwatched.org"));

  run = testing::RunCtkit(
      {"monitor", "--watchlist", "-", "--db", dir_ + "/m.db", "--once", "--log-list", list_},
      "# nothing\n");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("the watchlist on standard input watches no name"));
  run = testing::RunCtkit(
      {"monitor", "--watchlist", "-", "--db", dir_ + "/m.db", "--once", "--log-list", list_},
      "exa mple.com\n");
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("standard input: watchlist line 1"));
}

TEST_F(ConfigDirCommandTest, BadDirectoriesAndFilesAreExitTwoWithOneLine) {
  testing::CommandResult run =
      testing::RunCtkit({"monitor", "--config-dir", dir_ + "/typo", "--once", "--log-list", list_});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err, "ctkit monitor: configuration directory " + dir_ +
                         "/typo (--config-dir) does not exist\n");

  setenv("CTKIT_CONFIG_DIR", (dir_ + "/typo2").c_str(), 1);
  run = testing::RunCtkit({"monitor", "--once", "--log-list", list_});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("($CTKIT_CONFIG_DIR) does not exist"));
  unsetenv("CTKIT_CONFIG_DIR");

  // No watchlist: says where it looked.
  std::filesystem::create_directories(dir_ + "/empty");
  run = testing::RunCtkit({"monitor", "--config-dir", dir_ + "/empty", "--once"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_EQ(run.err, "ctkit monitor: --watchlist is required: " + dir_ +
                         "/empty/watchlist does not exist\n");

  // An email_recipients with a line sendmail would take as an option.
  Write("conf/watchlist", ".example.com\n");
  Write("conf/email_recipients", "ops@example.com\n-oQ/tmp\n");
  run =
      testing::RunCtkit({"monitor", "--config-dir", dir_ + "/conf", "--once", "--log-list", list_});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("email_recipients: line 2: \"-oQ/tmp\" starts with '-'"));
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/conf/state/monitor.db"));

  // An unreadable watchlist (a directory where the file should be).
  std::filesystem::remove(dir_ + "/conf/email_recipients");
  std::filesystem::remove(dir_ + "/conf/watchlist");
  std::filesystem::create_directories(dir_ + "/conf/watchlist");
  run =
      testing::RunCtkit({"monitor", "--config-dir", dir_ + "/conf", "--once", "--log-list", list_});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.err, HasSubstr("cannot read watchlist"));
}

}  // namespace
}  // namespace ctkit
