#include "base/duration.h"

#include <gtest/gtest.h>

namespace ctkit {
namespace {

TEST(DurationTest, UnitsAndBareSeconds) {
  EXPECT_EQ(*ParseDurationMs("900"), 900'000);
  EXPECT_EQ(*ParseDurationMs("2"), 2'000);
  EXPECT_EQ(*ParseDurationMs("1.5s"), 1'500);
  EXPECT_EQ(*ParseDurationMs("15m"), 900'000);
  EXPECT_EQ(*ParseDurationMs("2h"), 7'200'000);
  EXPECT_EQ(*ParseDurationMs("1d"), 86'400'000);
  EXPECT_EQ(*ParseDurationMs("0"), 0);
}

TEST(DurationTest, RejectsWhatIsNotADuration) {
  for (const char* bad :
       {"", "s", "-5", "5x", "1e400", "nan", "inf", "15 m", "m15", "1d1", "200000d"}) {
    Result<int64_t> parsed = ParseDurationMs(bad);
    EXPECT_FALSE(parsed) << bad;
    if (!parsed) {
      EXPECT_NE(parsed.error().message.find("not a duration"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace ctkit
