// Reading UTF-8 (RFC 3629) one code point at a time, strictly: the decoder every display and
// validation rule in ctkit shares (base/terminal_text.h, x509/name.h).
//
//   char32_t cp;
//   size_t length = DecodeUtf8(text, pos, &cp);  // 0: text[pos] starts no valid sequence

#pragma once

#include <cstddef>
#include <string_view>

namespace ctkit {

// Length (1-4) of the well-formed UTF-8 sequence starting at text[pos], storing its code point
// in *code_point; 0 when there is none: a stray continuation byte, a lead byte that no valid
// sequence starts with, a truncated sequence, an overlong form, a surrogate (U+D800..U+DFFF) or
// a value above U+10FFFF (RFC 3629 §3-§4). `pos` must be < text.size().
size_t DecodeUtf8(std::string_view text, size_t pos, char32_t* code_point);

// The length of the longest prefix of `text` of at most `max_bytes` bytes that does not end
// inside a well-formed UTF-8 sequence (for cutting text short without splitting a character).
size_t Utf8PrefixLength(std::string_view text, size_t max_bytes);

}  // namespace ctkit
