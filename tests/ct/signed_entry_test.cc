// The one signed-entry builder (ct/signed_entry.h): the entry built from certificates is the
// entry RFC 6962 §3.1-§3.2 defines (equal to the one made from the transformed bytes, and real
// SCTs of the CT test log verify over it) for an x509_entry, a final certificate's and a
// precertificate's precert_entry, and a precertificate issued by a Precertificate Signing
// Certificate; it points into the certificates rather than copying them, and stays valid when
// copied; the issuer is found in a chain in any order; every refusal has its error code.

#include "ct/signed_entry.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/sha256.h"
#include "ct/log_key.h"
#include "ct/sct.h"
#include "ct/sct_verify.h"
#include "test_support.h"
#include "x509/oid.h"
#include "x509/pem.h"
#include "x509/precert.h"
#include "x509/x509_test_util.h"

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

// SCTs over an entry as a log would issue them: none and some CtExtensions (a static-ct-api
// leaf_index), so both lengths of the extensions field are covered.
std::vector<SignedCertificateTimestamp> SampleScts() {
  SignedCertificateTimestamp plain;
  plain.timestamp_ms = 1767571200123;
  plain.log_id.fill(0x5a);
  SignedCertificateTimestamp extended = plain;
  extended.extensions = SerializeSctExtensions({.leaf_index = 0x0102030405}).value();
  return {plain, extended};
}

// `built` and `reference` are the same entry: equal, same encoding, and the same bytes signed
// for every SCT.
void ExpectSameEntry(const SignedEntry& built, const SignedEntry& reference) {
  EXPECT_EQ(built, reference);
  EXPECT_EQ(built.type, reference.type);
  EXPECT_EQ(built.der_size(), reference.der_size());
  EXPECT_EQ(built.CopyDer(), reference.CopyDer());
  EXPECT_EQ(built.DerSha256(), Sha256(reference.CopyDer()));
  EXPECT_EQ(built.Encode(), reference.Encode());
  EXPECT_EQ(built.encoded_size(), reference.Encode().size());
  for (const SignedCertificateTimestamp& sct : SampleScts()) {
    SCOPED_TRACE("SCT extensions: " + std::to_string(sct.extensions.size()) + " bytes");
    Result<Bytes> input = BuildSctSignatureInput(sct, built);
    ASSERT_TRUE(input.has_value()) << input.error().message;
    EXPECT_EQ(*input, *BuildSctSignatureInput(sct, reference));
  }
}

// Bytes of the entry's DER that lie outside `cert`'s DER: the re-encoded headers only.
size_t BytesOutside(const SignedEntry& entry, const CertificateView& cert) {
  // Addresses as integers: ranges may point into other allocations, which "<" may not compare.
  const auto begin = reinterpret_cast<uintptr_t>(cert.der().data());
  const uintptr_t end = begin + cert.der().size();
  size_t outside = 0;
  entry.ForEachDerRange([&](ByteSpan range) {
    const auto first = reinterpret_cast<uintptr_t>(range.data());
    if (first < begin || first + range.size() > end) outside += range.size();
  });
  return outside;
}

// The CT test log's certificates: a CA, its Precertificate Signing Certificate, a final
// certificate with an embedded SCT and a precertificate the signing certificate issued.
class SignedEntryTest : public ::testing::Test {
 protected:
  const CertificateView ca_ = Load("ca-cert.pem");
  const CertificateView signing_ = Load("ca-pre-cert.pem");
  const CertificateView final_cert_ = Load("test-embedded-cert.pem");
  const CertificateView preca_precert_ = Load("test-embedded-with-preca-pre-cert.pem");
};

