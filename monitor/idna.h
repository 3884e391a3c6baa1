// IDNA for the watchlist: domain names with Unicode labels (U-labels) to their ASCII form
// (A-labels, "xn--" + Punycode) and back, by UTS #46 processing, non-transitional, as browsers
// do. libidn2 does the work; monitor/idna_libidn2.cc is the one file that calls it.
//
//   auto ascii = DomainToAscii("BÜCHER.Example");  // "xn--bcher-kva.example" (case folded)
//   DomainToAscii("faß.de");                        // "xn--fa-hia.de" (ß kept, not "fass.de")
//   DomainToAscii("ｗｗｗ．example.com");  // "www.example.com" (width folded; U+FF0E is a dot)
//   auto text = DomainToUnicode("xn--bcher-kva.example");  // "bücher.example"
//   IsValidALabel("xn--bcher-kva");                 // true
//
// UTS #46 §4 (Processing): each code point is mapped (case folding, width, compatibility
// forms; "ignored" ones such as U+00AD are dropped), the result put in NFC, split into labels,
// and each label checked (UTS #46 §4.1 and RFC 5891 §5.4: IDNA2008 code point categories of
// RFC 5892, CONTEXTJ/CONTEXTO, the bidi rule of RFC 5893, no leading combining mark, and
// CheckHyphens, which libidn2 applies and browsers do not: no hyphen at the start or end of a
// label nor in its third and fourth positions). Non-transitional (§4,
// Transitional_Processing=false): the "deviation" characters ß, ς, ZWJ and ZWNJ are kept, so
// "faß.de" is not "fass.de". STD3 rules are off, as in browsers: ASCII other than letters is
// left as it is, so "*" and "_dmarc" pass through to the caller's own checks.
//
// Inputs are untrusted (names come from certificates in CT logs): a name over
// kMaxIdnaInputLength bytes, holding a NUL or not valid UTF-8 is refused before libidn2 sees
// it, and libidn2's own limits (63-octet labels, 255-octet names) apply to the result. All
// functions are pure and thread-safe (libidn2 keeps no state).

#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/error.h"

namespace ctkit {

// The longest text DomainToAscii and DomainToUnicode accept: four UTF-8 bytes for each of the
// 253 octets a host name may have (RFC 1035 §2.3.4), rounded up. Longer text can still map to
// a host name only by being padded with code points UTS #46 ignores.
inline constexpr size_t kMaxIdnaInputLength = 1024;

// UTS #46 §4.2 ToASCII, non-transitional (libidn2's idn2_lookup_u8 with IDN2_NONTRANSITIONAL
// and IDN2_NFC_INPUT): labels mapped, checked and, where not ASCII, encoded as A-labels;
// existing "xn--" labels (any case) are decoded and must be valid A-labels. Empty labels are
// kept (".a..b" stays ".a..b"). kTooLarge over kMaxIdnaInputLength; kMalformed for a NUL,
// invalid UTF-8 (RFC 3629) or a name UTS #46 rejects (the message says why).
Result<std::string> DomainToAscii(std::string_view name);

// The Unicode form of a name for display: ASCII letters lowercased, then every "xn--" label
// decoded (libidn2's idn2_to_unicode_8z8z: Punycode decoding, RFC 3492 §6.2, only; whether the
// A-labels are valid is DomainToAscii's and IsValidALabel's question). kTooLarge and
// kMalformed as DomainToAscii, and kMalformed when a label does not decode.
Result<std::string> DomainToUnicode(std::string_view name);

// A-Z to a-z in place, every other byte as it is: all that UTS #46 §4 maps ASCII to with STD3
// rules off (what DomainToAscii does to an all-ASCII name, less libidn2's checks of hyphens).
void AsciiLowercase(std::string& text);

// True when `label` (one label, no dots) starts with "xn--" in any case: the ACE prefix of
// RFC 5890 §2.3.1.
bool HasAcePrefix(std::string_view label);

// True when `label` is an A-label (RFC 5890 §2.3.2.1) in its one canonical form: lowercase
// "xn--" + Punycode of at most 63 octets that decodes to a label UTS #46 accepts (so not to
// ASCII alone, and not to "Ü": a valid U-label has no uppercase) and that DomainToAscii turns
// into exactly `label` again.
bool IsValidALabel(std::string_view label);

}  // namespace ctkit
