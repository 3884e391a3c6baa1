#include "x509/name.h"

#include <gtest/gtest.h>

#include "x509/oid.h"
#include "x509_test_util.h"

namespace ctkit {
namespace {

using x509_testing::Concat;
using x509_testing::Tlv;

const Bytes kCn{0x06, 0x03, 0x55, 0x04, 0x03};  // 2.5.4.3
const Bytes kO{0x06, 0x03, 0x55, 0x04, 0x0a};   // 2.5.4.10
const Bytes kOu{0x06, 0x03, 0x55, 0x04, 0x0b};  // 2.5.4.11
const Bytes kC{0x06, 0x03, 0x55, 0x04, 0x06};   // 2.5.4.6

Bytes Str(uint8_t tag, std::string_view text) { return Tlv(tag, Bytes(text.begin(), text.end())); }
Bytes Atv(const Bytes& type, const Bytes& value) { return Tlv(0x30, Concat({type, value})); }
Bytes Rdn(std::initializer_list<ByteSpan> atvs) { return Tlv(0x31, Concat(atvs)); }
Bytes Name(std::initializer_list<ByteSpan> rdns) { return Tlv(0x30, Concat(rdns)); }

std::string Text(const Bytes& name) {
  auto text = NameToString(name);
  EXPECT_TRUE(text.has_value()) << text.error().message;
  return text.value_or("<error>");
}

TEST(NameTest, ReverseOrderWithShortNames) {
  const Bytes name =
      Name({Rdn({Atv(kC, Str(0x13, "US"))}), Rdn({Atv(kO, Str(0x13, "Let's Encrypt"))}),
            Rdn({Atv(kCn, Str(0x13, "Let's Encrypt Authority X3"))})});
  EXPECT_EQ(Text(name), "CN=Let's Encrypt Authority X3,O=Let's Encrypt,C=US");
  auto rdns = ParseName(name);
  ASSERT_TRUE(rdns.has_value());
  ASSERT_EQ(rdns->size(), 3u);
  EXPECT_EQ(AttributeTypeName((*rdns)[0][0].type), "C");
}

TEST(NameTest, Rfc4514SpecialCharactersAreEscaped) {
  EXPECT_EQ(Text(Name({Rdn({Atv(kO, Str(0x0c, "GitHub, Inc."))})})), "O=GitHub\\, Inc.");
  EXPECT_EQ(Text(Name({Rdn({Atv(kCn, Str(0x0c, "#a+b;c<d>e\"f\\g "))})})),
            "CN=\\#a\\+b\\;c\\<d\\>e\\\"f\\\\g\\ ");
  EXPECT_EQ(Text(Name({Rdn({Atv(kCn, Str(0x0c, " lead"))})})), "CN=\\ lead");
}

TEST(NameTest, ControlAndBidiCharactersAreEscaped) {
  // A newline, an ANSI escape sequence, DEL, a C1 control (U+0085) and RIGHT-TO-LEFT OVERRIDE
  // (U+202E) must not reach a terminal or log line raw.
  const std::string evil =
      "a\nb\x1b[31m\x7f\xc2\x85\xe2\x80\xae"
      "z";
  EXPECT_EQ(Text(Name({Rdn({Atv(kCn, Str(0x0c, evil))})})),
            "CN=a\\0Ab\\1B[31m\\7F\\C2\\85\\E2\\80\\AEz");
  EXPECT_EQ(Text(Name({Rdn({Atv(kCn, Str(0x13, std::string("x\0y", 3)))})})), "CN=x\\00y");
}

TEST(NameTest, StringTypesDecodeToUtf8) {
  // BMPString "é" and U+1F600 as a surrogate pair; TeletexString as Latin-1; UniversalString.
  const Bytes bmp = Tlv(0x1e, Bytes{0x00, 0xe9, 0xd8, 0x3d, 0xde, 0x00});
  const Bytes teletex = Tlv(0x14, Bytes{'c', 'a', 'f', 0xe9});
  const Bytes universal = Tlv(0x1c, Bytes{0, 0, 0, 'h', 0, 0, 0x00, 0xe9});
  EXPECT_EQ(Text(Name({Rdn({Atv(kCn, bmp)})})), "CN=\xc3\xa9\xf0\x9f\x98\x80");
  EXPECT_EQ(Text(Name({Rdn({Atv(kCn, teletex)})})), "CN=caf\xc3\xa9");
  EXPECT_EQ(Text(Name({Rdn({Atv(kCn, universal)})})), "CN=h\xc3\xa9");
}

TEST(NameTest, UndecodableValuesPrintAsHex) {
  const Bytes bad_utf8 = Tlv(0x0c, Bytes{0xc0, 0xaf});  // overlong '/'
  EXPECT_EQ(Text(Name({Rdn({Atv(kCn, bad_utf8)})})), "CN=#0c02c0af");
  const Bytes lone_surrogate = Tlv(0x1e, Bytes{0xd8, 0x3d});
  EXPECT_EQ(Text(Name({Rdn({Atv(kCn, lone_surrogate)})})), "CN=#1e02d83d");
  const Bytes non_ascii_printable = Tlv(0x13, Bytes{'a', 0xe9});
  EXPECT_EQ(Text(Name({Rdn({Atv(kCn, non_ascii_printable)})})), "CN=#130261e9");
  EXPECT_EQ(Text(Name({Rdn({Atv(kCn, Tlv(0x02, Bytes{0x05}))})})), "CN=#020105");
}

TEST(NameTest, UnknownTypesAndMultiValuedRdns) {
  const Bytes unknown_type{0x06, 0x03, 0x2a, 0x03, 0x04};  // 1.2.3.4
  EXPECT_EQ(Text(Name({Rdn({Atv(unknown_type, Str(0x0c, "x"))})})), "1.2.3.4=x");
  EXPECT_EQ(Text(Name({Rdn({Atv(kCn, Str(0x0c, "a")), Atv(kOu, Str(0x0c, "b"))}),
                       Rdn({Atv(kC, Str(0x13, "GB"))})})),
            "C=GB,CN=a+OU=b");
  EXPECT_EQ(Text(Tlv(0x30, {})), "");
}

TEST(NameTest, MalformedNamesAreRejected) {
  EXPECT_FALSE(NameToString(Name({Tlv(0x31, {})})).has_value());          // empty RDN
  EXPECT_FALSE(NameToString(Name({Rdn({Tlv(0x30, kCn)})})).has_value());  // no value
  EXPECT_FALSE(NameToString(Name({Rdn({Tlv(0x30, Concat({kCn, Str(0x0c, "a"), Str(0x0c, "b")}))})}))
                   .has_value());  // extra value
  EXPECT_FALSE(NameToString(Name({Tlv(0x30, Atv(kCn, Str(0x0c, "a")))})).has_value());  // not a SET
  Bytes trailing = Name({Rdn({Atv(kCn, Str(0x0c, "a"))})});
  trailing.push_back(0x00);
  EXPECT_FALSE(NameToString(trailing).has_value());
}

TEST(NameTest, AttributeValuesInEncodedOrder) {
  const Bytes cn_oid{0x55, 0x04, 0x03};
  const Bytes name =
      Name({Rdn({Atv(kCn, Str(0x0c, "first.example"))}), Rdn({Atv(kO, Str(0x0c, "Org"))}),
            Rdn({Atv(kCn, Str(0x13, "second.example"))})});
  auto values = NameAttributeValues(name, cn_oid);
  ASSERT_TRUE(values.has_value());
  EXPECT_EQ(*values, (std::vector<std::string>{"first.example", "second.example"}));
}

}  // namespace
}  // namespace ctkit
