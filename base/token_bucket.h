// TokenBucket: the one rate limiter, for a client that paces its requests
// (logclient/http_fetcher.h) and for a server that refuses requests over its rate
// (logserver/http_server.h, 429):
//
//   TokenBucket bucket(10);                                   // 10 a second, bursts of 10
//   std::this_thread::sleep_for(bucket.Reserve(Clock::now()));  // a client waits its turn
//   if (!bucket.TryTake(Clock::now())) return Refuse429();      // a server says no
//
// `rate` tokens a second, holding at most max(1, rate); full at the start. A rate <= 0 is no
// limit. Not thread-safe: callers hold their own lock.

#pragma once

#include <chrono>

namespace ctkit {

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;
  explicit TokenBucket(double rate, Clock::time_point now = Clock::now());

  // Takes one token and returns how long to wait before using it: zero when one is there.
  // Reservations may take the bucket below zero, so later callers queue behind.
  Clock::duration Reserve(Clock::time_point now);
  // Takes one token if one is there now.
  bool TryTake(Clock::time_point now);

 private:
  void Refill(Clock::time_point now);

  double rate_;
  double capacity_;
  double tokens_;
  Clock::time_point last_;
};

}  // namespace ctkit
