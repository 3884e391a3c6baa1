// Watchlist parsing and matching (monitor/watchlist.h), hostile certificate names included.
// The IDNA it relies on (monitor/idna.h, libidn2) has its own tests in idna_test.cc.

#include "monitor/watchlist.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "cert_factory.h"
#include "test_support.h"
#include "x509/certificate.h"

namespace ctkit {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// ---------------------------------------------------------------------------------------------
// Watchlist parsing.

Watchlist MustParse(std::string_view text) {
  auto watchlist = Watchlist::Parse(text);
  EXPECT_TRUE(watchlist) << watchlist.error().message;
  return watchlist ? *watchlist : Watchlist();
}

std::string ParseError(std::string_view text) {
  auto watchlist = Watchlist::Parse(text);
  EXPECT_FALSE(watchlist) << "parsed: " << text;
  if (watchlist) return "";
  EXPECT_EQ(watchlist.error().code, ErrorCode::kMalformed);
  return watchlist.error().message;
}

TEST(WatchlistParseTest, ItemsCommentsBlankLinesAndWhitespace) {
  Watchlist watchlist = MustParse(
      "# my domains\n"
      "\n"
      "example.com\n"
      "  .Example.ORG.   # and everything below it\n"
      "\t www.example.net\r\n"
      "   \n"
      "example.com\n"  // duplicates collapse
      ".example.org\n"
      "api.example.com");  // no final newline
  EXPECT_THAT(watchlist.items(),
              ElementsAre(".example.org", "api.example.com", "example.com", "www.example.net"));
  EXPECT_EQ(watchlist.size(), 4u);
  EXPECT_FALSE(watchlist.empty());
}

TEST(WatchlistParseTest, EmptyTextIsAnEmptyWatchlist) {
  EXPECT_TRUE(MustParse("").empty());
  EXPECT_TRUE(MustParse("# nothing\n\n   \n").empty());
  EXPECT_TRUE(Watchlist().empty());
  const std::vector<std::string> names = {"example.com"};
  EXPECT_THAT(Watchlist().Match(names), IsEmpty());
}

TEST(WatchlistParseTest, UnicodeItemsBecomeALabels) {
  Watchlist watchlist = MustParse(
      "b\u00fccher.example\n"
      ".M\u00fcnchen.de\n"
      "xn--r8jz45g.jp\n");
  EXPECT_THAT(watchlist.items(),
              ElementsAre(".xn--mnchen-3ya.de", "xn--bcher-kva.example", "xn--r8jz45g.jp"));
}

// Items are normalized by UTS #46 (monitor/idna.h): non-ASCII letters are case folded, and
// the non-transitional ß stays ß.
TEST(WatchlistParseTest, UnicodeItemsAreCaseFoldedNonTransitionally) {
  Watchlist watchlist = MustParse(
      "B\u00dcCHER.example\n"  // BÜCHER
      ".Fa\u00DF.DE\n");
  EXPECT_THAT(watchlist.items(), ElementsAre(".xn--fa-hia.de", "xn--bcher-kva.example"));
  EXPECT_EQ(MustParse("b\u00fccher.example").items(), MustParse("B\u00dcCHER.example").items());
}

TEST(WatchlistParseTest, RejectsItemsUts46Refuses) {
  EXPECT_THAT(ParseError("ok.example\na\u200Db.example\n"),
              HasSubstr("watchlist line 2: not a valid IDNA name (UTS #46)"));
  EXPECT_THAT(ParseError("-\u00fc.example"), HasSubstr("UTS #46"));
  EXPECT_THAT(ParseError("xn--wca.example"), HasSubstr("A-label"));  // decodes to "Ü"
  EXPECT_THAT(ParseError("\u00fc\u00fc." + std::string(1100, 'a')), HasSubstr("1024 bytes"));
}

TEST(WatchlistParseTest, LengthLimits) {
  const std::string label63(63, 'a');
  MustParse(label63 + ".com");
  EXPECT_THAT(ParseError(std::string(64, 'a') + ".com"), HasSubstr("63"));
  // 253 characters: 63 + 1 + 63 + 1 + 63 + 1 + 61.
  const std::string name253 = label63 + "." + label63 + "." + label63 + "." + std::string(61, 'b');
  ASSERT_EQ(name253.size(), 253u);
  MustParse(name253);
  MustParse(name253 + ".");  // the trailing dot does not count
  EXPECT_THAT(ParseError(name253 + "b"), HasSubstr("253"));
}

TEST(WatchlistParseTest, RejectsInvalidLinesNamingTheLine) {
  EXPECT_THAT(ParseError("example.com\n\n*.example.com\n"),
              HasSubstr("watchlist line 3: wildcards are not watch items"));
  EXPECT_THAT(ParseError("exa mple.com"), HasSubstr("line 1: whitespace"));
  EXPECT_THAT(ParseError("example.com other.com"), HasSubstr("one item a line"));
  EXPECT_THAT(ParseError("example..com"), HasSubstr("empty label"));
  EXPECT_THAT(ParseError("..example.com"), HasSubstr("empty label"));
  EXPECT_THAT(ParseError("example.com.."), HasSubstr("empty label"));
  EXPECT_THAT(ParseError("."), HasSubstr("empty name"));
  EXPECT_THAT(ParseError(".."), HasSubstr("empty"));
  EXPECT_THAT(ParseError("-example.com"), HasSubstr("'-'"));
  EXPECT_THAT(ParseError("example-.com"), HasSubstr("'-'"));
  EXPECT_THAT(ParseError("exa/mple.com"), HasSubstr("character not allowed"));
  EXPECT_THAT(ParseError("https://example.com"), HasSubstr("character not allowed"));
  EXPECT_THAT(ParseError("exa\x01mple.com"), HasSubstr("character not allowed"));
  EXPECT_THAT(ParseError("\xff.example.com"), HasSubstr("UTF-8"));
  EXPECT_THAT(ParseError("xn--9.example.com"), HasSubstr("A-label"));
  EXPECT_THAT(ParseError("xn--abc-.example.com"), HasSubstr("A-label"));
  // Lowercased before the check, so an uppercase A-label is fine.
  EXPECT_THAT(MustParse("XN--BCHER-KVA.example").items(), ElementsAre("xn--bcher-kva.example"));
}

TEST(WatchlistParseTest, ErrorMessagesQuoteHostileLinesSafely) {
  std::string message = ParseError("ok.com\nevil\x1b[31m\nmore");
  EXPECT_THAT(message, HasSubstr("watchlist line 2"));
  EXPECT_EQ(message.find('\x1b'), std::string::npos);
  EXPECT_EQ(message.find('\n'), std::string::npos);
}

TEST(WatchlistParseTest, LoadReadsAFileAndReportsMissingOnes) {
  testing::TempFile file(std::string("example.com\n.example.org\n"));
  auto watchlist = Watchlist::Load(file.path());
  ASSERT_TRUE(watchlist) << watchlist.error().message;
  EXPECT_EQ(watchlist->size(), 2u);

  auto missing = Watchlist::Load("/nonexistent/ctkit/watchlist");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);