TEST_F(SignedEntryTest, X509EntryIsTheCertificateInPlaceAndVerifies) {
  const CertificateView cert = Load("test-cert.pem");
  Result<SignedEntry> built = BuildSignedEntry(LogEntryType::kX509, cert);
  ASSERT_TRUE(built.has_value()) << built.error().message;
  int ranges = 0;
  built->ForEachDerRange([&](ByteSpan range) {
    ++ranges;
    EXPECT_EQ(range.data(), cert.der().data());  // the certificate is not copied
  });
  EXPECT_EQ(ranges, 1);
  ExpectSameEntry(*built, *X509SignedEntry(cert.der()));

  const LogKeyring keyring = TestLogKeyring();
  const SignedCertificateTimestamp sct = LoadSct("test-cert.proof");
  EXPECT_EQ(VerifySct(sct, *built, keyring, std::nullopt), SctStatus::kValid);
  // The same SCT over the certificate with one byte changed: invalid.
  Bytes changed(cert.der().begin(), cert.der().end());
  changed[changed.size() / 2] ^= 1;
  EXPECT_EQ(VerifySct(sct, *X509SignedEntry(changed), keyring, std::nullopt),
            SctStatus::kInvalidSignature);
}

TEST_F(SignedEntryTest, PrecertEntriesAreTheTransformedTbsInPlaceAndVerify) {
  const LogKeyring keyring = TestLogKeyring();
  struct Case {
    std::string leaf;
    std::vector<CertificateView> chain;  // as submitted: the issuer first
    std::string proof;                   // an SCT the test log issued for this entry, or empty
    size_t max_new_bytes;                // re-encoded bytes allowed in the TBS ranges
  };
  const Case cases[] = {
      // A final certificate with embedded SCTs: the SCT list extension is spliced out.
      {"test-embedded-cert.pem", {ca_}, "", 3 * 10},
      // A precertificate: the poison extension is spliced out.
      {"test-embedded-pre-cert.pem", {ca_}, "test-embedded-pre-cert.proof", 3 * 10},
      // Issued by a Precertificate Signing Certificate: issuer and AKI rewritten (RFC 6962 §3.2);
      // the issuer comes from the signing certificate, the new AKI extension is encoded anew,
      // and the key hash is the CA's above it.
      {"test-embedded-with-preca-pre-cert.pem",
       {signing_, ca_},
       "test-embedded-with-preca-pre-cert.proof",
       SIZE_MAX},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.leaf);
    const CertificateView leaf = Load(c.leaf);
    Result<SignedEntry> built =
        BuildSignedEntry(LogEntryType::kPrecert, leaf, IssuerChain::InOrder(c.chain));
    ASSERT_TRUE(built.has_value()) << built.error().message;
    EXPECT_EQ(built->type, LogEntryType::kPrecert);
    EXPECT_EQ(built->issuer_key_hash, ca_.spki_sha256());
    Result<Bytes> tbs = !leaf.IsPrecertificate() ? EmbeddedSctTbs(leaf)
                        : c.chain.size() > 1     ? PrecertTbs(leaf, &c.chain[0])
                                                 : PrecertTbs(leaf);
    ASSERT_TRUE(tbs.has_value()) << tbs.error().message;
    ExpectSameEntry(*built, *PrecertSignedEntry(ca_.spki_sha256(), *tbs));
    EXPECT_LE(BytesOutside(*built, leaf), c.max_new_bytes);

    if (!c.proof.empty()) {
      const SignedCertificateTimestamp sct = LoadSct(c.proof);
      EXPECT_EQ(VerifySct(sct, *built, keyring, std::nullopt), SctStatus::kValid);
      SignedCertificateTimestamp later = sct;
      later.timestamp_ms += 1;  // signed over another timestamp: the signature fails
      EXPECT_EQ(VerifySct(later, *built, keyring, std::nullopt), SctStatus::kInvalidSignature);
    }
  }
}

TEST_F(SignedEntryTest, ACopyOutlivesTheEntryItWasCopiedFrom) {
  const CertificateView chain[] = {signing_, ca_};
  const Bytes want =
      PrecertSignedEntry(chain[1].spki_sha256(), PrecertTbs(preca_precert_, &chain[0]).value())
          ->Encode();
  std::optional<SignedEntry> copy;
  {
    // Re-encoded headers and the AKI extension live in the entry, not in the certificates.
    Result<SignedEntry> built =
        BuildSignedEntry(LogEntryType::kPrecert, preca_precert_, IssuerChain::InOrder(chain));
    ASSERT_TRUE(built.has_value()) << built.error().message;
    copy = *built;
    SignedEntry moved = std::move(*built);
    EXPECT_EQ(moved.Encode(), want);
  }
  EXPECT_EQ(copy->Encode(), want);
  // An entry from bytes holds its own copy of them.
  std::optional<SignedEntry> owned;
  {
    const Bytes der(preca_precert_.der().begin(), preca_precert_.der().end());
    owned = *X509SignedEntry(der);
  }
  EXPECT_EQ(owned->CopyDer(), Bytes(preca_precert_.der().begin(), preca_precert_.der().end()));
  EXPECT_EQ(*owned->SharedDer(), owned->CopyDer());
}

