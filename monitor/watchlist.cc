#include "monitor/watchlist.h"

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <unordered_map>
#include <unordered_set>

#include "base/input_file.h"
#include "monitor/idna.h"

namespace ctkit {
namespace {

// RFC 1035 §2.3.4 (and RFC 1123 §2.1): labels of at most 63 octets, names of at most 255
// octets on the wire, i.e. 253 characters in text without the trailing dot.
constexpr size_t kMaxLabelLength = 63;
constexpr size_t kMaxNameLength = 253;

// Transparent hashing, so lookups by string_view allocate nothing.
struct Hash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <typename Value>
using StringMap = std::unordered_map<std::string, Value, Hash, std::equal_to<>>;

using ItemList = std::vector<const std::string*>;

// Up to this many distinct last labels are compared one by one; more go through a hash set.
constexpr size_t kLinearLastLabels = 16;

bool IsWhitespace(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsWhitespace(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsWhitespace(text.back())) text.remove_suffix(1);
  return text;
}

// Characters a normalized label may hold ('*' is handled separately, names only).
bool IsLabelChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

// The last label of a name ("com" for "a.example.com", the name itself for one label).
std::string_view LastLabel(std::string_view name) {
  const size_t dot = name.rfind('.');
  return dot == std::string_view::npos ? name : name.substr(dot + 1);
}

// The name after its first label ("example.com" for "a.example.com", "" for "com").
std::string_view Parent(std::string_view name) {
  const size_t dot = name.find('.');
  return dot == std::string_view::npos ? std::string_view() : name.substr(dot + 1);
}

std::vector<std::string_view> SplitLabels(std::string_view name) {
  std::vector<std::string_view> labels;
  size_t start = 0;
  while (true) {
    const size_t dot = name.find('.', start);
    if (dot == std::string_view::npos) {
      labels.push_back(name.substr(start));
      return labels;
    }
    labels.push_back(name.substr(start, dot - start));
    start = dot + 1;
  }
}

// What one walk over a name's labels finds. Watch items (NormalizeItem) and certificate names
// (MatchName) are both judged by it, so the two cannot disagree on what a host name is.
struct NameScan {
  // Why the name is not a host name in normalized form, or "" when it is one: RFC 1035 §2.3.4
  // lengths, labels of [a-z0-9_-] ('*' aside, see `wildcard`), "xn--" labels that are valid
  // A-labels (RFC 5890 §2.3.2.1).
  std::string_view problem;
  // Some byte is an uppercase ASCII letter or not ASCII: the name is to be mapped (MapName) and
  // scanned again; until then `problem` says so and the other fields mean nothing.
  bool needs_mapping = false;
  bool wildcard = false;     // some label holds '*' (RFC 6125 §6.4.3; never in a watch item)
  bool edge_hyphen = false;  // some label starts or ends with '-' (never in a watch item)
};

NameScan ScanName(std::string_view name) {
  NameScan scan;
  auto fail = [&scan](std::string_view why) {
    if (scan.problem.empty()) scan.problem = why;
  };
  if (name.empty()) fail("empty name");
  if (name.size() > kMaxNameLength) fail("name longer than 253 characters");
  size_t label_start = 0;
  for (size_t i = 0; i <= name.size(); ++i) {
    if (i < name.size() && name[i] != '.') {
      const char c = name[i];
      if ((c >= 'A' && c <= 'Z') || static_cast<unsigned char>(c) >= 0x80) {
        scan.needs_mapping = true;
        scan.problem = "uppercase or non-ASCII character";
        return scan;
      }
      if (c == '*') {
        scan.wildcard = true;
      } else if (IsWhitespace(c)) {
        fail("whitespace inside an item (one item a line)");
      } else if (!IsLabelChar(c)) {
        fail("character not allowed in a host name");
      }
      continue;
    }
    const std::string_view label = name.substr(label_start, i - label_start);
    label_start = i + 1;
    if (label.empty()) {
      fail("empty label");
    } else if (label.size() > kMaxLabelLength) {
      fail("label longer than 63 characters");
    } else {
      scan.edge_hyphen |= label.front() == '-' || label.back() == '-';
      // Only while the name still looks good: a hostile name of many "xn--" labels is refused
      // by its length before any of them reaches libidn2.
      if (scan.problem.empty() && HasAcePrefix(label) && !IsValidALabel(label)) {
        fail("invalid A-label (Punycode)");
      }
    }
  }
  return scan;
}

// Writes to `out` the normalized form of a name ScanName said needs mapping: an ASCII name is
// lowercased, which is all UTS #46 maps ASCII to (STD3 rules and CheckHyphens off, as in
// browsers, so "_dmarc", "*" and "r3---sn" labels are left to ScanName); any other name goes
// through DomainToAscii (UTS #46 ToASCII, non-transitional). Errors are DomainToAscii's.
Result<void> MapName(std::string_view name, std::string& out) {
  bool ascii = true;
  for (char c : name) ascii &= static_cast<unsigned char>(c) < 0x80;
  if (!ascii) {
    ASSIGN_OR_RETURN(out, DomainToAscii(name));
    return {};
  }
  out.assign(name);
  AsciiLowercase(out);
  return {};
}

// Best effort for a name MapName refused as a whole (a NUL, invalid UTF-8, a label UTS #46
// rejects): each label mapped on its own, those refused ASCII-lowercased. Only for the
// fail-safe substring rule, so that "ab--cd.BÜCHER.example" (refused for its hyphens, UTS #46
// §4.1 CheckHyphens) still shows "xn--bcher-kva.example". A name over kMaxIdnaInputLength is
// taken as one label (so only lowercased): at most a few hundred labels reach libidn2.
std::string MapLabels(std::string_view name) {
  const std::vector<std::string_view> labels =
      name.size() > kMaxIdnaInputLength ? std::vector{name} : SplitLabels(name);
  std::string out;
  std::string mapped;
  for (size_t i = 0; i < labels.size(); ++i) {
    if (!MapName(labels[i], mapped)) {
      mapped.assign(labels[i]);
      AsciiLowercase(mapped);
    }
    if (i > 0) out += '.';
    out += mapped;
  }
  return out;
}

// A watch item (without its leading '.' and one trailing '.') in the form items() holds, or
// why it is not one.
Result<std::string> NormalizeItem(std::string_view body) {
  std::string item(body);
  NameScan scan = ScanName(item);
  if (scan.needs_mapping) {
    RETURN_IF_ERROR(MapName(body, item));
    scan = ScanName(item);
  }
  if (!scan.problem.empty()) return MakeError(ErrorCode::kMalformed, std::string(scan.problem));
  if (scan.wildcard) {
    return MakeError(ErrorCode::kMalformed,
                     "wildcards are not watch items (write .example.com to watch a domain and "
                     "every name below it)");
  }
  if (scan.edge_hyphen) return MakeError(ErrorCode::kMalformed, "label starts or ends with '-'");
  return item;
}

}  // namespace

struct Watchlist::Index {
  std::vector<std::string> items;           // sorted, what items() returns
  std::unordered_set<std::string> storage;  // the items; nodes never move
  StringMap<const std::string*> exact;      // "a.example.com" -> "a.example.com"
  StringMap<const std::string*> domains;    // "example.com" -> ".example.com"
  StringMap<ItemList> exact_by_parent;      // "example.com" -> {"a.example.com", ...}
  StringMap<ItemList> domain_by_parent;     // "com" -> {".example.com", ...}
  // Fail-safe substring rule: the domain text of each item, and its Unicode form for IDNs.
  std::vector<std::pair<std::string, const std::string*>> needles;
  // The last label of every item ("com" for ".example.com"). A name without '*' can match an
  // item only if both end in the same label, and most names in a log end in a label no item
  // has: checked first, with a few compares instead of a hash of every suffix.
  std::vector<std::string> last_labels;
  std::unordered_set<std::string, Hash, std::equal_to<>> last_label_set;  // when many

