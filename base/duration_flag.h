// A duration flag that must be more than zero (--stall-after, --webhook-timeout, ...): parsed as
// ParseDurationMs does (base/duration.h), its errors naming the flag.
//
//   Result<int64_t> ms = ParsePositiveDurationMs("--stall-after", "0");
//   // kInvalidArgument "--stall-after: must be more than 0"

#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/duration.h"
#include "base/error.h"

namespace ctkit {

inline Result<int64_t> ParsePositiveDurationMs(std::string_view flag, std::string_view text) {
  ASSIGN_OR_RETURN(int64_t ms, ParseDurationMs(text), std::string(flag));
  if (ms == 0) {
    return MakeError(ErrorCode::kInvalidArgument, std::string(flag) + ": must be more than 0");
  }
  return ms;
}

}  // namespace ctkit
