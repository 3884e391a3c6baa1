#include "base/utf8.h"

#include <cstdint>

namespace ctkit {

size_t DecodeUtf8(std::string_view text, size_t pos, char32_t* code_point) {
  const auto lead = static_cast<uint8_t>(text[pos]);
  size_t length;
  char32_t value;
  if (lead < 0x80) {
    *code_point = lead;
    return 1;
  } else if ((lead & 0xe0) == 0xc0) {
    length = 2;
    value = lead & 0x1f;
  } else if ((lead & 0xf0) == 0xe0) {
    length = 3;
    value = lead & 0x0f;
  } else if ((lead & 0xf8) == 0xf0) {
    length = 4;
    value = lead & 0x07;
  } else {
    return 0;
  }
  if (text.size() - pos < length) return 0;
  for (size_t i = 1; i < length; ++i) {
    const auto next = static_cast<uint8_t>(text[pos + i]);
    if ((next & 0xc0) != 0x80) return 0;
    value = value << 6 | (next & 0x3f);
  }
  static constexpr char32_t kMinForLength[] = {0, 0, 0x80, 0x800, 0x10000};
  if (value < kMinForLength[length] || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) {
    return 0;
  }
  *code_point = value;
  return length;
}

size_t Utf8PrefixLength(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return text.size();
  size_t end = 0;
  while (end < max_bytes) {
    char32_t code_point;
    size_t length = DecodeUtf8(text, end, &code_point);
    if (length == 0) length = 1;  // an invalid byte stands alone
    if (end + length > max_bytes) break;
    end += length;
  }
  return end;
}

}  // namespace ctkit
