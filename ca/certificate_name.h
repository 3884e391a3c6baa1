// The names `ctkit ca issue --name` accepts (RFC 5280 §4.2.1.6): a subjectAltName dNSName
// "MUST be in the 'preferred name syntax', as specified by Section 3.5 of [RFC1034] and as
// modified by Section 2.1 of [RFC1123]", and an iPAddress holds an IPv4 or IPv6 address.
//
//   - a DNS name: labels of letters, digits and hyphens separated by dots, each 1..63
//     characters, none starting or ending with a hyphen, 253 characters in all (RFC 1034 §3.1);
//     the leftmost label may be "*", a wildcard (CA/Browser Forum Baseline Requirements
//     §1.6.1, "Wildcard Domain Name");
//   - an IPv4 (dotted quad) or IPv6 address literal, issued as an iPAddress name.
//
// Anything else is refused: spaces, punctuation, a comma (which would smuggle a second name into
// OpenSSL's "DNS:a,IP:b" list), an underscore, an empty label or a trailing dot, non-ASCII
// (give an internationalised name as its A-label, "xn--...").
//
//   RETURN_IF_ERROR(CheckCertificateName("www.example.com"));

#pragma once

#include <string_view>

#include "base/error.h"

namespace ctkit {

// kInvalidArgument `--name "NAME": not a DNS name or an IP address (why)`, NAME quoted with
// QuoteUntrusted.
Result<void> CheckCertificateName(std::string_view name);

// An IPv4 or IPv6 address literal (inet_pton), which goes into an iPAddress name.
bool IsIpAddressLiteral(std::string_view name);

}  // namespace ctkit
