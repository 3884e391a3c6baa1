#include "base/bytes.h"

#include <gtest/gtest.h>

#include <random>

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
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(Base64Encode(AsBytes(plain)), encoded);
    Result<Bytes> decoded = Base64Decode(encoded);
    ASSERT_TRUE(decoded) << encoded;
    EXPECT_EQ(std::string(decoded->begin(), decoded->end()), plain);
  }
}

TEST(Base64Test, RejectsNonCanonicalAndMalformed) {
  for (const char* bad : {"Zg", "Zg=", "Zh==", "Zm9=", "Z===", "====", "Zm9v\n", "Zm 9v",
                          "Zg==Zg==", "Zm=v", "Zm9-", "Zm9_"}) {
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

// A bit-at-a-time decoder written straight from RFC 4648 §4 and Base64Decode's contract (up to
// two '=' at the end, the first character outside the alphabet named by offset, zero bits under
// the padding), with Base64Decode's messages: the oracle for its table and AVX2 paths.
Result<Bytes> ReferenceBase64Decode(std::string_view text) {
  static const std::string alphabet =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  if (text.size() % 4 != 0) {
    return MakeError(ErrorCode::kMalformed,
                     "base64 length " + std::to_string(text.size()) + " is not a multiple of 4");
  }
  size_t padding = 0;
  while (padding < 2 && padding < text.size() && text[text.size() - 1 - padding] == '=') {
    ++padding;
  }
  Bytes out;
  uint32_t bits = 0;
  int bit_count = 0;
  for (size_t i = 0; i < text.size() - padding; ++i) {
    size_t value = alphabet.find(text[i]);
    if (value == std::string::npos) {
      return MakeError(ErrorCode::kMalformed,
                       "not base64: bad character at offset " + std::to_string(i));
    }
    bits = bits << 6 | static_cast<uint32_t>(value);
    bit_count += 6;
    if (bit_count >= 8) {
      bit_count -= 8;
      out.push_back(static_cast<uint8_t>(bits >> bit_count));
      bits &= (1u << bit_count) - 1;
    }
  }
  if (bits != 0) {
    return MakeError(ErrorCode::kMalformed, "not canonical base64: nonzero bits before padding");
  }
  return out;
}

// Same verdict, same bytes or the same message.
void ExpectSameAsReference(std::string_view text) {
  Result<Bytes> got = Base64Decode(text);
  Result<Bytes> want = ReferenceBase64Decode(text);
  ASSERT_EQ(got.has_value(), want.has_value()) << QuoteUntrusted(text);
  if (want) {
    ASSERT_EQ(*got, *want) << QuoteUntrusted(text);
  } else {
    ASSERT_EQ(got.error().message, want.error().message) << QuoteUntrusted(text);
    ASSERT_EQ(got.error().code, ErrorCode::kMalformed);
  }
}

TEST(Base64Test, EveryLastQuadOverEdgeCharacters) {
  // Alphabet ends and neighbours ('A'/'Q'/'g'/'w' differ in the bits the padding hides),
  // padding, and characters one step outside the alphabet or from other alphabets.
  const std::string chars = std::string("AQgwz0+/=-_ \n{") + '\0' + "\x80\xff";
  for (const std::string prefix : {"", "Zm9v", "Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFy"}) {
    for (char a : chars) {
      for (char b : chars) {
        for (char c : chars) {
          for (char d : chars) ExpectSameAsReference(prefix + std::string{a, b, c, d});
        }
      }
    }
  }
}

TEST(Base64Test, EveryByteAtEveryPosition) {
  // Lengths around the 32-character blocks of the AVX2 path and its 32-byte stores.
  std::mt19937 rng(7);
  for (size_t length : {4, 8, 36, 40, 68, 72, 100, 136}) {
    for (size_t padding = 0; padding < 3; ++padding) {
      Bytes data(length / 4 * 3 - padding);
      for (uint8_t& b : data) b = static_cast<uint8_t>(rng());
      const std::string valid = Base64Encode(data);
      ASSERT_EQ(valid.size(), length);
      ExpectSameAsReference(valid);
      for (size_t pos = 0; pos < length; ++pos) {
        std::string text = valid;
        for (int c = 0; c < 256; ++c) {
          text[pos] = static_cast<char>(c);
          ExpectSameAsReference(text);
        }
      }
    }
  }
}

TEST(Base64Test, LengthsNotAMultipleOfFour) {
  std::string text;
  for (size_t length = 0; length < 140; ++length) {
    ExpectSameAsReference(text);
    if (length % 4 != 0) {
      EXPECT_EQ(Base64Decode(text).error().message,
                "base64 length " + std::to_string(length) + " is not a multiple of 4");
    }
    text.push_back("Zm9v"[length % 4]);
  }
}

TEST(Base64Test, RoundTripsOfEveryLengthAndFirstBadCharacterWins) {
  std::mt19937 rng(11);
  for (size_t n = 0; n < 400; ++n) {
    Bytes data(n);
    for (uint8_t& b : data) b = static_cast<uint8_t>(rng());
    std::string text = Base64Encode(data);
    ASSERT_EQ(*Base64Decode(text), data) << n;
    if (text.size() < 8) continue;
    // Two bad characters: the earlier one is named, across block boundaries too.
    size_t first = rng() % (text.size() - 4), second = first + 1 + rng() % 3;
    text[first] = '-';
    text[second] = '*';
    EXPECT_EQ(Base64Decode(text).error().message,
              "not base64: bad character at offset " + std::to_string(first));
  }
}

TEST(Base64Test, NonzeroBitsUnderPaddingAreRejected) {
  // "Zg==" decodes to "f"; each of the four bits under "==" set makes it non-canonical, as does
  // each of the two bits under "=" in "Zm8=".
  for (char c : std::string("hijklmnopqrstuv")) {  // 33..47: low four bits nonzero
    EXPECT_FALSE(Base64Decode(std::string("Z") + c + "==")) << c;
  }
  for (char c : std::string("9+/")) EXPECT_FALSE(Base64Decode(std::string("Zm") + c + "="));
  EXPECT_TRUE(Base64Decode("Zm8="));
  EXPECT_TRUE(Base64Decode("Zg=="));
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
