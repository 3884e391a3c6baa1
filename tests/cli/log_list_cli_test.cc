// The log list as the ctkit command shows it, run as a real process: the stale-list warning is
// said once a run and never under --policy none (ct/log_list.h StalenessWarning), and `log
// make-list` refuses a key it does not know (ct/log_list_spec.h).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>

#include "run_command.h"
#include "test_support.h"

namespace ctkit {
namespace {

using testing::CommandResult;
using ::testing::HasSubstr;
using testing::RunCtkit;
using testing::TestDataPath;

size_t Count(const std::string& text, const std::string& what) {
  size_t count = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) {
    ++count;
  }
  return count;
}

// Two certificates checked against the compiled-in lists on 2026-12-07, when the newest of them
// (v89.25 of 2026-08-20) is 108 days old.
CommandResult VerifyTwoCertificates(const std::string& policy, const std::string& format) {
  return RunCtkit({"verify", TestDataPath("sct/realworld/github.com-2016/leaf.der"),
                   TestDataPath("sct/realworld/github.com-2016/leaf.der"), "--issuer",
                   TestDataPath("sct/realworld/github.com-2016/issuer.pem"), "--at",
                   "2026-12-07T00:00:00Z", "--policy", policy, "--format", format});
}

TEST(StaleLogListWarningTest, SaidOnceARunWithHowToRefresh) {
  for (const char* policy : {"both", "chrome", "apple"}) {
    SCOPED_TRACE(policy);
    CommandResult run = VerifyTwoCertificates(policy, "text");
    EXPECT_NE(run.exit_code, 2) << run.err;
    EXPECT_EQ(Count(run.err, "days old at"), 1u) << run.err;
    EXPECT_EQ(Count(run.err, "\n"), 1u) << run.err;
    EXPECT_EQ(Count(run.out, "days old"), 0u) << run.out;  // not in each certificate's verdict
    EXPECT_THAT(run.err, HasSubstr("ctkit: warning: log list v89.25 of 2026-08-20T13:34:57Z"));
    EXPECT_THAT(run.err, HasSubstr("is 108 days old"));
    EXPECT_THAT(run.err, HasSubstr("--log-list https://www.gstatic.com/ct/log_list/v3/"));
  }
  CommandResult json = VerifyTwoCertificates("both", "json");
  nlohmann::json out = nlohmann::json::parse(json.out, nullptr, false);
  ASSERT_TRUE(out.is_object()) << json.out;
  EXPECT_EQ(out["warnings"].size(), 1u);
  EXPECT_EQ(Count(json.out, "days old at"), 1u);
}

TEST(StaleLogListWarningTest, NeverUnderPolicyNone) {
  for (const char* format : {"text", "json"}) {
    SCOPED_TRACE(format);
    CommandResult run = VerifyTwoCertificates("none", format);
    EXPECT_EQ(run.exit_code, 0) << run.err;  // both SCT sets verify: the keys are still known
    EXPECT_EQ(Count(run.err + run.out, "days old"), 0u) << run.err << run.out;
  }
}

TEST(MakeListTest, AnUnknownKeyIsRefusedByName) {
  const std::string dir = testing::TempDir("ctkit-make-list");
  CommandResult made = RunCtkit({"log", "make-list", "--out", dir + "/list.json", "--log",
                                 "operator=Me,url=http://127.0.0.1:8080/,key=" +
                                     TestDataPath("keys/google-icarus.pem") + ",descripton=Mine"});
  EXPECT_EQ(made.exit_code, 2);
  EXPECT_EQ(Count(made.err, "\n"), 1u) << made.err;
  EXPECT_THAT(made.err, HasSubstr("unknown key \"descripton\""));

  CommandResult good = RunCtkit(
      {"log", "make-list", "--out", "-", "--log",
       "operator=Me,url=http://127.0.0.1:8080/,key=" + TestDataPath("keys/google-icarus.pem")});
  EXPECT_EQ(good.exit_code, 0) << good.err;
  EXPECT_THAT(good.out, HasSubstr("\"description\": \"log at 127.0.0.1:8080\""));
  testing::RemoveTree(dir);
}

}  // namespace
}  // namespace ctkit
