#include "monitor/email_address.h"

#include <string>

#include "base/terminal_text.h"
#include "base/utf8.h"

namespace ctkit {
namespace {

// RFC 5322 §3.2.3 atext, ASCII part: ALPHA DIGIT and these.
bool IsAsciiAtext(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

// A dot-atom-text (RFC 5322 §3.2.3): 1*atext *("." 1*atext); non-ASCII bytes are atext
// (RFC 6532 §3.2), already checked to be well-formed UTF-8 without controls.
bool IsDotAtom(std::string_view text) {
  if (text.empty() || text.front() == '.' || text.back() == '.') return false;
  if (text.find("..") != std::string_view::npos) return false;
  for (char c : text) {
    if (c != '.' && static_cast<unsigned char>(c) < 0x80 && !IsAsciiAtext(c)) return false;
  }
  return true;
}

// Unicode's white space (Zs, and the BOM some editors write), which would split an address.
bool IsSpace(char32_t c) {
  return c == ' ' || c == 0xA0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x202F ||
         c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

Result<void> Refuse(const std::string& why) { return MakeError(ErrorCode::kInvalidArgument, why); }

}  // namespace

Result<void> CheckEmailAddress(std::string_view address) {
  if (address.empty()) return Refuse("is empty");
  if (address.front() == '-') {
    return Refuse("starts with '-', which sendmail would read as an option");
  }
  for (size_t pos = 0; pos < address.size();) {
    char32_t code_point;
    size_t length = DecodeUtf8(address, pos, &code_point);
    if (length == 0) return Refuse("is not valid UTF-8");
    if (IsSpace(code_point) || IsTerminalControl(code_point)) {
      return Refuse("holds white space or a control character; one address a line");
    }
    pos += length;
  }
  const size_t at = address.rfind('@');
  if (at == std::string_view::npos) return Refuse("has no '@'");
  if (address.size() > kMaxEmailAddressLength) {
    return Refuse("is longer than " + std::to_string(kMaxEmailAddressLength) + " octets");
  }
  if (!IsDotAtom(address.substr(0, at)) || !IsDotAtom(address.substr(at + 1))) {
    return Refuse(
        "is not a plain address local-part@domain (no quotes, brackets, commas or second '@')");
  }
  return {};
}

}  // namespace ctkit
