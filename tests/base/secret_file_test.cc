// WriteNewSecretFile (base/secret_file.h) on a real file system: mode 0600 whatever the umask,
// no overwrite without asking, never through a symbolic link, atomic replacement.

#include "base/secret_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tests/test_support.h"

namespace ctkit {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

class SecretFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir("ctkit-secret");
    // The most permissive umask: the mode must come from the open call, not from the umask.
    old_umask_ = umask(0);
  }
  void TearDown() override {
    umask(old_umask_);
    testing::RemoveTree(dir_);
  }

  static mode_t Mode(const std::string& path) {
    struct stat info{};
    EXPECT_EQ(lstat(path.c_str(), &info), 0) << path;
    return info.st_mode & 07777;
  }
  // The names in the directory: no temporary file may be left behind.
  std::vector<std::string> Entries() const {
    std::vector<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator(dir_)) {
      names.push_back(entry.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }

  std::string dir_;
  mode_t old_umask_ = 0;
};

TEST_F(SecretFileTest, NewFileIsMode0600WithTheWholeSecret) {
  const std::string path = dir_ + "/log.key";
  const std::string secret(100000, 'k');  // more than one write(2) may take at once
  ASSERT_TRUE(WriteNewSecretFile(path, secret, false));
  EXPECT_EQ(Mode(path), 0600u);
  EXPECT_EQ(testing::ReadFile(path), secret);
  EXPECT_THAT(Entries(), ::testing::ElementsAre("log.key"));
}

TEST_F(SecretFileTest, ExistingFileIsRefusedAndLeftAlone) {
  const std::string path = dir_ + "/log.key";
  std::ofstream(path) << "the live log's key";
  Result<void> written = WriteNewSecretFile(path, "new", false);
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(written.error().message, path + " exists; --force to overwrite");
  EXPECT_EQ(testing::ReadFile(path), "the live log's key");
}

TEST_F(SecretFileTest, OverwriteReplacesAWorldReadableFileWithA0600One) {
  const std::string path = dir_ + "/leaf.key";
  std::ofstream(path) << "old key, much longer than the new one";
  ASSERT_EQ(chmod(path.c_str(), 0644), 0);
  struct stat before{};
  ASSERT_EQ(stat(path.c_str(), &before), 0);
  ASSERT_TRUE(WriteNewSecretFile(path, "new key", true));
  EXPECT_EQ(testing::ReadFile(path), "new key");
  EXPECT_EQ(Mode(path), 0600u);
  struct stat after{};
  ASSERT_EQ(stat(path.c_str(), &after), 0);
  EXPECT_NE(after.st_ino, before.st_ino);  // a new file renamed over, not the old one rewritten
  EXPECT_THAT(Entries(), ::testing::ElementsAre("leaf.key"));
  // And over a path that does not exist yet.
  ASSERT_TRUE(WriteNewSecretFile(dir_ + "/fresh.key", "fresh", true));
  EXPECT_EQ(Mode(dir_ + "/fresh.key"), 0600u);
}

TEST_F(SecretFileTest, SymbolicLinkIsNeverFollowedEvenWithOverwrite) {
  const std::string target = dir_ + "/victim";
  std::ofstream(target) << "not yours";
  ASSERT_EQ(chmod(target.c_str(), 0644), 0);
  const std::string link = dir_ + "/log.key";
  ASSERT_EQ(symlink(target.c_str(), link.c_str()), 0);

  Result<void> refused = WriteNewSecretFile(link, "secret", false);
  ASSERT_FALSE(refused);
  EXPECT_THAT(refused.error().message, HasSubstr("exists; --force to overwrite"));
  Result<void> forced = WriteNewSecretFile(link, "secret", true);
  ASSERT_FALSE(forced);
  EXPECT_EQ(forced.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(forced.error().message, link + " is a symbolic link; not overwritten");

  EXPECT_EQ(testing::ReadFile(target), "not yours");
  EXPECT_EQ(Mode(target), 0644u);
  EXPECT_TRUE(std::filesystem::is_symlink(link));
  EXPECT_THAT(Entries(), ::testing::ElementsAre("log.key", "victim"));

  // A dangling link: nothing is created where it points.
  const std::string dangling = dir_ + "/dangling.key";
  ASSERT_EQ(symlink((dir_ + "/created-through-link").c_str(), dangling.c_str()), 0);
  EXPECT_FALSE(WriteNewSecretFile(dangling, "secret", false));
  EXPECT_FALSE(WriteNewSecretFile(dangling, "secret", true));
  EXPECT_FALSE(std::filesystem::exists(dir_ + "/created-through-link"));
}

TEST_F(SecretFileTest, DirectoryAtThePathAndMissingDirectoryAreErrors) {
  ASSERT_EQ(mkdir((dir_ + "/sub").c_str(), 0700), 0);
  Result<void> on_dir = WriteNewSecretFile(dir_ + "/sub", "x", true);
  ASSERT_FALSE(on_dir);
  EXPECT_THAT(on_dir.error().message, HasSubstr("is not a regular file"));
  Result<void> missing = WriteNewSecretFile(dir_ + "/no/such/dir/key", "x", false);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kIo);
  EXPECT_THAT(missing.error().message, StartsWith(dir_ + "/no/such/dir/key: "));
}

TEST_F(SecretFileTest, OtherModesForTheFilesThatGoWithASecret) {
  const std::string path = dir_ + "/root.pem";
  ASSERT_TRUE(WriteNewFile(path, "cert", 0644, false));
  EXPECT_EQ(Mode(path), 0644u);
  EXPECT_FALSE(WriteNewFile(path, "cert 2", 0644, false));
  ASSERT_TRUE(WriteNewFile(path, "cert 2", 0644, true));
  EXPECT_EQ(testing::ReadFile(path), "cert 2");
  EXPECT_EQ(Mode(path), 0644u);
}

}  // namespace
}  // namespace ctkit