  testing::TempFile bad(std::string("fine.com\nnot fine\n"));
  auto invalid = Watchlist::Load(bad.path());
  ASSERT_FALSE(invalid);
  EXPECT_THAT(invalid.error().message, HasSubstr(bad.path() + ": watchlist line 2"));
}

// ---------------------------------------------------------------------------------------------
// Matching.

std::vector<std::string> MatchOne(const Watchlist& watchlist, std::string name) {
  return watchlist.Match(std::vector<std::string>{std::move(name)});
}

TEST(WatchlistMatchTest, ExactItemMatchesOnlyThatName) {
  Watchlist watchlist = MustParse("www.example.com\n");
  EXPECT_THAT(MatchOne(watchlist, "www.example.com"), ElementsAre("www.example.com"));
  EXPECT_THAT(MatchOne(watchlist, "example.com"), IsEmpty());
  EXPECT_THAT(MatchOne(watchlist, "a.www.example.com"), IsEmpty());
  EXPECT_THAT(MatchOne(watchlist, "wwwexample.com"), IsEmpty());
  EXPECT_THAT(MatchOne(watchlist, "www.example.co"), IsEmpty());
}

TEST(WatchlistMatchTest, DomainItemMatchesItselfAndEveryNameBelow) {
  Watchlist watchlist = MustParse(".example.com\n");
  EXPECT_THAT(MatchOne(watchlist, "example.com"), ElementsAre(".example.com"));
  EXPECT_THAT(MatchOne(watchlist, "www.example.com"), ElementsAre(".example.com"));
  EXPECT_THAT(MatchOne(watchlist, "a.b.c.example.com"), ElementsAre(".example.com"));
  EXPECT_THAT(MatchOne(watchlist, "notexample.com"), IsEmpty());
  EXPECT_THAT(MatchOne(watchlist, "example.com.evil.net"), IsEmpty());
  EXPECT_THAT(MatchOne(watchlist, "com"), IsEmpty());
  EXPECT_THAT(MatchOne(watchlist, "example.org"), IsEmpty());
}

