// `ctkit ca issue` into files (ca/issue_files.h), submitting through SubmitToLog
// (ca/log_submitter.h) to two real logs on 127.0.0.1.

#include "ca/issue_files.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "base/clock.h"
#include "ca/log_submitter.h"
#include "ct/log_list_writer.h"
#include "tests/running_log.h"
#include "tests/test_support.h"
#include "x509/pem.h"

namespace ctkit {
namespace {

using ::ctkit::testing::RunningLog;
using ::testing::HasSubstr;

class IssueFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir("ctkit-issue-files");
    alpha_ = std::make_unique<RunningLog>(dir_, "alpha", "Alpha Logs");
    beta_ = std::make_unique<RunningLog>(dir_, "beta", "Beta Logs");
    std::ofstream(dir_ + "/logs.json")
        << MakeLogListJson({alpha_->entry, beta_->entry}, UnixNowMs());
    ASSERT_TRUE(MockCa::Init(dir_ + "/ca", {.name = "Example Corp CA",
                                            .logs = {alpha_->entry.url, beta_->entry.url},
                                            .log_list = dir_ + "/logs.json"}));
  }
  void TearDown() override {
    alpha_.reset();
    beta_.reset();
    testing::RemoveTree(dir_);
  }

  std::string dir_;
  std::unique_ptr<RunningLog> alpha_, beta_;
};

TEST_F(IssueFilesTest, WritesTheChainAndAPrivateKeyWithScts) {
  Result<IssuedFiles> files = IssueToFiles(
      {.dir = dir_ + "/ca", .issue = {.names = {"www.example.com"}}, .out = dir_ + "/www.pem"},
      &SubmitToLog, UnixNowMs());
  ASSERT_TRUE(files) << files.error().message;
  EXPECT_EQ(files->out, dir_ + "/www.pem");
  EXPECT_EQ(files->key_out, dir_ + "/www.pem.key");
  EXPECT_EQ(files->issued.scts.size(), 2u);
  Result<std::vector<Bytes>> chain = PemDecodeCertificates(testing::ReadFile(files->out));
  ASSERT_TRUE(chain) << chain.error().message;
  ASSERT_EQ(chain->size(), 3u);  // leaf, intermediate, root
  EXPECT_EQ((*chain)[0], files->issued.certificate);
  struct stat key{};
  ASSERT_EQ(stat(files->key_out.c_str(), &key), 0);
  EXPECT_EQ(key.st_mode & 0777, 0600);
}

TEST_F(IssueFilesTest, AnExistingKeyFileIsRefusedBeforeAnythingIsIssued) {
  std::ofstream(dir_ + "/www.pem.key") << "old key";
  int submitted = 0;
  SctSubmitter counting = [&](const LogInfo& log, const std::vector<Bytes>& chain, bool pre) {
    ++submitted;
    return SubmitToLog(log, chain, pre);
  };
  IssueFileSettings settings{
      .dir = dir_ + "/ca", .issue = {.names = {"www.example.com"}}, .out = dir_ + "/www.pem"};
  Result<IssuedFiles> files = IssueToFiles(settings, counting, UnixNowMs());
  ASSERT_FALSE(files);
  EXPECT_THAT(files.error().message, HasSubstr("--force"));
  EXPECT_EQ(submitted, 0);
  EXPECT_TRUE(MockCa::Open(dir_ + "/ca")->IssuedRecords()->empty());
  settings.force = true;
  EXPECT_TRUE(IssueToFiles(settings, counting, UnixNowMs()));
  EXPECT_EQ(submitted, 2);
}

TEST_F(IssueFilesTest, TooFewSctsIsANetworkErrorAndWritesNothing) {
  alpha_->Stop();
  Result<IssuedFiles> files = IssueToFiles(
      {.dir = dir_ + "/ca", .issue = {.names = {"www.example.com"}}, .out = dir_ + "/www.pem"},
      &SubmitToLog, UnixNowMs());
  ASSERT_FALSE(files);
  EXPECT_EQ(files.error().code, ErrorCode::kNetwork);
  EXPECT_NE(access((dir_ + "/www.pem").c_str(), F_OK), 0);
  EXPECT_NE(access((dir_ + "/www.pem.key").c_str(), F_OK), 0);
}

TEST(IssueFilesErrorsTest, AMissingCaIsAnError) {
  Result<IssuedFiles> files =
      IssueToFiles({.dir = "/no/such/ca", .issue = {.names = {"a.example"}}}, &SubmitToLog, 0);
  EXPECT_FALSE(files);
}

}  // namespace
}  // namespace ctkit
