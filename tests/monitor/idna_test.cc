// IDNA through libidn2 (monitor/idna.h): UTS #46 ToASCII, non-transitional, the display form,
// A-label checks, and the hostile bytes refused before libidn2 sees them. The RFC 3492 §7.1
// sample strings check that the Punycode in between is RFC 3492's.

#include "monitor/idna.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace ctkit {
namespace {

using ::testing::HasSubstr;

std::string Lowercase(std::string text) {
  AsciiLowercase(text);
  return text;
}

// ---------------------------------------------------------------------------------------------
// RFC 3492 §7.1 sample strings, as labels.

struct PunycodeSample {
  const char* name;
  const char* unicode;   // UTF-8
  const char* punycode;  // without "xn--", case annotations as printed in the RFC
  bool idna_label;       // a label UTS #46 accepts (so DomainToAscii gives "xn--" + punycode)
};

// clang-format off
const PunycodeSample kRfc3492Samples[] = {
    // U+061F ARABIC QUESTION MARK is punctuation, DISALLOWED in IDNA2008 (RFC 5892).
    {"A arabic", "\u0644\u064A\u0647\u0645\u0627\u0628\u062A\u0643\u0644\u0645\u0648\u0634\u0639\u0631\u0628\u064A\u061F", "egbpdaj6bu4bxfgehfvwxn", false},
    {"B chinese simplified", "\u4ED6\u4EEC\u4E3A\u4EC0\u4E48\u4E0D\u8BF4\u4E2D\u6587", "ihqwcrb4cv8a8dqg056pqjye", true},
    {"C chinese traditional", "\u4ED6\u5011\u7232\u4EC0\u9EBD\u4E0D\u8AAA\u4E2D\u6587", "ihqwctvzc91f659drss3x8bo0yb", true},
    {"D czech", "Pro\u010Dprost\u011Bnemluv\u00ED\u010Desky", "Proprostnemluvesky-uyb24dma41a", true},
    {"E hebrew", "\u05DC\u05DE\u05D4\u05D4\u05DD\u05E4\u05E9\u05D5\u05D8\u05DC\u05D0\u05DE\u05D3\u05D1\u05E8\u05D9\u05DD\u05E2\u05D1\u05E8\u05D9\u05EA", "4dbcagdahymbxekheh6e0a7fei0b", true},
    {"F hindi", "\u092F\u0939\u0932\u094B\u0917\u0939\u093F\u0928\u094D\u0926\u0940\u0915\u094D\u092F\u094B\u0902\u0928\u0939\u0940\u0902\u092C\u094B\u0932\u0938\u0915\u0924\u0947\u0939\u0948\u0902", "i1baa7eci9glrd9b2ae1bj0hfcgg6iyaf8o0a1dig0cd", true},
    {"G japanese", "\u306A\u305C\u307F\u3093\u306A\u65E5\u672C\u8A9E\u3092\u8A71\u3057\u3066\u304F\u308C\u306A\u3044\u306E\u304B", "n8jok5ay5dzabd5bym9f0cm5685rrjetr6pdxa", true},
    // Its A-label would be 72 octets: over the 63 of a DNS label (RFC 1035 §2.3.4).
    {"H korean", "\uC138\uACC4\uC758\uBAA8\uB4E0\uC0AC\uB78C\uB4E4\uC774\uD55C\uAD6D\uC5B4\uB97C\uC774\uD574\uD55C\uB2E4\uBA74\uC5BC\uB9C8\uB098\uC88B\uC744\uAE4C", "989aomsvi5e83db1d2a355cv1e0vak1dwrv93d5xbh15a0dt30a5jpsd879ccm6fea98c", false},
    {"I russian", "\u043F\u043E\u0447\u0435\u043C\u0443\u0436\u0435\u043E\u043D\u0438\u043D\u0435\u0433\u043E\u0432\u043E\u0440\u044F\u0442\u043F\u043E\u0440\u0443\u0441\u0441\u043A\u0438", "b1abfaaepdrnnbgefbadotcwatmq2g4l", true},
    {"J spanish", "Porqu\u00E9nopuedensimplementehablarenEspa\u00F1ol", "PorqunopuedensimplementehablarenEspaol-fmd56a", true},
    {"K vietnamese", "T\u1EA1isaoh\u1ECDkh\u00F4ngth\u1EC3ch\u1EC9n\u00F3iti\u1EBFngVi\u1EC7t", "TisaohkhngthchnitingVit-kjcr8268qyxafd2f1b9g", true},
    {"L", "3\u5E74B\u7D44\u91D1\u516B\u5148\u751F", "3B-ww4c5e180e575a65lsy2b", true},
    {"M", "\u5B89\u5BA4\u5948\u7F8E\u6075-with-SUPER-MONKEYS", "-with-SUPER-MONKEYS-pc58ag80a8qai00g7n9n", true},
    {"N", "Hello-Another-Way-\u305D\u308C\u305E\u308C\u306E\u5834\u6240", "Hello-Another-Way--fc4qua05auwb3674vfr0b", true},
    {"O", "\u3072\u3068\u3064\u5C4B\u6839\u306E\u4E0B2", "2-u9tlzr9756bt3uc0v", true},
    {"P", "Maji\u3067Koi\u3059\u308B5\u79D2\u524D", "MajiKoi5-783gue6qz075azm5e", true},
    {"Q", "\u30D1\u30D5\u30A3\u30FCde\u30EB\u30F3\u30D0", "de-jg4avhby1noc0d", true},
    {"R", "\u305D\u306E\u30B9\u30D4\u30FC\u30C9\u3067", "d9juau41awczczp", true},
};
// clang-format on

TEST(IdnaTest, DecodesRfc3492Samples) {
  for (const auto& sample : kRfc3492Samples) {
    // Uppercase letters in the RFC's Punycode are case annotations (RFC 3492 §A); the display
    // form is lowercase, as the decoding of the lowercased Punycode is.
    auto decoded = DomainToUnicode(std::string("xn--") + sample.punycode);
    ASSERT_TRUE(decoded) << sample.name << ": " << decoded.error().message;
    EXPECT_EQ(*decoded, Lowercase(sample.unicode)) << sample.name;
  }  // RFC 3492 §7.1 (I) is printed with an uppercase D: digits are case-insensitive.
  EXPECT_EQ(*DomainToUnicode("xn--b1abfaaepdrnnbgefbaDotcwatmq2g4l"),
            *DomainToUnicode("xn--b1abfaaepdrnnbgefbadotcwatmq2g4l"));
}

TEST(IdnaTest, EncodesRfc3492SamplesThatAreLabels) {
  for (const auto& sample : kRfc3492Samples) {
    auto encoded = DomainToAscii(sample.unicode);
    if (sample.idna_label) {
      ASSERT_TRUE(encoded) << sample.name << ": " << encoded.error().message;
      EXPECT_EQ(*encoded, Lowercase(std::string("xn--") + sample.punycode)) << sample.name;
      EXPECT_TRUE(IsValidALabel(*encoded)) << sample.name;
    } else {
      EXPECT_FALSE(encoded) << sample.name << ": " << *encoded;
      EXPECT_FALSE(IsValidALabel(Lowercase(std::string("xn--") + sample.punycode))) << sample.name;
    }
  }
}

TEST(IdnaTest, RejectsBadPunycode) {
  EXPECT_FALSE(DomainToUnicode("xn--9"));                   // truncated: needs more digits
  EXPECT_FALSE(DomainToUnicode("xn--ab!c"));                // not a digit
  EXPECT_FALSE(DomainToUnicode("xn--\xc3\xa9-tda"));        // non-basic before the delimiter
  EXPECT_FALSE(DomainToUnicode("xn--zzzzzzzzzzzzzzzzzz"));  // overflow
  EXPECT_FALSE(DomainToUnicode("xn--99999999999999999999999"));
  EXPECT_FALSE(DomainToAscii("xn--zzzzzzzzzzzzzzzzzz.example"));
  EXPECT_FALSE(DomainToAscii("xn--9.example"));
}

// ---------------------------------------------------------------------------------------------
// ToASCII and back.

TEST(IdnaTest, DomainToAsciiAndBack) {
  EXPECT_EQ(*DomainToAscii("b\u00fccher.example"), "xn--bcher-kva.example");
  EXPECT_EQ(*DomainToAscii("B\u00fccher.EXAMPLE"), "xn--bcher-kva.example");
  EXPECT_EQ(*DomainToAscii("www.M\u00fcnchen.DE"), "www.xn--mnchen-3ya.de");
  EXPECT_EQ(*DomainToAscii("WWW.Example.COM"), "www.example.com");
  EXPECT_EQ(*DomainToAscii("\xe4\xbe\x8b\xe3\x81\x88.jp"), "xn--r8jz45g.jp");
  EXPECT_EQ(*DomainToAscii("XN--BCHER-KVA.example"), "xn--bcher-kva.example");
  EXPECT_FALSE(DomainToAscii("\xff.example"));
  EXPECT_EQ(*DomainToAscii(""), "");
  EXPECT_EQ(*DomainToAscii(".a..b"), ".a..b");  // empty labels are the caller's to judge
  EXPECT_EQ(*DomainToAscii("*._dmarc.B\u00fccher.example"), "*._dmarc.xn--bcher-kva.example");

  EXPECT_EQ(*DomainToUnicode("xn--bcher-kva.example"), "b\u00fccher.example");
  EXPECT_EQ(*DomainToUnicode("WWW.XN--MNCHEN-3YA.de"), "www.m\u00fcnchen.de");
  EXPECT_FALSE(DomainToUnicode("xn--9.example"));
}

// UTS #46 §4 step 1: the mapping folds case beyond ASCII (what the old ASCII-only lowercasing
// could not), and width, and drops "ignored" code points.
TEST(IdnaTest, MapsCaseWidthAndIgnoredCodePoints) {
  EXPECT_EQ(*DomainToAscii("B\u00dcCHER.example"), "xn--bcher-kva.example");  // BÜCHER
  EXPECT_EQ(*DomainToAscii("\u00dc.example"), "xn--tda.example");             // Ü, ü
  EXPECT_EQ(*DomainToAscii("\u039C\u0391\u03A3.gr"), *DomainToAscii("\u03BC\u03B1\u03C3.gr"));
  // Fullwidth letters and U+FF0E FULLWIDTH FULL STOP, U+3002 IDEOGRAPHIC FULL STOP.
  EXPECT_EQ(*DomainToAscii("\uFF57\uFF57\uFF57\uFF0E\uFF25\uFF58\uFF41\uFF4D\uFF50\uFF4C\uFF45"
                           "\u3002com"),
            "www.example.com");
  EXPECT_EQ(*DomainToAscii("exa\u00ADmple.com"), "example.com");    // SOFT HYPHEN is ignored
  EXPECT_EQ(*DomainToAscii("e\u0301.example"), "xn--9ca.example");  // NFC: é
}

// Non-transitional processing (UTS #46 §4, Transitional_Processing=false, as browsers and
// IDNA2008): the deviation characters ß and ς are kept, not mapped to "ss" and σ.
TEST(IdnaTest, NonTransitionalKeepsSharpSAndFinalSigma) {
  EXPECT_EQ(*DomainToAscii("fa\u00DF.de"), "xn--fa-hia.de");
  EXPECT_NE(*DomainToAscii("fa\u00DF.de"), *DomainToAscii("fass.de"));
  EXPECT_EQ(*DomainToAscii("\u03C2.gr"), "xn--3xa.gr");  // ς
  EXPECT_EQ(*DomainToAscii("\u03C3.gr"), "xn--4xa.gr");  // σ
  EXPECT_EQ(*DomainToUnicode("xn--fa-hia.de"), "fa\u00DF.de");
  EXPECT_EQ(*DomainToUnicode("xn--3xa.gr"), "\u03C2.gr");
  EXPECT_TRUE(IsValidALabel("xn--fa-hia"));
  EXPECT_TRUE(IsValidALabel("xn--3xa"));
}

// Names UTS #46 (and the IDNA2008 rules it applies, RFC 5891 §5.4) refuses, each with a reason.
TEST(IdnaTest, RejectsInvalidNames) {
  for (const char* name : {
           "a\u200Db.example",     // ZERO WIDTH JOINER outside its CONTEXTJ rule (RFC 5892 A.2)
           "-\u00fc.example",      // a hyphen at the start (UTS #46 §4.1 CheckHyphens)
           "ab--\u00fc.example",   // hyphens in the third and fourth positions
           "1\u05D0.example",      // the bidi rule (RFC 5893 §2): an RTL label starting in a digit
           "a\u0378.example",      // an unassigned code point
           "\u0301a.example",      // a leading combining mark (RFC 5891 §4.2.3.2)
           "\u00fc.xn--9.example"  // one bad A-label spoils the name
       }) {
    auto ascii = DomainToAscii(name);
    ASSERT_FALSE(ascii) << name << " -> " << *ascii;
    EXPECT_EQ(ascii.error().code, ErrorCode::kMalformed) << name;
    EXPECT_THAT(ascii.error().message, HasSubstr("UTS #46")) << name;
  }
}

// Bytes libidn2 would misread (it takes C strings) or that are not text are refused first,
// each with a message that says which byte. RFC 3629 §3: no overlong forms, no surrogates,
// nothing above U+10FFFF.
TEST(IdnaTest, RefusesHostileBytesBeforeLibidn2) {
  for (std::string name :
       {std::string("\xc0\xaf.example"), std::string("\xe0\x80\xaf.example"),
        std::string("\xed\xa0\x80.example"), std::string("\xf4\x90\x80\x80.ex"),
        std::string("\xe2\x82.example"), std::string("\xff"), std::string("\x80.example")}) {
    for (auto result : {DomainToAscii(name), DomainToUnicode(name)}) {
      ASSERT_FALSE(result);
      EXPECT_THAT(result.error().message, HasSubstr("UTF-8 at byte 0"));
    }
  }
  // A NUL would cut the name short where libidn2 reads it: "bücher.example" is not the name.
  const std::string with_nul(
      "b\xc3\xbc"
      "cher.example\0.evil",
      20);
  auto nul = DomainToAscii(with_nul);
  ASSERT_FALSE(nul);
  EXPECT_THAT(nul.error().message, HasSubstr("NUL at byte 15"));
  // Bounded: no host name needs more than kMaxIdnaInputLength bytes of UTF-8.
  std::string long_name;
  while (long_name.size() + 3 <= kMaxIdnaInputLength) long_name += "\u00fc.";
  long_name += "\u00fc\u00fc";
  ASSERT_GT(long_name.size(), kMaxIdnaInputLength);
  EXPECT_EQ(DomainToAscii(long_name).error().code, ErrorCode::kTooLarge);
  EXPECT_EQ(DomainToUnicode("xn--" + std::string(5000, 'a')).error().code, ErrorCode::kTooLarge);
  // Under the cap, libidn2's own limits hold: a 64-octet label, a 254-octet name.
  EXPECT_FALSE(DomainToAscii(std::string(60, 'a') + "\u00fc\u00fc\u00fc\u00fc.example"));
  std::string too_long = "\u00fc";
  while (too_long.size() < 300) too_long += ".abcdefghi";
  EXPECT_FALSE(DomainToAscii(too_long));
}

// ---------------------------------------------------------------------------------------------
// A-labels.

TEST(IdnaTest, ValidALabels) {
  EXPECT_TRUE(IsValidALabel("xn--bcher-kva"));
  EXPECT_FALSE(IsValidALabel("XN--BCHER-KVA"));  // not lowercase: not the canonical form
  EXPECT_FALSE(IsValidALabel("xn--Bcher-kva"));
  EXPECT_FALSE(IsValidALabel("xn--"));
  EXPECT_FALSE(IsValidALabel("xn--abc-"));  // decodes to ASCII only
  EXPECT_FALSE(IsValidALabel("xn--9"));
  EXPECT_FALSE(IsValidALabel("bcher-kva"));
  EXPECT_FALSE(IsValidALabel("xn--tda.xn--tda"));  // two labels
  // Punycode that decodes, to a label no U-label can be: "Ü" (uppercase is mapped, so not
  // valid, UTS #46 §4.1), a lone ZWJ (CONTEXTJ, RFC 5892 A.2), "≺" (a symbol, DISALLOWED in
  // IDNA2008, RFC 5892 §2.1). The old Punycode-only check took all three.
  EXPECT_FALSE(IsValidALabel("xn--wca"));
  EXPECT_FALSE(IsValidALabel("xn--1ug"));
  EXPECT_FALSE(IsValidALabel("xn--sdh"));
  EXPECT_TRUE(HasAcePrefix("Xn--abc"));
  EXPECT_TRUE(HasAcePrefix("XN--"));
  EXPECT_FALSE(HasAcePrefix("xn-abc"));
  EXPECT_FALSE(HasAcePrefix("xn-"));
}

}  // namespace
}  // namespace ctkit
