// Punycode (RFC 3492) and the small part of IDNA the watchlist needs: turning a domain name with
// Unicode labels (U-labels) into its ASCII form (A-labels, "xn--" + Punycode) and back.
//
//   auto ascii = DomainToAscii("Bücher.Example");    // "xn--bcher-kva.example"
//   auto text = DomainToUnicode("xn--bcher-kva.example");  // "bücher.example"
//   auto puny = PunycodeEncode(U"bücher");            // "bcher-kva"
//
// Scope, on purpose: this is not UTS #46 or full IDNA2008. The only mapping applied is ASCII
// lowercasing (A-Z -> a-z). Non-ASCII characters are taken as they are: no case folding
// ("Ü" stays "Ü" and gives a different A-label from "ü"), no NFC normalization, no check of
// IDNA2008 code point categories or bidi rules. Certificates carry A-labels (dNSName is an
// IA5String), so U-labels only appear in watchlists written by people and in subject CNs; a
// watchlist author who writes lowercase, NFC text (what keyboards produce) gets the A-label a
// browser would use.
//
// All functions are pure and thread-safe. Inputs are untrusted: every length is bounded and
// every arithmetic step is checked for overflow (RFC 3492 §6.4).

#pragma once

#include <string>
#include <string_view>

#include "base/error.h"

namespace ctkit {

// RFC 3492 §6.3: the Punycode of a sequence of code points, lowercase digits, without the
// "xn--" prefix. Basic code points (< 0x80) are copied as they are (no case change).
// kInvalidArgument for code points above U+10FFFF or surrogates, kMalformed on overflow.
Result<std::string> PunycodeEncode(std::u32string_view input);

// RFC 3492 §6.2: the code points a Punycode string stands for (without "xn--"). Digits are
// accepted in either case; basic code points before the last '-' are copied as they are.
// kMalformed for anything that is not exactly one valid encoding's worth of digits, on
// overflow, for decoded values that are basic code points, surrogates or above U+10FFFF.
Result<std::u32string> PunycodeDecode(std::string_view input);

// Strict UTF-8 (RFC 3629): no overlong forms, surrogates or code points above U+10FFFF.
Result<std::u32string> Utf8Decode(std::string_view text);
// UTF-8 of code points that are valid Unicode scalar values (others become U+FFFD).
std::string Utf8Encode(std::u32string_view code_points);

// The ASCII form of a domain name, label by label (labels split on '.', U+3002 is not a
// separator here): ASCII letters are lowercased; a label with any non-ASCII character must be
// valid UTF-8 and becomes "xn--" + PunycodeEncode(label). Labels already in ASCII are not
// otherwise checked (so "*" and "_dmarc" pass through) and an existing "xn--" label is not
// decoded: callers that care use IsValidALabel. Empty labels are kept (".a..b" stays
// ".a..b"). kMalformed for invalid UTF-8.
Result<std::string> DomainToAscii(std::string_view name);

// The Unicode form of a domain name for display: every "xn--" label (any case) that decodes is
// replaced by its UTF-8; other labels are lowercased. kMalformed when an "xn--" label does not
// decode.
Result<std::string> DomainToUnicode(std::string_view name);

// True when `label` (one label, no dots) starts with "xn--" in any case.
bool HasAcePrefix(std::string_view label);

// True when `label` is a well-formed A-label: lowercase "xn--" + Punycode that decodes to at
// least one non-ASCII code point and re-encodes to exactly the same text (so every U-label has
// exactly one accepted A-label).
bool IsValidALabel(std::string_view label);

}  // namespace ctkit
