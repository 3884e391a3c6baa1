#include "base/duration_flag.h"

#include <gtest/gtest.h>

namespace ctkit {
namespace {

TEST(DurationFlagTest, APositiveDurationIsItsMilliseconds) {
  EXPECT_EQ(*ParsePositiveDurationMs("--stall-after", "15m"), 900'000);
  EXPECT_EQ(*ParsePositiveDurationMs("--stall-after", "0.5s"), 500);
}

TEST(DurationFlagTest, ZeroAndNonDurationsAreRefusedNamingTheFlag) {
  Result<int64_t> zero = ParsePositiveDurationMs("--webhook-timeout", "0s");
  ASSERT_FALSE(zero);
  EXPECT_EQ(zero.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(zero.error().message, "--webhook-timeout: must be more than 0");
  Result<int64_t> bad = ParsePositiveDurationMs("--error-repeat", "soon");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "--error-repeat: " + ParseDurationMs("soon").error().message);
}

}  // namespace
}  // namespace ctkit
