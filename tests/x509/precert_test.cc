#include "x509/precert.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "sct_oracle.h"
#include "x509/der.h"
#include "x509/oid.h"
#include "x509_test_util.h"

namespace ctkit {
namespace {

using x509_testing::Concat;
using x509_testing::LoadCert;
using x509_testing::LoadLogKeys;
using x509_testing::ParseOracleSct;
using x509_testing::ParseOracleSctList;
using x509_testing::Tlv;
using x509_testing::ToBytes;
using x509_testing::VerifyPrecertSct;

// Oracle: the TBS of `cert` with its extension list replaced by `extensions`, built with the
// test's own encoder from the bytes before the [3] field.
Bytes OracleTbs(const CertificateView& cert, const std::vector<Bytes>& extensions,
                std::optional<ByteSpan> issuer = std::nullopt) {
  const ByteSpan tbs = cert.tbs();
  const auto& layout = cert.tbs_layout();
  Bytes contents =
      ToBytes(tbs.subspan(layout.contents_offset, layout.issuer_offset - layout.contents_offset));
  const ByteSpan old_issuer = tbs.subspan(layout.issuer_offset, layout.issuer_size);
  const ByteSpan new_issuer = issuer.value_or(old_issuer);
  contents.insert(contents.end(), new_issuer.begin(), new_issuer.end());
  const size_t rest = layout.issuer_offset + layout.issuer_size;
  const ByteSpan middle = tbs.subspan(rest, layout.extensions_offset - rest);
  contents.insert(contents.end(), middle.begin(), middle.end());
  if (!extensions.empty()) {
    Bytes list;
    for (const Bytes& ext : extensions) list.insert(list.end(), ext.begin(), ext.end());
    const Bytes field = Tlv(0xa3, Tlv(0x30, list));
    contents.insert(contents.end(), field.begin(), field.end());
  }
  return Tlv(0x30, contents);
}

std::vector<Bytes> ExtensionsExcept(const CertificateView& cert,
                                    std::initializer_list<ByteSpan> oids) {
  std::vector<Bytes> out;
  for (const Extension& ext : cert.extensions()) {
    bool drop = false;
    for (ByteSpan oid : oids) drop = drop || OidEquals(ext.oid, oid);
    if (!drop) out.push_back(ToBytes(ext.encoded));
  }
  return out;
}

CertificateView MustLoad(const std::string& file) {
  auto cert = LoadCert(file);
  // Thrown exceptions fail the current test with this message (GoogleTest catches them).
  if (!cert) throw std::runtime_error(file + ": " + cert.error().message);
  return *cert;
}

CertificateView MustParse(const Bytes& der) {
  auto cert = CertificateView::Parse(ByteSpan(der));
  if (!cert) throw std::runtime_error(cert.error().message);
  return *cert;
}

TEST(TbsWithoutExtensionTest, FinalCertMinusSctsEqualsPrecertMinusPoison) {
  const CertificateView final_cert = MustLoad("sct/ctlog/test-embedded-cert.pem");
  const CertificateView precert = MustLoad("sct/ctlog/test-embedded-pre-cert.pem");
  auto from_final = EmbeddedSctTbs(final_cert);
  auto from_precert = PrecertTbs(precert);
  ASSERT_TRUE(from_final.has_value()) << from_final.error().message;
  ASSERT_TRUE(from_precert.has_value()) << from_precert.error().message;
  EXPECT_EQ(*from_final, *from_precert);
  EXPECT_EQ(*from_final, TbsWithoutExtension(final_cert, oid::kCtSctList).value());
  // The final and precertificate TBS themselves differ (SCTs vs poison).
  EXPECT_NE(ToBytes(final_cert.tbs()), ToBytes(precert.tbs()));
  // The certificate with a broken SCT signature has the same TBS apart from the SCT list.
  const CertificateView invalid = MustLoad("sct/ctlog/test-invalid-embedded-cert.pem");
  EXPECT_EQ(EmbeddedSctTbs(invalid).value(), *from_final);
}

TEST(TbsWithoutExtensionTest, MatchesOracleForEveryExtensionOfRealCertificates) {
  for (const char* file :
       {"sct/realworld/cryptography.io-2018/leaf.pem", "sct/realworld/github.com-2016/leaf.der",
        "sct/sctrs/google-cert.bin", "sct/ctlog/test-embedded-with-preca-pre-cert.pem"}) {
    SCOPED_TRACE(file);
    const CertificateView cert = MustLoad(file);
    for (const Extension& ext : cert.extensions()) {
      SCOPED_TRACE(ext.oid_string);
      auto tbs = TbsWithoutExtension(cert, ext.oid);
      ASSERT_TRUE(tbs.has_value()) << tbs.error().message;
      EXPECT_EQ(*tbs, OracleTbs(cert, ExtensionsExcept(cert, {ext.oid})));
      // DER all the way down: the result parses as one element with minimal lengths.
      EXPECT_TRUE(ParseSingleDerElement(*tbs).has_value());
    }
  }
}

TEST(TbsWithoutExtensionTest, RemovingEveryExtensionDropsTheExtensionsField) {
  CertificateView cert = MustLoad("sct/ctlog/test-cert.pem");
  ASSERT_EQ(cert.extensions().size(), 3u);
  const Bytes prefix = ToBytes(
      cert.tbs().subspan(cert.tbs_layout().contents_offset,
                         cert.tbs_layout().extensions_offset - cert.tbs_layout().contents_offset));
  // Peel extensions off from the front; each step is checked against the oracle, and the
  // extension list shrinks through the 128-byte short/long length boundary on the way.
  while (!cert.extensions().empty()) {
    const Bytes oid = ToBytes(cert.extensions().front().oid);  // outlives `cert` below
    auto tbs = TbsWithoutExtension(cert, oid);
    ASSERT_TRUE(tbs.has_value());
    EXPECT_EQ(*tbs, OracleTbs(cert, ExtensionsExcept(cert, {oid})));
    cert = MustParse(x509_testing::WrapTbs(*tbs, cert));
    EXPECT_EQ(cert.FindExtension(oid), nullptr);
  }
  // No empty [3] field is left behind (RFC 5280: Extensions is SIZE (1..MAX)).
  EXPECT_EQ(ToBytes(cert.tbs()), Tlv(0x30, prefix));
  EXPECT_EQ(cert.tbs_layout().extensions_offset, cert.tbs().size());
}

TEST(TbsWithoutExtensionTest, MissingExtensionIsNotFound) {
  const CertificateView cert = MustLoad("sct/ctlog/test-cert.pem");
  auto tbs = TbsWithoutExtension(cert, oid::kCtPoison);
  ASSERT_FALSE(tbs.has_value());
  EXPECT_EQ(tbs.error().code, ErrorCode::kNotFound);
  EXPECT_NE(tbs.error().message.find("1.3.6.1.4.1.11129.2.4.3"), std::string::npos);
  auto embedded = EmbeddedSctTbs(cert);
  ASSERT_FALSE(embedded.has_value());
  EXPECT_EQ(embedded.error().code, ErrorCode::kNotFound);
}

// --- SCT signatures from real logs prove the rebuilt bytes are exactly what was signed. ---

TEST(PrecertEntryTest, EmbeddedSctsOfTheCtTestLogVerify) {
  const auto keys = LoadLogKeys({"sct/ctlog/ct-server-key-public.pem"});
  struct Case {
    const char* cert;
    const char* issuer;
    bool valid;
  };
  for (const Case& c :
       {Case{"sct/ctlog/test-embedded-cert.pem", "sct/ctlog/ca-cert.pem", true},
        Case{"sct/ctlog/test-embedded-with-intermediate-cert.pem",
             "sct/ctlog/intermediate-cert.pem", true},
        Case{"sct/ctlog/test-invalid-embedded-cert.pem", "sct/ctlog/ca-cert.pem", false},
        // Wrong issuer: a different issuer_key_hash breaks the signature.
        Case{"sct/ctlog/test-embedded-cert.pem", "sct/ctlog/intermediate-cert.pem", false}}) {
    SCOPED_TRACE(std::string(c.cert) + " issued by " + c.issuer);
    const CertificateView cert = MustLoad(c.cert);
    const CertificateView issuer = MustLoad(c.issuer);
    auto tbs = EmbeddedSctTbs(cert);
    ASSERT_TRUE(tbs.has_value()) << tbs.error().message;
    const auto scts = ParseOracleSctList(cert.EmbeddedSctList().value());
    ASSERT_EQ(scts.size(), 1u);
    EXPECT_EQ(VerifyPrecertSct(scts[0], issuer.spki_sha256(), *tbs, keys), c.valid);
  }
}

TEST(PrecertEntryTest, SctForPrecertificateVerifies) {
  const auto keys = LoadLogKeys({"sct/ctlog/ct-server-key-public.pem"});
  const CertificateView precert = MustLoad("sct/ctlog/test-embedded-pre-cert.pem");
  const CertificateView ca = MustLoad("sct/ctlog/ca-cert.pem");
  auto tbs = PrecertTbs(precert);
  ASSERT_TRUE(tbs.has_value()) << tbs.error().message;
  auto sct = ParseOracleSct(x509_testing::ReadTestFile("sct/ctlog/test-embedded-pre-cert.proof"));
  ASSERT_TRUE(sct.has_value());
  EXPECT_TRUE(VerifyPrecertSct(*sct, ca.spki_sha256(), *tbs, keys));
}

TEST(PrecertEntryTest, PrecertificateSigningCertificateCase) {
  const auto keys = LoadLogKeys({"sct/ctlog/ct-server-key-public.pem"});
  const CertificateView precert = MustLoad("sct/ctlog/test-embedded-with-preca-pre-cert.pem");
  const CertificateView signing = MustLoad("sct/ctlog/ca-pre-cert.pem");
  const CertificateView ca = MustLoad("sct/ctlog/ca-cert.pem");
  auto sct = ParseOracleSct(
      x509_testing::ReadTestFile("sct/ctlog/test-embedded-with-preca-pre-cert.proof"));
  ASSERT_TRUE(sct.has_value());

  // The log signed the TBS rewritten from the signing certificate, with the key hash of the CA
  // above it (which ct/signed_entry.h picks).
  auto tbs = PrecertTbs(precert, &signing);
  ASSERT_TRUE(tbs.has_value()) << tbs.error().message;
  EXPECT_TRUE(VerifyPrecertSct(*sct, ca.spki_sha256(), *tbs, keys));

  // Without the issuer/AKI rewrite, or with the signing cert's own key, the signature fails.
  EXPECT_FALSE(VerifyPrecertSct(*sct, ca.spki_sha256(), PrecertTbs(precert).value(), keys));
  EXPECT_FALSE(VerifyPrecertSct(*sct, signing.spki_sha256(), *tbs, keys));

  // What changed, field by field: issuer = the signing cert's issuer (the CA's subject), the
  // AKI extension carries the signing cert's AKI value at the same position, the poison is gone,
  // and every other extension is byte-identical.
  const CertificateView rebuilt = MustParse(x509_testing::WrapTbs(*tbs, precert));
  EXPECT_EQ(ToBytes(rebuilt.issuer_der()), ToBytes(signing.issuer_der()));
  EXPECT_EQ(ToBytes(rebuilt.issuer_der()), ToBytes(ca.subject_der()));
  EXPECT_EQ(ToBytes(*rebuilt.authority_key_identifier_value()),
            ToBytes(*signing.authority_key_identifier_value()));
  EXPECT_FALSE(rebuilt.IsPrecertificate());
  ASSERT_EQ(rebuilt.extensions().size(), precert.extensions().size() - 1);
  for (size_t i = 0; i < rebuilt.extensions().size(); ++i) {
    const Extension& before = precert.extensions()[i];
    const Extension& after = rebuilt.extensions()[i];
    EXPECT_EQ(after.oid_string, before.oid_string);
    if (OidEquals(before.oid, oid::kAuthorityKeyIdentifier)) continue;
    EXPECT_EQ(ToBytes(after.encoded), ToBytes(before.encoded)) << before.oid_string;
  }
  EXPECT_EQ(ToBytes(rebuilt.subject_der()), ToBytes(precert.subject_der()));
  EXPECT_EQ(ToBytes(rebuilt.spki()), ToBytes(precert.spki()));
}

// Precertificate Signing Certificate corner cases (see x509/precert.h), with certificates
// derived from the test data by removing an extension (signatures no longer verify; only the
// structure matters here).
class AkiRewriteTest : public ::testing::Test {
 protected:
  CertificateView WithoutAki(const CertificateView& cert) {
    return MustParse(x509_testing::WrapTbs(
        TbsWithoutExtension(cert, oid::kAuthorityKeyIdentifier).value(), cert));
  }
  CertificateView precert_ = MustLoad("sct/ctlog/test-embedded-with-preca-pre-cert.pem");
  CertificateView signing_ = MustLoad("sct/ctlog/ca-pre-cert.pem");
};

TEST_F(AkiRewriteTest, SigningCertWithoutAkiRemovesThePrecertsAki) {
  const CertificateView signing_without_aki = WithoutAki(signing_);
  ASSERT_TRUE(signing_without_aki.IsPrecertificateSigningCert());
  auto tbs = PrecertTbs(precert_, &signing_without_aki);
  ASSERT_TRUE(tbs.has_value()) << tbs.error().message;
  EXPECT_EQ(*tbs,
            OracleTbs(precert_,
                      ExtensionsExcept(precert_, {oid::kCtPoison, oid::kAuthorityKeyIdentifier}),
                      signing_.issuer_der()));
}

TEST_F(AkiRewriteTest, PrecertWithoutAkiGetsTheSigningCertsAkiAppended) {
  const CertificateView precert_without_aki = WithoutAki(precert_);
  ASSERT_TRUE(precert_without_aki.IsPrecertificate());
  auto tbs = PrecertTbs(precert_without_aki, &signing_);
  ASSERT_TRUE(tbs.has_value()) << tbs.error().message;
  std::vector<Bytes> want = ExtensionsExcept(precert_without_aki, {oid::kCtPoison});
  // Non-critical AuthorityKeyIdentifier with the signing certificate's value, last.
  want.push_back(
      Tlv(0x30, Concat({Bytes{0x06, 0x03, 0x55, 0x1d, 0x23},
                        Tlv(0x04, ToBytes(*signing_.authority_key_identifier_value()))})));
  EXPECT_EQ(*tbs, OracleTbs(precert_without_aki, want, signing_.issuer_der()));
}

TEST_F(AkiRewriteTest, NeitherHasAki) {
  const CertificateView precert_without_aki = WithoutAki(precert_);
  const CertificateView signing_without_aki = WithoutAki(signing_);
  auto tbs = PrecertTbs(precert_without_aki, &signing_without_aki);
  ASSERT_TRUE(tbs.has_value());
  EXPECT_EQ(*tbs,
            OracleTbs(precert_without_aki, ExtensionsExcept(precert_without_aki, {oid::kCtPoison}),
                      signing_.issuer_der()));
}

TEST_F(AkiRewriteTest, CriticalFlagOfThePrecertsAkiIsKept) {
  // Rebuild the precert with its AKI marked critical, in place.
  std::vector<Bytes> extensions;
  for (const Extension& ext : precert_.extensions()) {
    if (OidEquals(ext.oid, oid::kAuthorityKeyIdentifier)) {
      extensions.push_back(Tlv(
          0x30, Concat({ext.oid_encoded, Bytes{0x01, 0x01, 0xff}, Tlv(0x04, ToBytes(ext.value))})));
    } else {
      extensions.push_back(ToBytes(ext.encoded));
    }
  }
  const CertificateView critical_aki =
      MustParse(x509_testing::WrapTbs(OracleTbs(precert_, extensions), precert_));
  ASSERT_TRUE(critical_aki.FindExtension(oid::kAuthorityKeyIdentifier)->critical);
  auto tbs = PrecertTbs(critical_aki, &signing_);
  ASSERT_TRUE(tbs.has_value());
  const CertificateView rebuilt = MustParse(x509_testing::WrapTbs(*tbs, precert_));
  const Extension* aki = rebuilt.FindExtension(oid::kAuthorityKeyIdentifier);
  ASSERT_NE(aki, nullptr);
  EXPECT_TRUE(aki->critical);
  EXPECT_EQ(ToBytes(aki->value), ToBytes(*signing_.authority_key_identifier_value()));
}

TEST(PrecertEntryTest, RealWorldEmbeddedSctsVerify) {
  const auto keys =
      LoadLogKeys({"keys/google-icarus.pem", "keys/sectigo-mammoth.pem", "keys/google-pilot.pem",
                   "keys/google-aviator.pem", "keys/digicert-log-server.pem"});
  struct Case {
    const char* cert;
    const char* issuer;
    std::vector<bool> valid;
  };
  const Case cases[] = {
      {"sct/realworld/cryptography.io-2018/leaf.pem",
       "sct/realworld/cryptography.io-2018/issuer.pem",
       {true, true}},
      {"sct/realworld/github.com-2016/leaf.der",
       "sct/realworld/github.com-2016/issuer.pem",
       {true, true, true}},
      // One bit flipped in the first SCT's signature (testdata README): only that one fails.
      {"malformed/cryptography.io-embedded-sct-tampered.der",
       "sct/realworld/cryptography.io-2018/issuer.pem",
       {false, true}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.cert);
    const CertificateView cert = MustLoad(c.cert);
    const CertificateView issuer = MustLoad(c.issuer);
    auto tbs = EmbeddedSctTbs(cert);
    ASSERT_TRUE(tbs.has_value()) << tbs.error().message;
    const auto scts = ParseOracleSctList(cert.EmbeddedSctList().value());
    ASSERT_EQ(scts.size(), c.valid.size());
    for (size_t i = 0; i < scts.size(); ++i) {
      EXPECT_EQ(VerifyPrecertSct(scts[i], issuer.spki_sha256(), *tbs, keys), c.valid[i])
          << "SCT " << i;
    }
  }
}

TEST(PrecertEntryTest, X509EntrySctOverPemDecodedCertificateVerifies) {
  // Not a transform, but proves PEM decoding yields the exact DER the log signed.
  const auto keys = LoadLogKeys({"sct/ctlog/ct-server-key-public.pem"});
  const CertificateView cert = MustLoad("sct/ctlog/test-cert.pem");
  auto sct = ParseOracleSct(x509_testing::ReadTestFile("sct/ctlog/test-cert.proof"));
  ASSERT_TRUE(sct.has_value());
  Bytes entry;
  x509_testing::PutUint(entry, cert.der().size(), 3);
  entry.insert(entry.end(), cert.der().begin(), cert.der().end());
  EXPECT_TRUE(
      x509_testing::VerifyWithLogKeys(*sct, x509_testing::SignedInput(*sct, 0, entry), keys));
  entry.back() ^= 1;
  EXPECT_FALSE(
      x509_testing::VerifyWithLogKeys(*sct, x509_testing::SignedInput(*sct, 0, entry), keys));
}

TEST(PrecertEntryTest, InvalidInputsAreRefusedWithTheRightCode) {
  const CertificateView final_cert = MustLoad("sct/ctlog/test-embedded-cert.pem");
  const CertificateView precert = MustLoad("sct/ctlog/test-embedded-with-preca-pre-cert.pem");
  const CertificateView ca = MustLoad("sct/ctlog/ca-cert.pem");

  auto code = [](const auto& result) {
    return result ? ErrorCode::kInternal : result.error().code;
  };
  EXPECT_EQ(code(PrecertTbs(final_cert)), ErrorCode::kInvalidArgument);
  EXPECT_EQ(code(PrecertTbs(precert, &ca)), ErrorCode::kInvalidArgument);  // no CT EKU

  // A poison extension that is not critical makes neither a precertificate nor a certificate.
  std::vector<Bytes> extensions;
  for (const Extension& ext : precert.extensions()) {
    extensions.push_back(OidEquals(ext.oid, oid::kCtPoison)
                             ? Tlv(0x30, Concat({ext.oid_encoded, Tlv(0x04, Bytes{0x05, 0x00})}))
                             : ToBytes(ext.encoded));
  }
  const CertificateView weak_poison =
      MustParse(x509_testing::WrapTbs(OracleTbs(precert, extensions), precert));
  EXPECT_FALSE(weak_poison.IsPrecertificate());
  EXPECT_EQ(code(CheckPoisonExtension(weak_poison)), ErrorCode::kMalformed);
  EXPECT_EQ(code(PrecertTbs(weak_poison)), ErrorCode::kMalformed);
  EXPECT_TRUE(CheckPoisonExtension(precert).has_value());
  EXPECT_TRUE(CheckPoisonExtension(final_cert).has_value());
}

}  // namespace
}  // namespace ctkit
