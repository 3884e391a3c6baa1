// Watchlist: the domains a monitor watches, and the matcher that decides which certificate
// names concern them.
//
//   auto watchlist = Watchlist::Load("/etc/ctkit/watchlist");
//   if (!watchlist) { report(watchlist.error().message); ... }       // names the bad line
//   std::vector<std::string> names = CertificateNames(cert);         // SANs, then CNs
//   std::vector<std::string> items = watchlist->Match(names);        // e.g. {".example.com"}
//   if (!items.empty()) alert(...);
//
// File format (certspotter's, made stricter):
//   # comment                 '#' starts a comment, anywhere on a line
//   example.com               exactly this name
//   .example.com              this domain and every name below it
//   bücher.example            Unicode labels are stored as A-labels (xn--bcher-kva.example)
// One item a line; surrounding whitespace is trimmed, blank lines are ignored. Items are
// normalized: one trailing dot removed; an ASCII item lowercased, any other through UTS #46
// ToASCII, non-transitional, as browsers do (monitor/idna.h: case folded, NFC, U-labels as
// A-labels, so "BÜCHER.example" is xn--bcher-kva.example and "faß.de" is xn--fa-hia.de).
// Each label must then be 1..63 octets of [a-z0-9_-] not starting or ending with '-', an
// "xn--" label must be a canonical A-label, and the name at most 253 octets. Anything else
// (wildcards, spaces, '..', a lone '.', invalid UTF-8, bad Punycode, a name UTS #46 rejects)
// is a parse error naming the line: a watchlist that silently watched less than its author
// wrote would be worse than one that does not load.
//
// Matching (what the monitor asks ~100k times a second):
//   - Certificate names are normalized as items are, one trailing dot ignored. Names that are
//     already lowercase host name characters (nearly all: a dNSName is ASCII) are checked in
//     the same one walk over their labels that checks items, without a copy; an ASCII name
//     is only lowercased, so labels such as "r3---sn-abc" or "_dmarc" stay host names (UTS #46
//     CheckHyphens and STD3 rules are off in browsers too); a name with non-ASCII text (a
//     UTF8String CN) goes through UTS #46 ToASCII.
//   - Exact item "a.example.com" matches that name; domain item ".example.com" matches
//     "example.com" and any name ending in ".example.com".
//   - A wildcard name ("*.example.com", or any leftmost label containing '*', such as
//     "w*.example.com", read as the wider "*.example.com") matches every item it could cover:
//     an exact item one label below ("foo.example.com"), a domain item at or above the
//     wildcard's base (".example.com", ".com" for "*.example.com"), and a domain item one label
//     below the base ("*.com" covers "example.com", so it matches ".example.com"). A bare "*"
//     covers every one-label name. '*' in other labels ("foo.*.example.com", never valid in a
//     certificate) makes each such label stand for any one label, with the same "could cover"
//     rule (checked item by item: slow, but such names are rare).
//   - A name containing NUL is matched twice: as written and truncated at the first NUL (what
//     a C library would see).
//   - Fail-safe, "when unsure whether a name matches, alert": a name that cannot be parsed as a
//     host name (invalid UTF-8; a NUL beside non-ASCII text; a non-ASCII name UTS #46 rejects
//     as libidn2 applies it: bidi, joiners, and hyphens, which libidn2 checks where browsers
//     do not, so "-shop.bücher.example" is one; empty labels, only dots, control characters,
//     spaces and other characters outside [a-z0-9_*-]; an "xn--" label that is not a
//     canonical A-label; a label over 63 octets, a name over 253 octets) matches every item
//     whose domain text ("example.com" for ".example.com", "a.example.com" for that exact
//     item, and the Unicode form of IDN items) appears anywhere in the ASCII-lowercased name,
//     or in the name as far as UTS #46 maps it (label by label when it rejects the whole name,
//     so "ab--cd.BÜCHER.example" still mentions xn--bcher-kva.example; a name over 1024 bytes
//     is only lowercased). Such names are listed in MatchResult::unparseable_names so the
//     alert can say why it fired. Garbage that mentions no watched domain matches nothing, so
//     junk in public logs does not flood the owner with alerts.
//
// Thread safety: a Watchlist is immutable after Parse/Load; Match may be called concurrently.

#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "x509/certificate.h"

namespace ctkit {

class Watchlist {
 public:
  struct MatchResult {
    // The items that matched, normalized as in items() (".example.com"), sorted, unique.
    std::vector<std::string> watch_items;
    // The certificate names, as given, that could not be parsed and matched only through the
    // fail-safe substring rule (sorted, unique). Empty in the common case.
    std::vector<std::string> unparseable_names;
  };

  // An empty watchlist; matches nothing.
  Watchlist() = default;

  // Parses watchlist text. kMalformed with "watchlist line N: ..." on the first bad line.
  static Result<Watchlist> Parse(std::string_view text);
  // Reads and parses a file, or standard input for "-" (base/input_file.h; read once, so the
  // watchlist is not reloaded): kNotFound when the file does not exist, kIo when it cannot be
  // read or is over kMaxInputFileSize, kMalformed as Parse (message prefixed with the path, or
  // "standard input").
  static Result<Watchlist> Load(const std::string& path);

  // The watch items that match any of `names` (sorted, unique). Includes fail-safe matches.
  std::vector<std::string> Match(std::span<const std::string> names) const;
  // Match, also saying which names matched only because they could not be parsed.
  MatchResult MatchDetailed(std::span<const std::string> names) const;

  // The normalized items, sorted, unique (".example.com" for domains, "a.example.com" exact).
  const std::vector<std::string>& items() const;
  size_t size() const { return items().size(); }
  bool empty() const { return items().empty(); }

 private:
  struct Index;  // hash sets of names and domains, built once by Parse (watchlist.cc)
  explicit Watchlist(std::shared_ptr<const Index> index);

  // Shared and immutable, so copies are cheap and concurrent Match calls need no lock.
  std::shared_ptr<const Index> index_;  // null for the empty watchlist
};

// The names a certificate is for, as written in it, in order and without duplicates: every
// subjectAltName dNSName, then every non-empty subject commonName (odd ones such as "Example
// Corp" or "www.example.com (prod)" included: Match treats what it cannot parse fail-safe, so
// a CN never hides a watched name). IP addresses are not names here.
std::vector<std::string> CertificateNames(const CertificateView& certificate);

}  // namespace ctkit
