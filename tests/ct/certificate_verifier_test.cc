// CertificateVerifier::Verify and FindIssuer on the real test data (testdata/MANIFEST.json):
// which signed entry each SCT is checked over, how the issuer is found in out-of-order chains,
// the log-list trust rules behind kUntrustedAtTime, and the policies' wiring. The test logs'
// keys are in no public list, so every test writes a small v3 log list of its own.

#include "ct/certificate_verifier.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "base/sha256.h"
#include "ct/rfc3339.h"
#include "ct/sct.h"
#include "ct/sct_verify.h"
#include "test_log_list.h"
#include "test_support.h"
#include "x509/pem.h"
#include "x509/precert.h"

namespace ctkit {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

using namespace testing::log_list_data;
using testing::LogListJson;
using testing::TestLog;

CertificateView LoadCert(const std::string& relative, size_t index = 0) {
  Result<std::vector<CertificateView>> certs =
      ParseCertificateInput(testing::ReadTestData(relative));
  if (!certs) throw std::runtime_error(relative + ": " + certs.error().message);
  return certs->at(index);
}

CertificateView Ctlog(const std::string& name) { return LoadCert("sct/ctlog/" + name); }

std::unique_ptr<LogList> MakeList(const std::vector<TestLog>& logs,
                                  int64_t list_timestamp_ms = Ms("2013-05-01T00:00:00Z")) {
  Result<LogList> list = LogList::Parse(LogListJson(logs, list_timestamp_ms));
  if (!list) throw std::runtime_error("test log list: " + list.error().message);
  return std::make_unique<LogList>(std::move(*list));
}

std::vector<SctStatus> Statuses(const CertificateCheck& check) {
  std::vector<SctStatus> out;
  for (const SctCheck& sct : check.scts) out.push_back(sct.status);
  return out;
}

constexpr PolicyChoice kNoPolicy{.chrome = false, .apple = false};

std::vector<DeliveredSct> Delivered(Bytes sct, SctDelivery delivery) {
  return {DeliveredSct{std::move(sct), delivery}};
}

// The SCT status a manifest result word stands for (testdata/README.md, "Result vocabulary").
SctStatus ManifestStatus(const std::string& word) {
  if (word == "valid") return SctStatus::kValid;
  if (word == "invalid") return SctStatus::kInvalidSignature;
  if (word == "unknown_log") return SctStatus::kUnknownLog;
  if (word == "malformed") return SctStatus::kMalformed;
  if (word == "unsupported_version") return SctStatus::kUnsupportedVersion;
  if (word == "timestamp_in_future") return SctStatus::kFutureTimestamp;
  // SHA-384 / P-384: RFC 6962 §2.1.4 allows neither; ctkit is the strict verifier the README
  // mentions (sct_verify.h checks algorithms before looking up the log).
  if (word == "valid_nonstandard_alg") return SctStatus::kUnsupportedAlgorithm;
  throw std::runtime_error("unknown manifest result " + word);
}

// --- certificates made with OpenSSL, for FindIssuer's name / key identifier rules ---

template <typename T, void (*Free)(T*)>
struct OpenSslDeleter {
  void operator()(T* p) const { Free(p); }
};
using X509Ptr = std::unique_ptr<X509, OpenSslDeleter<X509, X509_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY, EVP_PKEY_free>>;
using NamePtr = std::unique_ptr<X509_NAME, OpenSslDeleter<X509_NAME, X509_NAME_free>>;
using OctetsPtr =
    std::unique_ptr<ASN1_OCTET_STRING, OpenSslDeleter<ASN1_OCTET_STRING, ASN1_OCTET_STRING_free>>;

// A self-signed CA certificate with `subject` (DER Name) and a fresh P-256 key: same name as a
// real issuer, another key. With `subject_key_id`, it carries that subjectKeyIdentifier.
CertificateView Impostor(ByteSpan subject, std::optional<Bytes> subject_key_id) {
  PkeyPtr key(EVP_EC_gen("P-256"));
  X509Ptr cert(X509_new());
  const unsigned char* p = subject.data();
  NamePtr name(d2i_X509_NAME(nullptr, &p, static_cast<long>(subject.size())));
  if (!key || !cert || !name) throw std::runtime_error("OpenSSL setup failed");
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), 4242);
  X509_set_subject_name(cert.get(), name.get());
  X509_set_issuer_name(cert.get(), name.get());
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 3600);
  X509_set_pubkey(cert.get(), key.get());
  if (subject_key_id) {
    OctetsPtr octets(ASN1_OCTET_STRING_new());
    ASN1_OCTET_STRING_set(octets.get(), subject_key_id->data(),
                          static_cast<int>(subject_key_id->size()));
    X509_add1_ext_i2d(cert.get(), NID_subject_key_identifier, octets.get(), 0, 0);
  }
  if (X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0) throw std::runtime_error("X509_sign");
  unsigned char* der = nullptr;
  int size = i2d_X509(cert.get(), &der);
  Bytes bytes(der, der + std::max(size, 0));
  OPENSSL_free(der);
  Result<CertificateView> view = CertificateView::Parse(std::move(bytes));
  if (!view) throw std::runtime_error("impostor: " + view.error().message);
  return *view;
}

