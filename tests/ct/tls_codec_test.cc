// The TLS presentation-language codec: integers, fixed arrays, bounded vectors, trailing bytes.

#include "ct/tls_codec.h"

#include <gtest/gtest.h>

#include <cstdint>

#include "test_support.h"

namespace ctkit {
namespace {

using testing::Hex;

TEST(TlsCodecTest, LengthPrefixSizeFollowsTheCeiling) {
  // RFC 8446 §3.4: as many bytes as the ceiling needs.
  EXPECT_EQ(TlsLengthPrefixSize(0), 1u);
  EXPECT_EQ(TlsLengthPrefixSize(255), 1u);
  EXPECT_EQ(TlsLengthPrefixSize(256), 2u);
  EXPECT_EQ(TlsLengthPrefixSize(0xffff), 2u);
  EXPECT_EQ(TlsLengthPrefixSize(0x10000), 3u);
  EXPECT_EQ(TlsLengthPrefixSize(0xffffff), 3u);
  EXPECT_EQ(TlsLengthPrefixSize(0xffffffff), 4u);
}

TEST(TlsReaderTest, ReadsBigEndianIntegers) {
  Bytes data = Hex("01 0203 040506 0708090a 0b0c0d0e0f 1011121314151617");
  TlsReader reader(data);
  EXPECT_EQ(*reader.ReadU8(), 0x01);
  EXPECT_EQ(*reader.ReadU16(), 0x0203);
  EXPECT_EQ(*reader.ReadU24(), 0x040506u);
  EXPECT_EQ(*reader.ReadU32(), 0x0708090au);
  EXPECT_EQ(*reader.ReadU40(), 0x0b0c0d0e0full);
  EXPECT_EQ(*reader.ReadU64(), 0x1011121314151617ull);
  EXPECT_TRUE(reader.empty());
  EXPECT_TRUE(reader.ExpectEmpty("test").has_value());
}

TEST(TlsReaderTest, MaximalValuesDoNotOverflow) {
  Bytes data(8, 0xff);
  EXPECT_EQ(*TlsReader(data).ReadU64(), UINT64_MAX);
  EXPECT_EQ(*TlsReader(data).ReadU24(), 0xffffffu);
  EXPECT_EQ(*TlsReader(data).ReadU40(), (uint64_t{1} << 40) - 1);
}

TEST(TlsReaderTest, TruncatedIntegerFailsAndConsumesNothing) {
  Bytes data = Hex("aabbcc");
  TlsReader reader(data);
  auto value = reader.ReadU32();
  ASSERT_FALSE(value);
  EXPECT_EQ(value.error().code, ErrorCode::kMalformed);
  EXPECT_EQ(reader.remaining(), 3u);
  EXPECT_EQ(*reader.ReadU24(), 0xaabbccu);
  EXPECT_FALSE(reader.ReadU8());
}

TEST(TlsReaderTest, InvalidIntegerWidthIsAnInternalError) {
  Bytes data(16, 0);
  TlsReader reader(data);
  EXPECT_EQ(reader.ReadUint(0).error().code, ErrorCode::kInternal);
  EXPECT_EQ(reader.ReadUint(9).error().code, ErrorCode::kInternal);
  EXPECT_EQ(reader.remaining(), 16u);
}

TEST(TlsReaderTest, ReadFixed) {
  Bytes data = Hex("0102030405");
  TlsReader reader(data);
  auto first = reader.ReadFixed(2);
  ASSERT_TRUE(first);
  EXPECT_EQ(Bytes(first->begin(), first->end()), Hex("0102"));
  EXPECT_FALSE(reader.ReadFixed(4));
  EXPECT_EQ(reader.remaining(), 3u);
  auto empty = reader.ReadFixed(0);
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->empty());
  EXPECT_TRUE(reader.ReadFixed(3));
  EXPECT_TRUE(reader.empty());
}

TEST(TlsReaderTest, VectorPrefixWidthComesFromCeiling) {
  Bytes one = Hex("03aabbcc");
  auto v1 = TlsReader(one).ReadVector(0, 255);
  ASSERT_TRUE(v1);
  EXPECT_EQ(Bytes(v1->begin(), v1->end()), Hex("aabbcc"));

  Bytes two = Hex("0003aabbcc");
  auto v2 = TlsReader(two).ReadVector(0, 0xffff);
  ASSERT_TRUE(v2);
  EXPECT_EQ(v2->size(), 3u);

  Bytes three = Hex("000003aabbcc");
  auto v3 = TlsReader(three).ReadVector(1, 0xffffff);
  ASSERT_TRUE(v3);
  EXPECT_EQ(v3->size(), 3u);
}

TEST(TlsReaderTest, VectorBelowFloorAboveCeilingOrPastEndIsMalformed) {
  Bytes empty_vector = Hex("0000");
  TlsReader reader(empty_vector);
  auto below = reader.ReadVector(1, 0xffff);
  ASSERT_FALSE(below);
  EXPECT_EQ(below.error().code, ErrorCode::kMalformed);
  EXPECT_EQ(reader.remaining(), 2u);  // nothing consumed
  EXPECT_TRUE(reader.ReadVector(0, 0xffff));

  Bytes long_vector = Hex("05 0102030405");
  auto above = TlsReader(long_vector).ReadVector(0, 4);
  ASSERT_FALSE(above);
  EXPECT_EQ(above.error().code, ErrorCode::kMalformed);

  Bytes short_body = Hex("0004 010203");
  TlsReader past_end(short_body);
  auto past = past_end.ReadVector(0, 0xffff);
  ASSERT_FALSE(past);
  EXPECT_EQ(past.error().code, ErrorCode::kMalformed);
  EXPECT_EQ(past_end.remaining(), 5u);

  Bytes truncated_prefix = Hex("00");
  EXPECT_FALSE(TlsReader(truncated_prefix).ReadVector(0, 0xffff));
}

TEST(TlsReaderTest, BadVectorBoundsAreInternalErrors) {
  Bytes data = Hex("00");
  EXPECT_EQ(TlsReader(data).ReadVector(5, 4).error().code, ErrorCode::kInternal);
  EXPECT_EQ(TlsReader(data).ReadVector(0, uint64_t{1} << 32).error().code, ErrorCode::kInternal);
}

TEST(TlsReaderTest, TrailingBytesAreReported) {
  Bytes data = Hex("0102");
  TlsReader reader(data);
  ASSERT_TRUE(reader.ReadU8());
  auto done = reader.ExpectEmpty("thing");
  ASSERT_FALSE(done);
  EXPECT_EQ(done.error().code, ErrorCode::kMalformed);
  EXPECT_EQ(done.error().message, "thing: 1 trailing byte");
  EXPECT_EQ(reader.rest().size(), 1u);
}

TEST(TlsReaderTest, ReadingNestedVectorsFromEveryPrefixNeverOverreads) {
  // struct { uint16 a; opaque b<0..2^16-1>; opaque c<1..2^24-1>; uint64 d; }
  Bytes full = Hex("1234 0003abcdef 000002ffee 0102030405060708");
  for (size_t cut = 0; cut <= full.size(); ++cut) {
    Bytes prefix(full.begin(), full.begin() + cut);  // its own allocation: ASan sees overreads
    TlsReader reader(prefix);
    bool ok = reader.ReadU16() && reader.ReadVector(0, 0xffff) && reader.ReadVector(1, 0xffffff) &&
              reader.ReadU64() && reader.ExpectEmpty("s");
    EXPECT_EQ(ok, cut == full.size()) << "cut at " << cut;
  }
}

TEST(TlsBuilderTest, EncodesWhatTheReaderReads) {
  TlsBuilder builder;
  builder.AddU8(1).AddU16(0x0203).AddU24(0x040506).AddU32(0x0708090a).AddU40(0x0b0c0d0e0f);
  builder.AddU64(0x1011121314151617).AddFixed(Hex("aabb")).AddVector(0, 0xffff, Hex("cc"));
  builder.AddVector(1, 0xffffff, Hex("ddee"));
  EXPECT_TRUE(builder.ok());
  auto out = std::move(builder).Finish();
  ASSERT_TRUE(out);
  EXPECT_EQ(*out,
            Hex("01 0203 040506 0708090a 0b0c0d0e0f 1011121314151617 aabb 0001cc 000002ddee"));
}

TEST(TlsBuilderTest, ValuesThatDoNotFitFailTheBuild) {
  {
    TlsBuilder builder;
    builder.AddU24(0x1000000);
    EXPECT_FALSE(builder.ok());
    auto out = std::move(builder).Finish();
    ASSERT_FALSE(out);
    EXPECT_EQ(out.error().code, ErrorCode::kInvalidArgument);
  }
  {
    TlsBuilder builder;
    builder.AddU40(uint64_t{1} << 40);
    EXPECT_FALSE(std::move(builder).Finish());
  }
  {
    TlsBuilder builder;
    builder.AddUint(1, 0);
    EXPECT_FALSE(std::move(builder).Finish());
  }
}

TEST(TlsBuilderTest, VectorOutsideItsBoundsFailsTheBuild) {
  {
    TlsBuilder builder;
    builder.AddVector(1, 0xffff, {});
    EXPECT_FALSE(std::move(builder).Finish());
  }
  {
    TlsBuilder builder;
    Bytes big(256, 0);
    builder.AddVector(0, 255, big);
    EXPECT_FALSE(std::move(builder).Finish());
  }
  {
    TlsBuilder builder;
    Bytes big(0x10000, 0);
    builder.AddVector(0, 0xffff, big);
    auto out = std::move(builder).Finish();
    ASSERT_FALSE(out);
    EXPECT_EQ(out.error().code, ErrorCode::kInvalidArgument);
  }
  {
    // The largest vector that fits still encodes.
    TlsBuilder builder;
    Bytes max(0xffff, 7);
    builder.AddVector(0, 0xffff, max);
    auto out = std::move(builder).Finish();
    ASSERT_TRUE(out);
    EXPECT_EQ(out->size(), 0xffffu + 2);
    EXPECT_EQ((*out)[0], 0xff);
    EXPECT_EQ((*out)[1], 0xff);
  }
}

TEST(TlsBuilderTest, FirstErrorIsKept) {
  TlsBuilder builder;
  builder.AddU24(0x1000000).AddVector(1, 2, {});
  auto out = std::move(builder).Finish();
  ASSERT_FALSE(out);
  EXPECT_NE(out.error().message.find("16777216"), std::string::npos) << out.error().message;
}

}  // namespace
}  // namespace ctkit
