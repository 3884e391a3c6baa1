#include "x509/der.h"

#include <gtest/gtest.h>

#include "x509/der_writer.h"
#include "x509_test_util.h"

namespace ctkit {
namespace {

using x509_testing::Concat;
using x509_testing::Tlv;
using x509_testing::ToBytes;

Bytes B(std::initializer_list<uint8_t> bytes) { return Bytes(bytes); }

// A reader over `bytes`, for use within one full expression: Over(B({...})).ReadNull() keeps
// the temporary alive while the reader runs (DerReader refuses temporaries directly).
DerReader Over(const Bytes& bytes) { return DerReader(bytes); }

// Expects `result` to fail with kMalformed and a message containing `needle`.
template <typename T>
void ExpectMalformed(const Result<T>& result, const std::string& needle) {
  ASSERT_FALSE(result.has_value()) << "expected an error containing \"" << needle << "\"";
  EXPECT_EQ(result.error().code, ErrorCode::kMalformed);
  EXPECT_NE(result.error().message.find(needle), std::string::npos) << result.error().message;
}

TEST(DerReaderTest, ReadsShortAndLongFormLengths) {
  Bytes long_contents(200, 0xab);
  Bytes data = Tlv(0x04, long_contents);
  ASSERT_EQ(data[1], 0x81);
  Bytes two = Tlv(0x04, Bytes(300, 0x01));
  ASSERT_EQ(two[1], 0x82);
  data.insert(data.end(), two.begin(), two.end());
  DerReader reader(data);
  auto first = reader.ReadFullElement(kDerOctetString);
  ASSERT_TRUE(first.has_value()) << first.error().message;
  EXPECT_EQ(first->contents.size(), 200u);
  EXPECT_EQ(first->header_size(), 3u);
  EXPECT_EQ(reader.offset(), 203u);
  auto second = reader.ReadOctetString();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->size(), 300u);
  EXPECT_TRUE(reader.empty());
  EXPECT_TRUE(reader.ExpectEnd("test").has_value());
}

TEST(DerReaderTest, RejectsNonDerLengths) {
  ExpectMalformed(Over(B({0x04, 0x80, 0x00, 0x00})).ReadOctetString(), "indefinite length");
  ExpectMalformed(Over(B({0x04, 0x81, 0x05, 1, 2, 3, 4, 5})).ReadOctetString(),
                  "long-form length below 128");
  Bytes padded = B({0x04, 0x82, 0x00, 0x80});
  padded.resize(4 + 0x80);
  ExpectMalformed(DerReader(padded).ReadOctetString(), "leading zero octet");
  ExpectMalformed(Over(B({0x04, 0xff, 0x00})).ReadOctetString(), "reserved length");
  ExpectMalformed(Over(B({0x04, 0x85, 0x01, 0x00, 0x00, 0x00, 0x00})).ReadOctetString(),
                  "more than 4 octets");
  ExpectMalformed(Over(B({0x04, 0x82, 0x01})).ReadOctetString(), "truncated length");
  ExpectMalformed(Over(B({0x04, 0x03, 0x01, 0x02})).ReadOctetString(),
                  "exceeds the 2 remaining bytes");
  ExpectMalformed(Over(B({0x04})).ReadOctetString(), "truncated length");
  ExpectMalformed(Over(Bytes()).ReadOctetString(), "unexpected end of data");
}

// The reader decides short-form and one- or two-octet long-form headers inline and everything
// else in its general path: the boundaries between the two must give the general rules' verdict.
TEST(DerReaderTest, HeaderFastPathBoundaries) {
  // One-octet long form: 128 is the smallest DER value, and it must fit.
  Bytes ok128 = B({0x04, 0x81, 0x80});
  ok128.resize(3 + 128, 0x00);
  auto element = DerReader(ok128).ReadAnyElement();
  ASSERT_TRUE(element.has_value()) << element.error().message;
  EXPECT_EQ(element->header_size(), 3u);
  EXPECT_EQ(element->contents.size(), 128u);
  Bytes short_by_one(ok128.begin(), ok128.end() - 1);
  ExpectMalformed(DerReader(short_by_one).ReadAnyElement(), "length 128 exceeds the 127 remaining");
  ExpectMalformed(Over(B({0x04, 0x81, 0x7f})).ReadAnyElement(), "long-form length below 128");
  ExpectMalformed(Over(B({0x04, 0x81})).ReadAnyElement(), "truncated length octets");
  // Two-octet long form: 256 is the smallest, a leading zero octet is not DER.
  Bytes ok256 = B({0x30, 0x82, 0x01, 0x00});
  ok256.resize(4 + 256, 0x00);
  element = DerReader(ok256).ReadFullElement(kDerSequence);
  ASSERT_TRUE(element.has_value()) << element.error().message;
  EXPECT_EQ(element->header_size(), 4u);
  EXPECT_EQ(element->contents.size(), 256u);
  const Bytes ok256_short(ok256.begin(), ok256.end() - 1);
  ExpectMalformed(DerReader(ok256_short).ReadAnyElement(), "length 256 exceeds the 255 remaining");
  Bytes zero_led = B({0x30, 0x82, 0x00, 0xff});
  zero_led.resize(4 + 0xff, 0x00);
  ExpectMalformed(DerReader(zero_led).ReadAnyElement(), "leading zero octet");
  ExpectMalformed(Over(B({0x30, 0x82, 0x01})).ReadAnyElement(), "truncated length octets");
  // Three-octet lengths take the general path and still work.
  Bytes big = B({0x04, 0x83, 0x01, 0x00, 0x00});
  big.resize(5 + 0x10000, 0x00);
  element = DerReader(big).ReadAnyElement();
  ASSERT_TRUE(element.has_value()) << element.error().message;
  EXPECT_EQ(element->contents.size(), 0x10000u);
  // A high tag number with a short length, then a low one: both read, in order.
  const Bytes two = B({0x9f, 0x87, 0x68, 0x01, 0xaa, 0x02, 0x01, 0x05});
  DerReader reader(two);
  element = reader.ReadFullElement(DerContextTag(1000, false));
  ASSERT_TRUE(element.has_value()) << element.error().message;
  EXPECT_EQ(element->header_size(), 4u);
  EXPECT_EQ(reader.ReadUint64().value(), 5u);
  EXPECT_TRUE(reader.empty());
  // Short form exactly at the end of the data, and one octet past it.
  ExpectMalformed(Over(B({0x04, 0x02, 0x01})).ReadOctetString(), "exceeds the 1 remaining");
  EXPECT_TRUE(Over(B({0x04, 0x01, 0x01})).ReadOctetString().has_value());
}

TEST(DerReaderTest, IsAsciiChecksEveryOctet) {
  // Eight octets at a time plus a tail: a top bit anywhere, in a word or in the tail, counts.
  for (size_t size = 0; size <= 20; ++size) {
    Bytes text(size, 'a');
    EXPECT_TRUE(IsAscii(text)) << size;
    for (size_t pos = 0; pos < size; ++pos) {
      for (uint8_t high : {uint8_t{0x80}, uint8_t{0xff}}) {
        Bytes bad = text;
        bad[pos] = high;
        EXPECT_FALSE(IsAscii(bad)) << size << " " << pos;
      }
    }
  }
  EXPECT_TRUE(IsAscii(B({0x00, 0x7f})));
}

TEST(DerReaderTest, HighTagNumbers) {
  // [APPLICATION 31]: the smallest number that needs the high form.
  auto tag = Over(B({0x5f, 0x1f, 0x00})).PeekTag();
  ASSERT_TRUE(tag.has_value());
  EXPECT_EQ(*tag, (DerTag{DerTagClass::kApplication, false, 31}));
  // [1000] constructed, context-specific: 1000 = 0x07 0x68 in base 128.
  tag = Over(B({0xbf, 0x87, 0x68, 0x00})).PeekTag();
  ASSERT_TRUE(tag.has_value());
  EXPECT_EQ(*tag, DerContextTag(1000, true));
  ExpectMalformed(Over(B({0x1f, 0x1e, 0x00})).PeekTag(), "below 31");
  ExpectMalformed(Over(B({0x1f, 0x80, 0x1f, 0x00})).PeekTag(), "leading zero group");
  ExpectMalformed(Over(B({0x1f, 0x81, 0x80, 0x80, 0x80, 0x00, 0x00})).PeekTag(), "too large");
  ExpectMalformed(Over(B({0x1f, 0x81})).PeekTag(), "truncated high tag");
}

TEST(DerReaderTest, TagMismatchNamesBothTags) {
  const Bytes integer = B({0x02, 0x01, 0x05});
  DerReader reader(integer);
  ExpectMalformed(reader.ReadSequence(), "expected SEQUENCE, found INTEGER");
  // Constructed OCTET STRING (BER only) is a different tag and is refused.
  ExpectMalformed(Over(B({0x24, 0x03, 0x04, 0x01, 0x00})).ReadOctetString(),
                  "expected OCTET STRING");
}

TEST(DerReaderTest, OptionalElements) {
  Bytes data = Concat({Tlv(0xa0, Tlv(0x02, {0x02})), Tlv(0x02, {0x07})});
  DerReader reader(data);
  auto absent = reader.ReadOptionalElement(DerContextTag(1, true));
  ASSERT_TRUE(absent.has_value());
  EXPECT_FALSE(absent->has_value());
  auto present = reader.ReadOptionalConstructed(DerContextTag(0, true));
  ASSERT_TRUE(present.has_value());
  ASSERT_TRUE(present->has_value());
  EXPECT_EQ((*present)->ReadUint64().value(), 2u);
  EXPECT_EQ(reader.ReadUint64().value(), 7u);
  auto at_end = reader.ReadOptionalElement(kDerInteger);
  ASSERT_TRUE(at_end.has_value());
  EXPECT_FALSE(at_end->has_value());
}

TEST(DerReaderTest, IntegersMustBeMinimal) {
  EXPECT_EQ(Over(B({0x02, 0x01, 0x00})).ReadUint64().value(), 0u);
  EXPECT_EQ(Over(B({0x02, 0x02, 0x00, 0x80})).ReadUint64().value(), 128u);
  EXPECT_EQ(Over(B({0x02, 0x09, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}))
                .ReadUint64()
                .value(),
            UINT64_MAX);
  const Bytes minus_128 = B({0x02, 0x01, 0x80});
  auto negative = DerReader(minus_128).ReadInteger();
  ASSERT_TRUE(negative.has_value());
  EXPECT_TRUE(negative->IsNegative());
  ExpectMalformed(Over(B({0x02, 0x02, 0x00, 0x7f})).ReadInteger(), "redundant leading 0x00");
  ExpectMalformed(Over(B({0x02, 0x02, 0xff, 0x80})).ReadInteger(), "redundant leading 0xff");
  ExpectMalformed(Over(B({0x02, 0x00})).ReadInteger(), "no content octets");
  ExpectMalformed(Over(B({0x02, 0x01, 0xff})).ReadUint64(), "negative");
  ExpectMalformed(Over(B({0x02, 0x09, 0x01, 0, 0, 0, 0, 0, 0, 0, 0})).ReadUint64(), "64 bits");
}

TEST(DerReaderTest, Booleans) {
  EXPECT_TRUE(Over(B({0x01, 0x01, 0xff})).ReadBoolean().value());
  EXPECT_FALSE(Over(B({0x01, 0x01, 0x00})).ReadBoolean().value());
  ExpectMalformed(Over(B({0x01, 0x01, 0x01})).ReadBoolean(), "0xff");
  ExpectMalformed(Over(B({0x01, 0x02, 0xff, 0xff})).ReadBoolean(), "exactly one");
}

TEST(DerReaderTest, ObjectIdentifiers) {
  const Bytes san_oid = B({0x06, 0x03, 0x55, 0x1d, 0x11});
  auto oid = DerReader(san_oid).ReadOid();
  ASSERT_TRUE(oid.has_value());
  EXPECT_EQ(ToBytes(*oid), B({0x55, 0x1d, 0x11}));
  ExpectMalformed(Over(B({0x06, 0x00})).ReadOid(), "empty");
  ExpectMalformed(Over(B({0x06, 0x02, 0x2a, 0x86})).ReadOid(), "ends inside");
  ExpectMalformed(Over(B({0x06, 0x03, 0x2a, 0x80, 0x01})).ReadOid(), "leading 0x80");
}

TEST(DerReaderTest, BitStrings) {
  const Bytes bits_der = B({0x03, 0x02, 0x05, 0xa0});
  auto bits = DerReader(bits_der).ReadBitString();
  ASSERT_TRUE(bits.has_value());
  EXPECT_EQ(bits->unused_bits, 5);
  EXPECT_EQ(ToBytes(bits->bytes), B({0xa0}));
  const Bytes empty_der = B({0x03, 0x01, 0x00});
  auto empty = DerReader(empty_der).ReadBitString();
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->bytes.empty());
  ExpectMalformed(Over(B({0x03, 0x02, 0x08, 0x00})).ReadBitString(), "above 7");
  ExpectMalformed(Over(B({0x03, 0x02, 0x01, 0x01})).ReadBitString(), "not zero");
  ExpectMalformed(Over(B({0x03, 0x01, 0x03})).ReadBitString(), "empty BIT STRING");
  ExpectMalformed(Over(B({0x03, 0x00})).ReadBitString(), "no unused-bits octet");
}