// ============================== FindIssuer ==============================

TEST(FindIssuerTest, FindsTheDirectIssuerAmongOthers) {
  CertificateView leaf = Ctlog("test-embedded-cert.pem");
  std::vector<CertificateView> candidates = {Ctlog("intermediate-cert.pem"),
                                             Ctlog("ca-pre-cert.pem"), Ctlog("ca-cert.pem")};
  EXPECT_EQ(FindIssuer(leaf, candidates), &candidates[2]);
}

TEST(FindIssuerTest, FindsTheIntermediateWhateverTheOrder) {
  CertificateView leaf = Ctlog("test-embedded-with-intermediate-cert.pem");
  std::vector<CertificateView> candidates = {Ctlog("ca-cert.pem"), Ctlog("intermediate-cert.pem")};
  EXPECT_EQ(FindIssuer(leaf, candidates), &candidates[1]);
  std::swap(candidates[0], candidates[1]);
  EXPECT_EQ(FindIssuer(leaf, candidates), &candidates[0]);
  // And the intermediate's own issuer is the root.
  EXPECT_EQ(FindIssuer(candidates[0], candidates), &candidates[1]);
}

TEST(FindIssuerTest, PrecertificateSigningCertificateAndTheCaAboveIt) {
  CertificateView precert = Ctlog("test-embedded-with-preca-pre-cert.pem");
  std::vector<CertificateView> candidates = {Ctlog("ca-cert.pem"), Ctlog("ca-pre-cert.pem")};
  const CertificateView* preca = FindIssuer(precert, candidates);
  ASSERT_EQ(preca, &candidates[1]);
  EXPECT_TRUE(preca->IsPrecertificateSigningCert());
  EXPECT_EQ(FindIssuer(*preca, candidates), &candidates[0]);
}

TEST(FindIssuerTest, NoCandidateWithTheIssuerNameIsNull) {
  CertificateView leaf = Ctlog("test-embedded-cert.pem");
  std::vector<CertificateView> candidates = {Ctlog("intermediate-cert.pem"),
                                             Ctlog("ca-pre-cert.pem")};
  EXPECT_EQ(FindIssuer(leaf, candidates), nullptr);
  EXPECT_EQ(FindIssuer(leaf, {}), nullptr);
  // The leaf of another chain whose issuer name matches is not taken for this leaf's issuer
  // either: the test certificate and the embedded one share the CA name, not a subject.
  std::vector<CertificateView> siblings = {Ctlog("test-cert.pem")};
  EXPECT_EQ(FindIssuer(leaf, siblings), nullptr);
}

TEST(FindIssuerTest, KeyIdentifierDecidesBetweenCertificatesWithTheSameName) {
  CertificateView leaf = Ctlog("test-embedded-cert.pem");
  CertificateView ca = Ctlog("ca-cert.pem");
  CertificateView other_key_id = Impostor(ca.subject_der(), Bytes(20, 0xab));
  CertificateView no_key_id = Impostor(ca.subject_der(), std::nullopt);
  ASSERT_TRUE(leaf.authority_key_id());

  // Same name, different subjectKeyIdentifier: never the issuer.
  std::vector<CertificateView> only_other = {other_key_id};
  EXPECT_EQ(FindIssuer(leaf, only_other), nullptr);
  for (bool reversed : {false, true}) {
    SCOPED_TRACE(reversed ? "real CA first" : "impostor first");
    std::vector<CertificateView> both = {other_key_id, ca};
    if (reversed) std::swap(both[0], both[1]);
    const CertificateView* found = FindIssuer(leaf, both);
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(found->sha256(), ca.sha256());
  }
  // Same name without a key identifier: a match by name alone, taken only when no candidate
  // matches by name and key identifier.
  std::vector<CertificateView> only_unidentified = {no_key_id};
  EXPECT_EQ(FindIssuer(leaf, only_unidentified), &only_unidentified[0]);
  for (bool reversed : {false, true}) {
    SCOPED_TRACE(reversed ? "real CA first" : "unidentified first");
    std::vector<CertificateView> both = {no_key_id, ca};
    if (reversed) std::swap(both[0], both[1]);
    const CertificateView* found = FindIssuer(leaf, both);
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(found->sha256(), ca.sha256());
  }
}

// ============================== Verify ==============================

class CertificateVerifierTest : public ::testing::Test {
 protected:
  // The CT test log (ECDSA) and its RSA twin, usable since 2000, under two operators.
  std::unique_ptr<LogList> list_ = MakeList({{.key_file = kTestLogKey, .op = "Test Operator"},
                                             {.key_file = kTestLogRsaKey, .op = "RSA Operator"}});
  CertificateVerifier verifier_{*list_};

  CertificateCheck Check(const CertificateView& leaf, std::vector<CertificateView> others,
                         std::vector<DeliveredSct> delivered = {}, int64_t now_ms = kCtlogNow) {
    return verifier_.Verify(leaf, others, delivered, now_ms, kNoPolicy);
  }
  static DeliveredSct Tls(const std::string& relative) {
    return {testing::ReadTestData(relative), SctDelivery::kTlsExtension};
  }
};

