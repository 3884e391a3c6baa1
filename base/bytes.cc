#include "base/bytes.h"

#include <array>
#include <bit>
#include <cstring>

#include "base/base64_avx2.h"

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
    return MakeError(ErrorCode::kMalformed,
                     "hex has an odd number of digits (" + std::to_string(text.size()) + ")");
  }
  Bytes out(text.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    int hi = HexValue(text[2 * i]);
    int lo = HexValue(text[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      return MakeError(ErrorCode::kMalformed, "not hex: bad character at offset " +
                                                  std::to_string(hi < 0 ? 2 * i : 2 * i + 1));
    }
    out[i] = static_cast<uint8_t>(hi << 4 | lo);
  }
  return out;
}

void AppendBase64(std::string& out, ByteSpan bytes) {
  size_t at = out.size();
  out.resize(at + (bytes.size() + 2) / 3 * 4);
  char* write = out.data() + at;
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = bytes[i] << 16 | bytes[i + 1] << 8 | bytes[i + 2];
    write[0] = kBase64Alphabet[v >> 18];
    write[1] = kBase64Alphabet[(v >> 12) & 63];
    write[2] = kBase64Alphabet[(v >> 6) & 63];
    write[3] = kBase64Alphabet[v & 63];
    write += 4;
  }
  size_t rest = bytes.size() - i;
  if (rest == 0) return;
  uint32_t v = bytes[i] << 16 | (rest == 2 ? bytes[i + 1] << 8 : 0);
  write[0] = kBase64Alphabet[v >> 18];
  write[1] = kBase64Alphabet[(v >> 12) & 63];
  write[2] = rest == 2 ? kBase64Alphabet[(v >> 6) & 63] : '=';
  write[3] = '=';
}

std::string Base64Encode(ByteSpan bytes) {
  std::string out;
  AppendBase64(out, bytes);
  return out;
}

namespace {

// Decoding tables, one per position in a quad: the character's 6 bits placed where they land
// in the three output bytes, read as a little-endian word (byte 0 in bits 0-7). A character
// outside the alphabet ('=' included) sets the top byte, so OR-ing a quad's four entries both
// assembles the three bytes and flags any bad character in one test.
constexpr uint32_t kBase64Invalid = 0xff000000;

constexpr std::array<uint32_t, 256> MakeDecodeTable(int position) {
  std::array<uint32_t, 256> table{};
  for (auto& entry : table) entry = kBase64Invalid;
  for (uint32_t v = 0; v < 64; ++v) {
    uint32_t placed = 0;
    switch (position) {
      case 0:
        placed = v << 2;
        break;  // byte 0, bits 7-2
      case 1:
        placed = v >> 4 | (v & 0x0f) << 12;
        break;  // byte 0 bits 1-0, byte 1 bits 7-4
      case 2:
        placed = (v >> 2) << 8 | (v & 0x03) << 22;
        break;  // byte 1 bits 3-0, byte 2 bits 7-6
      default:
        placed = v << 16;
        break;  // byte 2, bits 5-0
    }
    table[static_cast<uint8_t>(kBase64Alphabet[v])] = placed;
  }
  return table;
}
constexpr std::array<uint32_t, 256> kDecode0 = MakeDecodeTable(0);
constexpr std::array<uint32_t, 256> kDecode1 = MakeDecodeTable(1);
constexpr std::array<uint32_t, 256> kDecode2 = MakeDecodeTable(2);
constexpr std::array<uint32_t, 256> kDecode3 = MakeDecodeTable(3);

uint32_t DecodeQuad(const unsigned char* quad) {
  return kDecode0[quad[0]] | kDecode1[quad[1]] | kDecode2[quad[2]] | kDecode3[quad[3]];
}

// The error for the first bad character in the quad at `quad_start`, by offset.
std::unexpected<Error> BadBase64Character(std::string_view text, size_t quad_start) {
  size_t offset = quad_start;
  // Any of the four tables flags exactly the characters outside the alphabet.
  while (offset < quad_start + 4 &&
         (kDecode0[static_cast<uint8_t>(text[offset])] & kBase64Invalid) == 0) {
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
  if (text.empty()) return Bytes();
  size_t padding = 0;
  if (text.back() == '=') ++padding;
  if (text[text.size() - 2] == '=') ++padding;
  Bytes out(text.size() / 4 * 3 - padding);
  const auto* in = reinterpret_cast<const unsigned char*>(text.data());
  uint8_t* write = out.data();
  // Every quad but the last has no padding. Blocks of 32 characters go through AVX2 where the
  // CPU has it; it stops before any block with a bad character, which the loop below reports.
  const size_t full_quads_end = text.size() - 4;
  size_t i = base64_internal::DecodeBlocksAvx2(text.data(), full_quads_end, write, out.size());
  write += i / 4 * 3;
  for (; i < full_quads_end; i += 4) {
    uint32_t word = DecodeQuad(in + i);
    if (word & kBase64Invalid) return BadBase64Character(text, i);
    // Four bytes stored, three kept: the quad after this one (the last quad at least) writes
    // one byte or more, so the fourth is in bounds and overwritten next.
    if constexpr (std::endian::native == std::endian::little) {
      std::memcpy(write, &word, 4);
    } else {
      write[0] = static_cast<uint8_t>(word);
      write[1] = static_cast<uint8_t>(word >> 8);
      write[2] = static_cast<uint8_t>(word >> 16);
    }
    write += 3;
  }
  // The last quad may end in one or two '=' (RFC 4648 §4): those positions count as zero bits.
  unsigned char last[4] = {in[i], in[i + 1], in[i + 2], in[i + 3]};
  for (size_t j = 4 - padding; j < 4; ++j) last[j] = 'A';  // 'A' is zero bits
  uint32_t word = DecodeQuad(last);
  if (word & kBase64Invalid) return BadBase64Character(text, i);
  *write++ = static_cast<uint8_t>(word);
  if (padding < 2) *write++ = static_cast<uint8_t>(word >> 8);
  if (padding < 1) *write++ = static_cast<uint8_t>(word >> 16);
  // Non-canonical encodings leave set bits under the padding: reject them.
  if ((padding == 1 && (word >> 16) != 0) || (padding == 2 && (word >> 8) != 0)) {
    return MakeError(ErrorCode::kMalformed, "not canonical base64: nonzero bits before padding");
  }
  return out;
}

}  // namespace ctkit