TEST(DerReaderTest, Null) {
  EXPECT_TRUE(Over(B({0x05, 0x00})).ReadNull().has_value());
  ExpectMalformed(Over(B({0x05, 0x01, 0x00})).ReadNull(), "content octets");
}

Bytes TimeElement(uint8_t tag, const std::string& text) {
  return Tlv(tag, Bytes(text.begin(), text.end()));
}

TEST(DerReaderTest, UtcTime) {
  // Values cross-checked with `date -u -d ... +%s`.
  EXPECT_EQ(Over(TimeElement(0x17, "120601000000Z")).ReadTime().value(), 1338508800);
  EXPECT_EQ(Over(TimeElement(0x17, "180926195633Z")).ReadTime().value(), 1537991793);
  // RFC 5280 §4.1.2.5.1: YY >= 50 is 19YY.
  EXPECT_EQ(Over(TimeElement(0x17, "500101000000Z")).ReadTime().value(), -631152000);
  EXPECT_EQ(Over(TimeElement(0x17, "491231235959Z")).ReadTime().value(), 2524607999);
  EXPECT_EQ(Over(TimeElement(0x17, "000229000000Z")).ReadTime().value(), 951782400);
  ExpectMalformed(Over(TimeElement(0x17, "1206010000Z")).ReadTime(), "13 characters");
  ExpectMalformed(Over(TimeElement(0x17, "120601000000+0000")).ReadTime(), "13 characters");
  ExpectMalformed(Over(TimeElement(0x17, "1206010000000")).ReadTime(), "'Z'");
  ExpectMalformed(Over(TimeElement(0x17, "12060100000aZ")).ReadTime(), "non-digit");
  ExpectMalformed(Over(TimeElement(0x17, "121301000000Z")).ReadTime(), "month 13");
  ExpectMalformed(Over(TimeElement(0x17, "190229000000Z")).ReadTime(), "day 29");
  ExpectMalformed(Over(TimeElement(0x17, "120431000000Z")).ReadTime(), "day 31");
  ExpectMalformed(Over(TimeElement(0x17, "120601240000Z")).ReadTime(), "out of range");
  ExpectMalformed(Over(TimeElement(0x17, "120601005960Z")).ReadTime(), "out of range");
}

