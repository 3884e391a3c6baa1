// Signed entries kept in pieces (ct/sct_verify.h SignedEntryPieces, x509/precert.h TbsPieces):
// hashing the pieces must give exactly the digest of the materialised entry, for x509_entry and
// precert_entry, for SCTs with and without CtExtensions, and for a precertificate issued by a
// Precertificate Signing Certificate; real SCTs of the CT test log must verify over them.

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "base/sha256.h"
#include "ct/certificate_verifier.h"
#include "ct/log_key.h"
#include "ct/sct.h"
#include "ct/sct_verify.h"
#include "test_support.h"
#include "x509/oid.h"
#include "x509/pem.h"
#include "x509/precert.h"

namespace ctkit {
namespace {

CertificateView Load(const std::string& file) {
  Result<std::vector<CertificateView>> certs =
      ParseCertificateInput(testing::ReadTestData("sct/ctlog/" + file));
  if (!certs) throw std::runtime_error(file + ": " + certs.error().message);
  return certs->front();
}

SignedCertificateTimestamp LoadSct(const std::string& file) {
  Result<SignedCertificateTimestamp> sct = ParseSct(testing::ReadTestData("sct/ctlog/" + file));
  if (!sct) throw std::runtime_error(file + ": " + sct.error().message);
  return *sct;
}

LogKeyring TestLogKeyring() {
  LogKeyring keyring;
  Result<std::shared_ptr<const LogKey>> key =
      LogKey::FromPem(testing::ReadTestDataText("sct/ctlog/ct-server-key-public.pem"));
  if (!key) throw std::runtime_error(key.error().message);
  keyring.Add(*key);
  return keyring;
}

// SCTs over `entry` as a log would issue them: none and some CtExtensions (a static-ct-api
// leaf_index), so both lengths of the extensions field are covered.
std::vector<SignedCertificateTimestamp> SampleScts() {
  SignedCertificateTimestamp plain;
  plain.timestamp_ms = 1767571200123;
  plain.log_id.fill(0x5a);
  SignedCertificateTimestamp extended = plain;
  extended.extensions = SerializeSctExtensions({.leaf_index = 0x0102030405}).value();
  return {plain, extended};
}

// The piecewise digest equals SHA-256 of the materialised signature input, and the pieces
// concatenated are the entry's encoding.
void ExpectSameAsMaterialised(const SignedEntryPieces& pieces, const SignedEntry& entry) {
  EXPECT_EQ(pieces.type, entry.type);
  EXPECT_EQ(pieces.Concatenate(), entry.encoded);
  for (const SignedCertificateTimestamp& sct : SampleScts()) {
    SCOPED_TRACE("SCT extensions: " + std::to_string(sct.extensions.size()) + " bytes");
    Result<Bytes> input = BuildSctSignatureInput(sct, entry);
    ASSERT_TRUE(input.has_value()) << input.error().message;
    EXPECT_EQ(SctSignatureInputDigest(sct, pieces), Sha256(*input));
  }
}

// Bytes of `pieces`' TBS ranges that lie outside `cert`'s DER: the re-encoded headers only.
size_t BytesOutside(const TbsPieces& pieces, const CertificateView& cert) {
  // Addresses as integers: ranges may point into other allocations, which "<" may not compare.
  const auto begin = reinterpret_cast<uintptr_t>(cert.der().data());
  const uintptr_t end = begin + cert.der().size();
  size_t outside = 0;
  for (ByteSpan range : pieces.ranges) {
    const auto first = reinterpret_cast<uintptr_t>(range.data());
    if (first < begin || first + range.size() > end) outside += range.size();
  }
  return outside;
}

TEST(SignedEntryPiecesTest, X509EntryMatchesTheMaterialisedEntryAndVerifies) {
  const CertificateView cert = Load("test-cert.pem");
  Result<SignedEntryPieces> pieces = X509SignedEntryPieces(cert.der());
  ASSERT_TRUE(pieces.has_value()) << pieces.error().message;
  ASSERT_EQ(pieces->body.size(), 1u);
  EXPECT_EQ(pieces->body[0].data(), cert.der().data());  // the certificate is not copied
  Result<SignedEntry> entry = X509SignedEntry(cert.der());
  ASSERT_TRUE(entry.has_value());
  ExpectSameAsMaterialised(*pieces, *entry);

  const LogKeyring keyring = TestLogKeyring();
  const SignedCertificateTimestamp sct = LoadSct("test-cert.proof");
  EXPECT_EQ(VerifySct(sct, *pieces, keyring, std::nullopt), SctStatus::kValid);
  EXPECT_EQ(VerifySct(sct, *entry, keyring, std::nullopt), SctStatus::kValid);
  // The same SCT over the certificate with one byte changed: invalid either way.
  Bytes changed(cert.der().begin(), cert.der().end());
  changed[changed.size() / 2] ^= 1;
  Result<SignedEntryPieces> changed_pieces = X509SignedEntryPieces(changed);
  ASSERT_TRUE(changed_pieces.has_value());
  EXPECT_EQ(VerifySct(sct, *changed_pieces, keyring, std::nullopt), SctStatus::kInvalidSignature);
}

TEST(SignedEntryPiecesTest, PrecertEntriesMatchTheMaterialisedEntriesAndVerify) {
  const LogKeyring keyring = TestLogKeyring();
  const CertificateView ca = Load("ca-cert.pem");
  const CertificateView signing = Load("ca-pre-cert.pem");
  struct Case {
    std::string leaf;
    std::vector<CertificateView> chain;
    std::string proof;  // an SCT the test log issued for this entry, or empty
    size_t max_new_bytes;  // re-encoded bytes allowed in the TBS ranges
  };
  const Case cases[] = {
      // A final certificate with embedded SCTs: the SCT list extension is spliced out.
      {"test-embedded-cert.pem", {ca}, "", 3 * 10},
      // A precertificate: the poison extension is spliced out.
      {"test-embedded-pre-cert.pem", {ca}, "test-embedded-pre-cert.proof", 3 * 10},
      // Issued by a Precertificate Signing Certificate: issuer and AKI rewritten (RFC 6962 §3.2);
      // the issuer comes from the signing certificate, the new AKI extension is encoded anew.
      {"test-embedded-with-preca-pre-cert.pem",
       {signing, ca},
       "test-embedded-with-preca-pre-cert.proof",
       SIZE_MAX},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.leaf);
    const CertificateView leaf = Load(c.leaf);
    Result<PrecertEntryPieces> built = BuildPrecertEntryPieces(leaf, c.chain);
    ASSERT_TRUE(built.has_value()) << built.error().message;
    Result<PrecertEntry> materialised = BuildPrecertEntry(leaf, c.chain);
    ASSERT_TRUE(materialised.has_value()) << materialised.error().message;
    EXPECT_EQ(built->issuer_key_hash, materialised->issuer_key_hash);
    EXPECT_EQ(built->tbs.Concatenate(), materialised->tbs_certificate);
    EXPECT_EQ(built->tbs.size, materialised->tbs_certificate.size());
    Sha256Hasher hasher;
    built->tbs.HashInto(hasher);
    EXPECT_EQ(hasher.Finish(), Sha256(materialised->tbs_certificate));
    EXPECT_LE(BytesOutside(built->tbs, leaf), c.max_new_bytes);

    Result<SignedEntryPieces> pieces =
        PrecertSignedEntryPieces(built->issuer_key_hash, built->tbs.ranges);
    ASSERT_TRUE(pieces.has_value()) << pieces.error().message;
    Result<SignedEntry> entry =
        PrecertSignedEntry(materialised->issuer_key_hash, materialised->tbs_certificate);
    ASSERT_TRUE(entry.has_value());
    ExpectSameAsMaterialised(*pieces, *entry);

    if (!c.proof.empty()) {
      const SignedCertificateTimestamp sct = LoadSct(c.proof);
      EXPECT_EQ(VerifySct(sct, *pieces, keyring, std::nullopt), SctStatus::kValid);
      SignedCertificateTimestamp later = sct;
      later.timestamp_ms += 1;  // signed over another timestamp: the signature fails
      EXPECT_EQ(VerifySct(later, *pieces, keyring, std::nullopt), SctStatus::kInvalidSignature);
    }
  }
}

TEST(SignedEntryPiecesTest, BoundsAreRefusedWithTheMaterialisedPathsErrors) {
  Result<SignedEntryPieces> x509 = X509SignedEntryPieces(ByteSpan());
  Result<SignedEntry> x509_reference = X509SignedEntry(ByteSpan());
  ASSERT_FALSE(x509.has_value());
  ASSERT_FALSE(x509_reference.has_value());
  EXPECT_EQ(x509.error().code, x509_reference.error().code);
  EXPECT_EQ(x509.error().message, x509_reference.error().message);

  const Sha256Digest key_hash{};
  Result<SignedEntryPieces> precert = PrecertSignedEntryPieces(key_hash, {});
  Result<SignedEntry> precert_reference = PrecertSignedEntry(key_hash, ByteSpan());
  ASSERT_FALSE(precert.has_value());
  ASSERT_FALSE(precert_reference.has_value());
  EXPECT_EQ(precert.error().message, precert_reference.error().message);

  // 2^24 bytes in two ranges: one more than opaque <1..2^24-1> allows.
  const Bytes half(size_t{1} << 23, 0x30);
  const ByteSpan ranges[] = {half, half};
  Result<SignedEntryPieces> too_long = PrecertSignedEntryPieces(key_hash, ranges);
  Result<SignedEntry> too_long_reference =
      PrecertSignedEntry(key_hash, Bytes(size_t{1} << 24, 0x30));
  ASSERT_FALSE(too_long.has_value());
  ASSERT_FALSE(too_long_reference.has_value());
  EXPECT_EQ(too_long.error().message, too_long_reference.error().message);
}

TEST(SignedEntryPiecesTest, DeduplicationHashIsTheHashOfTheRebuiltTbs) {
  const CertificateView final_cert = Load("test-embedded-cert.pem");
  const CertificateView precert = Load("test-embedded-pre-cert.pem");
  EXPECT_EQ(DeduplicationTbsHash(final_cert), Sha256(EmbeddedSctTbs(final_cert).value()));
  EXPECT_EQ(DeduplicationTbsHash(precert), Sha256(PrecertTbs(precert).value()));
  // The precertificate and the certificate issued from it are one issuance.
  EXPECT_EQ(DeduplicationTbsHash(final_cert), DeduplicationTbsHash(precert));
  // Nothing to remove: the TBS as it is.
  const CertificateView plain = Load("test-cert.pem");
  EXPECT_EQ(DeduplicationTbsHash(plain), Sha256(plain.tbs()));
}

}  // namespace
}  // namespace ctkit