TEST_F(CertificateVerifierTest, LoadsEveryUsableKeyOfTheList) {
  EXPECT_EQ(verifier_.keyring().size(), 2u);
  EXPECT_EQ(&verifier_.log_list(), list_.get());
}

TEST_F(CertificateVerifierTest, EmbeddedSctWithDirectIssuer) {
  CertificateView leaf = Ctlog("test-embedded-cert.pem");
  CertificateCheck check = Check(leaf, {Ctlog("ca-cert.pem")});
  EXPECT_FALSE(check.is_precertificate);
  ASSERT_EQ(check.scts.size(), 1u);
  const SctCheck& sct = check.scts[0];
  EXPECT_EQ(sct.status, SctStatus::kValid);
  EXPECT_EQ(sct.delivery, SctDelivery::kEmbedded);
  ASSERT_TRUE(sct.sct);
  EXPECT_EQ(sct.sct->timestamp_ms, static_cast<uint64_t>(kEmbeddedSctMs));
  EXPECT_EQ(Base64Encode(sct.sct->log_id), "3xwuwRUAlFJHqWFoMl3cXHlZ6PfG04j8AC4LvT9012Q=");
  ASSERT_NE(sct.log, nullptr);
  EXPECT_EQ(sct.log->description, "Test log 0");  // the list's first log: the ECDSA test log
  EXPECT_EQ(sct.log->key_der, testing::SpkiOf(kTestLogKey));
  EXPECT_EQ(sct.operator_name, "Test Operator");
  EXPECT_THAT(check.notes, IsEmpty());
  EXPECT_FALSE(check.chrome);
  EXPECT_FALSE(check.apple);
  EXPECT_TRUE(check.AllSctsValid());
  EXPECT_TRUE(check.Passed());
}

TEST_F(CertificateVerifierTest, EmbeddedSctWithIntermediateInAnyChainOrder) {
  CertificateView leaf = Ctlog("test-embedded-with-intermediate-cert.pem");
  std::vector<CertificateView> chain = {Ctlog("ca-cert.pem"), Ctlog("ca-pre-cert.pem"),
                                        Ctlog("intermediate-cert.pem")};
  std::vector<size_t> order = {0, 1, 2};
  do {
    std::vector<CertificateView> others;
    for (size_t i : order) others.push_back(chain[i]);
    SCOPED_TRACE(::testing::PrintToString(order));
    EXPECT_THAT(Statuses(Check(leaf, others)), ElementsAre(SctStatus::kValid));
  } while (std::next_permutation(order.begin(), order.end()));
}

TEST_F(CertificateVerifierTest, MissingIssuerIsUnverifiableWithANote) {
  CertificateView leaf = Ctlog("test-embedded-cert.pem");
  // Neither no certificates nor unrelated ones let the precert_entry be built.
  for (std::vector<CertificateView> others :
       {std::vector<CertificateView>{},
        std::vector<CertificateView>{Ctlog("intermediate-cert.pem"), Ctlog("test-cert.pem")}}) {
    CertificateCheck check = Check(leaf, others);
    ASSERT_EQ(check.scts.size(), 1u);
    EXPECT_EQ(check.scts[0].status, SctStatus::kUnverifiableNoIssuer);
    ASSERT_TRUE(check.scts[0].sct);  // parsed, and its log is known
    EXPECT_NE(check.scts[0].log, nullptr);
    EXPECT_THAT(check.notes, Not(IsEmpty()));
    EXPECT_FALSE(check.AllSctsValid());
    EXPECT_FALSE(check.Passed());
  }
}

TEST_F(CertificateVerifierTest, IntermediateLeafWithOnlyTheRootIsUnverifiable) {
  CertificateCheck check =
      Check(Ctlog("test-embedded-with-intermediate-cert.pem"), {Ctlog("ca-cert.pem")});
  EXPECT_THAT(Statuses(check), ElementsAre(SctStatus::kUnverifiableNoIssuer));
}

TEST_F(CertificateVerifierTest, IssuerWithTheRightNameButAnotherKeyIsInvalidSignature) {
  // The wrong issuer_key_hash: the log signed over the real CA's key hash.
  CertificateView leaf = Ctlog("test-embedded-cert.pem");
  CertificateView impostor = Impostor(Ctlog("ca-cert.pem").subject_der(), std::nullopt);
  EXPECT_THAT(Statuses(Check(leaf, {impostor})), ElementsAre(SctStatus::kInvalidSignature));
}

TEST_F(CertificateVerifierTest, EmbeddedSctCoveringAnotherPrecertificateIsInvalid) {
  // ctlog-embedded-invalid-signature.
  CertificateCheck check = Check(Ctlog("test-invalid-embedded-cert.pem"), {Ctlog("ca-cert.pem")});
  EXPECT_THAT(Statuses(check), ElementsAre(SctStatus::kInvalidSignature));
  EXPECT_FALSE(check.Passed());
}