  void Add(const std::string& text, bool domain) {
    auto [it, inserted] = storage.insert(domain ? "." + text : text);
    if (!inserted) return;
    const std::string* item = &*it;
    if (domain) {
      domains.emplace(text, item);
      domain_by_parent[std::string(Parent(text))].push_back(item);
    } else {
      exact.emplace(text, item);
      exact_by_parent[std::string(Parent(text))].push_back(item);
    }
    needles.emplace_back(text, item);
    if (std::string last(LastLabel(text)); !last_label_set.contains(last)) {
      last_label_set.insert(last);
      last_labels.push_back(std::move(last));
    }
    if (auto unicode = DomainToUnicode(text); unicode && *unicode != text) {
      needles.emplace_back(*unicode, item);
    }
  }

  // Whether some item ends in the same label as `name`.
  bool MayMatchPlain(std::string_view name) const {
    const std::string_view last = LastLabel(name);
    if (last_labels.size() > kLinearLastLabels) return last_label_set.contains(last);
    return std::find(last_labels.begin(), last_labels.end(), last) != last_labels.end();
  }

  // A name without '*': exact equality, or a watched domain among its suffixes.
  void MatchPlain(std::string_view name, ItemList& out) const {
    if (!MayMatchPlain(name)) return;
    if (auto it = exact.find(name); it != exact.end()) out.push_back(it->second);
    MatchDomainSuffixes(name, out);
  }

