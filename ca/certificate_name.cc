#include "ca/certificate_name.h"

#include <arpa/inet.h>

#include <string>

namespace ctkit {
namespace {

bool IsLetterOrDigit(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Why `label` is not an RFC 1034 §3.5 label; "" when it is one.
std::string LabelProblem(std::string_view label) {
  if (label.empty()) return "an empty label";
  if (label.size() > 63) return "a label longer than 63 characters";
  for (char c : label) {
    if (!IsLetterOrDigit(c) && c != '-') {
      if (static_cast<unsigned char>(c) >= 0x80) return "non-ASCII: give its A-label (xn--...)";
      return std::string("the character '") + (c >= 0x20 && c < 0x7f ? std::string(1, c) : "?") +
             "'";
    }
  }
  if (label.front() == '-' || label.back() == '-') return "a label starting or ending with '-'";
  return "";
}

}  // namespace

bool IsIpAddressLiteral(std::string_view name) {
  std::string text(name);
  unsigned char address[16];
  return inet_pton(AF_INET, text.c_str(), address) == 1 ||
         inet_pton(AF_INET6, text.c_str(), address) == 1;
}

Result<void> CheckCertificateName(std::string_view name) {
  if (IsIpAddressLiteral(name)) return {};
  std::string problem;
  if (name.size() > 253) problem = "longer than 253 characters";
  std::string_view rest = name;
  if (rest.starts_with("*.")) rest.remove_prefix(2);  // a wildcard, leftmost label only
  while (problem.empty()) {
    size_t dot = rest.find('.');
    problem = LabelProblem(rest.substr(0, dot));
    if (dot == std::string_view::npos) break;
    rest.remove_prefix(dot + 1);
  }
  if (problem.empty()) return {};
  return MakeError(
      ErrorCode::kInvalidArgument,
      "--name " + QuoteUntrusted(name) + ": not a DNS name or an IP address (" + problem + ")");
}

}  // namespace ctkit