TEST_F(CertificateVerifierTest, UnknownLogIsReportedWithOrWithoutIssuer) {
  std::unique_ptr<LogList> rsa_only = MakeList({{.key_file = kTestLogRsaKey}});
  CertificateVerifier verifier(*rsa_only);
  CertificateView leaf = Ctlog("test-embedded-cert.pem");
  for (bool with_issuer : {true, false}) {
    SCOPED_TRACE(with_issuer ? "with issuer" : "without issuer");
    std::vector<CertificateView> others;
    if (with_issuer) others.push_back(Ctlog("ca-cert.pem"));
    CertificateCheck check = verifier.Verify(leaf, others, {}, kCtlogNow, kNoPolicy);
    ASSERT_EQ(check.scts.size(), 1u);
    EXPECT_EQ(check.scts[0].status, SctStatus::kUnknownLog);
    EXPECT_EQ(check.scts[0].log, nullptr);
    EXPECT_EQ(check.scts[0].operator_name, "");
  }
}

TEST_F(CertificateVerifierTest, SctsDeliveredInTlsAreX509Entries) {
  CertificateView leaf = Ctlog("test-cert.pem");
  CertificateCheck check =
      Check(leaf, {},
            {Tls("sct/ctlog/test-cert.proof"), Tls("sct/ctlog/test-cert-rsa.proof"),
             Tls("malformed/ctlog-test-cert-tampered-timestamp.proof")});
  EXPECT_THAT(Statuses(check),
              ElementsAre(SctStatus::kValid, SctStatus::kValid, SctStatus::kInvalidSignature));
  ASSERT_EQ(check.scts.size(), 3u);
  EXPECT_EQ(check.scts[0].delivery, SctDelivery::kTlsExtension);
  EXPECT_EQ(check.scts[0].operator_name, "Test Operator");
  EXPECT_EQ(check.scts[1].operator_name, "RSA Operator");
  // No issuer needed for x509_entry SCTs, and no note about one.
  EXPECT_THAT(check.notes, IsEmpty());
}

TEST_F(CertificateVerifierTest, OcspDeliveryIsKeptAndVerifiedAsX509Entry) {
  CertificateCheck check =
      Check(Ctlog("test-cert.pem"), {},
            {{testing::ReadTestData("sct/ctlog/test-cert.proof"), SctDelivery::kOcspResponse}});
  ASSERT_EQ(check.scts.size(), 1u);
  EXPECT_EQ(check.scts[0].delivery, SctDelivery::kOcspResponse);
  EXPECT_EQ(check.scts[0].status, SctStatus::kValid);
  EXPECT_EQ(SctDeliveryName(SctDelivery::kOcspResponse), "ocsp");
  EXPECT_EQ(SctDeliveryName(SctDelivery::kTlsExtension), "tls");
  EXPECT_EQ(SctDeliveryName(SctDelivery::kEmbedded), "embedded");
}

TEST_F(CertificateVerifierTest, TimestampLaterThanNowIsFuture) {
  CertificateView leaf = Ctlog("test-cert.pem");
  EXPECT_THAT(Statuses(Check(leaf, {}, {Tls("sct/ctlog/test-cert.proof")}, kX509SctMs - 1)),
              ElementsAre(SctStatus::kFutureTimestamp));
  EXPECT_THAT(Statuses(Check(leaf, {}, {Tls("sct/ctlog/test-cert.proof")}, kX509SctMs)),
              ElementsAre(SctStatus::kValid));
  CertificateView embedded = Ctlog("test-embedded-cert.pem");
  EXPECT_THAT(Statuses(Check(embedded, {Ctlog("ca-cert.pem")}, {}, kEmbeddedSctMs - 1)),
              ElementsAre(SctStatus::kFutureTimestamp));
}

TEST_F(CertificateVerifierTest, PrecertificateSctIsAPrecertEntry) {
  CertificateView precert = Ctlog("test-embedded-pre-cert.pem");
  CertificateCheck check =
      Check(precert, {Ctlog("ca-cert.pem")}, {Tls("sct/ctlog/test-embedded-pre-cert.proof")});
  EXPECT_TRUE(check.is_precertificate);
  EXPECT_THAT(Statuses(check), ElementsAre(SctStatus::kValid));
  // Without the issuer the precert_entry cannot be built, whatever the delivery.
  EXPECT_THAT(Statuses(Check(precert, {}, {Tls("sct/ctlog/test-embedded-pre-cert.proof")})),
              ElementsAre(SctStatus::kUnverifiableNoIssuer));
}

TEST_F(CertificateVerifierTest, PrecertificateSigningCertificateInEitherOrder) {
  CertificateView precert = Ctlog("test-embedded-with-preca-pre-cert.pem");
  DeliveredSct sct = Tls("sct/ctlog/test-embedded-with-preca-pre-cert.proof");
  CertificateView ca = Ctlog("ca-cert.pem");
  CertificateView preca = Ctlog("ca-pre-cert.pem");
  EXPECT_THAT(Statuses(Check(precert, {preca, ca}, {sct})), ElementsAre(SctStatus::kValid));
  EXPECT_THAT(Statuses(Check(precert, {ca, preca}, {sct})), ElementsAre(SctStatus::kValid));
  EXPECT_THAT(Statuses(Check(precert, {Ctlog("intermediate-cert.pem"), ca, preca}, {sct})),
              ElementsAre(SctStatus::kValid));
}

