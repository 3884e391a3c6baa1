// monitor/idna.h through libidn2: the only file that includes <idn2.h>.

#include <idn2.h>

#include <cstdint>
#include <cstdlib>
#include <string>

#include "base/utf8.h"
#include "monitor/idna.h"

namespace ctkit {
namespace {

// UTS #46 §4 processing, non-transitional, as browsers do; with IDN2_NFC_INPUT the input need
// not be in NFC already (idn2_lookup_u8 otherwise expects it to be).
constexpr int kFlags = IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT;

// What libidn2 is given: at most kMaxIdnaInputLength bytes of valid UTF-8 without a NUL (it
// reads C strings, so a NUL would silently cut the name short).
Result<std::string> CheckedInput(std::string_view name) {
  if (name.size() > kMaxIdnaInputLength) {
    return MakeError(ErrorCode::kTooLarge,
                     "domain name longer than " + std::to_string(kMaxIdnaInputLength) + " bytes");
  }
  for (size_t pos = 0; pos < name.size();) {
    if (name[pos] == '\0') {
      return MakeError(ErrorCode::kMalformed, "NUL at byte " + std::to_string(pos));
    }
    char32_t code_point;
    const size_t length = DecodeUtf8(name, pos, &code_point);
    if (length == 0) {
      return MakeError(ErrorCode::kMalformed, "invalid UTF-8 at byte " + std::to_string(pos));
    }
    pos += length;
  }
  return std::string(name);
}

// The string libidn2 allocated (copied, then freed), or `what` and libidn2's reason.
Result<std::string> TakeOutput(int rc, char* output, std::string_view what) {
  std::string text;
  if (rc == IDN2_OK && output != nullptr) text = output;
  std::free(output);
  if (rc == IDN2_MALLOC) return MakeError(ErrorCode::kInternal, "libidn2: out of memory");
  if (rc != IDN2_OK) {
    return MakeError(ErrorCode::kMalformed, std::string(what) + ": " + idn2_strerror(rc));
  }
  return text;
}

}  // namespace

void AsciiLowercase(std::string& text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
  }
}

Result<std::string> DomainToAscii(std::string_view name) {
  ASSIGN_OR_RETURN(const std::string input, CheckedInput(name));
  uint8_t* output = nullptr;
  const int rc = idn2_lookup_u8(reinterpret_cast<const uint8_t*>(input.c_str()), &output, kFlags);
  return TakeOutput(rc, reinterpret_cast<char*>(output), "not a valid IDNA name (UTS #46)");
}

Result<std::string> DomainToUnicode(std::string_view name) {
  ASSIGN_OR_RETURN(std::string input, CheckedInput(name));
  // Lowercase first: Punycode keeps the case of its digits as a hint for display (RFC 3492
  // §A), so "XN--BCHER-KVA" would otherwise decode to "BüCHER".
  AsciiLowercase(input);
  char* output = nullptr;
  const int rc = idn2_to_unicode_8z8z(input.c_str(), &output, 0);
  return TakeOutput(rc, output, "an A-label does not decode");
}

bool HasAcePrefix(std::string_view label) {
  return label.size() >= 4 && (label[0] == 'x' || label[0] == 'X') &&
         (label[1] == 'n' || label[1] == 'N') && label[2] == '-' && label[3] == '-';
}

bool IsValidALabel(std::string_view label) {
  if (!label.starts_with("xn--") || label.find('.') != std::string_view::npos) return false;
  // idn2_lookup_u8 decodes an A-label, checks the U-label as it checks any and encodes it again
  // (the round trip of RFC 5891 §5.4), refusing labels over 63 octets; only the exact text
  // back is the canonical form.
  Result<std::string> ascii = DomainToAscii(label);
  return ascii && *ascii == label;
}

}  // namespace ctkit
