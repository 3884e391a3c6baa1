#include "base/token_bucket.h"

#include <gtest/gtest.h>

namespace ctkit {
namespace {

using Clock = TokenBucket::Clock;
using std::chrono::milliseconds;

TEST(TokenBucketTest, ServerRefusesOverTheRateAndRefills) {
  Clock::time_point start{};
  TokenBucket bucket(2, start);  // 2 a second, bursts of 2
  EXPECT_TRUE(bucket.TryTake(start));
  EXPECT_TRUE(bucket.TryTake(start));
  EXPECT_FALSE(bucket.TryTake(start));
  EXPECT_FALSE(bucket.TryTake(start + milliseconds(400)));
  EXPECT_TRUE(bucket.TryTake(start + milliseconds(600)));  // 1.2 tokens back, one taken
  EXPECT_FALSE(bucket.TryTake(start + milliseconds(600)));
}

TEST(TokenBucketTest, ClientWaitsItsTurnInOrder) {
  Clock::time_point start{};
  TokenBucket bucket(10, start);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(bucket.Reserve(start), Clock::duration::zero());
  EXPECT_EQ(bucket.Reserve(start), std::chrono::duration_cast<Clock::duration>(milliseconds(100)));
  EXPECT_EQ(bucket.Reserve(start), std::chrono::duration_cast<Clock::duration>(milliseconds(200)));
}

TEST(TokenBucketTest, ZeroRateIsNoLimit) {
  TokenBucket bucket(0);
  for (int i = 0; i < 1000; ++i) {
    EXPECT_TRUE(bucket.TryTake(Clock::now()));
    EXPECT_EQ(bucket.Reserve(Clock::now()), Clock::duration::zero());
  }
}

}  // namespace
}  // namespace ctkit