TEST_F(CertificateVerifierTest, PrecertificateSigningCertificateNeedsTheCaAboveIt) {
  // ct/certificate_verifier.h: "when its issuer is a Precertificate Signing Certificate, the CA
  // above that one must be supplied too" (its key is the issuer_key_hash).
  CertificateView precert = Ctlog("test-embedded-with-preca-pre-cert.pem");
  DeliveredSct sct = Tls("sct/ctlog/test-embedded-with-preca-pre-cert.proof");
  CertificateCheck check = Check(precert, {Ctlog("ca-pre-cert.pem")}, {sct});
  EXPECT_THAT(Statuses(check), ElementsAre(SctStatus::kUnverifiableNoIssuer));
  EXPECT_THAT(check.notes, Not(IsEmpty()));
  // The final CA alone is not the precertificate's issuer (that is the PreCA).
  EXPECT_THAT(Statuses(Check(precert, {Ctlog("ca-cert.pem")}, {sct})),
              ElementsAre(SctStatus::kUnverifiableNoIssuer));
}

// No test data has both an intermediate and a Precertificate Signing Certificate: the ctlog
// PreCA (ca-pre-cert.pem) is issued by the root CA, and no precertificate in testdata/ is issued
// by a PreCA under the intermediate. That chain shape is not tested here.

TEST_F(CertificateVerifierTest, TbsHashIsSharedByPrecertificateAndFinalCertificate) {
  CertificateView ca = Ctlog("ca-cert.pem");
  CertificateCheck final_check = Check(Ctlog("test-embedded-cert.pem"), {ca});
  CertificateCheck precert_check = Check(Ctlog("test-embedded-pre-cert.pem"), {ca});
  EXPECT_FALSE(final_check.is_precertificate);
  EXPECT_TRUE(precert_check.is_precertificate);
  EXPECT_EQ(final_check.tbs_sha256, precert_check.tbs_sha256);
  CertificateView final_cert = Ctlog("test-embedded-cert.pem");
  EXPECT_EQ(final_check.tbs_sha256, Sha256(EmbeddedSctTbs(final_cert).value()));
  EXPECT_NE(final_check.tbs_sha256, Sha256(final_cert.tbs()));
  // A certificate with neither extension: the TBS as it is.
  CertificateView plain = Ctlog("test-cert.pem");
  EXPECT_EQ(Check(plain, {}).tbs_sha256, Sha256(plain.tbs()));
  // Another issuance has another hash; the "invalid embedded" certificate is the same TBS with
  // another certificate's SCT list, so without that list it is the same issuance.
  EXPECT_NE(Check(Ctlog("test-embedded-with-intermediate-cert.pem"), {}).tbs_sha256,
            final_check.tbs_sha256);
  EXPECT_EQ(Check(Ctlog("test-invalid-embedded-cert.pem"), {ca}).tbs_sha256,
            final_check.tbs_sha256);
}

TEST_F(CertificateVerifierTest, CertificateWithoutSctsHasNone) {
  CertificateCheck check = Check(Ctlog("test-cert.pem"), {Ctlog("ca-cert.pem")});
  EXPECT_THAT(check.scts, IsEmpty());
  EXPECT_THAT(check.notes, IsEmpty());
  EXPECT_TRUE(check.AllSctsValid());
}

// --- the real-world certificates and the crafted variants of testdata/malformed ---

class RealWorldVerifierTest : public ::testing::Test {
 protected:
  std::unique_ptr<LogList> list_ =
      MakeList({{.key_file = kIcarusKey, .op = "Google", .since_ms = Ms("2018-01-01T00:00:00Z")},
                {.key_file = kMammothKey, .op = "Sectigo", .since_ms = Ms("2018-01-01T00:00:00Z")}},
               Ms("2018-09-30T00:00:00Z"));
  CertificateVerifier verifier_{*list_};
  CertificateView leaf_ = LoadCert(kCryptographyLeaf);
  CertificateView issuer_ = LoadCert(kCryptographyIssuer);
  const int64_t now_ = Ms("2018-10-01T00:00:00Z");
};

TEST_F(RealWorldVerifierTest, BothEmbeddedSctsVerify) {
  CertificateCheck check = verifier_.Verify(leaf_, {&issuer_, 1}, {}, now_, kNoPolicy);
  EXPECT_THAT(Statuses(check), ElementsAre(SctStatus::kValid, SctStatus::kValid));
  ASSERT_EQ(check.scts.size(), 2u);
  EXPECT_EQ(check.scts[0].sct->timestamp_ms, static_cast<uint64_t>(kCryptographyIcarusMs));
  EXPECT_EQ(check.scts[1].sct->timestamp_ms, static_cast<uint64_t>(kCryptographyMammothMs));
  EXPECT_EQ(check.scts[0].operator_name, "Google");
  EXPECT_EQ(check.scts[1].operator_name, "Sectigo");
}

TEST_F(RealWorldVerifierTest, TamperedEmbeddedSctFailsAloneAndTheOtherStillVerifies) {
  // malformed-embedded-sct-tampered: the SCT list extension is removed before verification, so
  // the bit flipped in SCT #0 cannot affect SCT #1.
  CertificateView tampered = LoadCert("malformed/cryptography.io-embedded-sct-tampered.der");
  CertificateCheck check = verifier_.Verify(tampered, {&issuer_, 1}, {}, now_, kNoPolicy);
  EXPECT_THAT(Statuses(check), ElementsAre(SctStatus::kInvalidSignature, SctStatus::kValid));
  EXPECT_FALSE(check.Passed());
}

