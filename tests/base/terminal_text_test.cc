// TerminalSafe (base/terminal_text.h), the UTF-8 decoder under it (base/utf8.h) and
// QuoteUntrusted (base/error.h), which escapes the same way.

#include "base/terminal_text.h"

#include <gtest/gtest.h>

#include <string>

#include "base/error.h"
#include "base/utf8.h"

namespace ctkit {
namespace {

using namespace std::string_literals;

TEST(TerminalSafeTest, PrintableTextIsKeptAsItIs) {
  EXPECT_EQ(TerminalSafe(""), "");
  EXPECT_EQ(TerminalSafe("www.example.com"), "www.example.com");
  EXPECT_EQ(TerminalSafe("CN=GitHub\\, Inc. ~!@#$%^&*()"), "CN=GitHub\\, Inc. ~!@#$%^&*()");
  // Printable UTF-8 of every length: é, €, 😀, and a right-to-left script.
  EXPECT_EQ(
      TerminalSafe("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d"),
      "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xd7\xa9\xd7\x9c\xd7\x95\xd7\x9d");
}

TEST(TerminalSafeTest, AsciiControlsAreEscapedAsBytes) {
  EXPECT_EQ(TerminalSafe("a\x1b[31mred\x1b[0m"), "a\\x1b[31mred\\x1b[0m");
  EXPECT_EQ(TerminalSafe("one\nFORGED: OK\r\n"), "one\\x0aFORGED: OK\\x0d\\x0a");
  EXPECT_EQ(TerminalSafe("\x00\x01\x07\x08\t\x7f"s), "\\x00\\x01\\x07\\x08\\x09\\x7f");
  // OSC 8 hyperlink and window-title sequences end in BEL or ST: nothing of them stays raw.
  EXPECT_EQ(TerminalSafe("\x1b]0;title\x07"), "\\x1b]0;title\\x07");
}

TEST(TerminalSafeTest, C1ControlsAreEscapedAsCodePoints) {
  EXPECT_EQ(TerminalSafe("\xc2\x9b"
                         "31m"),
            "\\u009b31m");                                                        // CSI
  EXPECT_EQ(TerminalSafe("\xc2\x85"), "\\u0085");                                 // NEL
  EXPECT_EQ(TerminalSafe("\xc2\x80\xc2\x9f\xc2\xa0"), "\\u0080\\u009f\xc2\xa0");  // NBSP kept
}

TEST(TerminalSafeTest, BidiControlsAndLineSeparatorsAreEscaped) {
  EXPECT_EQ(TerminalSafe("moc.elgoog\xe2\x80\xae"), "moc.elgoog\\u202e");
  const std::pair<const char*, const char*> cases[] = {
      {"\xd8\x9c", "\\u061c"},     {"\xe2\x80\x8e", "\\u200e"}, {"\xe2\x80\x8f", "\\u200f"},
      {"\xe2\x80\xaa", "\\u202a"}, {"\xe2\x80\xab", "\\u202b"}, {"\xe2\x80\xac", "\\u202c"},
      {"\xe2\x80\xad", "\\u202d"}, {"\xe2\x80\xae", "\\u202e"}, {"\xe2\x81\xa6", "\\u2066"},
      {"\xe2\x81\xa7", "\\u2067"}, {"\xe2\x81\xa8", "\\u2068"}, {"\xe2\x81\xa9", "\\u2069"},
      {"\xe2\x80\xa8", "\\u2028"}, {"\xe2\x80\xa9", "\\u2029"},
  };
  for (const auto& [raw, escaped] : cases) EXPECT_EQ(TerminalSafe(raw), escaped) << escaped;
  // Their neighbours are ordinary characters.
  EXPECT_EQ(TerminalSafe("\xe2\x80\x8d\xe2\x80\xaf\xe2\x81\xaa"),
            "\xe2\x80\x8d\xe2\x80\xaf\xe2\x81\xaa");
}

TEST(TerminalSafeTest, InvalidUtf8IsEscapedByteByByte) {
  EXPECT_EQ(TerminalSafe("bad\xff\xfe"), "bad\\xff\\xfe");
  EXPECT_EQ(TerminalSafe("\xc3"), "\\xc3");                             // truncated
  EXPECT_EQ(TerminalSafe("\xc3(x"), "\\xc3(x");                         // bad continuation
  EXPECT_EQ(TerminalSafe("\x80x"), "\\x80x");                           // stray continuation
  EXPECT_EQ(TerminalSafe("\xc0\xaf"), "\\xc0\\xaf");                    // overlong '/'
  EXPECT_EQ(TerminalSafe("\xe0\x80\xaf"), "\\xe0\\x80\\xaf");           // overlong '/'
  EXPECT_EQ(TerminalSafe("\xc0\x9b"), "\\xc0\\x9b");                    // overlong ESC
  EXPECT_EQ(TerminalSafe("\xed\xa0\x80"), "\\xed\\xa0\\x80");           // a surrogate
  EXPECT_EQ(TerminalSafe("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80");  // above U+10FFFF
  EXPECT_EQ(TerminalSafe("\xf4\x8f\xbf\xbf"), "\xf4\x8f\xbf\xbf");      // U+10FFFF itself
}

TEST(TerminalSafeTest, OutputIsSafeValidUtf8AndAFixedPoint) {
  // Every one- and two-byte string: the output never holds a raw control and TerminalSafe
  // leaves it unchanged.
  for (int a = 0; a < 256; ++a) {
    for (int b = -1; b < 256; ++b) {
      std::string text(1, static_cast<char>(a));
      if (b >= 0) text += static_cast<char>(b);
      const std::string safe = TerminalSafe(text);
      for (size_t i = 0; i < safe.size();) {
        char32_t code_point;
        size_t length = DecodeUtf8(safe, i, &code_point);
        ASSERT_NE(length, 0u) << a << " " << b;
        ASSERT_FALSE(IsTerminalControl(code_point)) << a << " " << b;
        i += length;
      }
      ASSERT_EQ(TerminalSafe(safe), safe) << a << " " << b;
    }
  }
}

TEST(Utf8Test, DecodesEachLengthAndRefusesWhatRfc3629Forbids) {
  char32_t cp = 0;
  EXPECT_EQ(DecodeUtf8("A", 0, &cp), 1u);
  EXPECT_EQ(cp, U'A');
  EXPECT_EQ(DecodeUtf8("\xc3\xa9", 0, &cp), 2u);
  EXPECT_EQ(cp, U'\u00e9');
  EXPECT_EQ(DecodeUtf8("x\xe2\x80\xae", 1, &cp), 3u);
  EXPECT_EQ(cp, U'\u202e');
  EXPECT_EQ(DecodeUtf8("\xf0\x9f\x98\x80", 0, &cp), 4u);
  EXPECT_EQ(cp, U'\U0001f600');
  for (const char* bad : {"\x80", "\xc1\xbf", "\xe0\x9f\xbf", "\xf0\x8f\xbf\xbf", "\xed\xbf\xbf",
                          "\xf4\x90\x80\x80", "\xf8\x88\x80\x80\x80", "\xff", "\xe2\x80"}) {
    EXPECT_EQ(DecodeUtf8(bad, 0, &cp), 0u) << TerminalSafe(bad);
  }
}

TEST(Utf8Test, PrefixNeverSplitsACharacter) {
  EXPECT_EQ(Utf8PrefixLength("abc", 5), 3u);
  EXPECT_EQ(Utf8PrefixLength("abcdef", 3), 3u);
  EXPECT_EQ(Utf8PrefixLength("ab\xe2\x82\xac", 4), 2u);  // € would be cut
  EXPECT_EQ(Utf8PrefixLength("ab\xe2\x82\xac", 5), 5u);
  EXPECT_EQ(Utf8PrefixLength("ab\xff\xff", 3), 3u);  // invalid bytes stand alone
}

TEST(QuoteUntrustedTest, EscapesLikeTerminalSafeAndCutsAtFortyBytes) {
  EXPECT_EQ(QuoteUntrusted("example.com"), "\"example.com\"");
  EXPECT_EQ(QuoteUntrusted("a\x1b[2J\nb"), "\"a\\x1b[2J\\x0ab\"");
  EXPECT_EQ(QuoteUntrusted("caf\xc3\xa9\xff"), "\"caf\xc3\xa9\\xff\"");
  EXPECT_EQ(QuoteUntrusted(std::string(40, 'x')), "\"" + std::string(40, 'x') + "\"");
  EXPECT_EQ(QuoteUntrusted(std::string(41, 'x')), "\"" + std::string(40, 'x') + "...\"");
  // A cut never leaves half a character behind.
  EXPECT_EQ(QuoteUntrusted(std::string(39, 'x') + "\xc3\xa9"),
            "\"" + std::string(39, 'x') + "...\"");
}

}  // namespace
}  // namespace ctkit
