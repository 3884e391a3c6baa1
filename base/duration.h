// Durations on the command line: "900" (seconds), "1.5s", "15m", "2h", "1d".
//
//   Result<int64_t> ms = ParseDurationMs("15m");   // 900000
//
// A number without a unit is seconds (so tests can say "2"). Negative, empty, not a number, an
// unknown unit or more than 100 years is kInvalidArgument, with the text in the message.

#pragma once

#include <cstdint>
#include <string_view>

#include "base/error.h"

namespace ctkit {

Result<int64_t> ParseDurationMs(std::string_view text);

}  // namespace ctkit