// Plain names (no '*') against the rule itself: an exact item matches that name only, a domain
// item the domain and every name below it. Once with few last labels among the items (compared
// one by one before any hash lookup) and once with many (looked up in a set).
TEST(WatchlistMatchTest, LastLabelPrecheckAgreesWithTheRule) {
  const std::vector<std::string> labels = {"com", "net", "example", "a", "co", "m", "comm", "x-1"};
  std::vector<std::string> names;
  for (const std::string& l1 : labels) {
    names.push_back(l1);
    for (const std::string& l2 : labels) {
      names.push_back(l1 + "." + l2);
      for (const std::string& l3 : labels) names.push_back(l1 + "." + l2 + "." + l3);
    }
  }
  for (int extra_last_labels : {0, 40}) {
    std::vector<std::pair<std::string, bool>> items = {
        // text, domain
        {"example.com", true}, {"a.example.net", false}, {"co", true},
        {"m.a", false},        {"comm", false},          {"x-1.example", true}};
    for (int k = 0; k < extra_last_labels; ++k) {
      items.push_back({"example.t" + std::to_string(k), k % 2 == 0});
      names.push_back("a.example.t" + std::to_string(k));
      names.push_back("example.t" + std::to_string(k));
    }
    std::string text;
    for (const auto& [item, domain] : items) text += (domain ? "." : "") + item + "\n";
    Watchlist watchlist = MustParse(text);
    for (const std::string& name : names) {
      std::vector<std::string> expected;
      for (const auto& [item, domain] : items) {
        bool match = name == item || (domain && name.ends_with("." + item));
        if (match) expected.push_back((domain ? "." : "") + item);
      }
      std::sort(expected.begin(), expected.end());
      EXPECT_EQ(MatchOne(watchlist, name), expected) << name << " with " << items.size();
      EXPECT_EQ(MatchOne(watchlist, name + "."), expected) << name << ".";
    }
  }
}

TEST(WatchlistMatchTest, CaseInsensitiveAndTrailingDotIgnored) {
  Watchlist watchlist = MustParse("www.example.com\n.example.org\n");
  EXPECT_THAT(MatchOne(watchlist, "WWW.Example.COM"), ElementsAre("www.example.com"));
  EXPECT_THAT(MatchOne(watchlist, "www.example.com."), ElementsAre("www.example.com"));
  EXPECT_THAT(MatchOne(watchlist, "Mail.EXAMPLE.org."), ElementsAre(".example.org"));
}

TEST(WatchlistMatchTest, ReturnsEveryMatchingItemSortedAndUnique) {
  Watchlist watchlist = MustParse(".example.com\nwww.example.com\n.com\nother.net\n");
  const std::vector<std::string> names = {"www.example.com", "WWW.EXAMPLE.COM", "x.example.com",
                                          "unrelated.org"};
  EXPECT_THAT(watchlist.Match(names), ElementsAre(".com", ".example.com", "www.example.com"));
  EXPECT_THAT(watchlist.Match(std::vector<std::string>{}), IsEmpty());
}

