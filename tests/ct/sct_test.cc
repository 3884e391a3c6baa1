// Parsing and serializing SCTs, SCT lists and the static-ct-api SCT extensions, over the real
// vectors in testdata/ (provenance in testdata/MANIFEST.json).

#include "ct/sct.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ct/sct_ocsp.h"
#include "ocsp_response.h"
#include "test_support.h"

namespace ctkit {
namespace {

using testing::Hex;

using nlohmann::json;

// Every well-formed v1 SCT in testdata/.
const char* const kValidSctFiles[] = {
    "sct/ctlog/test-cert.proof",
    "sct/ctlog/test-cert-rsa.proof",
    "sct/ctlog/test-embedded-pre-cert.proof",
    "sct/ctlog/test-embedded-with-preca-pre-cert.proof",
    "sct/sctrs/ecdsa_p256-basic-sct.bin",
    "sct/sctrs/ecdsa_p256-future-sct.bin",
    "sct/sctrs/ecdsa_p256-wrongcert-sct.bin",
    "sct/sctrs/ecdsa_p256-wrongid-sct.bin",
    "sct/sctrs/ecdsa_p384-basic-sct.bin",
    "sct/sctrs/rsa2048-basic-sct.bin",
    "sct/sctrs/rsa2048-wrongtime-sct.bin",
    "sct/sctrs/google-sct0.bin",
    "sct/sctrs/google-sct1.bin",
    "malformed/cryptography.io-icarus-sct.sig-bitflip.bin",
    "malformed/ctlog-test-cert-tampered-timestamp.proof",
};

TEST(SctTest, ParsesTheCtTestLogSct) {
  Bytes bytes = testing::ReadTestData("sct/ctlog/test-cert.proof");
  auto sct = ParseSct(bytes);
  ASSERT_TRUE(sct) << sct.error().message;
  EXPECT_EQ(sct->version, SctVersion::kV1);
  EXPECT_EQ(sct->log_id, testing::IdFromBase64("3xwuwRUAlFJHqWFoMl3cXHlZ6PfG04j8AC4LvT9012Q="));
  EXPECT_EQ(sct->timestamp_ms, 0x13ddb27ded9u);
  EXPECT_TRUE(sct->extensions.empty());
  EXPECT_EQ(sct->signature.hash_algorithm, HashAlgorithm::kSha256);
  EXPECT_EQ(sct->signature.signature_algorithm, SignatureAlgorithm::kEcdsa);
  // 1 + 32 + 8 + 2 + (1 + 1 + 2) header bytes, then the DER signature.
  EXPECT_EQ(sct->signature.signature.size(), bytes.size() - 47);
  EXPECT_EQ(sct->signature.signature[0], 0x30);
}

TEST(SctTest, ParsesRsaAndP384Scts) {
  auto rsa = ParseSct(testing::ReadTestData("sct/ctlog/test-cert-rsa.proof"));
  ASSERT_TRUE(rsa);
  EXPECT_EQ(rsa->signature.hash_algorithm, HashAlgorithm::kSha256);
  EXPECT_EQ(rsa->signature.signature_algorithm, SignatureAlgorithm::kRsa);
  EXPECT_EQ(rsa->signature.signature.size(), 256u);

  // Well-formed TLS; that SHA-384 is not allowed is the verifier's business.
  auto p384 = ParseSct(testing::ReadTestData("sct/sctrs/ecdsa_p384-basic-sct.bin"));
  ASSERT_TRUE(p384);
  EXPECT_EQ(p384->signature.hash_algorithm, HashAlgorithm::kSha384);
  EXPECT_EQ(p384->timestamp_ms, 1234u);
}

TEST(SctTest, EveryValidSctRoundTrips) {
  for (const char* file : kValidSctFiles) {
    SCOPED_TRACE(file);
    Bytes bytes = testing::ReadTestData(file);
    auto sct = ParseSct(bytes);
    ASSERT_TRUE(sct) << sct.error().message;
    auto serialized = SerializeSct(*sct);
    ASSERT_TRUE(serialized);
    EXPECT_EQ(*serialized, bytes);
  }
}

TEST(SctTest, TrailingByteIsMalformed) {
  // sctrs "junk": one byte after a valid SCT.
  auto sct = ParseSct(testing::ReadTestData("sct/sctrs/ecdsa_p256-junk-sct.bin"));
  ASSERT_FALSE(sct);
  EXPECT_EQ(sct.error().code, ErrorCode::kMalformed);
  EXPECT_NE(sct.error().message.find("trailing"), std::string::npos) << sct.error().message;
}

TEST(SctTest, UnknownVersionIsUnsupportedNotMalformed) {
  // sctrs "version": sct_version = 1.
  auto sct = ParseSct(testing::ReadTestData("sct/sctrs/ecdsa_p256-version-sct.bin"));
  ASSERT_FALSE(sct);
  EXPECT_EQ(sct.error().code, ErrorCode::kUnsupported);

  Bytes v255 = testing::ReadTestData("sct/ctlog/test-cert.proof");
  v255[0] = 0xff;
  v255.resize(5);  // whatever follows an unknown version is not judged
  EXPECT_EQ(ParseSct(v255).error().code, ErrorCode::kUnsupported);
}

TEST(SctTest, EmptyInputIsMalformed) {
  EXPECT_EQ(ParseSct({}).error().code, ErrorCode::kMalformed);
}

TEST(SctTest, SerializeRejectsWhatCannotBeEncoded) {
  SignedCertificateTimestamp sct;
  sct.extensions.assign(0x10000, 0);
  auto too_long = SerializeSct(sct);
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().code, ErrorCode::kInvalidArgument);