TEST(DerReaderTest, GeneralizedTime) {
  EXPECT_EQ(Over(TimeElement(0x18, "20500101000000Z")).ReadTime().value(), 2524608000);
  EXPECT_EQ(Over(TimeElement(0x18, "19700101000000Z")).ReadTime().value(), 0);
  EXPECT_EQ(Over(TimeElement(0x18, "99991231235959Z")).ReadTime().value(), 253402300799);
  EXPECT_EQ(Over(TimeElement(0x18, "21000228000000Z")).ReadTime().value(), 4107456000);
  ExpectMalformed(Over(TimeElement(0x18, "21000229000000Z")).ReadTime(), "day 29");
  ExpectMalformed(Over(TimeElement(0x18, "20500101000000.5Z")).ReadTime(), "15 characters");
  ExpectMalformed(Over(TimeElement(0x18, "205001010000Z")).ReadTime(), "15 characters");
  ExpectMalformed(Over(TimeElement(0x04, "20500101000000Z")).ReadTime(),
                  "expected UTCTime or GeneralizedTime");
}

TEST(DerReaderTest, NestingDepthIsBounded) {
  Bytes nested = Tlv(0x05, {});
  for (int i = 0; i < kMaxDerDepth + 5; ++i) nested = Tlv(0x30, nested);
  DerReader reader(nested);
  Result<void> failure;
  for (int depth = 0;; ++depth) {
    auto child = reader.ReadSequence();
    if (!child) {
      EXPECT_EQ(depth, kMaxDerDepth);
      EXPECT_NE(child.error().message.find("nesting deeper"), std::string::npos);
      break;
    }
    ASSERT_LE(depth, kMaxDerDepth);
    reader = *child;
  }
}

