// Which email addresses the monitor hands to sendmail(8): the one rule for an address from
// `email_recipients` (monitor/config_dir.h) or the command line.
//
//   RETURN_IF_ERROR(CheckEmailAddress(line));   // "a@example.com" passes, "-oQ/tmp" does not
//
// An address becomes an argument of `sendmail -i -- ADDRESS...` and a `To:` header, so text that
// a file or a flag chose must not be able to become a sendmail option, a second header or a
// second address. The rule is RFC 5322 §3.4.1's addr-spec in its plain form, local-part "@"
// domain with both parts dot-atoms (§3.2.3: atext runs joined by single dots), atext widened to
// UTF-8 as RFC 6532 §3.2 does for internationalized addresses. Left out on purpose: quoted
// local parts ("a b"@example.com) and domain literals (a@[192.0.2.1]): legal, almost never used,
// and exactly the forms whose specials (space, ',', '<', '"', '\') change what a header or
// sendmail's list parsing means. At most 254 octets (RFC 5321 §4.5.3.1.3: a path of 256 with
// its angle brackets).

#pragma once

#include <string_view>

#include "base/error.h"

namespace ctkit {

inline constexpr size_t kMaxEmailAddressLength = 254;

// Ok for a plain address; else kInvalidArgument saying which rule it breaks, first matching of:
// starts with '-' (sendmail would read an option), holds white space or a control character
// (a header or a line of its own), invalid UTF-8, no '@', then any other break of the rule
// above. The message does not repeat the address: the caller quotes it (QuoteUntrusted).
Result<void> CheckEmailAddress(std::string_view address);

}  // namespace ctkit
