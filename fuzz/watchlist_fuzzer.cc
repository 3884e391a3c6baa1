// libFuzzer target: the watchlist file and the names it is matched against (monitor/watchlist.h,
// monitor/idna.h over libidn2). A watchlist is written by a person, but certificate names come
// from logs, so both the parser and the matcher see hostile text. Checked beyond "no crash":
//   - a watchlist that parses has normalized items, and parsing its items again gives the same;
//   - every item matches its own name (fail-safe matching must never miss the exact domain);
//   - what DomainToAscii gives is ASCII, a fixed point of DomainToAscii, and comes back from
//     its Unicode form; a valid A-label is one.
// The first line of the input is the watchlist's; later lines are certificate names, so one
// input exercises both sides.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "monitor/idna.h"
#include "monitor/watchlist.h"

namespace {

using ctkit::fuzz::Check;

void FuzzIdna(std::string_view text) {
  if (auto ascii = ctkit::DomainToAscii(text)) {
    for (char c : *ascii) Check(static_cast<unsigned char>(c) < 0x80);
    // UTS #46 ToASCII of its own output changes nothing, and its Unicode form maps back.
    auto again = ctkit::DomainToAscii(*ascii);
    Check(again.has_value() && *again == *ascii);
    auto unicode = ctkit::DomainToUnicode(*ascii);
    Check(unicode.has_value());
    if (unicode) {
      auto back = ctkit::DomainToAscii(*unicode);
      Check(back.has_value() && *back == *ascii);
    }
  }
  (void)ctkit::DomainToUnicode(text);
  if (ctkit::IsValidALabel(text)) {
    Check(ctkit::HasAcePrefix(text));
    auto unicode = ctkit::DomainToUnicode(text);
    Check(unicode.has_value() && ctkit::DomainToAscii(*unicode).value_or("") == text);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view input = ctkit::fuzz::AsText({data, size});
  const size_t newline = input.find('\n');
  const std::string_view first = input.substr(0, newline);
  FuzzIdna(first);

  std::vector<std::string> names;
  if (newline != std::string_view::npos) {
    std::string_view rest = input.substr(newline + 1);
    while (!rest.empty() && names.size() < 64) {
      const size_t end = rest.find('\n');
      names.emplace_back(rest.substr(0, end));
      rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
    }
  }

  // The whole input as a watchlist file, matched against its own lines.
  if (auto watchlist = ctkit::Watchlist::Parse(input)) {
    std::string items_text;
    for (const std::string& item : watchlist->items()) {
      items_text += item + "\n";
      // ".example.com" watches example.com itself; "a.example.com" watches that name.
      const std::string name = item.front() == '.' ? item.substr(1) : item;
      const std::vector<std::string> one{name};
      auto matched = watchlist->Match(one);
      Check(std::find(matched.begin(), matched.end(), item) != matched.end());
    }
    auto again = ctkit::Watchlist::Parse(items_text);
    Check(again.has_value() && again->items() == watchlist->items());
    (void)watchlist->MatchDetailed(names);
  } else {
    Check(!watchlist.error().message.empty());
  }

  // The first line as the watchlist and the rest as names, the usual shape of a finding.
  if (auto watchlist = ctkit::Watchlist::Parse(first)) {
    auto result = watchlist->MatchDetailed(names);
    for (const std::string& item : result.watch_items) {
      Check(std::find(watchlist->items().begin(), watchlist->items().end(), item) !=
            watchlist->items().end());
    }
  }
  return 0;
}
