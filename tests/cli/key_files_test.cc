// Private key files written by `ctkit log keygen`, `ctkit ca init` and `ctkit ca issue`, end to
// end with the real binary (base/secret_file.h): mode 0600 as soon as they exist, an existing
// file refused without --force (exit 2, one line), never written through a symbolic link, and
// nothing issued when the key could not be written.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "run_command.h"
#include "test_support.h"

namespace ctkit {
namespace {

using testing::CommandResult;
using ::testing::EndsWith;
using ::testing::HasSubstr;
using testing::ReadFile;
using testing::RunCtkit;
using ::testing::StartsWith;

class KeyFilesTest : public ::testing::Test {
 protected:
  void SetUp() override { dir_ = testing::TempDir("ctkit-keys"); }
  void TearDown() override { testing::RemoveTree(dir_); }

  std::string Path(const std::string& name) const { return dir_ + "/" + name; }

  static mode_t Mode(const std::string& path) {
    struct stat info{};
    EXPECT_EQ(lstat(path.c_str(), &info), 0) << path;
    return info.st_mode & 07777;
  }
  static ino_t Inode(const std::string& path) {
    struct stat info{};
    EXPECT_EQ(lstat(path.c_str(), &info), 0) << path;
    return info.st_ino;
  }
  // A file that is not a key: what a symbolic link at a key's path points to.
  std::string Victim() {
    std::string victim = Path("victim.txt");
    std::ofstream(victim) << "someone else's file\n";
    EXPECT_EQ(chmod(victim.c_str(), 0644), 0);
    return victim;
  }
  // One line on stderr, naming what was refused and how to go on.
  static void ExpectRefused(const CommandResult& result, const std::string& message) {
    EXPECT_EQ(result.exit_code, 2) << result.err;
    EXPECT_THAT(result.err, StartsWith("ctkit: "));
    EXPECT_THAT(result.err, EndsWith(message + "\n"));
    EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1) << result.err;
  }
  size_t Issued(const std::string& ca) {
    CommandResult inventory = RunCtkit({"ca", "inventory", "--dir", ca});
    EXPECT_EQ(inventory.exit_code, 0) << inventory.err;
    return static_cast<size_t>(std::count(inventory.out.begin(), inventory.out.end(), '\n'));
  }

