// audit/verify_inputs.h: what `ctkit verify` reads from its CERT, --issuer, --sct and --ocsp
// files, against testdata/'s CT test log certificates.

#include "audit/verify_inputs.h"

#include <gtest/gtest.h>

#include "tests/test_support.h"

namespace ctkit::audit {
namespace {

using testing::TestDataPath;

TEST(LoadVerifyInputsTest, EachFilesLeafWithTheRestAndTheIssuerAsOthers) {
  Result<VerifyInputs> inputs =
      LoadVerifyInputs({.cert_files = {TestDataPath("sct/ctlog/test-embedded-cert.pem"),
                                       TestDataPath("sct/ctlog/test-cert.pem")},
                        .issuer_file = TestDataPath("sct/ctlog/ca-cert.pem")});
  ASSERT_TRUE(inputs) << inputs.error().message;
  ASSERT_EQ(inputs->certificates.size(), 2u);
  const LoadedCertificate& first = inputs->certificates[0];
  EXPECT_EQ(first.file, TestDataPath("sct/ctlog/test-embedded-cert.pem"));
  ASSERT_EQ(first.others.size(), 1u);  // the file holds only the leaf; then --issuer
  ASSERT_TRUE(first.asserted_issuer);
  EXPECT_EQ(first.asserted_issuer->sha256(), first.others[0].sha256());
  EXPECT_EQ(first.leaf.issuer(), first.asserted_issuer->subject());
  EXPECT_TRUE(inputs->delivered.empty());
}

TEST(LoadVerifyInputsTest, SctFilesAreDeliveredForTheOneCertificate) {
  Result<VerifyInputs> inputs =
      LoadVerifyInputs({.cert_files = {TestDataPath("sct/ctlog/test-cert.pem")},
                        .sct_files = {TestDataPath("sct/ctlog/test-cert.proof")}});
  ASSERT_TRUE(inputs) << inputs.error().message;
  ASSERT_EQ(inputs->delivered.size(), 1u);
  EXPECT_EQ(inputs->delivered[0].delivery, SctDelivery::kTlsExtension);
  EXPECT_FALSE(inputs->certificates[0].asserted_issuer);
}

TEST(LoadVerifyInputsTest, SctFilesWithSeveralCertificatesAreRefused) {
  Result<VerifyInputs> inputs =
      LoadVerifyInputs({.cert_files = {TestDataPath("sct/ctlog/test-cert.pem"),
                                       TestDataPath("sct/ctlog/test-embedded-cert.pem")},
                        .ocsp_files = {TestDataPath("sct/ctlog/test-cert.proof")}});
  ASSERT_FALSE(inputs);
  EXPECT_EQ(inputs.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(inputs.error().message,
            "--sct and --ocsp apply to one certificate; give only one CERT");
}

TEST(LoadVerifyInputsTest, UnreadableFilesAndBadOcspResponsesNameTheFile) {
  Result<VerifyInputs> missing = LoadVerifyInputs({.cert_files = {"/nonexistent/cert.pem"}});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("/nonexistent/cert.pem"), std::string::npos);

  const std::string not_ocsp = TestDataPath("sct/ctlog/test-cert.proof");
  Result<VerifyInputs> bad = LoadVerifyInputs(
      {.cert_files = {TestDataPath("sct/ctlog/test-cert.pem")}, .ocsp_files = {not_ocsp}});
  ASSERT_FALSE(bad);
  EXPECT_TRUE(bad.error().message.starts_with(not_ocsp + ": ")) << bad.error().message;
}

}  // namespace
}  // namespace ctkit::audit