TEST(WatchlistMatchTest, UnicodeNamesMatchALabelItemsAndBack) {
  Watchlist unicode_item = MustParse(".b\u00fccher.example\n");
  EXPECT_THAT(MatchOne(unicode_item, "shop.xn--bcher-kva.example"),
              ElementsAre(".xn--bcher-kva.example"));
  EXPECT_THAT(MatchOne(unicode_item, "shop.XN--BCHER-KVA.example"),
              ElementsAre(".xn--bcher-kva.example"));
  EXPECT_THAT(MatchOne(unicode_item, "Shop.B\u00fccher.Example"),
              ElementsAre(".xn--bcher-kva.example"));

  Watchlist alabel_item = MustParse("xn--mnchen-3ya.de\n");
  EXPECT_THAT(MatchOne(alabel_item, "m\u00fcnchen.de"), ElementsAre("xn--mnchen-3ya.de"));
  EXPECT_THAT(MatchOne(alabel_item, "munchen.de"), IsEmpty());
}

// UTS #46 case folding (monitor/idna.h): a CN in capitals matches the item however it was
// written. Before libidn2 only ASCII was lowercased and these did not match.
TEST(WatchlistMatchTest, NonAsciiNamesAreCaseFolded) {
  for (const char* item : {"b\u00fccher.example", "B\u00dcCHER.example", "xn--bcher-kva.example"}) {
    Watchlist watchlist = MustParse(item);
    for (const char* name : {"BÜCHER.example", "B\u00dccher.EXAMPLE", "bücher.example",
                             "XN--BCHER-KVA.EXAMPLE", "xn--bcher-kva.example."}) {
      auto result = watchlist.MatchDetailed(std::vector<std::string>{name});
      EXPECT_THAT(result.watch_items, ElementsAre("xn--bcher-kva.example")) << item << " " << name;
      EXPECT_THAT(result.unparseable_names, IsEmpty()) << item << " " << name;
    }
  }
}

// Non-transitional: ß and ς are letters of their own (as browsers resolve them), so "faß.de"
// and "fass.de" are different names, as are "ς.gr" and "σ.gr".
TEST(WatchlistMatchTest, NonTransitionalDeviationCharacters) {
  Watchlist watchlist = MustParse(".fa\u00DF.de\n\u03C2.gr\n");
  EXPECT_THAT(MatchOne(watchlist, "www.FA\u00DF.de"), ElementsAre(".xn--fa-hia.de"));
  EXPECT_THAT(MatchOne(watchlist, "www.xn--fa-hia.de"), ElementsAre(".xn--fa-hia.de"));
  EXPECT_THAT(MatchOne(watchlist, "www.fass.de"), IsEmpty());
  EXPECT_THAT(MatchOne(watchlist, "\u03A3.gr"), IsEmpty());  // Σ folds to σ, not ς
  EXPECT_THAT(MatchOne(watchlist, "xn--3xa.gr"), ElementsAre("xn--3xa.gr"));
}

// What UTS #46 maps to a watched name is that name: fullwidth forms, ideographic full stops,
// ignored code points. The old code gave them A-labels of their own and matched nothing.
TEST(WatchlistMatchTest, WidthAndIgnoredCodePointsAreMapped) {
  Watchlist watchlist = MustParse(".example.com\n");
  for (const char* name : {"\uFF57\uFF57\uFF57\uFF0E\uFF45\uFF58\uFF41\uFF4D\uFF50\uFF4C\uFF45"
                           "\u3002com",
                           "login.exa\u00ADmple.com", "LOGIN.EXAMPLE\uFF0ECOM"}) {
    auto result = watchlist.MatchDetailed(std::vector<std::string>{name});
    EXPECT_THAT(result.watch_items, ElementsAre(".example.com")) << name;
    EXPECT_THAT(result.unparseable_names, IsEmpty()) << name;
  }
}

TEST(WatchlistMatchTest, WildcardMatchesExactItemsItCovers) {
  Watchlist watchlist = MustParse("foo.example.com\nexample.com\na.b.example.com\n");
  EXPECT_THAT(MatchOne(watchlist, "*.example.com"), ElementsAre("foo.example.com"));
  EXPECT_THAT(MatchOne(watchlist, "*.b.example.com"), ElementsAre("a.b.example.com"));
  EXPECT_THAT(MatchOne(watchlist, "*.com"), ElementsAre("example.com"));
  EXPECT_THAT(MatchOne(watchlist, "*.other.com"), IsEmpty());
  // A partial wildcard label is read as the wider "*".
  EXPECT_THAT(MatchOne(watchlist, "f*.example.com"), ElementsAre("foo.example.com"));
  EXPECT_THAT(MatchOne(watchlist, "*X*.EXAMPLE.COM."), ElementsAre("foo.example.com"));
}

