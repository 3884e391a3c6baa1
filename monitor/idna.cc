#include "monitor/idna.h"

#include <cstdint>
#include <limits>

#include "base/utf8.h"

namespace ctkit {
namespace {

// RFC 3492 §5: parameter values for Punycode.
constexpr uint32_t kBase = 36;
constexpr uint32_t kTMin = 1;
constexpr uint32_t kTMax = 26;
constexpr uint32_t kSkew = 38;
constexpr uint32_t kDamp = 700;
constexpr uint32_t kInitialBias = 72;
constexpr uint32_t kInitialN = 128;
constexpr char kDelimiter = '-';
constexpr uint32_t kMaxInt = std::numeric_limits<uint32_t>::max();
constexpr uint32_t kMaxCodePoint = 0x10FFFF;

// No DNS label is longer than 63 octets; 4096 code points leaves room for any caller while
// keeping the quadratic insertion in the decoder cheap on hostile input.
constexpr size_t kMaxPunycodeLength = 4096;

bool IsSurrogate(uint32_t cp) { return cp >= 0xD800 && cp <= 0xDFFF; }

char EncodeDigit(uint32_t d) {  // 0..25 -> a..z, 26..35 -> 0..9
  return static_cast<char>(d < 26 ? 'a' + d : '0' + (d - 26));
}

// kBase (invalid) for characters that are not Punycode digits.
uint32_t DecodeDigit(char c) {
  if (c >= '0' && c <= '9') return static_cast<uint32_t>(c - '0') + 26;
  if (c >= 'a' && c <= 'z') return static_cast<uint32_t>(c - 'a');
  if (c >= 'A' && c <= 'Z') return static_cast<uint32_t>(c - 'A');
  return kBase;
}

uint32_t Threshold(uint32_t k, uint32_t bias) {
  if (k <= bias) return kTMin;
  if (k >= bias + kTMax) return kTMax;
  return k - bias;
}

// RFC 3492 §6.1.
uint32_t Adapt(uint32_t delta, uint32_t num_points, bool first_time) {
  delta = first_time ? delta / kDamp : delta / 2;
  delta += delta / num_points;
  uint32_t k = 0;
  while (delta > ((kBase - kTMin) * kTMax) / 2) {
    delta /= kBase - kTMin;
    k += kBase;
  }
  return k + (kBase - kTMin + 1) * delta / (delta + kSkew);
}

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c; }

}  // namespace

Result<std::string> PunycodeEncode(std::u32string_view input) {
  if (input.size() > kMaxPunycodeLength) {
    return MakeError(ErrorCode::kInvalidArgument, "punycode input is too long");
  }
  std::string output;
  for (char32_t c : input) {
    if (c > kMaxCodePoint || IsSurrogate(c)) {
      return MakeError(ErrorCode::kInvalidArgument, "punycode input is not Unicode text");
    }
    if (c < 0x80) output += static_cast<char>(c);
  }
  const uint32_t basic = static_cast<uint32_t>(output.size());
  uint32_t handled = basic;
  if (basic > 0) output += kDelimiter;

  uint32_t n = kInitialN;
  uint32_t delta = 0;
  uint32_t bias = kInitialBias;
  while (handled < input.size()) {
    uint32_t m = kMaxInt;  // the smallest code point >= n still to handle
    for (char32_t c : input) {
      if (c >= n && c < m) m = c;
    }
    if (m - n > (kMaxInt - delta) / (handled + 1)) {
      return MakeError(ErrorCode::kMalformed, "punycode overflow");
    }
    delta += (m - n) * (handled + 1);
    n = m;
    for (char32_t c : input) {
      if (c < n && ++delta == 0) return MakeError(ErrorCode::kMalformed, "punycode overflow");
      if (c != n) continue;
      uint32_t q = delta;
      for (uint32_t k = kBase;; k += kBase) {
        const uint32_t t = Threshold(k, bias);
        if (q < t) break;
        output += EncodeDigit(t + (q - t) % (kBase - t));
        q = (q - t) / (kBase - t);
      }
      output += EncodeDigit(q);
      bias = Adapt(delta, handled + 1, handled == basic);
      delta = 0;
      ++handled;
    }
    ++delta;
    ++n;
  }
  return output;
}