  // Every domain item equal to `name` or to one of its parents.
  void MatchDomainSuffixes(std::string_view name, ItemList& out) const {
    if (domains.empty()) return;
    while (!name.empty()) {
      if (auto it = domains.find(name); it != domains.end()) out.push_back(it->second);
      name = Parent(name);
    }
  }

  // "*.rest" (or "*" with rest empty) covers every name of one more label than rest.
  void MatchLeftmostWildcard(std::string_view rest, ItemList& out) const {
    if (auto it = exact_by_parent.find(rest); it != exact_by_parent.end()) {
      out.insert(out.end(), it->second.begin(), it->second.end());
    }
    // A covered name "x.rest" is itself a watched domain ".x.rest"...
    if (auto it = domain_by_parent.find(rest); it != domain_by_parent.end()) {
      out.insert(out.end(), it->second.begin(), it->second.end());
    }
    // ...or lies below a watched domain at or above rest.
    MatchDomainSuffixes(rest, out);
  }

  // '*' beyond the leftmost label (never valid in a certificate, so rare): each label holding
  // '*' is read as "any one label" and every item is checked. Slow, and deliberately wide.
  void MatchGeneralWildcard(std::string_view name, ItemList& out) const {
    const std::vector<std::string_view> pattern = SplitLabels(name);
    auto covers = [&](const std::vector<std::string_view>& labels) {  // right-aligned
      if (labels.size() > pattern.size()) return false;
      const size_t offset = pattern.size() - labels.size();
      for (size_t i = 0; i < labels.size(); ++i) {
        const std::string_view p = pattern[offset + i];
        if (p.find('*') == std::string_view::npos && p != labels[i]) return false;
      }
      return true;
    };
    for (const auto& [text, item] : exact) {
      const auto labels = SplitLabels(text);
      if (labels.size() == pattern.size() && covers(labels)) out.push_back(item);
    }
    for (const auto& [text, item] : domains) {
      if (covers(SplitLabels(text))) out.push_back(item);
    }
  }

  // The fail-safe rule for a name that is not a host name: every item whose text (or Unicode
  // form) appears in the name ASCII-lowercased, or in `mapped`, the name as far as UTS #46
  // could map it (MapName, or MapLabels when refused), so that neither a stray character nor a
  // difference of case or width hides a watched domain.
  void MatchUnparseable(std::string_view name, std::string_view mapped, ItemList& out) const {
    std::string lowered(name);
    AsciiLowercase(lowered);
    for (const auto& [needle, item] : needles) {
      if (lowered.find(needle) != std::string::npos ||
          mapped.find(needle) != std::string_view::npos) {
        out.push_back(item);
      }
    }
  }
};

Watchlist::Watchlist(std::shared_ptr<const Index> index) : index_(std::move(index)) {}

const std::vector<std::string>& Watchlist::items() const {
  static const std::vector<std::string> kNone;
  return index_ ? index_->items : kNone;
}

Result<Watchlist> Watchlist::Parse(std::string_view text) {
  auto index = std::make_shared<Index>();
  size_t line_number = 0;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view raw = text.substr(start, end - start);
    start = end + 1;
    ++line_number;

    std::string_view line = raw;
    if (const size_t hash = line.find('#'); hash != std::string_view::npos) {
      line = line.substr(0, hash);
    }
    line = Trim(line);
    if (line.empty()) continue;

    auto fail = [&](const std::string& why) {
      return MakeError(ErrorCode::kMalformed, "watchlist line " + std::to_string(line_number) +
                                                  ": " + why + ": " + QuoteUntrusted(Trim(raw)));
    };
    const bool domain = line.front() == '.';
    std::string_view body = domain ? line.substr(1) : line;
    if (!body.empty() && body.back() == '.') body.remove_suffix(1);
    if (body.empty()) return fail("empty name");
    Result<std::string> item = NormalizeItem(body);
    if (!item) return fail(item.error().message);
    index->Add(*item, domain);
  }
  index->items.assign(index->storage.begin(), index->storage.end());
  std::sort(index->items.begin(), index->items.end());
  return Watchlist(std::move(index));
}