TEST_F(RealWorldVerifierTest, ExternallySuppliedSctIsCheckedAsThePrecertEntryWhenEmbedded) {
  // malformed-sct-sig-bitflip (sct_embedded_single): "The SCT is supplied separately and must be
  // verified as the precert_entry SCT of this certificate". The CLI can only deliver SCTs in
  // TLS/OCSP (x509_entry); the library takes the delivery as given.
  Bytes flipped = testing::ReadTestData("malformed/cryptography.io-icarus-sct.sig-bitflip.bin");
  Bytes original =
      ParseSctList(testing::ReadTestData("malformed/cryptography.io-sctlist.bin")).value().at(0);
  ASSERT_EQ(flipped.size(), original.size());
  ASSERT_NE(flipped, original);

  CertificateCheck bad = verifier_.Verify(
      leaf_, {&issuer_, 1}, Delivered(flipped, SctDelivery::kEmbedded), now_, kNoPolicy);
  EXPECT_THAT(Statuses(bad),
              ElementsAre(SctStatus::kValid, SctStatus::kValid, SctStatus::kInvalidSignature));
  // The control: the same SCT unflipped verifies as a precert_entry ...
  CertificateCheck good = verifier_.Verify(
      leaf_, {&issuer_, 1}, Delivered(original, SctDelivery::kEmbedded), now_, kNoPolicy);
  EXPECT_THAT(Statuses(good), ElementsAre(SctStatus::kValid, SctStatus::kValid, SctStatus::kValid));
  // ... and not as an x509_entry, which is what a TLS-delivered SCT is for a final certificate.
  CertificateCheck as_tls = verifier_.Verify(
      leaf_, {&issuer_, 1}, Delivered(original, SctDelivery::kTlsExtension), now_, kNoPolicy);
  EXPECT_THAT(Statuses(as_tls),
              ElementsAre(SctStatus::kValid, SctStatus::kValid, SctStatus::kInvalidSignature));
}

TEST_F(RealWorldVerifierTest, BrokenEmbeddedSctListIsOneMalformedSctWithANote) {
  // Corrupt the list inside the extension without touching any DER length: the outer TLS length
  // of the SignedCertificateTimestampList is increased by one.
  Bytes der(leaf_.der().begin(), leaf_.der().end());
  Bytes list = testing::ReadTestData("malformed/cryptography.io-sctlist.bin");
  auto at = std::search(der.begin(), der.end(), list.begin(), list.end());
  ASSERT_NE(at, der.end());
  at[1] = static_cast<uint8_t>(at[1] + 1);
  Result<CertificateView> broken = CertificateView::Parse(std::move(der));
  ASSERT_TRUE(broken) << broken.error().message;
  CertificateCheck check = verifier_.Verify(*broken, {&issuer_, 1}, {}, now_, kNoPolicy);
  ASSERT_EQ(check.scts.size(), 1u);
  EXPECT_EQ(check.scts[0].status, SctStatus::kMalformed);
  EXPECT_EQ(check.scts[0].delivery, SctDelivery::kEmbedded);
  EXPECT_FALSE(check.scts[0].sct);
  EXPECT_THAT(check.notes, Not(IsEmpty()));
  EXPECT_FALSE(check.Passed());
}

TEST_F(RealWorldVerifierTest, PoliciesAreEvaluatedOnlyWhenChosen) {
  CertificateCheck none = verifier_.Verify(leaf_, {&issuer_, 1}, {}, now_, kNoPolicy);
  EXPECT_FALSE(none.chrome);
  EXPECT_FALSE(none.apple);
  CertificateCheck chrome =
      verifier_.Verify(leaf_, {&issuer_, 1}, {}, now_, {.chrome = true, .apple = false});
  ASSERT_TRUE(chrome.chrome);
  EXPECT_FALSE(chrome.apple);
  EXPECT_EQ(chrome.chrome->policy, "Chrome");
  EXPECT_TRUE(chrome.chrome->compliant);
  CertificateCheck apple =
      verifier_.Verify(leaf_, {&issuer_, 1}, {}, now_, {.chrome = false, .apple = true});
  EXPECT_FALSE(apple.chrome);
  ASSERT_TRUE(apple.apple);
  EXPECT_EQ(apple.apple->policy, "Apple");
  EXPECT_TRUE(apple.apple->compliant);
  EXPECT_TRUE(apple.Passed());
}

