// Watchlist parsing and matching (monitor/watchlist.h) and the Punycode/IDNA helpers it uses
// (monitor/idna.h), including RFC 3492 §7.1 sample strings and hostile certificate names.

#include "monitor/watchlist.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "monitor/idna.h"
#include "cert_factory.h"
#include "test_support.h"
#include "x509/certificate.h"

namespace ctkit {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// ---------------------------------------------------------------------------------------------
// Punycode: RFC 3492 §7.1 sample strings.

struct PunycodeVector {
  const char* name;
  std::u32string_view unicode;
  const char* punycode;
};

// clang-format off
const PunycodeVector kRfc3492Samples[] = {
    {"A arabic", U"\u0644\u064A\u0647\u0645\u0627\u0628\u062A\u0643\u0644\u0645\u0648\u0634\u0639\u0631\u0628\u064A\u061F", "egbpdaj6bu4bxfgehfvwxn"},
    {"B chinese simplified", U"\u4ED6\u4EEC\u4E3A\u4EC0\u4E48\u4E0D\u8BF4\u4E2D\u6587", "ihqwcrb4cv8a8dqg056pqjye"},
    {"C chinese traditional", U"\u4ED6\u5011\u7232\u4EC0\u9EBD\u4E0D\u8AAA\u4E2D\u6587", "ihqwctvzc91f659drss3x8bo0yb"},
    {"D czech", U"Pro\u010Dprost\u011Bnemluv\u00ED\u010Desky", "Proprostnemluvesky-uyb24dma41a"},
    {"E hebrew", U"\u05DC\u05DE\u05D4\u05D4\u05DD\u05E4\u05E9\u05D5\u05D8\u05DC\u05D0\u05DE\u05D3\u05D1\u05E8\u05D9\u05DD\u05E2\u05D1\u05E8\u05D9\u05EA", "4dbcagdahymbxekheh6e0a7fei0b"},
    {"F hindi", U"\u092F\u0939\u0932\u094B\u0917\u0939\u093F\u0928\u094D\u0926\u0940\u0915\u094D\u092F\u094B\u0902\u0928\u0939\u0940\u0902\u092C\u094B\u0932\u0938\u0915\u0924\u0947\u0939\u0948\u0902", "i1baa7eci9glrd9b2ae1bj0hfcgg6iyaf8o0a1dig0cd"},
    {"G japanese", U"\u306A\u305C\u307F\u3093\u306A\u65E5\u672C\u8A9E\u3092\u8A71\u3057\u3066\u304F\u308C\u306A\u3044\u306E\u304B", "n8jok5ay5dzabd5bym9f0cm5685rrjetr6pdxa"},
    {"H korean", U"\uC138\uACC4\uC758\uBAA8\uB4E0\uC0AC\uB78C\uB4E4\uC774\uD55C\uAD6D\uC5B4\uB97C\uC774\uD574\uD55C\uB2E4\uBA74\uC5BC\uB9C8\uB098\uC88B\uC744\uAE4C", "989aomsvi5e83db1d2a355cv1e0vak1dwrv93d5xbh15a0dt30a5jpsd879ccm6fea98c"},
    {"I russian", U"\u043F\u043E\u0447\u0435\u043C\u0443\u0436\u0435\u043E\u043D\u0438\u043D\u0435\u0433\u043E\u0432\u043E\u0440\u044F\u0442\u043F\u043E\u0440\u0443\u0441\u0441\u043A\u0438", "b1abfaaepdrnnbgefbadotcwatmq2g4l"},
    {"J spanish", U"Porqu\u00E9nopuedensimplementehablarenEspa\u00F1ol", "PorqunopuedensimplementehablarenEspaol-fmd56a"},
    {"K vietnamese", U"T\u1EA1isaoh\u1ECDkh\u00F4ngth\u1EC3ch\u1EC9n\u00F3iti\u1EBFngVi\u1EC7t", "TisaohkhngthchnitingVit-kjcr8268qyxafd2f1b9g"},
    {"L", U"3\u5E74B\u7D44\u91D1\u516B\u5148\u751F", "3B-ww4c5e180e575a65lsy2b"},
    {"M", U"\u5B89\u5BA4\u5948\u7F8E\u6075-with-SUPER-MONKEYS", "-with-SUPER-MONKEYS-pc58ag80a8qai00g7n9n"},
    {"N", U"Hello-Another-Way-\u305D\u308C\u305E\u308C\u306E\u5834\u6240", "Hello-Another-Way--fc4qua05auwb3674vfr0b"},
    {"O", U"\u3072\u3068\u3064\u5C4B\u6839\u306E\u4E0B2", "2-u9tlzr9756bt3uc0v"},
    {"P", U"Maji\u3067Koi\u3059\u308B5\u79D2\u524D", "MajiKoi5-783gue6qz075azm5e"},
    {"Q", U"\u30D1\u30D5\u30A3\u30FCde\u30EB\u30F3\u30D0", "de-jg4avhby1noc0d"},
    {"R", U"\u305D\u306E\u30B9\u30D4\u30FC\u30C9\u3067", "d9juau41awczczp"},
    {"S", U"-> $1.00 <-", "-> $1.00 <--"},
};
// clang-format on

TEST(PunycodeTest, EncodesRfc3492Samples) {
  for (const auto& sample : kRfc3492Samples) {
    auto encoded = PunycodeEncode(sample.unicode);
    ASSERT_TRUE(encoded) << sample.name << ": " << encoded.error().message;
    EXPECT_EQ(*encoded, sample.punycode) << sample.name;
  }
}

TEST(PunycodeTest, DecodesRfc3492Samples) {
  for (const auto& sample : kRfc3492Samples) {
    auto decoded = PunycodeDecode(sample.punycode);
    ASSERT_TRUE(decoded) << sample.name << ": " << decoded.error().message;
    EXPECT_TRUE(*decoded == sample.unicode) << sample.name;
  }
}

TEST(PunycodeTest, DecodesMixedCaseAnnotationAsWritten) {
  // RFC 3492 §7.1 (I) is printed with an uppercase D (a case annotation, §A); digits are
  // case-insensitive, so it decodes to the same lowercase Russian text.
  auto upper = PunycodeDecode("b1abfaaepdrnnbgefbaDotcwatmq2g4l");
  auto lower = PunycodeDecode("b1abfaaepdrnnbgefbadotcwatmq2g4l");
  ASSERT_TRUE(upper);
  ASSERT_TRUE(lower);
  EXPECT_TRUE(*upper == *lower);
}

TEST(PunycodeTest, EmptyAndAsciiOnly) {
  EXPECT_EQ(*PunycodeEncode(U""), "");
  EXPECT_EQ(*PunycodeEncode(U"abc"), "abc-");
  EXPECT_TRUE(PunycodeDecode("")->empty());
  EXPECT_TRUE(*PunycodeDecode("abc-") == U"abc");
}

TEST(PunycodeTest, RejectsBadInput) {
  EXPECT_FALSE(PunycodeDecode("9"));                   // truncated: needs more digits
  EXPECT_FALSE(PunycodeDecode("ab!c"));                // not a digit
  EXPECT_FALSE(PunycodeDecode("\xc3\xa9-tda"));        // non-basic before the delimiter
  EXPECT_FALSE(PunycodeDecode("zzzzzzzzzzzzzzzzzz"));  // overflow
  EXPECT_FALSE(PunycodeDecode("99999999999999999999999"));
  EXPECT_FALSE(PunycodeDecode(std::string(5000, 'a')));  // bounded
  EXPECT_FALSE(PunycodeEncode(std::u32string(1, char32_t{0xD800})));
  EXPECT_FALSE(PunycodeEncode(std::u32string(1, char32_t{0x110000})));
}

TEST(PunycodeTest, RoundTripsEveryPlane) {
  std::u32string text = U"a";
  for (char32_t c :
       {0x80u, 0xFFu, 0x100u, 0x7FFu, 0x800u, 0xD7FFu, 0xE000u, 0xFFFDu, 0x10000u, 0x10FFFFu}) {
    text += c;
    auto encoded = PunycodeEncode(text);
    ASSERT_TRUE(encoded);
    auto decoded = PunycodeDecode(*encoded);
    ASSERT_TRUE(decoded) << *encoded;
    EXPECT_TRUE(*decoded == text);
  }
}

TEST(Utf8Test, StrictDecoding) {
  EXPECT_TRUE(*Utf8Decode("b\xc3\xbc") == U"b\u00FC");
  EXPECT_TRUE(*Utf8Decode("\xf0\x9f\x98\x80") == std::u32string(1, char32_t{0x1F600}));
  EXPECT_FALSE(Utf8Decode("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(Utf8Decode("\xe0\x80\xaf"));      // overlong
  EXPECT_FALSE(Utf8Decode("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(Utf8Decode("\xf4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_FALSE(Utf8Decode("\xe2\x82"));          // truncated
  EXPECT_FALSE(Utf8Decode("\xff"));
  EXPECT_FALSE(Utf8Decode("\x80"));
  EXPECT_EQ(Utf8Encode(U"b\u00FC\U0001F600"), "b\xc3\xbc\xf0\x9f\x98\x80");
}

TEST(IdnaTest, DomainToAsciiAndBack) {
  EXPECT_EQ(*DomainToAscii("b\u00fccher.example"), "xn--bcher-kva.example");
  EXPECT_EQ(*DomainToAscii("B\u00fccher.EXAMPLE"), "xn--bcher-kva.example");
  EXPECT_EQ(*DomainToAscii("www.M\u00fcnchen.DE"), "www.xn--mnchen-3ya.de");
  EXPECT_EQ(*DomainToAscii("WWW.Example.COM"), "www.example.com");
  EXPECT_EQ(*DomainToAscii("\xe4\xbe\x8b\xe3\x81\x88.jp"), "xn--r8jz45g.jp");
  EXPECT_FALSE(DomainToAscii("\xff.example"));

  EXPECT_EQ(*DomainToUnicode("xn--bcher-kva.example"), "b\u00fccher.example");
  EXPECT_EQ(*DomainToUnicode("WWW.XN--MNCHEN-3YA.de"), "www.m\u00fcnchen.de");
  EXPECT_FALSE(DomainToUnicode("xn--9.example"));
}

TEST(IdnaTest, ValidALabels) {
  EXPECT_TRUE(IsValidALabel("xn--bcher-kva"));
  EXPECT_FALSE(IsValidALabel("XN--BCHER-KVA"));  // not lowercase: not the canonical form
  EXPECT_FALSE(IsValidALabel("xn--"));
  EXPECT_FALSE(IsValidALabel("xn--abc-"));  // decodes to ASCII only
  EXPECT_FALSE(IsValidALabel("xn--9"));
  EXPECT_FALSE(IsValidALabel("bcher-kva"));
  EXPECT_TRUE(HasAcePrefix("Xn--abc"));
  EXPECT_FALSE(HasAcePrefix("xn-abc"));
}

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
    std::vector<std::pair<std::string, bool>> items = {  // text, domain
        {"example.com", true}, {"a.example.net", false}, {"co", true}, {"m.a", false},
        {"comm", false}, {"x-1.example", true}};
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

TEST(WatchlistMatchTest, UnparseableNamesMatchItemsTheyMention) {
  Watchlist watchlist = MustParse(".example.com\nexact.example.org\nb\u00fccher.example\n");
  struct Case {
    std::string name;
    std::vector<std::string> items;
  };
  const std::vector<Case> cases = {
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
  };
  for (const Case& c : cases) {
    auto result = watchlist.MatchDetailed(std::vector<std::string>{c.name});
    EXPECT_EQ(result.watch_items, c.items) << QuoteUntrusted(c.name);
    EXPECT_THAT(result.unparseable_names, ElementsAre(c.name)) << QuoteUntrusted(c.name);
  }
}

// Lowercase host name characters take the one-pass check; any uppercase letter sends a name
// through lowercasing and the full check. Both must say the same of every name.
TEST(WatchlistMatchTest, OnePassCheckAgreesWithTheFullCheck) {
  Watchlist watchlist = MustParse(".example.com\nexact.example.org\n.xn--bcher-kva.example\n");
  const std::string label63(63, 'a'), label64(64, 'a');
  std::string name253 = "example.com";
  while (name253.size() + 2 <= 253) name253 = "a." + name253;
  if (name253.size() < 253) name253 = "b" + name253;
  const std::vector<std::string> names = {
      "www.example.com", "example.com", "www..example.com", ".example.com", "example.com..",
      "example..com", "..", ".", "", label63 + ".example.com", label64 + ".example.com",
      name253, "a" + name253, "xn--bcher-kva.example", "shop.xn--bcher-kva.example",
      "xn--9.example.com", "xn--abc-.example.com", "xn--.example.com", "*.example.com",
      "*.xn--9.example.com", "w*.example.com", "*", "*.*.example.com", "a.*.example.com",
      "exact.example.org", "-a.example.com", "a_b.example.com", "123.example.com",
      "exact.example.org.", "*.", "*..example.com"};
  ASSERT_EQ(name253.size(), 253u);
  // The limits themselves: parsed up to them, fail-safe one past them.
  for (const auto& [name, parsed] : std::vector<std::pair<std::string, bool>>{
           {label63 + ".example.com", true}, {label64 + ".example.com", false},
           {name253, true}, {"a" + name253, false}, {"www..example.com", false},
           {"xn--9.example.com", false}, {"shop.xn--bcher-kva.example", true}}) {
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
