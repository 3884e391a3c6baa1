// The wall clock, in the unit CT uses everywhere (RFC 6962 §3.2 timestamps: milliseconds since
// the Unix epoch). Library code takes the time as a parameter so tests can fix it; only the
// outermost layers (commands, servers) read the clock, through this one function.

#pragma once

#include <chrono>
#include <cstdint>

namespace ctkit {

inline int64_t UnixNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace ctkit
