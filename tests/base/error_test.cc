#include "base/error.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace ctkit {
namespace {

Result<int> Parse(int value) {
  if (value < 0) return MakeError(ErrorCode::kMalformed, "negative");
  return value;
}

Result<void> Check(int value) {
  if (value > 9) return MakeError(ErrorCode::kInvalidArgument, "too big");
  return {};
}

Result<std::unique_ptr<int>> Boxed(int value) {
  ASSIGN_OR_RETURN(const int parsed, Parse(value));
  return std::make_unique<int>(parsed);
}

Result<int> Twice(int value) {
  ASSIGN_OR_RETURN(std::unique_ptr<int> boxed, Boxed(value));  // a move-only value
  RETURN_IF_ERROR(Check(*boxed));
  return 2 * *boxed;
}

Result<int> TwiceWithContext(int value) {
  ASSIGN_OR_RETURN(int parsed, Parse(value), "first");
  RETURN_IF_ERROR(Check(parsed), "second");
  return 2 * parsed;
}

TEST(ErrorMacrosTest, PassValuesAndReturnErrorsWithTheirCode) {
  EXPECT_EQ(*Twice(4), 8);
  const Result<int> negative = Twice(-1);
  ASSERT_FALSE(negative.has_value());
  EXPECT_EQ(negative.error().code, ErrorCode::kMalformed);
  EXPECT_EQ(negative.error().message, "negative");
  const Result<int> big = Twice(10);
  ASSERT_FALSE(big.has_value());
  EXPECT_EQ(big.error().code, ErrorCode::kInvalidArgument);
}

TEST(ErrorMacrosTest, ContextPrefixesTheMessage) {
  EXPECT_EQ(*TwiceWithContext(3), 6);
  EXPECT_EQ(TwiceWithContext(-1).error().message, "first: negative");
  EXPECT_EQ(TwiceWithContext(10).error().message, "second: too big");
  EXPECT_EQ(TwiceWithContext(10).error().code, ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace ctkit