TEST_F(SignedEntryTest, TheIssuerIsFoundInAChainInAnyOrder) {
  const CertificateView intermediate = Load("intermediate-cert.pem");

  // Through a Precertificate Signing Certificate, the CA above it is looked for too.
  const CertificateView shuffled[] = {ca_, intermediate, signing_};
  IssuerChain found = IssuerChain::Find(preca_precert_, shuffled);
  EXPECT_EQ(found.issuer, &shuffled[2]);
  EXPECT_EQ(found.issuer_of_issuer, &shuffled[0]);
  Result<SignedEntry> through_signer =
      SignedEntryForSct(preca_precert_, shuffled, SctDelivery::kTlsExtension);
  ASSERT_TRUE(through_signer.has_value()) << through_signer.error().message;
  const CertificateView in_order[] = {signing_, ca_};
  EXPECT_EQ(*through_signer, *BuildSignedEntry(LogEntryType::kPrecert, preca_precert_,
                                               IssuerChain::InOrder(in_order)));

  // A CA's issuer is not searched for: only a signing certificate needs the one above it.
  const CertificateView others[] = {intermediate, ca_};
  found = IssuerChain::Find(final_cert_, others);
  EXPECT_EQ(found.issuer, &others[1]);
  EXPECT_EQ(found.issuer_of_issuer, nullptr);
  // None named as the issuer: the fallback is taken, as it is.
  const CertificateView unrelated[] = {intermediate};
  found = IssuerChain::Find(final_cert_, unrelated, &intermediate);
  EXPECT_EQ(found.issuer, &intermediate);
  EXPECT_EQ(IssuerChain::Find(final_cert_, unrelated).issuer, nullptr);

  // Which entry an SCT signs: embedded SCTs and a precertificate's sign a precert_entry, SCTs
  // delivered with a final certificate an x509_entry.
  EXPECT_EQ(SignedEntryTypeFor(final_cert_, SctDelivery::kEmbedded), LogEntryType::kPrecert);
  EXPECT_EQ(SignedEntryTypeFor(final_cert_, SctDelivery::kTlsExtension), LogEntryType::kX509);
  EXPECT_EQ(SignedEntryTypeFor(final_cert_, SctDelivery::kOcspResponse), LogEntryType::kX509);
  EXPECT_EQ(SignedEntryTypeFor(preca_precert_, SctDelivery::kOcspResponse), LogEntryType::kPrecert);
  Result<SignedEntry> x509 = SignedEntryForSct(final_cert_, {}, SctDelivery::kTlsExtension);
  ASSERT_TRUE(x509.has_value());
  EXPECT_EQ(*x509, *X509SignedEntry(final_cert_.der()));
  Result<SignedEntry> no_issuer = SignedEntryForSct(final_cert_, {}, SctDelivery::kEmbedded);
  ASSERT_FALSE(no_issuer.has_value());
  EXPECT_EQ(no_issuer.error().code, ErrorCode::kNotFound);
}