TEST(WatchlistMatchTest, WildcardMatchesDomainItemsItCoversAnyNameOf) {
  Watchlist watchlist = MustParse(".example.com\n");
  EXPECT_THAT(MatchOne(watchlist, "*.example.com"), ElementsAre(".example.com"));
  EXPECT_THAT(MatchOne(watchlist, "*.sub.example.com"), ElementsAre(".example.com"));
  EXPECT_THAT(MatchOne(watchlist, "*.com"), ElementsAre(".example.com"));  // covers example.com
  EXPECT_THAT(MatchOne(watchlist, "*.org"), IsEmpty());
  EXPECT_THAT(MatchOne(watchlist, "*.notexample.com"), IsEmpty());

  Watchlist deep = MustParse(".a.b.example.com\n");
  EXPECT_THAT(MatchOne(deep, "*.b.example.com"), ElementsAre(".a.b.example.com"));
  EXPECT_THAT(MatchOne(deep, "*.example.com"), IsEmpty());  // covers b.example.com only
}

TEST(WatchlistMatchTest, BareWildcardCoversOneLabelNames) {
  Watchlist watchlist = MustParse("localhost\n.com\n.example.com\nwww.example.com\n");
  EXPECT_THAT(MatchOne(watchlist, "*"), ElementsAre(".com", "localhost"));
  EXPECT_THAT(MatchOne(watchlist, "*."), ElementsAre(".com", "localhost"));
}

TEST(WatchlistMatchTest, WildcardsBeyondTheLeftmostLabelMatchWidely) {
  Watchlist watchlist = MustParse("foo.bar.example.com\n.example.org\nx.y.net\n");
  EXPECT_THAT(MatchOne(watchlist, "foo.*.example.com"), ElementsAre("foo.bar.example.com"));
  EXPECT_THAT(MatchOne(watchlist, "*.*.example.com"), ElementsAre("foo.bar.example.com"));
  EXPECT_THAT(MatchOne(watchlist, "*.*.org"), ElementsAre(".example.org"));
  EXPECT_THAT(MatchOne(watchlist, "a.*.example.org"), ElementsAre(".example.org"));
  EXPECT_THAT(MatchOne(watchlist, "*.*"), ElementsAre(".example.org"));
  EXPECT_THAT(MatchOne(watchlist, "*.*.*"), ElementsAre(".example.org", "x.y.net"));
  EXPECT_THAT(MatchOne(watchlist, "foo.*.example.net"), IsEmpty());
}

TEST(WatchlistMatchTest, NameWithNulMatchesAsWrittenAndTruncated) {
  Watchlist watchlist = MustParse("paypal.com\n.evil.net\n");
  const std::string name("paypal.com\0.evil.net", 20);
  auto result = watchlist.MatchDetailed(std::vector<std::string>{name});
  EXPECT_THAT(result.watch_items, ElementsAre(".evil.net", "paypal.com"));
  EXPECT_THAT(result.unparseable_names, ElementsAre(name));

  Watchlist truncated_only = MustParse("www.example.com\n");
  EXPECT_THAT(MatchOne(truncated_only, std::string("www.example.com\0zz", 18)),
              ElementsAre("www.example.com"));
  EXPECT_THAT(MatchOne(truncated_only, std::string("\0www.example.com", 16)),
              ElementsAre("www.example.com"));  // as written, by the substring rule
  EXPECT_THAT(MatchOne(truncated_only, std::string("other.org\0", 10)), IsEmpty());
}

// Each name matches exactly `items`, and only by the fail-safe rule: it is listed unparseable.
struct FailSafeCase {
  std::string name;
  std::vector<std::string> items;
};
void ExpectFailSafeMatches(const Watchlist& watchlist, const std::vector<FailSafeCase>& cases) {
  for (const FailSafeCase& c : cases) {
    auto result = watchlist.MatchDetailed(std::vector<std::string>{c.name});
    EXPECT_EQ(result.watch_items, c.items) << QuoteUntrusted(c.name);
    EXPECT_THAT(result.unparseable_names, ElementsAre(c.name)) << QuoteUntrusted(c.name);
  }
}

