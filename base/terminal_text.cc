#include "base/terminal_text.h"

#include <cstdint>

#include "base/utf8.h"

namespace ctkit {
namespace {

constexpr char kHex[] = "0123456789abcdef";

// "\xNN" for one byte (ASCII controls, bytes of invalid UTF-8).
void AppendByteEscape(uint8_t byte, std::string& out) {
  out += "\\x";
  out += kHex[byte >> 4];
  out += kHex[byte & 0x0f];
}

// "\uNNNN" for a code point of the Basic Multilingual Plane (every one IsTerminalControl names
// above U+007F is).
void AppendCodePointEscape(char32_t code_point, std::string& out) {
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += kHex[(code_point >> shift) & 0x0f];
}

}  // namespace

bool IsTerminalControl(char32_t cp) {
  return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || cp == 0x061c || cp == 0x200e ||
         cp == 0x200f || cp == 0x2028 || cp == 0x2029 || (cp >= 0x202a && cp <= 0x202e) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

std::string TerminalSafe(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const auto byte = static_cast<uint8_t>(text[i]);
    if (byte >= 0x20 && byte < 0x7f) {  // printable ASCII, by far the most common
      out += static_cast<char>(byte);
      ++i;
      continue;
    }
    char32_t code_point;
    const size_t length = DecodeUtf8(text, i, &code_point);
    if (length == 0) {
      AppendByteEscape(byte, out);
      ++i;
    } else if (!IsTerminalControl(code_point)) {
      out.append(text.substr(i, length));
      i += length;
    } else {
      if (code_point < 0x80) {
        AppendByteEscape(byte, out);
      } else {
        AppendCodePointEscape(code_point, out);
      }
      i += length;
    }
  }
  return out;
}

}  // namespace ctkit
