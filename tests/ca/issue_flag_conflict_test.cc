// ca/issue_flag_conflict.h: `ca issue` flags that cannot be honoured together are refused with one
// line before anything is issued.

#include "ca/issue_flag_conflict.h"

#include <gtest/gtest.h>

namespace ctkit {
namespace {

IssueFileSettings Settings(bool ct_logging, const std::string& out = "") {
  IssueFileSettings settings{.dir = "ca", .out = out};
  settings.issue.ct_logging = ct_logging;
  return settings;
}

TEST(IssueFlagConflictTest, LogFlagsNeedCtLogging) {
  EXPECT_EQ(IssueFlagConflict(Settings(false), {"--log", "--add-chain"}, false),
            "--log, --add-chain needs --ct-logging enabled: no log is contacted when it is "
            "disabled");
  EXPECT_EQ(IssueFlagConflict(Settings(true), {"--log", "--add-chain"}, false), "");
  EXPECT_EQ(IssueFlagConflict(Settings(false), {}, false), "");
}

TEST(IssueFlagConflictTest, JsonAndAPemOnStandardOutputConflict) {
  EXPECT_EQ(IssueFlagConflict(Settings(true, "-"), {}, true),
            "--format json and an --out/--key-out of - both want standard output");
  EXPECT_EQ(IssueFlagConflict(Settings(true, "-"), {}, false), "");
  EXPECT_EQ(IssueFlagConflict(Settings(true, "www.pem"), {}, true), "");
}

}  // namespace
}  // namespace ctkit