TEST(WatchlistMatchTest, UnparseableNamesMatchItemsTheyMention) {
  ExpectFailSafeMatches(
      MustParse(".example.com\nexact.example.org\nb\u00fccher.example\n"),
      {
          {"\xff.example.com", {".example.com"}},                     // invalid UTF-8
          {"www..example.com", {".example.com"}},                     // empty label
          {".example.com", {".example.com"}},                         // leading dot
          {"www.example.com ", {".example.com"}},                     // space
          {"www.example.com\x01", {".example.com"}},                  // control character
          {"ex\xc3\xa4mple.example.com\x7f", {".example.com"}},       // DEL
          {"user@Example.COM", {".example.com"}},                     // e-mail-like CN
          {"xn--9.example.com", {".example.com"}},                    // bad Punycode
          {std::string(64, 'a') + ".example.com", {".example.com"}},  // label too long
          {"EXACT.example.org!", {"exact.example.org"}},
          {"b\u00fccher.example\t", {"xn--bcher-kva.example"}},  // Unicode form of an IDN item
          {"xn--bcher-kva.example/", {"xn--bcher-kva.example"}},
      });
}

// A name UTS #46 rejects is unparseable, never dropped: the fail-safe rule looks for watched
// text in it as written and as far as it maps, label by label.
TEST(WatchlistMatchTest, NamesUts46RejectsMatchFailSafe) {
  Watchlist watchlist = MustParse(".example.com\n.b\u00fccher.example\n");
  ExpectFailSafeMatches(
      watchlist,
      {
          {"a\u200Db.example.com", {".example.com"}},  // CONTEXTJ
          {"\u00fc\u0378.example.com", {".example.com"}},
          {"-shop.b\u00fccher.example", {".xn--bcher-kva.example"}},  // as written (Unicode)
          // Refused for the hyphens in one label; the other labels still map, case folded.
          {"ab--cd.B\u00dcCHER.example", {".xn--bcher-kva.example"}},
          {"-shop.B\u00dcCHER.EXAMPLE", {".xn--bcher-kva.example"}},
          {"1\u05D0.\uFF25XAMPLE.com", {".example.com"}},             // bidi; fullwidth E
          {"B\u00dcCHER.example\t", {".xn--bcher-kva.example"}},      // maps, but a tab
          {"a.b\u00fccher.example\xff", {".xn--bcher-kva.example"}},  // invalid UTF-8
          {"xn--wca.example.com", {".example.com"}},                  // an A-label for "Ü"
      });
  // Rejected and mentioning nothing watched: nothing.
  EXPECT_THAT(MatchOne(watchlist, "a\u200Db.example.org"), IsEmpty());
  EXPECT_THAT(MatchOne(watchlist, "ab--cd.B\u00dcCHER.org"), IsEmpty());
}