TEST_F(RealWorldVerifierTest, OneOperatorForBothLogsFailsTheOperatorRule) {
  std::unique_ptr<LogList> one_operator =
      MakeList({{.key_file = kIcarusKey, .op = "Google", .since_ms = Ms("2018-01-01T00:00:00Z")},
                {.key_file = kMammothKey, .op = "Google", .since_ms = Ms("2018-01-01T00:00:00Z")}},
               Ms("2018-09-30T00:00:00Z"));
  CertificateVerifier verifier(*one_operator);
  CertificateCheck check =
      verifier.Verify(leaf_, {&issuer_, 1}, {}, now_, {.chrome = true, .apple = true});
  EXPECT_TRUE(check.AllSctsValid());
  ASSERT_TRUE(check.chrome);
  EXPECT_FALSE(check.chrome->compliant);
  EXPECT_THAT(check.chrome->reasons, ::testing::Contains(HasSubstr("operators")));
  ASSERT_TRUE(check.apple);
  EXPECT_FALSE(check.apple->compliant);
  EXPECT_FALSE(check.Passed());
}

TEST_F(RealWorldVerifierTest, OperatorIsTheOneAtTheSctsTime) {
  json previous = json::array({{{"name", "Old Operator"}, {"end_time", "2019-01-01T00:00:00Z"}}});
  std::unique_ptr<LogList> moved =
      MakeList({{.key_file = kIcarusKey, .op = "New Operator", .previous_operators = previous},
                {.key_file = kMammothKey, .op = "Sectigo"}},
               Ms("2018-09-30T00:00:00Z"));
  CertificateVerifier verifier(*moved);
  CertificateCheck check = verifier.Verify(leaf_, {&issuer_, 1}, {}, now_, kNoPolicy);
  ASSERT_EQ(check.scts.size(), 2u);
  EXPECT_EQ(check.scts[0].operator_name, "Old Operator");
  EXPECT_EQ(check.scts[1].operator_name, "Sectigo");
}

// --- kUntrustedAtTime: what the log list says about the log at the SCT's time ---

struct TrustCase {
  const char* name;
  std::string state;
  int64_t since_ms;
  std::optional<std::pair<int64_t, int64_t>> interval;
  SctStatus expected;
};

// test-embedded-cert.pem: SCT at kEmbeddedSctMs, notAfter 2022-06-01T00:00:00Z.
const int64_t kNotAfterMs = Ms("2022-06-01T00:00:00Z");

std::vector<TrustCase> TrustCases() {
  const int64_t t = kEmbeddedSctMs;
  const auto interval = [](const char* start, const char* end) {
    return std::optional<std::pair<int64_t, int64_t>>({Ms(start), Ms(end)});
  };
  return {
      {"pending since before", "pending", t - 1, std::nullopt, SctStatus::kUntrustedAtTime},
      {"pending since the same ms", "pending", t, std::nullopt, SctStatus::kUntrustedAtTime},
      {"pending since after", "pending", t + 1, std::nullopt, SctStatus::kValid},
      {"retired since before", "retired", t - 1, std::nullopt, SctStatus::kUntrustedAtTime},
      {"retired since after", "retired", t + 1, std::nullopt, SctStatus::kValid},
      {"rejected since before", "rejected", t - 1, std::nullopt, SctStatus::kUntrustedAtTime},
      {"rejected since after", "rejected", t + 1, std::nullopt, SctStatus::kValid},
      {"qualified since before", "qualified", t - 1, std::nullopt, SctStatus::kValid},
      {"usable since before", "usable", t - 1, std::nullopt, SctStatus::kValid},
      {"readonly since before", "readonly", t - 1, std::nullopt, SctStatus::kValid},
      {"no state", "", 0, std::nullopt, SctStatus::kValid},
      {"interval holds notAfter", "usable", kLongAgo,
       interval("2022-01-01T00:00:00Z", "2023-01-01T00:00:00Z"), SctStatus::kValid},
      {"interval starts at notAfter (inclusive)", "usable", kLongAgo,
       interval("2022-06-01T00:00:00Z", "2023-01-01T00:00:00Z"), SctStatus::kValid},
      {"interval ends at notAfter (exclusive)", "usable", kLongAgo,
       interval("2022-01-01T00:00:00Z", "2022-06-01T00:00:00Z"), SctStatus::kUntrustedAtTime},
      {"interval after notAfter", "usable", kLongAgo,
       interval("2023-01-01T00:00:00Z", "2023-07-01T00:00:00Z"), SctStatus::kUntrustedAtTime},
      {"interval before notAfter", "usable", kLongAgo,
       interval("2012-01-01T00:00:00Z", "2013-01-01T00:00:00Z"), SctStatus::kUntrustedAtTime},
  };
}

TEST(CertificateVerifierTrustTest, LogStateAndTemporalIntervalAtTheSctsTime) {
  CertificateView leaf = Ctlog("test-embedded-cert.pem");
  ASSERT_EQ(leaf.not_after() * 1000, kNotAfterMs);
  std::vector<CertificateView> others = {Ctlog("ca-cert.pem")};
  for (const TrustCase& c : TrustCases()) {
    SCOPED_TRACE(c.name);
    std::unique_ptr<LogList> list = MakeList({{.key_file = kTestLogKey,
                                               .state = c.state,
                                               .since_ms = c.since_ms,
                                               .interval = c.interval}});
    CertificateVerifier verifier(*list);
    // Checked well after every state change: the status is about the SCT's time, not now.
    CertificateCheck check =
        verifier.Verify(leaf, others, {}, Ms("2014-06-01T00:00:00Z"), kNoPolicy);
    EXPECT_THAT(Statuses(check), ElementsAre(c.expected));
    EXPECT_EQ(check.Passed(), c.expected == SctStatus::kValid);
  }
}

