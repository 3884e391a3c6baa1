// Fault injection (faults/fault_injection.h) signs false tree heads with a log's key, so it is
// only in `ctkit-faults`, the binary the tests build, and absent from the installed `ctkit`.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <string>

#include "tests/run_command.h"
#include "tests/test_paths.h"
#include "tests/test_support.h"

namespace ctkit {
namespace {

using ::testing::HasSubstr;

std::string FileBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

TEST(FaultBuildTest, InstalledCtkitHasNoFaultInjection) {
  std::string dir = testing::TempDir("ctkit-fault-build");
  ASSERT_EQ(testing::RunCtkit({"log", "keygen", "--out", dir + "/log.key"}).exit_code, 0);
  testing::CommandResult refused =
      testing::RunCtkit({"log", "serve", "--key", dir + "/log.key", "--db", dir + "/log.db",
                         "--accept-any-root", "--test-faults-enabled"});
  EXPECT_EQ(refused.exit_code, 2) << refused.err;
  EXPECT_THAT(refused.err, HasSubstr("--test-faults-enabled"));
  // Not merely hidden: the code is not in the program.
  EXPECT_EQ(FileBytes(testing::CtkitBinary()).find("/ctkit-test/fault"), std::string::npos);
  EXPECT_NE(FileBytes(testing::CtkitFaultsBinary()).find("/ctkit-test/fault"), std::string::npos);
  testing::RemoveTree(dir);
}

}  // namespace
}  // namespace ctkit
