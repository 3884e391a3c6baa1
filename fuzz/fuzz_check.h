// What every fuzz target shares: a property check that aborts (libFuzzer records an abort as a
// crash and keeps the input), and byte-span helpers. Targets use std::abort rather than assert so
// the checks stay on in Release builds.

#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "base/bytes.h"

namespace ctkit::fuzz {

inline void Check(bool condition) {
  if (!condition) std::abort();
}

inline bool SameBytes(ByteSpan a, ByteSpan b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

inline std::string_view AsText(ByteSpan bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace ctkit::fuzz
