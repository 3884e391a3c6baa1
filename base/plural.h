// Counts in messages: "1 SCT", "2 SCTs", "0 logs", never "1 SCTs".
//
//   Count(scts.size(), "SCT")              // "1 SCT", "3 SCTs"
//   Count(n, "entry", "entries")           // irregular plural given

#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace ctkit {

// `n` and the noun, singular for exactly one, else `plural` (default: the singular plus "s").
inline std::string Count(uint64_t n, std::string_view singular, std::string_view plural = "") {
  std::string out = std::to_string(n) + " ";
  if (n == 1) return out.append(singular);
  if (plural.empty()) return out.append(singular).append("s");
  return out.append(plural);
}

}  // namespace ctkit
