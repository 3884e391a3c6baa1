// Timestamps as text: RFC 3339 date-times (the log list's `timestamp`, `end_time`, temporal
// intervals) and the `--at TIME` argument of the command line.
//
// Times are Unix milliseconds (int64, UTC, leap seconds not counted), the unit of SCT timestamps
// (RFC 6962 §3.2) so the two compare directly.

#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/error.h"

namespace ctkit {

// The range both parsers accept: 0000-01-01T00:00:00Z .. 9999-12-31T23:59:59.999Z, the years
// RFC 3339 §5.6 `date-fullyear` (4DIGIT) can write.
inline constexpr int64_t kMinRfc3339Ms = -62167219200000;
inline constexpr int64_t kMaxRfc3339Ms = 253402300799999;

// Parses an RFC 3339 §5.6 `date-time` strictly:
//   YYYY-MM-DD "T" hh:mm:ss [ "." 1*DIGIT ] ( "Z" / ("+" / "-") hh:mm )
// "T" and "Z" may be lower case (§5.6 NOTE); nothing else is tolerated: no space separator, no
// missing seconds or offset, no surrounding whitespace. Every field is range-checked, including
// the day against its month and leap years (§5.7). The offset is applied ("-00:00" is UTC,
// §4.3). Fractions are truncated to milliseconds, so the result never rounds into the future.
//
// Leap seconds (second 60, §5.7) are refused with kInvalidArgument: Unix time cannot represent
// them and a log list never uses them. Other errors are kMalformed and name what is wrong.
Result<int64_t> ParseRfc3339(std::string_view text);

// Formats as RFC 3339 in UTC: "2025-05-05T12:54:12Z", with ".123" when the milliseconds are not
// zero. Times outside [kMinRfc3339Ms, kMaxRfc3339Ms] are clamped to the range.
std::string FormatRfc3339(int64_t unix_ms);

// The `--at TIME` argument: an RFC 3339 date-time as above, or plain Unix seconds (decimal
// digits only, e.g. "1746449652"), within the same range. Returns Unix milliseconds.
Result<int64_t> ParseTimeArgument(std::string_view text);

}  // namespace ctkit
