#include "base/token_bucket.h"

#include <algorithm>

namespace ctkit {

TokenBucket::TokenBucket(double rate, Clock::time_point now)
    : rate_(rate), capacity_(std::max(1.0, rate)), tokens_(capacity_), last_(now) {}

void TokenBucket::Refill(Clock::time_point now) {
  if (now <= last_) return;
  double elapsed = std::chrono::duration<double>(now - last_).count();
  tokens_ = std::min(capacity_, tokens_ + elapsed * rate_);
  last_ = now;
}

TokenBucket::Clock::duration TokenBucket::Reserve(Clock::time_point now) {
  if (rate_ <= 0) return Clock::duration::zero();
  Refill(now);
  tokens_ -= 1;
  if (tokens_ >= 0) return Clock::duration::zero();
  return std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(-tokens_ / rate_));
}

bool TokenBucket::TryTake(Clock::time_point now) {
  if (rate_ <= 0) return true;
  Refill(now);
  if (tokens_ < 1) return false;
  tokens_ -= 1;
  return true;
}

}  // namespace ctkit
