// Hostile-input tests: every truncation and many corruptions of real certificates. Under
// ASan/UBSan any out-of-bounds read or overflow aborts the test; the assertions check that each
// input is either rejected with an error or parsed consistently.

#include <gtest/gtest.h>

#include "x509/certificate.h"
#include "x509/der.h"
#include "x509/extensions.h"
#include "x509/name.h"
#include "x509/oid.h"
#include "x509/pem.h"
#include "x509/precert.h"
#include "x509_test_util.h"

namespace ctkit {
namespace {

const char* const kCertificateFiles[] = {
    "sct/ctlog/ca-cert.pem",
    "sct/ctlog/ca-pre-cert.pem",
    "sct/ctlog/intermediate-cert.pem",
    "sct/ctlog/test-cert.pem",
    "sct/ctlog/test-embedded-cert.pem",
    "sct/ctlog/test-embedded-pre-cert.pem",
    "sct/ctlog/test-embedded-with-intermediate-cert.pem",
    "sct/ctlog/test-embedded-with-preca-pre-cert.pem",
    "sct/ctlog/test-invalid-embedded-cert.pem",
    "sct/realworld/cryptography.io-2018/leaf.pem",
    "sct/realworld/cryptography.io-2018/issuer.pem",
    "sct/realworld/github.com-2016/leaf.der",
    "sct/realworld/github.com-2016/issuer.pem",
    "sct/sctrs/google-cert.bin",
    "malformed/cryptography.io-embedded-sct-tampered.der",
};

// One certificate of each shape (CA, precertificate signing certificate, precertificates with
// and without one, final certificate with SCTs, real-world RSA/EC/EV leaves): corrupting the
// near-duplicates too would only slow the run down under ASan.
const char* const kCorruptionFiles[] = {
    "sct/ctlog/ca-pre-cert.pem",
    "sct/ctlog/test-embedded-cert.pem",
    "sct/ctlog/test-embedded-pre-cert.pem",
    "sct/ctlog/test-embedded-with-preca-pre-cert.pem",
    "sct/realworld/cryptography.io-2018/leaf.pem",
    "sct/realworld/github.com-2016/leaf.der",
    "sct/sctrs/google-cert.bin",
};

// Runs every accessor and transform on a parsed certificate; returns how many transforms
// produced a TBS, each checked to be a single well-formed DER element.
int ExerciseView(const CertificateView& cert, const CertificateView& issuer) {
  int produced = 0;
  // The text is built on first use from what Parse checked; it must never fail afterwards.
  EXPECT_TRUE(NameToString(cert.issuer_der()).has_value());
  EXPECT_TRUE(NameToString(cert.subject_der()).has_value());
  if (const Extension* san = cert.FindRawExtension(oid::kSubjectAltName)) {
    EXPECT_TRUE(ParseSubjectAltName(san->value).has_value());
  }
  if (const Extension* eku = cert.FindRawExtension(oid::kExtendedKeyUsage)) {
    EXPECT_TRUE(ParseExtendedKeyUsage(eku->value).has_value());
  }
  (void)cert.issuer();
  (void)cert.subject();
  (void)cert.subject_common_names();
  (void)cert.dns_names();
  (void)cert.ip_addresses();
  (void)cert.extended_key_usages();
  EXPECT_FALSE(cert.signature_algorithm_oid().empty());
  EXPECT_FALSE(cert.spki_algorithm_oid().empty());
  (void)cert.sha256();
  (void)cert.spki_sha256();
  for (const Extension& ext : cert.extensions()) {
    auto tbs = TbsWithoutExtension(cert, ext.oid);
    EXPECT_TRUE(tbs.has_value());
    if (!tbs) continue;
    EXPECT_TRUE(ParseSingleDerElement(*tbs).has_value());
    EXPECT_LT(tbs->size(), cert.tbs().size());
    ++produced;
  }
  (void)cert.EmbeddedSctList();
  // The TBS a precert_entry would carry (ct/signed_entry.h picks which transform).
  if (auto tbs = cert.IsPrecertificate() ? PrecertTbs(cert) : EmbeddedSctTbs(cert)) {
    EXPECT_TRUE(ParseSingleDerElement(*tbs).has_value());
    ++produced;
  }
  if (cert.IsPrecertificate() && issuer.IsPrecertificateSigningCert()) {
    if (auto tbs = PrecertTbs(cert, &issuer)) {
      EXPECT_TRUE(ParseSingleDerElement(*tbs).has_value());
      ++produced;
    }
  }
  return produced;
}

TEST(RobustnessTest, EveryTruncationIsRejected) {
  for (const char* file : kCertificateFiles) {
    SCOPED_TRACE(file);
    const Bytes der = x509_testing::LoadDer(file);
    ASSERT_FALSE(der.empty());
    for (size_t length = 0; length < der.size(); ++length) {
      auto cert = CertificateView::Parse(ByteSpan(der.data(), length));
      ASSERT_FALSE(cert.has_value()) << "truncated to " << length << " bytes parsed";
      EXPECT_EQ(cert.error().code, ErrorCode::kMalformed) << length;
      EXPECT_FALSE(cert.error().message.empty());
    }
    EXPECT_TRUE(CertificateView::Parse(ByteSpan(der)).has_value());
  }
}

TEST(RobustnessTest, CorruptedBytesNeverCrashAndParsesAreConsistent) {
  const CertificateView issuer = x509_testing::LoadCert("sct/ctlog/ca-pre-cert.pem").value();
  for (const char* file : kCorruptionFiles) {
    SCOPED_TRACE(file);
    const Bytes der = x509_testing::LoadDer(file);
    size_t rejected = 0, accepted = 0;
    for (size_t pos = 0; pos < der.size(); ++pos) {
      // One corruption per byte, rotating between a low bit, the high bit (tag class, length
      // form) and the whole byte, keeps the run short under ASan while touching every byte.
      static constexpr uint8_t kMasks[] = {0x01, 0x80, 0xff};
      {
        const uint8_t mask = kMasks[pos % 3];
        Bytes mutated = der;
        mutated[pos] ^= mask;
        auto cert = CertificateView::Parse(ByteSpan(mutated));
        if (!cert) {
          ++rejected;
          EXPECT_FALSE(cert.error().message.empty());
          continue;
        }
        ++accepted;
        // A successful parse describes exactly the mutated bytes.
        EXPECT_EQ(x509_testing::ToBytes(cert->der()), mutated);
        EXPECT_GE(cert->tbs().data(), cert->der().data());
        EXPECT_LE(cert->tbs().data() + cert->tbs().size(), cert->der().data() + cert->der().size());
        ExerciseView(*cert, issuer);
      }
    }
    // Header and length bytes are everywhere, so many mutations must be caught; key and
    // signature bits are opaque, so many must parse.
    EXPECT_GT(rejected, der.size() / 10);
    EXPECT_GT(accepted, der.size() / 10);
  }
}

TEST(RobustnessTest, TransformsOnUnmodifiedCertificates) {
  const CertificateView signing = x509_testing::LoadCert("sct/ctlog/ca-pre-cert.pem").value();
  for (const char* file : kCertificateFiles) {
    SCOPED_TRACE(file);
    const CertificateView cert = x509_testing::LoadCert(file).value();
    // Each extension can be removed, plus at least the entry for certificates with SCTs/poison.
    const int produced = ExerciseView(cert, signing);
    EXPECT_GE(produced, static_cast<int>(cert.extensions().size()));
  }
}

TEST(RobustnessTest, GarbageInputsToEveryEntryPoint) {
  // Deterministic pseudo-random buffers, plus nested-SEQUENCE bombs.
  uint32_t state = 12345;
  auto next = [&] {
    state = state * 1103515245 + 12345;
    return static_cast<uint8_t>(state >> 16);
  };
  for (int round = 0; round < 2000; ++round) {
    Bytes data(next() % 64 + 1);
    for (auto& b : data) b = next();
    if (round % 2 == 0) data[0] = 0x30;
    EXPECT_FALSE(CertificateView::Parse(ByteSpan(data)).has_value());
    (void)DecodeCertificateInput(data);
    (void)ParseName(data);
    (void)ParseExtensions(data, data, 0);
    DerReader reader(data);
    while (!reader.empty()) {
      if (!reader.ReadAnyElement()) break;
    }
  }
  Bytes bomb;
  for (int i = 0; i < 100000; ++i) bomb.insert(bomb.end(), {0x30, 0x80});
  EXPECT_FALSE(CertificateView::Parse(ByteSpan(bomb)).has_value());
  Bytes deep = {0x05, 0x00};
  for (int i = 0; i < 200; ++i) deep = x509_testing::Tlv(0x30, deep);
  EXPECT_FALSE(CertificateView::Parse(ByteSpan(deep)).has_value());
  EXPECT_FALSE(ParseName(deep).has_value());
}

}  // namespace
}  // namespace ctkit