Result<Watchlist> Watchlist::Load(const std::string& path) {
  const bool from_stdin = path == "-";
  std::error_code exists_error;
  if (!from_stdin && !std::filesystem::exists(path, exists_error) && !exists_error) {
    return MakeError(ErrorCode::kNotFound, "watchlist " + path + " does not exist");
  }
  // Capped, so that the wrong file (/dev/zero) is refused rather than read into memory.
  Result<Bytes> data = ReadInputFile(path);
  if (!data) {
    return std::unexpected(WithContext(data.error(), "cannot read watchlist"));
  }
  const std::string text(data->begin(), data->end());
  ASSIGN_OR_RETURN(auto watchlist, Parse(text), from_stdin ? "standard input" : path);
  return watchlist;
}

namespace {

// Matches one certificate name against `index`, appending matched items to `out`. Returns true
// when the name could not be parsed (and so was matched by the substring rule only).
// `scratch` is reused across calls so the common, already-lowercase name allocates nothing.
bool MatchName(const auto& index, std::string_view name, std::string& scratch, ItemList& out) {
  // Strip one trailing dot ("example.com." is the same name), but keep a lone "." as is.
  if (name.size() > 1 && name.back() == '.') name.remove_suffix(1);

  // The common name, already lowercase host name characters, is walked once and not copied.
  NameScan scan = ScanName(name);
  std::string_view normalized = name;
  if (scan.needs_mapping) {
    // An uppercase letter, or a U-label (from a UTF8String CN) that compares by its A-label.
    if (!MapName(name, scratch)) {
      index.MatchUnparseable(name, MapLabels(name), out);
      return true;
    }
    normalized = scratch;
    scan = ScanName(normalized);
    if (!scan.problem.empty()) {
      index.MatchUnparseable(name, normalized, out);
      return true;
    }
  } else if (!scan.problem.empty()) {
    index.MatchUnparseable(name, "", out);
    return true;
  }

  if (!scan.wildcard) {
    index.MatchPlain(normalized, out);
    return false;
  }
  const size_t first_dot = normalized.find('.');
  if (first_dot == std::string_view::npos) {
    index.MatchLeftmostWildcard("", out);  // "*", "w*": any one-label name
  } else if (normalized.find('*', first_dot) == std::string_view::npos) {
    index.MatchLeftmostWildcard(normalized.substr(first_dot + 1), out);
  } else {
    index.MatchGeneralWildcard(normalized, out);
  }
  return false;
}

}  // namespace

Watchlist::MatchResult Watchlist::MatchDetailed(std::span<const std::string> names) const {
  MatchResult result;
  if (!index_ || index_->items.empty()) return result;
  ItemList matched;
  std::string scratch;
  for (const std::string& name : names) {
    const size_t before = matched.size();
    bool unparseable = MatchName(*index_, name, scratch, matched);
    const bool unparseable_matched = unparseable && matched.size() > before;
    // What a C library would see: the name up to its first NUL.
    if (const size_t nul = name.find('\0'); nul != std::string::npos) {
      MatchName(*index_, std::string_view(name).substr(0, nul), scratch, matched);
    }
    if (unparseable_matched) result.unparseable_names.push_back(name);
  }
  std::sort(matched.begin(), matched.end(),
            [](const std::string* a, const std::string* b) { return *a < *b; });
  matched.erase(std::unique(matched.begin(), matched.end()), matched.end());
  result.watch_items.reserve(matched.size());
  for (const std::string* item : matched) result.watch_items.push_back(*item);
  std::sort(result.unparseable_names.begin(), result.unparseable_names.end());
  result.unparseable_names.erase(
      std::unique(result.unparseable_names.begin(), result.unparseable_names.end()),
      result.unparseable_names.end());
  return result;
}

std::vector<std::string> Watchlist::Match(std::span<const std::string> names) const {
  return MatchDetailed(names).watch_items;
}

std::vector<std::string> CertificateNames(const CertificateView& certificate) {
  // The Decode* forms rather than dns_names() / subject_common_names(): the monitor asks once
  // per certificate, for nearly every entry of a log, and the cached forms would be filled under
  // std::call_once (a futex wake per call in glibc) only to be copied from.
  std::vector<std::string> names;
  auto add = [&](std::string&& name) {
    if (std::find(names.begin(), names.end(), name) == names.end()) {
      names.push_back(std::move(name));
    }
  };
  SubjectAltNames san = certificate.DecodeSubjectAltNames();
  names.reserve(san.dns_names.size() + 1);
  for (std::string& name : san.dns_names) add(std::move(name));
  // Every CN, odd ones included ("login.example.com (prod)", a trailing space): Match reads
  // what is not a host name fail-safe, so a CN can never hide a watched name.
  for (std::string& cn : certificate.DecodeSubjectCommonNames()) {
    if (!cn.empty()) add(std::move(cn));
  }
  return names;
}

}  // namespace ctkit
