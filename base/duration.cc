#include "base/duration.h"

#include <charconv>
#include <cmath>
#include <string>

namespace ctkit {
namespace {

struct DurationUnit {
  char suffix;
  double ms;
};

// The units a duration may end in (duration.h).
constexpr DurationUnit kDurationUnits[] = {
    {'s', 1000}, {'m', 60'000}, {'h', 3'600'000}, {'d', 86'400'000}};

}  // namespace

Result<int64_t> ParseDurationMs(std::string_view text) {
  auto bad = [&] {
    return MakeError(ErrorCode::kInvalidArgument,
                     "not a duration (e.g. 90, 30s, 15m, 2h, 1d): \"" + std::string(text) + "\"");
  };
  if (text.empty()) return bad();
  double unit_ms = 1000;  // no unit: seconds
  std::string_view number = text;
  for (const DurationUnit& unit : kDurationUnits) {
    if (text.back() == unit.suffix) {
      unit_ms = unit.ms;
      number.remove_suffix(1);
      break;
    }
  }
  double value = 0;
  auto [end, error] = std::from_chars(number.data(), number.data() + number.size(), value);
  if (number.empty() || error != std::errc() || end != number.data() + number.size() ||
      !std::isfinite(value) || value < 0) {
    return bad();
  }
  double ms = value * unit_ms;
  if (ms > 100.0 * 365 * 86'400'000) return bad();
  return static_cast<int64_t>(std::llround(ms));
}

}  // namespace ctkit