Result<std::u32string> PunycodeDecode(std::string_view input) {
  if (input.size() > kMaxPunycodeLength) {
    return MakeError(ErrorCode::kMalformed, "punycode text is too long");
  }
  std::u32string output;
  const size_t delimiter = input.rfind(kDelimiter);
  size_t in = 0;
  if (delimiter != std::string_view::npos) {
    for (size_t j = 0; j < delimiter; ++j) {
      const auto c = static_cast<unsigned char>(input[j]);
      if (c >= 0x80) return MakeError(ErrorCode::kMalformed, "punycode has a non-basic character");
      output += static_cast<char32_t>(c);
    }
    in = delimiter + 1;
  }

  uint32_t n = kInitialN;
  uint32_t i = 0;
  uint32_t bias = kInitialBias;
  while (in < input.size()) {
    const uint32_t old_i = i;
    uint32_t w = 1;
    for (uint32_t k = kBase;; k += kBase) {
      if (in >= input.size()) return MakeError(ErrorCode::kMalformed, "punycode is truncated");
      const uint32_t digit = DecodeDigit(input[in++]);
      if (digit >= kBase) return MakeError(ErrorCode::kMalformed, "punycode has a bad digit");
      if (digit > (kMaxInt - i) / w) return MakeError(ErrorCode::kMalformed, "punycode overflow");
      i += digit * w;
      const uint32_t t = Threshold(k, bias);
      if (digit < t) break;
      if (w > kMaxInt / (kBase - t)) return MakeError(ErrorCode::kMalformed, "punycode overflow");
      w *= kBase - t;
    }
    const uint32_t length = static_cast<uint32_t>(output.size()) + 1;
    bias = Adapt(i - old_i, length, old_i == 0);
    if (i / length > kMaxInt - n) return MakeError(ErrorCode::kMalformed, "punycode overflow");
    n += i / length;
    i %= length;
    // RFC 3492 §6.2: a decoded basic code point means the encoding is not the canonical one.
    if (n < 0x80 || n > kMaxCodePoint || IsSurrogate(n)) {
      return MakeError(ErrorCode::kMalformed, "punycode decodes to an invalid code point");
    }
    if (output.size() >= kMaxPunycodeLength) {
      return MakeError(ErrorCode::kMalformed, "punycode decodes to too many code points");
    }
    output.insert(output.begin() + i, static_cast<char32_t>(n));
    ++i;
  }
  return output;
}

Result<std::u32string> Utf8Decode(std::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) {
    char32_t code_point;
    size_t length = DecodeUtf8(text, pos, &code_point);  // base/utf8.h: the one strict decoder
    if (length == 0) {
      return MakeError(ErrorCode::kMalformed, "invalid UTF-8 at byte " + std::to_string(pos));
    }
    out += code_point;
    pos += length;
  }
  return out;
}

std::string Utf8Encode(std::u32string_view code_points) {
  std::string out;
  for (char32_t c : code_points) {
    uint32_t cp = c;
    if (cp > kMaxCodePoint || IsSurrogate(cp)) cp = 0xFFFD;
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }
  return out;
}

bool HasAcePrefix(std::string_view label) {
  return label.size() >= 4 && AsciiLower(label[0]) == 'x' && AsciiLower(label[1]) == 'n' &&
         label[2] == '-' && label[3] == '-';
}

bool IsValidALabel(std::string_view label) {
  if (!label.starts_with("xn--")) return false;
  auto decoded = PunycodeDecode(label.substr(4));
  if (!decoded) return false;
  bool has_non_ascii = false;
  for (char32_t c : *decoded) has_non_ascii |= c >= 0x80;
  if (!has_non_ascii) return false;
  // Lowercase ASCII in the decoded label would be folded by DomainToAscii, so only an exact
  // round trip proves the label is the one canonical encoding.
  auto encoded = PunycodeEncode(*decoded);
  return encoded && "xn--" + *encoded == label;
}

Result<std::string> DomainToAscii(std::string_view name) {
  std::string out;
  out.reserve(name.size());
  size_t start = 0;
  while (true) {
    const size_t dot = name.find('.', start);
    const std::string_view label =
        name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    bool ascii = true;
    for (char c : label) ascii &= static_cast<unsigned char>(c) < 0x80;
    if (ascii) {
      for (char c : label) out += AsciiLower(c);
    } else {
      auto code_points = Utf8Decode(label);
      if (!code_points) return std::unexpected(code_points.error());
      for (char32_t& c : *code_points) {
        if (c >= U'A' && c <= U'Z') c += U'a' - U'A';
      }
      auto encoded = PunycodeEncode(*code_points);
      if (!encoded) return std::unexpected(encoded.error());
      out += "xn--";
      out += *encoded;
    }
    if (dot == std::string_view::npos) break;
    out += '.';
    start = dot + 1;
  }
  return out;
}

Result<std::string> DomainToUnicode(std::string_view name) {
  std::string out;
  size_t start = 0;
  while (true) {
    const size_t dot = name.find('.', start);
    const std::string_view label =
        name.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (HasAcePrefix(label)) {
      std::string lower;
      for (char c : label.substr(4)) lower += AsciiLower(c);
      auto decoded = PunycodeDecode(lower);
      if (!decoded) return std::unexpected(decoded.error());
      out += Utf8Encode(*decoded);
    } else {
      for (char c : label) out += AsciiLower(c);
    }
    if (dot == std::string_view::npos) break;
    out += '.';
    start = dot + 1;
  }
  return out;
}

}  // namespace ctkit
