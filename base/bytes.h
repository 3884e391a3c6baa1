// Byte strings and their text encodings (hex, base64) as used in CT APIs and on the command line.

#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace ctkit {

using Bytes = std::vector<uint8_t>;
using ByteSpan = std::span<const uint8_t>;

// Views the bytes of a string without copying.
inline ByteSpan AsBytes(std::string_view text) {
  return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

// Lowercase hex, two characters per byte.
std::string HexEncode(ByteSpan bytes);

// Accepts upper- and lowercase hex; rejects odd lengths and any other character.
Result<Bytes> HexDecode(std::string_view text);

// Standard base64 (RFC 4648 §4) with padding, as in RFC 6962 §4 JSON responses.
std::string Base64Encode(ByteSpan bytes);
// Base64Encode appended to `out`, in place (for bodies made of many encoded fields).
void AppendBase64(std::string& out, ByteSpan bytes);

// Strict RFC 4648 §4 decoding: the length must be a multiple of 4, padding only at the end,
// no whitespace, and the unused bits of the last character must be zero (so every byte string
// has exactly one accepted encoding).
Result<Bytes> Base64Decode(std::string_view text);

}  // namespace ctkit
