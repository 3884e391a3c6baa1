#include "logclient/get_entries_scanner.h"

#include "base/bytes.h"

namespace ctkit {
namespace {

// A cursor over the body. Every method checks bounds; a failed expectation leaves the scan to
// return nullopt (fall back), never to read past the end.
class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}

  // JSON whitespace (RFC 8259 §2): space, tab, line feed, carriage return.
  void SkipSpace() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
      ++pos_;
    }
  }

  bool Consume(char expected) {
    SkipSpace();
    if (pos_ >= text_.size() || text_[pos_] != expected) return false;
    ++pos_;
    return true;
  }

  // Peeks the next non-space character (0 at the end).
  char Peek() {
    SkipSpace();
    return pos_ < text_.size() ? text_[pos_] : 0;
  }

  // The raw text between two quotes. A string with an escape or any character that is not
  // base64 never gets past its caller: keys are compared with plain literals and values go
  // through Base64Decode, and neither '\\' nor control or non-ASCII bytes are base64. So the
  // closing quote is simply the next '"'.
  std::optional<std::string_view> RawString() {
    if (!Consume('"')) return std::nullopt;
    size_t end = text_.find('"', pos_);
    if (end == std::string_view::npos) return std::nullopt;
    std::string_view raw = text_.substr(pos_, end - pos_);
    pos_ = end + 1;
    return raw;
  }

  bool AtEnd() {
    SkipSpace();
    return pos_ == text_.size();
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

constexpr size_t Base64Length(size_t max_bytes) { return (max_bytes + 2) / 3 * 4; }

// One {"leaf_input": ..., "extra_data": ...} object, the two keys in either order, each once.
std::optional<RawLogEntry> ScanEntry(Scanner& scan) {
  if (!scan.Consume('{')) return std::nullopt;
  std::optional<std::string_view> leaf_input, extra_data;
  for (int field = 0; field < 2; ++field) {
    if (field == 1 && !scan.Consume(',')) return std::nullopt;
    std::optional<std::string_view> key = scan.RawString();
    if (!key || !scan.Consume(':')) return std::nullopt;
    std::optional<std::string_view>* slot = *key == "leaf_input"   ? &leaf_input
                                            : *key == "extra_data" ? &extra_data
                                                                   : nullptr;
    if (slot == nullptr || slot->has_value()) return std::nullopt;
    *slot = scan.RawString();
    if (!*slot) return std::nullopt;
  }
  if (!scan.Consume('}')) return std::nullopt;
  if (leaf_input->size() > Base64Length(kMaxLeafInputBytes) ||
      extra_data->size() > Base64Length(kMaxExtraDataBytes)) {
    return std::nullopt;
  }
  Result<Bytes> leaf = Base64Decode(*leaf_input);
  if (!leaf) return std::nullopt;
  Result<Bytes> extra = Base64Decode(*extra_data);
  if (!extra) return std::nullopt;
  return RawLogEntry{std::move(*leaf), std::move(*extra)};
}

}  // namespace

std::optional<std::vector<RawLogEntry>> ScanCanonicalGetEntries(std::string_view body,
                                                                size_t max_entries) {
  Scanner scan(body);
  if (!scan.Consume('{')) return std::nullopt;
  std::optional<std::string_view> key = scan.RawString();
  if (!key || *key != "entries" || !scan.Consume(':') || !scan.Consume('[')) return std::nullopt;
  std::vector<RawLogEntry> entries;
  if (scan.Peek() != ']') {
    do {
      if (entries.size() == max_entries) return std::nullopt;
      std::optional<RawLogEntry> entry = ScanEntry(scan);
      if (!entry) return std::nullopt;
      entries.push_back(std::move(*entry));
    } while (scan.Consume(','));
  }
  if (!scan.Consume(']') || !scan.Consume('}') || !scan.AtEnd()) return std::nullopt;
  return entries;
}

}  // namespace ctkit
