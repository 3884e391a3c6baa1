#include "monitor/watchlist.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <unordered_map>
#include <unordered_set>

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

// Why a normalized name (watch item or certificate name) is not a host name, or "" when it is
// one. With `allow_wildcard`, labels may contain '*' (certificate names).
std::string NameProblem(std::string_view name, bool allow_wildcard) {
  if (name.empty()) return "empty name";
  if (name.size() > kMaxNameLength) return "name longer than 253 characters";
  size_t start = 0;
  while (start <= name.size()) {
    size_t dot = name.find('.', start);
    if (dot == std::string_view::npos) dot = name.size();
    const std::string_view label = name.substr(start, dot - start);
    if (label.empty()) return "empty label";
    if (label.size() > kMaxLabelLength) return "label longer than 63 characters";
    for (char c : label) {
      if (c == '*' && allow_wildcard) continue;
      if (c == '*') {
        return "wildcards are not watch items (write .example.com to watch a domain and every "
               "name below it)";
      }
      if (IsWhitespace(c)) return "whitespace inside an item (one item a line)";
      if (!IsLabelChar(c)) return "character not allowed in a host name";
    }
    if (HasAcePrefix(label) && !IsValidALabel(label)) return "invalid A-label (Punycode)";
    start = dot + 1;
  }
  return "";
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

  void MatchSubstrings(std::string_view lowered, ItemList& out) const {
    for (const auto& [needle, item] : needles) {
      if (lowered.find(needle) != std::string_view::npos) out.push_back(item);
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
    auto ascii = DomainToAscii(body);
    if (!ascii) return fail("not valid UTF-8");
    if (std::string problem = NameProblem(*ascii, /*allow_wildcard=*/false); !problem.empty()) {
      return fail(problem);
    }
    for (std::string_view label : SplitLabels(*ascii)) {
      if (label.front() == '-' || label.back() == '-') {
        return fail("label starts or ends with '-'");
      }
    }
    index->Add(*ascii, domain);
  }
  index->items.assign(index->storage.begin(), index->storage.end());
  std::sort(index->items.begin(), index->items.end());
  return Watchlist(std::move(index));
}

Result<Watchlist> Watchlist::Load(const std::string& path) {
  std::error_code exists_error;
  if (!std::filesystem::exists(path, exists_error) && !exists_error) {
    return MakeError(ErrorCode::kNotFound, "watchlist " + path + " does not exist");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kIo, "cannot open watchlist " + path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return MakeError(ErrorCode::kIo, "cannot read watchlist " + path);
  auto watchlist = Parse(text);
  if (!watchlist) return std::unexpected(WithContext(watchlist.error(), path));
  return watchlist;
}

namespace {

// Matches one certificate name against `index`, appending matched items to `out`. Returns true
// when the name could not be parsed (and so was matched by the substring rule only).
// `scratch` is reused across calls so the common, already-lowercase name allocates nothing.
bool MatchName(const auto& index, std::string_view name, std::string& scratch, ItemList& out) {
  // Strip one trailing dot ("example.com." is the same name), but keep a lone "." as is.
  if (name.size() > 1 && name.back() == '.') name.remove_suffix(1);

  // One pass over the common name, already lowercase host name characters (nothing to
  // convert): it also makes NameProblem's label checks and finds any '*', so such a name is
  // scanned once.
  bool fast = true;
  bool host_name = !name.empty() && name.size() <= kMaxNameLength;
  bool star = false;
  size_t label_start = 0;
  for (size_t i = 0; i <= name.size(); ++i) {
    if (i == name.size() || name[i] == '.') {
      const std::string_view label = name.substr(label_start, i - label_start);
      if (label.empty() || label.size() > kMaxLabelLength ||
          (HasAcePrefix(label) && !IsValidALabel(label))) {
        host_name = false;
      }
      label_start = i + 1;
    } else if (name[i] == '*') {
      star = true;
    } else if (!IsLabelChar(name[i])) {
      fast = false;
      break;
    }
  }
  std::string_view normalized = name;
  if (!fast) {
    scratch.assign(name);
    bool ascii = true;
    for (char& c : scratch) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
      ascii &= static_cast<unsigned char>(c) < 0x80;
    }
    normalized = scratch;
    if (!ascii) {
      // A U-label (from a UTF8String CN) compares by its A-label.
      auto converted = DomainToAscii(scratch);
      if (!converted) {
        index.MatchSubstrings(scratch, out);
        return true;
      }
      scratch = std::move(*converted);
      normalized = scratch;
    }
    host_name = NameProblem(normalized, /*allow_wildcard=*/true).empty();
    star = normalized.find('*') != std::string_view::npos;
  }
  if (!host_name) {
    // Lowercase the raw text for the substring rule (the converted form is no better: the
    // needles include each IDN item's Unicode form).
    std::string lowered(name);
    for (char& c : lowered) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + ('a' - 'A'));
    }
    index.MatchSubstrings(lowered, out);
    return true;
  }

  if (!star) {
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