TEST(CertificateVerifierTrustTest, AppliesToDeliveredSctsToo) {
  std::unique_ptr<LogList> list =
      MakeList({{.key_file = kTestLogKey, .state = "rejected", .since_ms = kX509SctMs - 1}});
  CertificateVerifier verifier(*list);
  CertificateCheck check = verifier.Verify(
      Ctlog("test-cert.pem"), {},
      Delivered(testing::ReadTestData("sct/ctlog/test-cert.proof"), SctDelivery::kTlsExtension),
      kCtlogNow, kNoPolicy);
  EXPECT_THAT(Statuses(check), ElementsAre(SctStatus::kUntrustedAtTime));
}

TEST(CertificateVerifierTrustTest, BadSignatureStaysInvalidEvenFromAnUntrustedLog) {
  // Trust is judged only for SCTs whose signature holds.
  std::unique_ptr<LogList> list =
      MakeList({{.key_file = kTestLogKey, .state = "rejected", .since_ms = kLongAgo}});
  CertificateVerifier verifier(*list);
  std::vector<CertificateView> others = {Ctlog("ca-cert.pem")};
  CertificateCheck check =
      verifier.Verify(Ctlog("test-invalid-embedded-cert.pem"), others, {}, kCtlogNow, kNoPolicy);
  EXPECT_THAT(Statuses(check), ElementsAre(SctStatus::kInvalidSignature));
}

// --- the manifest's SCT vectors over the 4-byte "certificate" of sct/sctrs ---
//
// sct/sctrs/cert.bin is the 4 bytes "cert", signed as an x509_entry. It is no X.509 certificate,
// so neither Verify nor `ctkit verify` can take it; these cases are checked here with the
// verifier's own keyring (built from a log list) and the x509_entry over those 4 bytes.

TEST(CertificateVerifierManifestTest, SctrsVectorsWithTheVerifiersKeyring) {
  json manifest = json::parse(testing::ReadTestDataText("MANIFEST.json"));
  int checked = 0;
  for (const json& c : manifest["cases"]) {
    if (c["kind"] != "sct_x509") continue;
    const json& files = c["files"];
    std::string cert_file = files["cert"];
    std::string key_file = files["log_key"];
    SCOPED_TRACE(c["id"].get<std::string>());
    std::unique_ptr<LogList> list = MakeList({{.key_file = key_file}});
    CertificateVerifier verifier(*list);
    ASSERT_TRUE(c.contains("params") || cert_file != "sct/sctrs/cert.bin");
    std::optional<uint64_t> now;
    if (c.contains("params") && c["params"].contains("now_ms")) {
      now = c["params"]["now_ms"].get<uint64_t>();
    }
    SctStatus expected = ManifestStatus(c["expected"]["result"]);
    Bytes sct = testing::ReadTestData(files["sct"]);
    if (cert_file == "sct/sctrs/cert.bin") {
      Result<SignedEntry> entry = X509SignedEntry(testing::ReadTestData(cert_file));
      ASSERT_TRUE(entry);
      EXPECT_EQ(VerifySerializedSct(sct, *entry, verifier.keyring(), now), expected);
    } else {
      // A real certificate: through Verify, delivered in TLS.
      CertificateView leaf = LoadCert(cert_file);
      CertificateCheck check =
          verifier.Verify(leaf, {}, Delivered(sct, SctDelivery::kTlsExtension),
                          now ? static_cast<int64_t>(*now) : Ms("2025-01-01T00:00:00Z"), kNoPolicy);
      EXPECT_THAT(Statuses(check), ElementsAre(expected));
    }
    ++checked;
  }
  EXPECT_GE(checked, 14);
}

TEST(CertificateVerifierManifestTest, P384LogKeyIsSkippedAndItsSctIsUnsupportedAlgorithm) {
  // The P-384 key parses as a list entry (log_id = SHA-256 of it) but ctkit cannot use it
  // (RFC 6962 §2.1.4): the verifier skips it. The SHA-384 SCT is then kUnsupportedAlgorithm
  // (an algorithm no log may use, from no usable log), not kUnknownLog.
  std::unique_ptr<LogList> list = MakeList({{.key_file = "sct/sctrs/ecdsa-secp384r1-pub.pem"},
                                            {.key_file = kTestLogKey, .op = "Other"}});
  CertificateVerifier verifier(*list);
  EXPECT_EQ(list->logs().size(), 2u);
  EXPECT_EQ(verifier.keyring().size(), 1u);
  Bytes sct = testing::ReadTestData("sct/sctrs/ecdsa_p384-basic-sct.bin");
  CertificateCheck check = verifier.Verify(
      Ctlog("test-cert.pem"), {}, Delivered(sct, SctDelivery::kTlsExtension), 1235, kNoPolicy);
  ASSERT_EQ(check.scts.size(), 1u);
  EXPECT_EQ(check.scts[0].status, SctStatus::kUnsupportedAlgorithm);
  EXPECT_NE(check.scts[0].log, nullptr);  // listed, just not usable
}

}  // namespace
}  // namespace ctkit
