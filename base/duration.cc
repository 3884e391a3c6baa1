#include "base/duration.h"

#include <charconv>
#include <cmath>
#include <string>

namespace ctkit {

Result<int64_t> ParseDurationMs(std::string_view text) {
  auto bad = [&] {
    return MakeError(ErrorCode::kInvalidArgument,
                     "not a duration (e.g. 90, 30s, 15m, 2h, 1d): \"" + std::string(text) + "\"");
  };
  if (text.empty()) return bad();
  double unit_ms = 1000;
  std::string_view number = text;
  switch (text.back()) {
    case 's':
      unit_ms = 1000;
      number.remove_suffix(1);
      break;
    case 'm':
      unit_ms = 60'000;
      number.remove_suffix(1);
      break;
    case 'h':
      unit_ms = 3'600'000;
      number.remove_suffix(1);
      break;
    case 'd':
      unit_ms = 86'400'000;
      number.remove_suffix(1);
      break;
    default:
      break;
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
