// SCT signature verification over the real vectors of testdata/MANIFEST.json: every sct_x509,
// sct_signature_input, sct_precert, sct_embedded and sct_embedded_single case gives exactly its
// expected result.
//
// The x509 library is written separately, so this file uses OpenSSL for what it needs from
// certificates (PEM to DER, and for precertificates the TBS with one extension removed), in the
// tests only. OpenSSL re-encodes the TBS (i2d_re_X509_tbs); that is good enough to rebuild these
// vectors' signed entries, which is all it is used for here.

#include "ct/sct_verify.h"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ct/sct.h"
#include "test_support.h"

namespace ctkit {
namespace {

using nlohmann::json;

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;

X509Ptr LoadCertificate(const std::string& file) {
  Bytes bytes = testing::ReadTestData(file);
  if (file.ends_with(".pem")) {
    std::unique_ptr<BIO, int (*)(BIO*)> bio(BIO_new_mem_buf(bytes.data(), bytes.size()), BIO_free);
    return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  }
  const unsigned char* cursor = bytes.data();
  return X509Ptr(d2i_X509(nullptr, &cursor, static_cast<long>(bytes.size())));
}

Bytes CertificateDer(X509* certificate) {
  unsigned char* der = nullptr;
  int size = i2d_X509(certificate, &der);
  Bytes out(der, der + size);
  OPENSSL_free(der);
  return out;
}

// A certificate "file" of the sctrs vectors is raw bytes (cert.bin is the 4 bytes "cert").
Bytes CertificateBytes(const std::string& file) {
  if (!file.ends_with(".pem")) return testing::ReadTestData(file);
  X509Ptr certificate = LoadCertificate(file);
  EXPECT_TRUE(certificate) << file;
  return certificate ? CertificateDer(certificate.get()) : Bytes{};
}

// RFC 6962 §3.2 issuer_key_hash: SHA-256 of the issuer's DER SubjectPublicKeyInfo.
Sha256Digest IssuerKeyHash(X509* issuer) {
  unsigned char* der = nullptr;
  int size = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(issuer), &der);
  Sha256Digest digest = Sha256(ByteSpan(der, static_cast<size_t>(size)));
  OPENSSL_free(der);
  return digest;
}

void DeleteExtension(X509* certificate, int nid) {
  int index = X509_get_ext_by_NID(certificate, nid, -1);
  ASSERT_GE(index, 0) << OBJ_nid2sn(nid);
  X509_EXTENSION_free(X509_delete_ext(certificate, index));
  ASSERT_LT(X509_get_ext_by_NID(certificate, nid, -1), 0) << OBJ_nid2sn(nid) << " twice";
}

Bytes ReencodedTbs(X509* certificate) {
  unsigned char* der = nullptr;
  int size = i2d_re_X509_tbs(certificate, &der);
  Bytes out(der, der + size);
  OPENSSL_free(der);
  return out;
}

// The precert_entry of a precertificate (RFC 6962 §3.2): its TBS without the poison extension;
// when signed by a Precertificate Signing Certificate, with that certificate's issuer name and
// authority key identifier in place of its own.
SignedEntry PrecertEntryFromPrecertificate(const std::string& precert_file, X509* issuer,
                                           const std::string& signing_cert_file) {
  X509Ptr precert = LoadCertificate(precert_file);
  EXPECT_TRUE(precert);
  DeleteExtension(precert.get(), NID_ct_precert_poison);
  if (!signing_cert_file.empty()) {
    X509Ptr signing = LoadCertificate(signing_cert_file);
    EXPECT_TRUE(signing);
    EXPECT_EQ(X509_set_issuer_name(precert.get(), X509_get_issuer_name(signing.get())), 1);
    int own = X509_get_ext_by_NID(precert.get(), NID_authority_key_identifier, -1);
    int theirs = X509_get_ext_by_NID(signing.get(), NID_authority_key_identifier, -1);
    EXPECT_GE(own, 0);
    EXPECT_GE(theirs, 0);
    X509_EXTENSION_free(X509_delete_ext(precert.get(), own));
    EXPECT_EQ(X509_add_ext(precert.get(), X509_get_ext(signing.get(), theirs), own), 1);
  }
  return *PrecertSignedEntry(IssuerKeyHash(issuer), ReencodedTbs(precert.get()));
}

// The SCT list of a final certificate's 1.3.6.1.4.1.11129.2.4.2 extension (RFC 6962 §3.3: an
// OCTET STRING inside the extension's OCTET STRING), and the precert_entry its SCTs sign.
struct EmbeddedScts {
  Bytes sct_list;
  SignedEntry entry;
};

EmbeddedScts FromFinalCertificate(const std::string& file, X509* issuer) {
  X509Ptr certificate = LoadCertificate(file);
  EXPECT_TRUE(certificate) << file;
  int index = X509_get_ext_by_NID(certificate.get(), NID_ct_precert_scts, -1);
  EXPECT_GE(index, 0);
  ASN1_OCTET_STRING* value = X509_EXTENSION_get_data(X509_get_ext(certificate.get(), index));
  const unsigned char* cursor = ASN1_STRING_get0_data(value);
  std::unique_ptr<ASN1_OCTET_STRING, void (*)(ASN1_OCTET_STRING*)> inner(
      d2i_ASN1_OCTET_STRING(nullptr, &cursor, ASN1_STRING_length(value)), ASN1_OCTET_STRING_free);
  EXPECT_TRUE(inner);
  EmbeddedScts out;
  out.sct_list.assign(ASN1_STRING_get0_data(inner.get()),
                      ASN1_STRING_get0_data(inner.get()) + ASN1_STRING_length(inner.get()));
  DeleteExtension(certificate.get(), NID_ct_precert_scts);
  out.entry = *PrecertSignedEntry(IssuerKeyHash(issuer), ReencodedTbs(certificate.get()));
  return out;
}

// sctrs keys stored as raw bits (*.bin) are 65-byte uncompressed P-256 points; wrap them in the
// P-256 SubjectPublicKeyInfo header (RFC 5480 §2) to get the SPKI whose hash is the log_id.
std::shared_ptr<const LogKey> LoadKey(const std::string& file) {
  if (file.ends_with(".pem")) {
    auto key = LogKey::FromPem(testing::ReadTestDataText(file));
    if (!key) {
      // P-384 (sctrs-ecdsa_p384-basic) is refused by design; anything else is a failure.
      EXPECT_EQ(key.error().code, ErrorCode::kUnsupported) << file << ": " << key.error().message;
      return nullptr;
    }
    return *key;
  }
  Bytes point = testing::ReadTestData(file);
  EXPECT_EQ(point.size(), 65u) << file;
  EXPECT_EQ(point[0], 0x04) << file;
  Bytes spki = *HexDecode("3059301306072a8648ce3d020106082a8648ce3d030107034200");
  spki.insert(spki.end(), point.begin(), point.end());
  auto key = LogKey::FromSpkiDer(spki);
  EXPECT_TRUE(key) << file;
  return key ? *key : nullptr;
}

LogKeyring KeyringOf(const json& files) {
  LogKeyring keyring;
  if (files.is_string()) {
    if (auto key = LoadKey(files.get<std::string>())) keyring.Add(key);
  } else {
    for (const json& file : files) EXPECT_TRUE(keyring.Add(LoadKey(file.get<std::string>())));
  }
  return keyring;
}

// The manifest's result vocabulary (testdata/README.md) as SctStatus. "valid_nonstandard_alg"
// (a SHA-384/P-384 SCT) is, as the vocabulary allows for a strict verifier, unsupported here.
SctStatus ExpectedStatus(const std::string& result) {
  static const std::map<std::string, SctStatus> kStatuses = {
      {"valid", SctStatus::kValid},
      {"invalid", SctStatus::kInvalidSignature},
      {"unknown_log", SctStatus::kUnknownLog},
      {"malformed", SctStatus::kMalformed},
      {"unsupported_version", SctStatus::kUnsupportedVersion},
      {"timestamp_in_future", SctStatus::kFutureTimestamp},
      {"valid_nonstandard_alg", SctStatus::kUnsupportedAlgorithm},
  };
  auto it = kStatuses.find(result);
  EXPECT_NE(it, kStatuses.end()) << result;
  return it == kStatuses.end() ? SctStatus::kUntrustedAtTime : it->second;
}

std::optional<uint64_t> NowMs(const json& test_case) {
  if (test_case.contains("params") && test_case["params"].contains("now_ms")) {
    return test_case["params"]["now_ms"].get<uint64_t>();
  }
  return std::nullopt;
}

std::vector<json> CasesOfKind(const std::string& kind) {
  json manifest = json::parse(testing::ReadTestDataText("MANIFEST.json"));
  std::vector<json> out;
  for (const json& test_case : manifest["cases"]) {
    if (test_case["kind"] == kind) out.push_back(test_case);
  }
  return out;
}

TEST(SctVerifyTest, ManifestX509Cases) {
  std::vector<json> cases = CasesOfKind("sct_x509");
  ASSERT_EQ(cases.size(), 14u);
  for (const json& test_case : cases) {
    std::string id = test_case["id"];
    SCOPED_TRACE(id);
    const json& files = test_case["files"];
    auto entry = X509SignedEntry(CertificateBytes(files["cert"]));
    ASSERT_TRUE(entry);
    LogKeyring keyring = KeyringOf(files["log_key"]);
    SctStatus status =
        VerifySerializedSct(testing::ReadTestData(files["sct"]), *entry, keyring, NowMs(test_case));
    EXPECT_EQ(SctStatusName(status),
              SctStatusName(ExpectedStatus(test_case["expected"]["result"])));
  }
}

TEST(SctVerifyTest, ManifestSignatureInputCase) {
  // The exact signed bytes of a real Skydiver SCT over ritter.vg's certificate: rebuilding them
  // from their parts must give the same bytes, and the SCT they make must verify.
  std::vector<json> cases = CasesOfKind("sct_signature_input");
  ASSERT_EQ(cases.size(), 1u);
  const json& test_case = cases[0];
  const json& files = test_case["files"];
  Bytes signed_data = testing::ReadTestData(files["signed_data"]);
  std::shared_ptr<const LogKey> key = LoadKey(files["log_key"]);
  ASSERT_TRUE(key);

  TlsReader reader(signed_data);
  EXPECT_EQ(*reader.ReadU8(), 0);  // v1
  EXPECT_EQ(*reader.ReadU8(), kSignatureTypeCertificateTimestamp);
  SignedCertificateTimestamp sct;
  sct.timestamp_ms = *reader.ReadU64();
  EXPECT_EQ(sct.timestamp_ms, test_case["expected"]["timestamp"].get<uint64_t>());
  EXPECT_EQ(*reader.ReadU16(), static_cast<uint16_t>(LogEntryType::kX509));
  auto certificate = reader.ReadVector(1, 0xffffff);
  ASSERT_TRUE(certificate);
  auto extensions = reader.ReadVector(0, 0xffff);
  ASSERT_TRUE(extensions);
  EXPECT_TRUE(reader.empty());
  sct.extensions.assign(extensions->begin(), extensions->end());
  sct.log_id = key->log_id();
  sct.signature = {HashAlgorithm::kSha256, SignatureAlgorithm::kEcdsa,
                   testing::ReadTestData(files["signature_der"])};

  auto entry = X509SignedEntry(*certificate);
  ASSERT_TRUE(entry);
  EXPECT_EQ(*BuildSctSignatureInput(sct, *entry), signed_data);
  EXPECT_TRUE(key->Verify(signed_data, sct.signature));

  LogKeyring keyring;
  keyring.Add(key);
  EXPECT_EQ(VerifySct(sct, *entry, keyring, std::nullopt),
            ExpectedStatus(test_case["expected"]["result"]));
  // The SCT is from 2017-02-22; a clock set before it sees a future timestamp.
  EXPECT_EQ(VerifySct(sct, *entry, keyring, sct.timestamp_ms), SctStatus::kValid);
  EXPECT_EQ(VerifySct(sct, *entry, keyring, sct.timestamp_ms - 1), SctStatus::kFutureTimestamp);
}

TEST(SctVerifyTest, ManifestPrecertCases) {
  std::vector<json> cases = CasesOfKind("sct_precert");
  ASSERT_EQ(cases.size(), 2u);
  for (const json& test_case : cases) {
    std::string id = test_case["id"];
    SCOPED_TRACE(id);
    const json& files = test_case["files"];
    X509Ptr issuer = LoadCertificate(files["issuer"]);
    ASSERT_TRUE(issuer);
    SignedEntry entry = PrecertEntryFromPrecertificate(
        files["precert"], issuer.get(), files.value("precert_signing_cert", std::string()));
    LogKeyring keyring = KeyringOf(files["log_key"]);
    SctStatus status =
        VerifySerializedSct(testing::ReadTestData(files["sct"]), entry, keyring, NowMs(test_case));
    EXPECT_EQ(SctStatusName(status),
              SctStatusName(ExpectedStatus(test_case["expected"]["result"])));
  }
}

TEST(SctVerifyTest, ManifestEmbeddedCases) {
  std::vector<json> cases = CasesOfKind("sct_embedded");
  ASSERT_EQ(cases.size(), 7u);
  for (const json& test_case : cases) {
    std::string id = test_case["id"];
    SCOPED_TRACE(id);
    const json& files = test_case["files"];
    X509Ptr issuer = LoadCertificate(files["issuer"]);
    ASSERT_TRUE(issuer);
    EmbeddedScts embedded = FromFinalCertificate(files["cert"], issuer.get());
    LogKeyring keyring = KeyringOf(files["log_keys"]);
    auto list = ParseSctList(embedded.sct_list);
    ASSERT_TRUE(list) << list.error().message;
    const json& expected = test_case["expected"]["scts"];
    ASSERT_EQ(list->size(), expected.size());
    for (size_t i = 0; i < list->size(); ++i) {
      SctStatus status = VerifySerializedSct((*list)[i], embedded.entry, keyring, NowMs(test_case));
      EXPECT_EQ(SctStatusName(status), SctStatusName(ExpectedStatus(expected[i]["result"])))
          << "SCT " << i;
      auto sct = ParseSct((*list)[i]);
      ASSERT_TRUE(sct);
      if (expected[i].contains("log_id")) {
        EXPECT_EQ(Base64Encode(sct->log_id), expected[i]["log_id"].get<std::string>());
      }
    }
  }
}

TEST(SctVerifyTest, ManifestEmbeddedSingleCase) {
  std::vector<json> cases = CasesOfKind("sct_embedded_single");
  ASSERT_EQ(cases.size(), 1u);
  const json& test_case = cases[0];
  const json& files = test_case["files"];
  X509Ptr issuer = LoadCertificate(files["issuer"]);
  ASSERT_TRUE(issuer);
  EmbeddedScts embedded = FromFinalCertificate(files["cert"], issuer.get());
  LogKeyring keyring = KeyringOf(files["log_key"]);
  EXPECT_EQ(VerifySerializedSct(testing::ReadTestData(files["sct"]), embedded.entry, keyring,
                                NowMs(test_case)),
            ExpectedStatus(test_case["expected"]["result"]));
  // The unflipped original, entry 0 of the certificate's own list, verifies.
  EXPECT_EQ(VerifySerializedSct((*ParseSctList(embedded.sct_list))[0], embedded.entry, keyring,
                                NowMs(test_case)),
            SctStatus::kValid);
}

// --- Status precision beyond the manifest ---

struct CtTestLog {
  LogKeyring keyring = KeyringOf(json::array(
      {"sct/ctlog/ct-server-key-public.pem", "sct/ctlog/ct-server-key-public-rsa.pem"}));
  SignedEntry entry = *X509SignedEntry(CertificateBytes("sct/ctlog/test-cert.pem"));
  Bytes ecdsa_sct = testing::ReadTestData("sct/ctlog/test-cert.proof");
  Bytes rsa_sct = testing::ReadTestData("sct/ctlog/test-cert-rsa.proof");
};

TEST(SctVerifyTest, EntriesAreLengthPrefixed) {
  auto x509 = X509SignedEntry(*HexDecode("63657274"));
  ASSERT_TRUE(x509);
  EXPECT_EQ(x509->type, LogEntryType::kX509);
  EXPECT_EQ(HexEncode(x509->Encode()), "00000463657274");

  Sha256Digest key_hash;
  key_hash.fill(0x11);
  auto precert = PrecertSignedEntry(key_hash, *HexDecode("3000"));
  ASSERT_TRUE(precert);
  EXPECT_EQ(precert->type, LogEntryType::kPrecert);
  EXPECT_EQ(HexEncode(precert->Encode()), std::string(64, '1') + "0000023000");

  EXPECT_EQ(X509SignedEntry({}).error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(PrecertSignedEntry(key_hash, {}).error().code, ErrorCode::kInvalidArgument);
  Bytes too_big(1 << 24, 0);
  EXPECT_FALSE(X509SignedEntry(too_big));
}

TEST(SctVerifyTest, SignatureInputHasTheRfc6962Layout) {
  CtTestLog log;
  SignedCertificateTimestamp sct = *ParseSct(log.ecdsa_sct);
  sct.extensions = *HexDecode("abcd");
  auto input = BuildSctSignatureInput(sct, log.entry);
  ASSERT_TRUE(input);
  // version, signature_type, timestamp, entry_type (x509_entry)
  Bytes expected = *HexDecode("00000000013ddb27ded90000");
  log.entry.AppendEncoding(expected);
  for (uint8_t b : {0x00, 0x02, 0xab, 0xcd}) expected.push_back(b);
  EXPECT_EQ(*input, expected);
}

TEST(SctVerifyTest, AnEntryOfTheOtherTypeDoesNotVerify) {
  CtTestLog log;
  SignedEntry as_precert = log.entry;
  as_precert.type = LogEntryType::kPrecert;
  EXPECT_EQ(VerifySerializedSct(log.ecdsa_sct, log.entry, log.keyring, std::nullopt),
            SctStatus::kValid);
  EXPECT_EQ(VerifySerializedSct(log.ecdsa_sct, as_precert, log.keyring, std::nullopt),
            SctStatus::kInvalidSignature);
}

TEST(SctVerifyTest, EveryBitFlipOfARealSctIsCaught) {
  // A flipped bit anywhere in a real SCT never leaves it valid, and each field fails the way it
  // should: version -> unsupported_version, log_id -> unknown_log, the rest malformed,
  // unsupported or invalid.
  CtTestLog log;
  for (const Bytes* original : {&log.ecdsa_sct, &log.rsa_sct}) {
    ASSERT_EQ(VerifySerializedSct(*original, log.entry, log.keyring, std::nullopt),
              SctStatus::kValid);
    for (size_t bit = 0; bit < original->size() * 8; ++bit) {
      Bytes flipped = *original;
      flipped[bit / 8] ^= static_cast<uint8_t>(1u << (bit % 8));
      SctStatus status = VerifySerializedSct(flipped, log.entry, log.keyring, std::nullopt);
      EXPECT_NE(status, SctStatus::kValid) << "bit " << bit;
      size_t byte = bit / 8;
      SctStatus expected = status;  // other fields: any failure will do
      if (byte == 0) expected = SctStatus::kUnsupportedVersion;
      if (byte >= 1 && byte < 33) expected = SctStatus::kUnknownLog;
      if (byte >= 33 && byte < 41) expected = SctStatus::kInvalidSignature;  // timestamp
      EXPECT_EQ(status, expected) << "bit " << bit;
    }
  }
}

TEST(SctVerifyTest, EveryTruncationOfARealSctIsMalformed) {
  CtTestLog log;
  for (size_t cut = 0; cut < log.ecdsa_sct.size(); ++cut) {
    Bytes prefix(log.ecdsa_sct.begin(), log.ecdsa_sct.begin() + cut);
    EXPECT_EQ(VerifySerializedSct(prefix, log.entry, log.keyring, std::nullopt),
              SctStatus::kMalformed)
        << "cut at " << cut;
  }
}

TEST(SctVerifyTest, NonDerSignatureOfARealSctIsInvalid) {
  // The same (r, s) as the CT test log's valid SCT, with a needless leading zero on r.
  CtTestLog log;
  SignedCertificateTimestamp sct = *ParseSct(log.ecdsa_sct);
  ASSERT_EQ(VerifySct(sct, log.entry, log.keyring, std::nullopt), SctStatus::kValid);
  Bytes& der = sct.signature.signature;
  ASSERT_EQ(der[2], 0x02);
  ASSERT_LT(der[3], 0x21);
  der.insert(der.begin() + 4, 0x00);
  der[3] += 1;
  der[1] += 1;
  EXPECT_EQ(VerifySct(sct, log.entry, log.keyring, std::nullopt), SctStatus::kInvalidSignature);
  // And with the SEQUENCE length in long form instead.
  SignedCertificateTimestamp long_form = *ParseSct(log.ecdsa_sct);
  Bytes& sig = long_form.signature.signature;
  sig.insert(sig.begin() + 1, 0x81);
  EXPECT_EQ(VerifySct(long_form, log.entry, log.keyring, std::nullopt),
            SctStatus::kInvalidSignature);
}

TEST(SctVerifyTest, StatusOrderAndAlgorithms) {
  CtTestLog log;
  SignedCertificateTimestamp sct = *ParseSct(log.ecdsa_sct);

  SignedCertificateTimestamp v2 = sct;
  v2.version = static_cast<SctVersion>(1);
  EXPECT_EQ(VerifySct(v2, log.entry, log.keyring, std::nullopt), SctStatus::kUnsupportedVersion);

  // A hash the P-256/SHA-256 log's key does not sign with: not the log's signature.
  SignedCertificateTimestamp sha384 = sct;
  sha384.signature.hash_algorithm = HashAlgorithm::kSha384;
  EXPECT_EQ(VerifySct(sha384, log.entry, log.keyring, std::nullopt), SctStatus::kInvalidSignature);
  // From no known log, an algorithm no log may use is said as such, not unknown_log.
  sha384.log_id = LogId{};
  EXPECT_EQ(VerifySct(sha384, log.entry, log.keyring, std::nullopt),
            SctStatus::kUnsupportedAlgorithm);
  SignedCertificateTimestamp unknown = sct;
  unknown.log_id = LogId{};
  EXPECT_EQ(VerifySct(unknown, log.entry, log.keyring, std::nullopt), SctStatus::kUnknownLog);

  SignedCertificateTimestamp rsa_claim = sct;
  rsa_claim.signature.signature_algorithm = SignatureAlgorithm::kRsa;
  EXPECT_EQ(VerifySct(rsa_claim, log.entry, log.keyring, std::nullopt),
            SctStatus::kInvalidSignature);

  SignedCertificateTimestamp oversized = sct;
  oversized.extensions.assign(0x10000, 0);
  EXPECT_EQ(VerifySct(oversized, log.entry, log.keyring, std::nullopt), SctStatus::kMalformed);

  EXPECT_EQ(VerifySct(sct, log.entry, LogKeyring(), std::nullopt), SctStatus::kUnknownLog);
  // A future timestamp is reported only for a valid signature.
  EXPECT_EQ(VerifySct(sct, log.entry, log.keyring, sct.timestamp_ms - 1),
            SctStatus::kFutureTimestamp);
  SignedCertificateTimestamp tampered = sct;
  tampered.timestamp_ms += 1;
  EXPECT_EQ(VerifySct(tampered, log.entry, log.keyring, 0), SctStatus::kInvalidSignature);
}

// The issue this guards: an SCT whose DigitallySigned names a hash other than the log key's
// (SHA-1 on a P-256/SHA-256 log) was reported unsupported_algorithm, as if ctkit could not
// judge it. The log's key fixes the algorithm, so such a signature cannot be the log's.
TEST(SctVerifyTest, AlgorithmOtherThanTheLogKeysIsAnInvalidSignature) {
  CtTestLog log;
  const SignedCertificateTimestamp sct = *ParseSct(log.ecdsa_sct);
  ASSERT_EQ(VerifySct(sct, log.entry, log.keyring, std::nullopt), SctStatus::kValid);
  for (HashAlgorithm hash :
       {HashAlgorithm::kNone, HashAlgorithm::kMd5, HashAlgorithm::kSha1, HashAlgorithm::kSha224,
        HashAlgorithm::kSha384, HashAlgorithm::kSha512, static_cast<HashAlgorithm>(200)}) {
    SignedCertificateTimestamp other = sct;
    other.signature.hash_algorithm = hash;  // the signature bytes are still the log's valid ones
    EXPECT_EQ(VerifySct(other, log.entry, log.keyring, std::nullopt), SctStatus::kInvalidSignature)
        << static_cast<int>(hash);
    // The same SCT serialized, as a TLS extension or an OCSP response delivers it.
    Result<Bytes> serialized = SerializeSct(other);
    ASSERT_TRUE(serialized);
    EXPECT_EQ(VerifySerializedSct(*serialized, log.entry, log.keyring, std::nullopt),
              SctStatus::kInvalidSignature)
        << static_cast<int>(hash);
    EXPECT_EQ(SctStatusName(VerifySct(other, log.entry, log.keyring, std::nullopt)),
              "invalid_signature");
  }
  for (SignatureAlgorithm algorithm :
       {SignatureAlgorithm::kAnonymous, SignatureAlgorithm::kRsa, SignatureAlgorithm::kDsa}) {
    SignedCertificateTimestamp other = sct;
    other.signature.signature_algorithm = algorithm;
    EXPECT_EQ(VerifySct(other, log.entry, log.keyring, std::nullopt), SctStatus::kInvalidSignature)
        << static_cast<int>(algorithm);
  }
}

TEST(SctVerifyTest, StatusNamesAreStable) {
  EXPECT_EQ(SctStatusName(SctStatus::kValid), "valid");
  EXPECT_EQ(SctStatusName(SctStatus::kUnknownLog), "unknown_log");
  EXPECT_EQ(SctStatusName(SctStatus::kInvalidSignature), "invalid_signature");
  EXPECT_EQ(SctStatusName(SctStatus::kFutureTimestamp), "future_timestamp");
  EXPECT_EQ(SctStatusName(SctStatus::kUnsupportedVersion), "unsupported_version");
  EXPECT_EQ(SctStatusName(SctStatus::kMalformed), "malformed");
  EXPECT_EQ(SctStatusName(SctStatus::kUnsupportedAlgorithm), "unsupported_algorithm");
  EXPECT_EQ(SctStatusName(SctStatus::kUntrustedAtTime), "untrusted_at_time");
}

}  // namespace
}  // namespace ctkit