TEST(DerReaderTest, TrailingBytesAreReported) {
  const Bytes null_and_trailer = B({0x05, 0x00, 0x00});
  DerReader reader(null_and_trailer);
  ASSERT_TRUE(reader.ReadNull().has_value());
  ExpectMalformed(reader.ExpectEnd("thing"), "thing has 1 trailing bytes");
  ExpectMalformed(ParseSingleDerElement(B({0x05, 0x00, 0x05, 0x00})), "trailing");
  EXPECT_TRUE(ParseSingleDerElement(B({0x05, 0x00})).has_value());
}

TEST(DerReaderTest, FailedPeekLeavesReaderUsable) {
  const Bytes empty_sequence = B({0x30, 0x00});
  DerReader reader(empty_sequence);
  EXPECT_FALSE(reader.PeekTagIs(kDerInteger));
  EXPECT_TRUE(reader.PeekTagIs(kDerSequence));
  EXPECT_EQ(reader.offset(), 0u);
  EXPECT_TRUE(reader.ReadSequence().has_value());
}

TEST(DerWriterTest, HeadersAreMinimalAndReadBack) {
  for (size_t size : {0u, 1u, 127u, 128u, 255u, 256u, 65535u, 65536u, 1u << 20}) {
    Bytes out;
    AppendDerElement(out, kDerOctetString, Bytes(size, 0x5a));
    EXPECT_EQ(out, Tlv(0x04, Bytes(size, 0x5a))) << size;
    auto element = ParseSingleDerElement(out);
    ASSERT_TRUE(element.has_value()) << size;
    EXPECT_EQ(element->contents.size(), size);
  }
  for (uint32_t number : {0u, 30u, 31u, 127u, 128u, 16383u, 16384u, kMaxDerTagNumber}) {
    const DerTag tag = DerContextTag(number, number % 2 == 0);
    Bytes out;
    AppendDerElement(out, tag, B({0x01}));
    auto element = ParseSingleDerElement(out);
    ASSERT_TRUE(element.has_value()) << number << ": " << element.error().message;
    EXPECT_EQ(element->tag, tag);
  }
}

TEST(DerTagTest, Names) {
  EXPECT_EQ(kDerSequence.ToString(), "SEQUENCE");
  EXPECT_EQ(DerContextTag(3, true).ToString(), "[3] constructed");
  EXPECT_EQ((DerTag{DerTagClass::kPrivate, false, 9}).ToString(), "[PRIVATE 9]");
}

}  // namespace
}  // namespace ctkit