  sct.extensions.clear();
  sct.signature.signature.assign(0x10000, 0);
  EXPECT_FALSE(SerializeSct(sct));

  sct.signature.signature.clear();
  sct.version = static_cast<SctVersion>(1);
  EXPECT_FALSE(SerializeSct(sct));
}

TEST(SctTest, BuiltSctSerializesToTheExpectedBytes) {
  SignedCertificateTimestamp sct;
  sct.log_id.fill(0xab);
  sct.timestamp_ms = 0x0102030405060708;
  sct.extensions = Hex("000005000000002a");
  sct.signature = {HashAlgorithm::kSha256, SignatureAlgorithm::kEcdsa, Hex("3006020101020101")};
  auto bytes = SerializeSct(sct);
  ASSERT_TRUE(bytes);
  std::string log_id_hex;
  for (int i = 0; i < 32; ++i) log_id_hex += "ab";
  EXPECT_EQ(HexEncode(*bytes), "00" + log_id_hex + "0102030405060708" + "0008" +
                                   "000005000000002a" + "0403" + "0008" + "3006020101020101");
  EXPECT_EQ(*ParseSct(*bytes), sct);
}

TEST(SctTest, EveryTruncationIsMalformed) {
  for (const char* file : kValidSctFiles) {
    Bytes bytes = testing::ReadTestData(file);
    for (size_t cut = 0; cut < bytes.size(); ++cut) {
      Bytes prefix(bytes.begin(), bytes.begin() + cut);  // own allocation: ASan sees overreads
      auto sct = ParseSct(prefix);
      ASSERT_FALSE(sct) << file << " cut at " << cut;
      EXPECT_EQ(sct.error().code, ErrorCode::kMalformed) << file << " cut at " << cut;
    }
  }
}

TEST(SctTest, EveryBitFlipParsesExactlyOrFails) {
  // A flipped bit either breaks the structure (an error, never a crash) or yields an SCT that
  // serializes back to exactly the flipped bytes: nothing is silently dropped or invented.
  for (const char* file : {"sct/ctlog/test-cert.proof", "sct/ctlog/test-cert-rsa.proof",
                           "sct/sctrs/google-sct1.bin"}) {
    Bytes bytes = testing::ReadTestData(file);
    size_t parsed = 0;
    for (size_t bit = 0; bit < bytes.size() * 8; ++bit) {
      Bytes flipped = bytes;
      flipped[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
      auto sct = ParseSct(flipped);
      if (!sct) {
        EXPECT_TRUE(sct.error().code == ErrorCode::kMalformed ||
                    sct.error().code == ErrorCode::kUnsupported)
            << file << " bit " << bit;
        if (bit < 8) {
          EXPECT_EQ(sct.error().code, ErrorCode::kUnsupported);
        }
        continue;
      }
      ++parsed;
      EXPECT_EQ(*SerializeSct(*sct), flipped) << file << " bit " << bit;
    }
    // Flips in the log_id, timestamp, algorithms and signature bytes keep the structure.
    EXPECT_GT(parsed, bytes.size() * 8 / 2) << file;
  }
}

// --- SignedCertificateTimestampList (RFC 6962 §3.3) ---

TEST(SctListTest, ManifestListCases) {
  // Every sct_list case of testdata/MANIFEST.json gives its expected result.
  json manifest = json::parse(testing::ReadTestDataText("MANIFEST.json"));
  int cases = 0;
  for (const json& test_case : manifest["cases"]) {
    if (test_case["kind"] != "sct_list") continue;
    ++cases;
    std::string id = test_case["id"];
    std::string expected = test_case["expected"]["result"];
    auto list = ParseSctList(testing::ReadTestData(test_case["files"]["sct_list"]));
    if (expected == "valid") {
      ASSERT_TRUE(list) << id << ": " << list.error().message;
      EXPECT_EQ(list->size(), test_case["expected"]["count"].get<size_t>()) << id;
      for (const Bytes& sct : *list) EXPECT_TRUE(ParseSct(sct)) << id;
    } else {
      ASSERT_EQ(expected, "malformed") << id;
      ASSERT_FALSE(list) << id;
      EXPECT_EQ(list.error().code, ErrorCode::kMalformed) << id;
    }
  }
  EXPECT_EQ(cases, 3);
}

TEST(SctListTest, ReferenceListHoldsTheIcarusAndMammothScts) {
  Bytes bytes = testing::ReadTestData("malformed/cryptography.io-sctlist.bin");
  auto list = ParseSctList(bytes);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  auto icarus = ParseSct((*list)[0]);
  ASSERT_TRUE(icarus);
  // Google Icarus: log_id as in the log list.
  EXPECT_EQ(icarus->log_id, testing::IdFromBase64("KTxRllTIOWW6qlD8WAfUt2+/WHopctykwwz05UVH9Hg="));
  // The separately stored, bit-flipped Icarus SCT differs from list entry 0 in one bit.
  Bytes flipped = testing::ReadTestData("malformed/cryptography.io-icarus-sct.sig-bitflip.bin");
  ASSERT_EQ(flipped.size(), (*list)[0].size());
  int differing_bits = 0;
  for (size_t i = 0; i < flipped.size(); ++i) {
    differing_bits += __builtin_popcount(flipped[i] ^ (*list)[0][i]);
  }
  EXPECT_EQ(differing_bits, 1);

  auto again = SerializeSctList(*list);
  ASSERT_TRUE(again);
  EXPECT_EQ(*again, bytes);
}

TEST(SctListTest, LengthsMustBeExact) {
  Bytes good = testing::ReadTestData("malformed/cryptography.io-sctlist.bin");
  ASSERT_TRUE(ParseSctList(good));

  Bytes trailing = good;
  trailing.push_back(0);
  EXPECT_EQ(ParseSctList(trailing).error().code, ErrorCode::kMalformed);

  Bytes outer_short = good;  // outer length one less: the last SCT runs past the list
  outer_short[1] -= 1;
  EXPECT_EQ(ParseSctList(outer_short).error().code, ErrorCode::kMalformed);

  Bytes inner_long = good;  // first SCT claims one more byte than it has
  inner_long[3] += 1;
  EXPECT_EQ(ParseSctList(inner_long).error().code, ErrorCode::kMalformed);

  Bytes inner_short = good;  // first SCT one byte shorter: the rest no longer lines up
  inner_short[3] -= 1;
  EXPECT_EQ(ParseSctList(inner_short).error().code, ErrorCode::kMalformed);

  // A zero-length SerializedSCT is outside <1..2^16-1>.
  EXPECT_EQ(ParseSctList(Hex("0002 0000")).error().code, ErrorCode::kMalformed);
  EXPECT_EQ(ParseSctList(Hex("")).error().code, ErrorCode::kMalformed);
  EXPECT_EQ(ParseSctList(Hex("00")).error().code, ErrorCode::kMalformed);
  EXPECT_EQ(ParseSctList(Hex("0000")).error().code, ErrorCode::kMalformed);
  // An entry that is not an SCT is still a well-formed list entry; ParseSct judges it.
  auto opaque = ParseSctList(Hex("0003 0001ff"));
  ASSERT_TRUE(opaque);
  ASSERT_EQ(opaque->size(), 1u);
  EXPECT_EQ(opaque->front(), Hex("ff"));
}

TEST(SctListTest, EveryTruncationIsMalformed) {
  Bytes bytes = testing::ReadTestData("malformed/cryptography.io-sctlist.bin");
  for (size_t cut = 0; cut < bytes.size(); ++cut) {
    Bytes prefix(bytes.begin(), bytes.begin() + cut);
    auto list = ParseSctList(prefix);
    ASSERT_FALSE(list) << "cut at " << cut;
    EXPECT_EQ(list.error().code, ErrorCode::kMalformed);
  }
}

TEST(SctListTest, EveryBitFlipParsesExactlyOrFails) {
  Bytes bytes = testing::ReadTestData("malformed/cryptography.io-sctlist.bin");
  for (size_t bit = 0; bit < bytes.size() * 8; ++bit) {
    Bytes flipped = bytes;
    flipped[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    auto list = ParseSctList(flipped);
    if (!list) {
      EXPECT_EQ(list.error().code, ErrorCode::kMalformed) << "bit " << bit;
      continue;
    }
    auto again = SerializeSctList(*list);
    ASSERT_TRUE(again) << "bit " << bit;
    EXPECT_EQ(*again, flipped) << "bit " << bit;
    for (const Bytes& sct : *list) {
      auto parsed = ParseSct(sct);
      if (parsed) {
        EXPECT_EQ(*SerializeSct(*parsed), sct) << "bit " << bit;
      }
    }
  }
}

TEST(SctListTest, SerializeRejectsEmptyAndOversizedLists) {
  EXPECT_EQ(SerializeSctList({}).error().code, ErrorCode::kInvalidArgument);
  std::vector<Bytes> empty_sct = {Bytes{}};
  EXPECT_FALSE(SerializeSctList(empty_sct));
  std::vector<Bytes> too_many(2, Bytes(0x8000, 1));  // 2 * (0x8000 + 2) > 2^16-1
  EXPECT_FALSE(SerializeSctList(too_many));
}

// --- static-ct-api extensions (c2sp.org/static-ct-api, "SCT Extension") ---

TEST(SctExtensionsTest, NoExtensionsMeansNoLeafIndex) {
  auto extensions = ParseSctExtensions({});
  ASSERT_TRUE(extensions);
  EXPECT_FALSE(extensions->leaf_index);
  EXPECT_TRUE(SerializeSctExtensions({})->empty());
}

TEST(SctExtensionsTest, LeafIndexIsA40BitBigEndianInteger) {
  auto extensions = ParseSctExtensions(Hex("00 0005 0102030405"));
  ASSERT_TRUE(extensions) << extensions.error().message;
  EXPECT_EQ(extensions->leaf_index, 0x0102030405u);

  auto max = ParseSctExtensions(Hex("00 0005 ffffffffff"));
  ASSERT_TRUE(max);
  EXPECT_EQ(max->leaf_index, kMaxLeafIndex);
}

TEST(SctExtensionsTest, SerializedLeafIndexIsEightBytes) {
  // "The total length of an extensions field containing only a leaf_index extension is 8 bytes."
  for (uint64_t index : {uint64_t{0}, uint64_t{1}, uint64_t{123456789}, kMaxLeafIndex}) {
    auto bytes = SerializeSctExtensions({index});
    ASSERT_TRUE(bytes);
    EXPECT_EQ(bytes->size(), 8u);
    EXPECT_EQ(ParseSctExtensions(*bytes)->leaf_index, index);
  }
  EXPECT_EQ(HexEncode(*SerializeSctExtensions({uint64_t{0x0a0b0c0d0e}})), "0000050a0b0c0d0e");
  auto too_big = SerializeSctExtensions({kMaxLeafIndex + 1});
  ASSERT_FALSE(too_big);
  EXPECT_EQ(too_big.error().code, ErrorCode::kInvalidArgument);
}

TEST(SctExtensionsTest, UnknownExtensionsAreSkipped) {
  auto extensions = ParseSctExtensions(Hex("07 0002 abcd 00 0005 0000000009 ff 0000"));
  ASSERT_TRUE(extensions) << extensions.error().message;
  EXPECT_EQ(extensions->leaf_index, 9u);
  auto only_unknown = ParseSctExtensions(Hex("05 0001 00"));
  ASSERT_TRUE(only_unknown);
  EXPECT_FALSE(only_unknown->leaf_index);
}

TEST(SctExtensionsTest, MalformedExtensionsAreRejected) {
  for (std::string_view hex : {
           "00",                                     // type without length
           "00 00",                                  // half a length
           "00 0005 01020304",                       // data shorter than its length
           "00 0004 01020304",                       // leaf_index of 4 bytes
           "00 0006 010203040506",                   // leaf_index of 6 bytes
           "00 0000",                                // empty leaf_index
           "00 0005 0000000001 00 0005 0000000002",  // leaf_index twice
           "07 0000 07 0000",                        // any type twice
       }) {
    auto extensions = ParseSctExtensions(Hex(hex));
    ASSERT_FALSE(extensions) << hex;
    EXPECT_EQ(extensions.error().code, ErrorCode::kMalformed) << hex;
  }
}

TEST(SctExtensionsTest, ExtensionsOfAParsedSctParse) {
  // A static-ct-api style SCT: the extensions field carries leaf_index and survives the trip.
  SignedCertificateTimestamp sct = *ParseSct(testing::ReadTestData("sct/ctlog/test-cert.proof"));
  sct.extensions = *SerializeSctExtensions({uint64_t{42}});
  auto again = ParseSct(*SerializeSct(sct));
  ASSERT_TRUE(again);
  EXPECT_EQ(ParseSctExtensions(again->extensions)->leaf_index, 42u);
}

// --- SCT lists in OCSP responses (RFC 6962 §3.3, extension 1.3.6.1.4.1.11129.2.4.5) ---
//
// No real OCSP response with SCTs is in testdata/, so the tests build them with OpenSSL around
// the real cryptography.io SCT list, for the real cryptography.io certificate and issuer.

using testing::BuildOcspResponse;
using testing::Der;
using testing::X509Ptr;
using ResponsePtr = testing::OcspResponsePtr;

X509Ptr LoadPemCertificate(const std::string& file) {
  return testing::X509FromPem(testing::ReadTestDataText(file));
}

// The real cryptography.io certificate, its issuer and its real SCT list.
struct OcspFixture {
  X509Ptr leaf = LoadPemCertificate("sct/realworld/cryptography.io-2018/leaf.pem");
  X509Ptr issuer = LoadPemCertificate("sct/realworld/cryptography.io-2018/issuer.pem");
  Bytes sct_list = testing::ReadTestData("malformed/cryptography.io-sctlist.bin");

  Bytes LeafSerial() const {
    const ASN1_INTEGER* serial = X509_get0_serialNumber(leaf.get());
    Bytes der = Der<ASN1_INTEGER, i2d_ASN1_INTEGER>(serial);
    return Bytes(der.begin() + 2, der.end());  // content octets (short-form length)
  }

  // One SingleResponse per certificate in `subjects`; the SCT list extension goes on those
  // flagged, `copies` times.
  Bytes Response(const std::vector<std::pair<X509*, int>>& subjects) const {
    return BuildOcspResponse(issuer.get(), subjects, sct_list);
  }
};

TEST(SctOcspTest, ExtractsTheListFromTheCertificatesSingleResponse) {
  OcspFixture f;
  ASSERT_TRUE(f.leaf && f.issuer);
  // Another certificate's response first, without SCTs: the serial picks the right one.
  Bytes der = f.Response({{f.issuer.get(), 0}, {f.leaf.get(), 1}});
  auto list = ExtractOcspSctList(der, f.LeafSerial());
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_TRUE(list->has_value());
  EXPECT_EQ(**list, f.sct_list);
  EXPECT_EQ(ParseSctList(**list)->size(), 2u);
}

TEST(SctOcspTest, ResponseWithoutTheExtensionHasNoList) {
  OcspFixture f;
  auto list = ExtractOcspSctList(f.Response({{f.leaf.get(), 0}}), f.LeafSerial());
  ASSERT_TRUE(list) << list.error().message;
  EXPECT_FALSE(list->has_value());
}

TEST(SctOcspTest, OtherSerialIsNotFound) {
  OcspFixture f;
  Bytes serial = f.LeafSerial();
  serial.back() ^= 1;
  auto list = ExtractOcspSctList(f.Response({{f.leaf.get(), 1}}), serial);
  ASSERT_FALSE(list);
  EXPECT_EQ(list.error().code, ErrorCode::kNotFound);
}

TEST(SctOcspTest, DuplicatedExtensionIsMalformed) {
  OcspFixture f;
  auto list = ExtractOcspSctList(f.Response({{f.leaf.get(), 2}}), f.LeafSerial());
  ASSERT_FALSE(list);
  EXPECT_EQ(list.error().code, ErrorCode::kMalformed);
}

TEST(SctOcspTest, UnsuccessfulResponseHasNoList) {
  ResponsePtr response(OCSP_response_create(OCSP_RESPONSE_STATUS_TRYLATER, nullptr));
  Bytes der = Der<OCSP_RESPONSE, i2d_OCSP_RESPONSE>(response.get());
  EXPECT_EQ(HexEncode(der), "30030a0103");
  auto list = ExtractOcspSctList(der, Hex("01"));
  ASSERT_FALSE(list);
  EXPECT_EQ(list.error().code, ErrorCode::kInvalidArgument);
}

TEST(SctOcspTest, EveryTruncationFailsAndEveryBitFlipIsSafe) {
  OcspFixture f;
  Bytes der = f.Response({{f.leaf.get(), 1}});
  Bytes serial = f.LeafSerial();
  for (size_t cut = 0; cut < der.size(); ++cut) {
    Bytes prefix(der.begin(), der.begin() + cut);
    EXPECT_FALSE(ExtractOcspSctList(prefix, serial)) << "cut at " << cut;
  }
  Bytes trailing = der;
  trailing.push_back(0);
  EXPECT_EQ(ExtractOcspSctList(trailing, serial).error().code, ErrorCode::kMalformed);
  for (size_t bit = 0; bit < der.size() * 8; ++bit) {
    Bytes flipped = der;
    flipped[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
    auto list = ExtractOcspSctList(flipped, serial);
    // Whatever survives the flip, a list that comes out is a slice of the input.
    if (list && list->has_value()) {
      EXPECT_LE((*list)->size(), f.sct_list.size()) << "bit " << bit;
    }
  }
}

}  // namespace
}  // namespace ctkit
