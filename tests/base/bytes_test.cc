#include "base/bytes.h"

#include <random>

#include <gtest/gtest.h>

#include "base/sha256.h"

namespace ctkit {
namespace {

TEST(HexTest, RoundTripsEveryByte) {
  Bytes all(256);
  for (int i = 0; i < 256; ++i) all[i] = static_cast<uint8_t>(i);
  std::string hex = HexEncode(all);
  EXPECT_EQ(hex.substr(0, 8), "00010203");
  EXPECT_EQ(hex.substr(hex.size() - 4), "feff");
  EXPECT_EQ(*HexDecode(hex), all);
  EXPECT_EQ(*HexDecode("ABcd"), (Bytes{0xab, 0xcd}));
}

TEST(HexTest, RejectsOddLengthAndNonHex) {
  EXPECT_FALSE(HexDecode("abc"));
  EXPECT_FALSE(HexDecode("zz"));
  EXPECT_FALSE(HexDecode("0x00"));
  EXPECT_FALSE(HexDecode(" 0"));
  EXPECT_TRUE(HexDecode("")->empty());
}

TEST(Base64Test, Rfc4648Vectors) {
  // RFC 4648 §10.
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},        {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(Base64Encode(AsBytes(plain)), encoded);
    Result<Bytes> decoded = Base64Decode(encoded);
    ASSERT_TRUE(decoded) << encoded;
    EXPECT_EQ(std::string(decoded->begin(), decoded->end()), plain);
  }
}

TEST(Base64Test, RejectsNonCanonicalAndMalformed) {
  for (const char* bad : {"Zg", "Zg=", "Zh==", "Zm9=", "Z===", "====", "Zm9v\n", "Zm 9v", "Zg==Zg==",
                          "Zm=v", "Zm9-", "Zm9_"}) {
    EXPECT_FALSE(Base64Decode(bad)) << bad;
  }
}

TEST(Base64Test, RandomRoundTrips) {
  std::mt19937 rng(3);
  for (int n = 0; n < 200; ++n) {
    Bytes data(n);
    for (uint8_t& b : data) b = static_cast<uint8_t>(rng());
    EXPECT_EQ(*Base64Decode(Base64Encode(data)), data);
  }
}

TEST(Sha256Test, KnownAnswers) {
  EXPECT_EQ(HexEncode(Sha256(AsBytes(""))),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HexEncode(Sha256(AsBytes("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hasher().Update(AsBytes("a")).Update(AsBytes("bc")).Finish(),
            Sha256(AsBytes("abc")));
}

}  // namespace
}  // namespace ctkit