// Lowercase host name characters take the one-pass check; any uppercase letter sends a name
// through lowercasing and the full check. Both must say the same of every name.
TEST(WatchlistMatchTest, OnePassCheckAgreesWithTheFullCheck) {
  Watchlist watchlist = MustParse(".example.com\nexact.example.org\n.xn--bcher-kva.example\n");
  const std::string label63(63, 'a'), label64(64, 'a');
  std::string name253 = "example.com";
  while (name253.size() + 2 <= 253) name253 = "a." + name253;
  if (name253.size() < 253) name253 = "b" + name253;
  const std::vector<std::string> names = {"www.example.com",
                                          "example.com",
                                          "www..example.com",
                                          ".example.com",
                                          "example.com..",
                                          "example..com",
                                          "..",
                                          ".",
                                          "",
                                          label63 + ".example.com",
                                          label64 + ".example.com",
                                          name253,
                                          "a" + name253,
                                          "xn--bcher-kva.example",
                                          "shop.xn--bcher-kva.example",
                                          "xn--9.example.com",
                                          "xn--abc-.example.com",
                                          "xn--.example.com",
                                          "*.example.com",
                                          "*.xn--9.example.com",
                                          "w*.example.com",
                                          "*",
                                          "*.*.example.com",
                                          "a.*.example.com",
                                          "exact.example.org",
                                          "-a.example.com",
                                          "a_b.example.com",
                                          "123.example.com",
                                          "exact.example.org.",
                                          "*.",
                                          "*..example.com"};
  ASSERT_EQ(name253.size(), 253u);
  // The limits themselves: parsed up to them, fail-safe one past them.
  for (const auto& [name, parsed] :
       std::vector<std::pair<std::string, bool>>{{label63 + ".example.com", true},
                                                 {label64 + ".example.com", false},
                                                 {name253, true},
                                                 {"a" + name253, false},
                                                 {"www..example.com", false},
                                                 {"xn--9.example.com", false},
                                                 {"shop.xn--bcher-kva.example", true}}) {
    auto result = watchlist.MatchDetailed(std::vector<std::string>{name});
    EXPECT_FALSE(result.watch_items.empty()) << name;
    EXPECT_EQ(result.unparseable_names.empty(), parsed) << name;
  }
  for (const std::string& name : names) {
    std::string upper = name;
    for (char& c : upper) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    if (upper == name) continue;  // no letter: nothing sends it the other way
    auto lower_result = watchlist.MatchDetailed(std::vector<std::string>{name});
    auto upper_result = watchlist.MatchDetailed(std::vector<std::string>{upper});
    EXPECT_EQ(lower_result.watch_items, upper_result.watch_items) << name;
    EXPECT_EQ(lower_result.unparseable_names.empty(), upper_result.unparseable_names.empty())
        << name;
  }
}

TEST(WatchlistMatchTest, UnparseableNamesMentioningNoItemMatchNothing) {
  Watchlist watchlist = MustParse(".example.com\nwww.example.org\n");
  for (std::string name :
       {std::string("\xff\xfe"), std::string("exa\x01mple.com"), std::string(""), std::string("."),
        std::string(".."), std::string("...."), std::string("*.."), std::string("a b c"),
        std::string("example .com"), std::string("\x1b[31mred")}) {
    auto result = watchlist.MatchDetailed(std::vector<std::string>{name});
    EXPECT_THAT(result.watch_items, IsEmpty()) << QuoteUntrusted(name);
    EXPECT_THAT(result.unparseable_names, IsEmpty()) << QuoteUntrusted(name);
  }
}

TEST(WatchlistMatchTest, ParsedMatchesAreNotFlaggedUnparseable) {
  Watchlist watchlist = MustParse(".example.com\n");
  auto result = watchlist.MatchDetailed(std::vector<std::string>{"WWW.example.com.", "*.com"});
  EXPECT_THAT(result.watch_items, ElementsAre(".example.com"));
  EXPECT_THAT(result.unparseable_names, IsEmpty());
}

TEST(WatchlistMatchTest, HostileNamesAreBoundedAndFailSafe) {
  Watchlist watchlist = MustParse(".example.com\nwww.example.org\n");
  std::string many_labels;
  for (int i = 0; i < 5000; ++i) many_labels += "a.";
  EXPECT_THAT(MatchOne(watchlist, many_labels + "example.com"), ElementsAre(".example.com"));
  EXPECT_THAT(MatchOne(watchlist, many_labels + "example.net"), IsEmpty());
  // 100 labels, 200 characters: a parseable name walked label by label.
  std::string hundred;
  for (int i = 0; i < 99; ++i) hundred += "a.";
  EXPECT_THAT(MatchOne(watchlist, hundred + "example.com"), ElementsAre(".example.com"));
  EXPECT_THAT(MatchOne(watchlist, std::string(100000, '.')), IsEmpty());
  EXPECT_THAT(MatchOne(watchlist, std::string(100000, '*')), IsEmpty());
  EXPECT_THAT(MatchOne(watchlist, std::string(100000, '\xff')), IsEmpty());
  std::string all_bytes;
  for (int b = 0; b < 256; ++b) all_bytes += static_cast<char>(b);
  EXPECT_THAT(MatchOne(watchlist, all_bytes), IsEmpty());
  EXPECT_THAT(MatchOne(watchlist, all_bytes + "www.example.org"), ElementsAre("www.example.org"));
  EXPECT_THAT(MatchOne(watchlist, "*"), IsEmpty());
  EXPECT_THAT(MatchOne(watchlist, "*."), IsEmpty());
  EXPECT_THAT(MatchOne(watchlist, "xn--"), IsEmpty());
  EXPECT_THAT(MatchOne(watchlist, "-"), IsEmpty());
}