// `precert` with its poison extension non-critical, as DER (the signature no longer verifies:
// only the structure matters).
Bytes WithNonCriticalPoison(const CertificateView& precert) {
  using x509_testing::Concat;
  using x509_testing::Tlv;
  using x509_testing::ToBytes;
  Bytes extensions;
  for (const Extension& ext : precert.extensions()) {
    const Bytes encoded = OidEquals(ext.oid, oid::kCtPoison)
                              ? Tlv(0x30, Concat({ext.oid_encoded, Tlv(0x04, {0x05, 0x00})}))
                              : ToBytes(ext.encoded);
    extensions.insert(extensions.end(), encoded.begin(), encoded.end());
  }
  const ByteSpan tbs = precert.tbs();
  const auto& layout = precert.tbs_layout();
  Bytes contents = ToBytes(
      tbs.subspan(layout.contents_offset, layout.extensions_offset - layout.contents_offset));
  const Bytes field = Tlv(0xa3, Tlv(0x30, extensions));
  contents.insert(contents.end(), field.begin(), field.end());
  return x509_testing::WrapTbs(Tlv(0x30, contents), precert);
}

TEST_F(SignedEntryTest, InvalidInputsAreRefusedWithTheRightCode) {
  const CertificateView no_scts = Load("test-cert.pem");
  auto code = [](const Result<SignedEntry>& result) {
    return result ? ErrorCode::kInternal : result.error().code;
  };
  const LogEntryType kPrecert = LogEntryType::kPrecert;
  EXPECT_EQ(code(BuildSignedEntry(kPrecert, preca_precert_)), ErrorCode::kNotFound);  // no issuer
  // A signing certificate without the CA above it; a final certificate it claims to issue.
  EXPECT_EQ(code(BuildSignedEntry(kPrecert, preca_precert_, {.issuer = &signing_})),
            ErrorCode::kInvalidArgument);
  EXPECT_EQ(code(BuildSignedEntry(kPrecert, final_cert_, {&signing_, &ca_})),
            ErrorCode::kInvalidArgument);
  // A final certificate without embedded SCTs has no precert_entry.
  EXPECT_EQ(code(BuildSignedEntry(kPrecert, no_scts, {.issuer = &ca_})), ErrorCode::kNotFound);
  // A poison extension that is not critical makes neither a precertificate nor a certificate.
  Result<CertificateView> weak_poison =
      CertificateView::Parse(WithNonCriticalPoison(preca_precert_));
  ASSERT_TRUE(weak_poison.has_value()) << weak_poison.error().message;
  EXPECT_FALSE(weak_poison->IsPrecertificate());
  EXPECT_EQ(code(BuildSignedEntry(kPrecert, *weak_poison, {.issuer = &ca_})),
            ErrorCode::kMalformed);

  // From bytes: the DER must be 1 to 2^24-1 bytes (opaque <1..2^24-1>).
  const Sha256Digest key_hash{};
  EXPECT_EQ(code(X509SignedEntry(ByteSpan())), ErrorCode::kInvalidArgument);
  EXPECT_EQ(code(PrecertSignedEntry(key_hash, ByteSpan())), ErrorCode::kInvalidArgument);
  EXPECT_EQ(code(PrecertSignedEntry(key_hash, Bytes(size_t{1} << 24, 0x30))),
            ErrorCode::kInvalidArgument);
  EXPECT_TRUE(PrecertSignedEntry(key_hash, Bytes((size_t{1} << 24) - 1, 0x30)).has_value());
}

TEST_F(SignedEntryTest, DeduplicationHashIsTheHashOfTheRebuiltTbs) {
  const CertificateView precert = Load("test-embedded-pre-cert.pem");
  EXPECT_EQ(DeduplicationTbsHash(final_cert_), Sha256(EmbeddedSctTbs(final_cert_).value()));
  EXPECT_EQ(DeduplicationTbsHash(precert), Sha256(PrecertTbs(precert).value()));
  // The precertificate and the certificate issued from it are one issuance.
  EXPECT_EQ(DeduplicationTbsHash(final_cert_), DeduplicationTbsHash(precert));
  // And the TBS of either's precert_entry.
  EXPECT_EQ(BuildSignedEntry(LogEntryType::kPrecert, precert, {.issuer = &ca_})->DerSha256(),
            DeduplicationTbsHash(final_cert_));
  // Nothing to remove: the TBS as it is.
  const CertificateView plain = Load("test-cert.pem");
  EXPECT_EQ(DeduplicationTbsHash(plain), Sha256(plain.tbs()));
}

}  // namespace
}  // namespace ctkit
