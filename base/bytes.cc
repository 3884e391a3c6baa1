#include "base/bytes.h"

#include <array>

namespace ctkit {
namespace {

constexpr char kHexDigits[] = "0123456789abcdef";
constexpr char kBase64Alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

constexpr std::array<int8_t, 256> MakeBase64Table() {
  std::array<int8_t, 256> table{};
  for (auto& v : table) v = -1;
  for (int i = 0; i < 64; ++i) table[static_cast<uint8_t>(kBase64Alphabet[i])] = static_cast<int8_t>(i);
  return table;
}
constexpr std::array<int8_t, 256> kBase64Table = MakeBase64Table();

}  // namespace

std::string HexEncode(ByteSpan bytes) {
  std::string out(bytes.size() * 2, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = kHexDigits[bytes[i] >> 4];
    out[2 * i + 1] = kHexDigits[bytes[i] & 0x0f];
  }
  return out;
}

Result<Bytes> HexDecode(std::string_view text) {
  if (text.size() % 2 != 0) {
    return MakeError(ErrorCode::kMalformed, "hex has an odd number of digits (" +
                                                std::to_string(text.size()) + ")");
  }
  Bytes out(text.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = HexValue(text[2 * i]);
    int lo = HexValue(text[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      return MakeError(ErrorCode::kMalformed,
                       "not hex: bad character at offset " + std::to_string(hi < 0 ? 2 * i : 2 * i + 1));
    }
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return out;
}

std::string Base64Encode(ByteSpan bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = bytes[i] << 16 | bytes[i + 1] << 8 | bytes[i + 2];
    out += kBase64Alphabet[v >> 18];
    out += kBase64Alphabet[(v >> 12) & 63];
    out += kBase64Alphabet[(v >> 6) & 63];
    out += kBase64Alphabet[v & 63];
  }
  size_t rest = bytes.size() - i;
  if (rest == 1) {
    uint32_t v = bytes[i] << 16;
    out += kBase64Alphabet[v >> 18];
    out += kBase64Alphabet[(v >> 12) & 63];
    out += "==";
  } else if (rest == 2) {
    uint32_t v = bytes[i] << 16 | bytes[i + 1] << 8;
    out += kBase64Alphabet[v >> 18];
    out += kBase64Alphabet[(v >> 12) & 63];
    out += kBase64Alphabet[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

namespace {

// The error for the first bad character in the quad at `quad_start`, by offset.
std::unexpected<Error> BadBase64Character(std::string_view text, size_t quad_start) {
  size_t offset = quad_start;
  while (offset < quad_start + 4 && kBase64Table[static_cast<uint8_t>(text[offset])] >= 0) {
    ++offset;
  }
  return MakeError(ErrorCode::kMalformed,
                   "not base64: bad character at offset " + std::to_string(offset));
}

}  // namespace

Result<Bytes> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) {
    return MakeError(ErrorCode::kMalformed,
                     "base64 length " + std::to_string(text.size()) + " is not a multiple of 4");
  }
  size_t padding = 0;
  if (!text.empty() && text.back() == '=') ++padding;
  if (text.size() >= 2 && text[text.size() - 2] == '=') ++padding;
  Bytes out(text.size() / 4 * 3 - padding);
  uint8_t* write = out.data();
  // Every quad but the last has no padding: four table lookups, three bytes out. A bad
  // character (including '=' here) has a negative table entry, so OR-ing the four catches it.
  size_t full_quads_end = text.empty() ? 0 : text.size() - 4;
  for (size_t i = 0; i < full_quads_end; i += 4) {
    int32_t a = kBase64Table[static_cast<uint8_t>(text[i])];
    int32_t b = kBase64Table[static_cast<uint8_t>(text[i + 1])];
    int32_t c = kBase64Table[static_cast<uint8_t>(text[i + 2])];
    int32_t d = kBase64Table[static_cast<uint8_t>(text[i + 3])];
    if ((a | b | c | d) < 0) return BadBase64Character(text, i);
    uint32_t v = static_cast<uint32_t>(a) << 18 | static_cast<uint32_t>(b) << 12 |
                 static_cast<uint32_t>(c) << 6 | static_cast<uint32_t>(d);
    *write++ = static_cast<uint8_t>(v >> 16);
    *write++ = static_cast<uint8_t>(v >> 8);
    *write++ = static_cast<uint8_t>(v);
  }
  if (text.empty()) return out;
  // The last quad may end in one or two '=' (RFC 4648 §4).
  size_t i = full_quads_end;
  uint32_t v = 0;
  for (size_t j = 0; j < 4; ++j) {
    int8_t d = 0;  // padding positions count as zero bits, checked below
    if (j < 4 - padding) {
      d = kBase64Table[static_cast<uint8_t>(text[i + j])];
      if (d < 0) return BadBase64Character(text, i);
    }
    v = v << 6 | static_cast<uint32_t>(d);
  }
  *write++ = static_cast<uint8_t>(v >> 16);
  if (padding < 2) *write++ = static_cast<uint8_t>(v >> 8);
  if (padding < 1) *write++ = static_cast<uint8_t>(v);
  // Non-canonical encodings leave set bits under the padding: reject them.
  if ((padding == 1 && (v & 0xff) != 0) || (padding == 2 && (v & 0xffff) != 0)) {
    return MakeError(ErrorCode::kMalformed, "not canonical base64: nonzero bits before padding");
  }
  return out;
}

}  // namespace ctkit
