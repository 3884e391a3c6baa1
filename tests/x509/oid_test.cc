#include "x509/oid.h"

#include <gtest/gtest.h>

namespace ctkit {
namespace {

TEST(OidTest, ToStringOfKnownOids) {
  EXPECT_EQ(OidToString(oid::kCtPoison).value(), "1.3.6.1.4.1.11129.2.4.3");
  EXPECT_EQ(OidToString(oid::kCtSctList).value(), "1.3.6.1.4.1.11129.2.4.2");
  EXPECT_EQ(OidToString(oid::kCtPrecertSigning).value(), "1.3.6.1.4.1.11129.2.4.4");
  EXPECT_EQ(OidToString(oid::kSubjectAltName).value(), "2.5.29.17");
  EXPECT_EQ(OidToString(oid::kAuthorityKeyIdentifier).value(), "2.5.29.35");
  // First subidentifier edge cases (X.690 §8.19.4).
  EXPECT_EQ(OidToString(Bytes{0x00}).value(), "0.0");
  EXPECT_EQ(OidToString(Bytes{0x27}).value(), "0.39");
  EXPECT_EQ(OidToString(Bytes{0x28}).value(), "1.0");
  EXPECT_EQ(OidToString(Bytes{0x50}).value(), "2.0");
  EXPECT_EQ(OidToString(Bytes{0x88, 0x37}).value(), "2.999");
}

TEST(OidTest, ArcsWiderThan64BitsPrintExactly) {
  // 2.25.<UUID>: a 128-bit arc (value checked with Python's int arithmetic).
  const Bytes uuid_oid{0x69, 0x83, 0xf0, 0x9d, 0xa7, 0xeb, 0xcf, 0xde, 0xe0, 0xc7,
                       0xa1, 0xa7, 0xb2, 0xc0, 0x94, 0x8c, 0xc8, 0xf9, 0xd7, 0x76};
  EXPECT_EQ(OidToString(uuid_oid).value(), "2.25.329800735698586629295641978511506172918");
  Bytes too_wide{0x2a};
  too_wide.insert(too_wide.end(), 33, 0x81);
  too_wide.push_back(0x01);
  auto result = OidToString(too_wide);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, ErrorCode::kUnsupported);
}

TEST(OidTest, ToStringRejectsInvalidEncodings) {
  EXPECT_FALSE(OidToString(Bytes{}).has_value());
  EXPECT_FALSE(OidToString(Bytes{0x2a, 0x86}).has_value());
  EXPECT_FALSE(OidToString(Bytes{0x2a, 0x80, 0x01}).has_value());
}

TEST(OidTest, FromStringRoundTrips) {
  for (const char* text : {"1.3.6.1.4.1.11129.2.4.3", "2.5.29.17", "0.9.2342.19200300.100.1.25",
                           "2.999.18446744073709551615", "1.2.840.113549.1.1.11"}) {
    auto encoded = OidFromString(text);
    ASSERT_TRUE(encoded.has_value()) << text;
    EXPECT_EQ(OidToString(*encoded).value(), text);
  }
  EXPECT_EQ(OidFromString("1.3.6.1.4.1.11129.2.4.3").value(),
            Bytes(oid::kCtPoison.begin(), oid::kCtPoison.end()));
}

TEST(OidTest, FromStringRejectsBadText) {
  for (const char* text : {"", "1", "3.1", "1.40", "1..2", "1.2.", "1.02", "1.2.x", "-1.2",
                           "2.5.18446744073709551616"}) {
    auto encoded = OidFromString(text);
    EXPECT_FALSE(encoded.has_value()) << text;
    if (!encoded) {
      EXPECT_EQ(encoded.error().code, ErrorCode::kInvalidArgument);
    }
  }
}

}  // namespace
}  // namespace ctkit