  std::string dir_;
};

TEST_F(KeyFilesTest, LogKeygen) {
  const std::string key = Path("log.key");
  CommandResult made = RunCtkit({"log", "keygen", "--out", key});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_EQ(Mode(key), 0600u);
  const std::string first = ReadFile(key);
  EXPECT_THAT(first, StartsWith("-----BEGIN PRIVATE KEY-----"));

  ExpectRefused(RunCtkit({"log", "keygen", "--out", key}),
                "log keygen: " + key + " exists; --force to overwrite");
  EXPECT_EQ(ReadFile(key), first);

  // Deliberately replaced: a new key, still 0600, in a new file.
  ASSERT_EQ(chmod(key.c_str(), 0644), 0);
  ino_t before = Inode(key);
  CommandResult again = RunCtkit({"log", "keygen", "--out", key, "--force"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(ReadFile(key), first);
  EXPECT_EQ(Mode(key), 0600u);
  EXPECT_NE(Inode(key), before);

  // A symbolic link at the path: never followed, --force or not.
  const std::string victim = Victim();
  const std::string link = Path("linked.key");
  ASSERT_EQ(symlink(victim.c_str(), link.c_str()), 0);
  ExpectRefused(RunCtkit({"log", "keygen", "--out", link}),
                "log keygen: " + link + " exists; --force to overwrite");
  ExpectRefused(RunCtkit({"log", "keygen", "--out", link, "--force"}),
                "log keygen: " + link + " is a symbolic link; not overwritten");
  EXPECT_EQ(ReadFile(victim), "someone else's file\n");
  EXPECT_EQ(Mode(victim), 0644u);
  EXPECT_TRUE(std::filesystem::is_symlink(link));
}

TEST_F(KeyFilesTest, CaInitKeys) {
  const std::string ca = Path("ca");
  CommandResult made = RunCtkit({"ca", "init", "--dir", ca});
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_EQ(Mode(ca + "/root.key"), 0600u);
  EXPECT_EQ(Mode(ca + "/intermediate.key"), 0600u);
  const std::string root_key = ReadFile(ca + "/root.key");

  ExpectRefused(RunCtkit({"ca", "init", "--dir", ca}),
                "ca init: " + ca + " already holds a CA; --force to replace it");
  EXPECT_EQ(ReadFile(ca + "/root.key"), root_key);

  CommandResult replaced = RunCtkit({"ca", "init", "--dir", ca, "--force"});
  ASSERT_EQ(replaced.exit_code, 0) << replaced.err;
  EXPECT_NE(ReadFile(ca + "/root.key"), root_key);
  EXPECT_EQ(Mode(ca + "/root.key"), 0600u);
  EXPECT_EQ(Mode(ca + "/intermediate.key"), 0600u);

  // A half-made CA directory (no config.json) with a link where a key goes: refused before any
  // file is written, and the link's target is left alone even with --force.
  const std::string half = Path("half");
  ASSERT_EQ(mkdir(half.c_str(), 0700), 0);
  const std::string victim = Victim();
  ASSERT_EQ(symlink(victim.c_str(), (half + "/intermediate.key").c_str()), 0);
  ExpectRefused(RunCtkit({"ca", "init", "--dir", half}),
                "ca init: " + half + "/intermediate.key exists; --force to overwrite");
  EXPECT_FALSE(std::filesystem::exists(half + "/root.key"));
  ExpectRefused(RunCtkit({"ca", "init", "--dir", half, "--force"}),
                "ca init: " + half + "/intermediate.key is a symbolic link; not overwritten");
  EXPECT_FALSE(std::filesystem::exists(half + "/root.key"));
  EXPECT_EQ(ReadFile(victim), "someone else's file\n");
}

TEST_F(KeyFilesTest, CaIssueKeyOut) {
  const std::string ca = Path("ca");
  ASSERT_EQ(RunCtkit({"ca", "init", "--dir", ca}).exit_code, 0);
  auto issue = [&](const std::string& name, std::vector<std::string> extra) {
    std::vector<std::string> args = {
        "ca", "issue",        "--dir",    ca,      "--name",
        name, "--ct-logging", "disabled", "--out", Path(name + ".pem")};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunCtkit(args);
  };

  CommandResult first = issue("a.example.com", {});
  ASSERT_EQ(first.exit_code, 0) << first.err;
  const std::string key = Path("a.example.com.pem.key");  // the default: OUT.key
  EXPECT_EQ(Mode(key), 0600u);
  EXPECT_THAT(ReadFile(key), StartsWith("-----BEGIN PRIVATE KEY-----"));
  EXPECT_EQ(Issued(ca), 1u);

  // An existing key file, readable by everyone (as the old `ca issue` could leave one): refused
  // before anything is issued, then replaced by a new 0600 file with --force.
  const std::string old_key = Path("b.key");
  std::ofstream(old_key) << "old key\n";
  ASSERT_EQ(chmod(old_key.c_str(), 0644), 0);
  ExpectRefused(issue("b.example.com", {"--key-out", old_key}),
                "ca issue: " + old_key + " exists; --force to overwrite");
  EXPECT_EQ(ReadFile(old_key), "old key\n");
  EXPECT_EQ(Issued(ca), 1u);
  ino_t before = Inode(old_key);
  CommandResult forced = issue("b.example.com", {"--key-out", old_key, "--force"});
  ASSERT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_THAT(ReadFile(old_key), StartsWith("-----BEGIN PRIVATE KEY-----"));
  EXPECT_EQ(Mode(old_key), 0600u);
  EXPECT_NE(Inode(old_key), before);
  EXPECT_EQ(Issued(ca), 2u);

  // A symbolic link as --key-out: the target is never written, and nothing is issued.
  const std::string victim = Victim();
  const std::string link = Path("c.key");
  ASSERT_EQ(symlink(victim.c_str(), link.c_str()), 0);
  for (bool force : {false, true}) {
    std::vector<std::string> extra = {"--key-out", link};
    if (force) extra.push_back("--force");
    CommandResult refused = issue("c.example.com", extra);
    EXPECT_EQ(refused.exit_code, 2) << refused.err;
    EXPECT_THAT(refused.err, HasSubstr(link));
  }
  EXPECT_EQ(ReadFile(victim), "someone else's file\n");
  EXPECT_EQ(Mode(victim), 0644u);
  EXPECT_EQ(Issued(ca), 2u);
}

}  // namespace
}  // namespace ctkit
