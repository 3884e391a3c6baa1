// RFC 3339 §5.6 date-times are parsed strictly to Unix milliseconds, and formatted back.

#include "ct/rfc3339.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

namespace ctkit {
namespace {

using ::testing::HasSubstr;

TEST(Rfc3339Test, ParsesUtcDateTimes) {
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:00Z"), 0);
  // The v53.34 log list's log_list_timestamp.
  EXPECT_EQ(ParseRfc3339("2025-05-05T12:54:12Z"), 1746449652000);
  EXPECT_EQ(ParseRfc3339("2000-03-01T00:00:00Z"), 951868800000);
  EXPECT_EQ(ParseRfc3339("1969-12-31T23:59:59Z"), -1000);
}

TEST(Rfc3339Test, LowerCaseTAndZAreAllowed) {
  // RFC 3339 §5.6 NOTE: "T" and "Z" may alternatively be lower case.
  EXPECT_EQ(ParseRfc3339("2025-05-05t12:54:12z"), 1746449652000);
}

TEST(Rfc3339Test, FractionsAreTruncatedToMilliseconds) {
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:00.5Z"), 500);
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:00.12Z"), 120);
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:00.123Z"), 123);
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:00.123999999Z"), 123);
  EXPECT_EQ(ParseRfc3339("1970-01-01T00:00:00.9999Z"), 999);  // never rounds up to 1 s
  EXPECT_EQ(ParseRfc3339("1969-12-31T23:59:59.999Z"), -1);
}

TEST(Rfc3339Test, OffsetsAreApplied) {
  const int64_t utc = 1746449652000;
  EXPECT_EQ(ParseRfc3339("2025-05-05T14:54:12+02:00"), utc);
  EXPECT_EQ(ParseRfc3339("2025-05-05T07:24:12-05:30"), utc);
  // RFC 3339 §4.3: "-00:00" is UTC with an unknown local offset.
  EXPECT_EQ(ParseRfc3339("2025-05-05T12:54:12-00:00"), utc);
  EXPECT_EQ(ParseRfc3339("2025-05-05T12:54:12+00:00"), utc);
  // An offset can move the date across a day and a year boundary.
  EXPECT_EQ(*ParseRfc3339("2025-01-01T00:30:00+01:00"), *ParseRfc3339("2024-12-31T23:30:00Z"));
}

TEST(Rfc3339Test, LeapYearsFollowTheGregorianRules) {
  EXPECT_TRUE(ParseRfc3339("2024-02-29T00:00:00Z"));
  EXPECT_TRUE(ParseRfc3339("2000-02-29T00:00:00Z"));  // divisible by 400
  Result<int64_t> not_leap = ParseRfc3339("2023-02-29T00:00:00Z");
  ASSERT_FALSE(not_leap);
  EXPECT_THAT(not_leap.error().message, HasSubstr("day out of range"));
  EXPECT_FALSE(ParseRfc3339("1900-02-29T00:00:00Z"));  // divisible by 100, not 400
  EXPECT_FALSE(ParseRfc3339("2025-04-31T00:00:00Z"));
  EXPECT_TRUE(ParseRfc3339("2025-12-31T23:59:59Z"));
}

TEST(Rfc3339Test, RejectsEverythingOutsideTheGrammar) {
  const char* kBad[] = {
      "",
      "2025-05-05",                       // no time
      "2025-05-05 12:54:12Z",             // space instead of T
      "2025-05-05T12:54Z",                // no seconds
      "2025-05-05T12:54:12",              // no offset
      "2025-5-05T12:54:12Z",              // one-digit month
      "25-05-05T12:54:12Z",               // two-digit year
      " 2025-05-05T12:54:12Z",            // leading space
      "2025-05-05T12:54:12Z ",            // trailing space
      "2025-05-05T12:54:12ZZ",            // trailing text
      "2025-05-05T12:54:12.Z",            // dot without digits
      "2025-05-05T12:54:12,5Z",           // comma fraction
      "2025-05-05T12:54:12+0200",         // offset without colon
      "2025-05-05T12:54:12+2:00",         // one-digit offset hour
      "2025-05-05T12:54:12+24:00",        // offset hour out of range
      "2025-05-05T12:54:12+01:60",        // offset minute out of range
      "2025-13-05T12:54:12Z",             // month 13
      "2025-00-05T12:54:12Z",             // month 0
      "2025-05-00T12:54:12Z",             // day 0
      "2025-05-05T24:00:00Z",             // hour 24
      "2025-05-05T12:60:00Z",             // minute 60
      "2025-05-05T12:54:61Z",             // second 61
      "+2025-05-05T12:54:12Z",            // sign on the year
      "2025-05-05T12:54:12\xef\xbc\xba",  // fullwidth Z
  };
  for (const char* text : kBad) {
    Result<int64_t> result = ParseRfc3339(text);
    EXPECT_FALSE(result) << text;
    if (!result) {
      EXPECT_EQ(result.error().code, ErrorCode::kMalformed) << text;
    }
  }
}

TEST(Rfc3339Test, ErrorsSayWhatIsWrong) {
  EXPECT_THAT(ParseRfc3339("2025-05-05 12:54:12Z").error().message,
              HasSubstr("expected \"T\" between date and time"));
  EXPECT_THAT(ParseRfc3339("2025-05-05T12:54:12").error().message,
              HasSubstr("expected \"Z\" or a numeric offset"));
  EXPECT_THAT(ParseRfc3339("2025-05-05T25:00:00Z").error().message, HasSubstr("hour out of range"));
}

TEST(Rfc3339Test, LeapSecondsAreRefusedAsUnrepresentable) {
  Result<int64_t> result = ParseRfc3339("2016-12-31T23:59:60Z");
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(result.error().message, HasSubstr("leap second"));
}

TEST(Rfc3339Test, RangeIsYears0000To9999InUtc) {
  EXPECT_EQ(ParseRfc3339("0000-01-01T00:00:00Z"), kMinRfc3339Ms);
  EXPECT_EQ(ParseRfc3339("9999-12-31T23:59:59.999Z"), kMaxRfc3339Ms);
  Result<int64_t> before = ParseRfc3339("0000-01-01T00:00:00+00:01");
  ASSERT_FALSE(before);
  EXPECT_EQ(before.error().code, ErrorCode::kInvalidArgument);
  EXPECT_FALSE(ParseRfc3339("9999-12-31T23:59:59-00:01"));
}

TEST(Rfc3339Test, FormatsUtcWithMillisecondsOnlyWhenNeeded) {
  EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(1746449652000), "2025-05-05T12:54:12Z");
  EXPECT_EQ(FormatRfc3339(1746449652007), "2025-05-05T12:54:12.007Z");
  EXPECT_EQ(FormatRfc3339(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatRfc3339(kMinRfc3339Ms), "0000-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(kMaxRfc3339Ms), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatRfc3339(INT64_MAX), "9999-12-31T23:59:59.999Z");  // clamped
  EXPECT_EQ(FormatRfc3339(INT64_MIN), "0000-01-01T00:00:00Z");
}

TEST(Rfc3339Test, FormatAndParseRoundTripAcrossTheRange) {
  // A deterministic spread of instants over years 0000..9999, including negative times.
  uint64_t state = 0x9e3779b97f4a7c15;
  const uint64_t span = static_cast<uint64_t>(kMaxRfc3339Ms - kMinRfc3339Ms) + 1;
  for (int i = 0; i < 20000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    const int64_t ms = kMinRfc3339Ms + static_cast<int64_t>((state >> 11) % span);
    const std::string text = FormatRfc3339(ms);
    ASSERT_EQ(ParseRfc3339(text), ms) << text;
  }
}

TEST(Rfc3339Test, TimeArgumentAcceptsUnixSecondsAndRfc3339) {
  EXPECT_EQ(ParseTimeArgument("1746449652"), 1746449652000);
  EXPECT_EQ(ParseTimeArgument("0"), 0);
  EXPECT_EQ(ParseTimeArgument("2025-05-05T12:54:12Z"), 1746449652000);
  EXPECT_EQ(ParseTimeArgument("253402300799"), 253402300799000);  // 9999-12-31T23:59:59Z
}

TEST(Rfc3339Test, TimeArgumentRejectsOtherText) {
  for (const char* text : {"", "-5", "+5", "1.5", "12abc", " 12", "2025-05-05", "now"}) {
    Result<int64_t> result = ParseTimeArgument(text);
    EXPECT_FALSE(result) << text;
  }
  EXPECT_THAT(ParseTimeArgument("12abc").error().message,
              HasSubstr("neither Unix seconds nor an RFC 3339 date-time"));
  // Too large, without overflowing on the way.
  for (const char* text : {"253402300800", "99999999999999999999999999999"}) {
    Result<int64_t> result = ParseTimeArgument(text);
    ASSERT_FALSE(result) << text;
    EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument) << text;
  }
}

}  // namespace
}  // namespace ctkit