TEST(WatchlistMatchTest, CopiesShareTheIndex) {
  Watchlist original = MustParse(".example.com\n");
  Watchlist copy = original;
  original = Watchlist();
  EXPECT_THAT(MatchOne(copy, "a.example.com"), ElementsAre(".example.com"));
  EXPECT_TRUE(original.empty());
}

// ---------------------------------------------------------------------------------------------
// CertificateNames.

// A certificate with these subject CNs and dNSName SANs, byte for byte as given.
CertificateView MakeCertificate(const std::vector<std::string>& common_names,
                                const std::vector<std::string>& dns_names) {
  static const testing::TestCa ca("Watchlist Test CA");
  auto view = CertificateView::Parse(
      ca.IssueLeafWith({.common_names = common_names, .dns_names = dns_names}));
  EXPECT_TRUE(view) << view.error().message;
  return *view;
}

TEST(CertificateNamesTest, SansThenEveryCommonNameWithoutDuplicates) {
  CertificateView cert = MakeCertificate({"www.example.com", "Example Corp", "mail.example.com"},
                                         {"www.example.com", "*.example.com", "api.example.com"});
  EXPECT_THAT(CertificateNames(cert),
              ElementsAre("www.example.com", "*.example.com", "api.example.com", "Example Corp",
                          "mail.example.com"));
}

TEST(CertificateNamesTest, CommonNameOnlyAndUnicodeCommonName) {
  CertificateView cert = MakeCertificate({"b\u00fccher.example"}, {});
  EXPECT_THAT(CertificateNames(cert), ElementsAre("b\u00fccher.example"));
  Watchlist watchlist = MustParse("xn--bcher-kva.example\n");
  EXPECT_THAT(watchlist.Match(CertificateNames(cert)), ElementsAre("xn--bcher-kva.example"));
}

TEST(CertificateNamesTest, HostileSanReachesTheMatcher) {
  CertificateView cert =
      MakeCertificate({}, {std::string("login.example.com\0.attacker.net", 31), "a..b"});
  auto names = CertificateNames(cert);
  ASSERT_EQ(names.size(), 2u);
  Watchlist watchlist = MustParse("login.example.com\n");
  EXPECT_THAT(watchlist.Match(names), ElementsAre("login.example.com"));
}

TEST(CertificateNamesTest, OddCommonNamesStillReachTheMatcher) {
  CertificateView cert = MakeCertificate({"login.example.com (prod)", ""}, {});
  EXPECT_THAT(CertificateNames(cert), ElementsAre("login.example.com (prod)"));
  EXPECT_THAT(MustParse("login.example.com\n").Match(CertificateNames(cert)),
              ElementsAre("login.example.com"));
}

// CertificateNames decodes the SAN extension and the subject itself: the same names as the
// view's own dns_names() and subject_common_names(), duplicates and empty CNs dropped.
TEST(CertificateNamesTest, SameAsTheViewsAccessors) {
  const std::vector<std::pair<std::vector<std::string>, std::vector<std::string>>> certs = {
      {{"a.example.com", "a.example.com", "", "Z Corp"}, {"b.example.com", "a.example.com"}},
      {{}, {"x.example.net", "x.example.net", "y.example.net"}},
      {{"b\u00fccher.example"}, {}},
      {{}, {}}};
  for (const auto& [common_names, dns_names] : certs) {
    CertificateView cert = MakeCertificate(common_names, dns_names);
    std::vector<std::string> expected;
    for (const auto* list : {&cert.dns_names(), &cert.subject_common_names()}) {
      for (const std::string& name : *list) {
        if (!name.empty() && std::find(expected.begin(), expected.end(), name) == expected.end()) {
          expected.push_back(name);
        }
      }
    }
    EXPECT_EQ(CertificateNames(cert), expected);
  }
}

TEST(CertificateNamesTest, NoNames) {
  CertificateView cert = MakeCertificate({}, {});
  EXPECT_THAT(CertificateNames(cert), IsEmpty());
}

}  // namespace
}  // namespace ctkit
