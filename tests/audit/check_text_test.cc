// audit/check_text.h and audit/check_json.h CertificateJson: a certificate check as `ctkit
// verify` prints it, in text and in JSON, against testdata/'s CT test log certificates.

#include "audit/check_text.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "audit/check_json.h"
#include "base/bytes.h"
#include "tests/test_log_list.h"
#include "tests/test_support.h"
#include "x509/pem.h"

namespace ctkit {
namespace {

using namespace testing::log_list_data;
using ::testing::HasSubstr;

std::vector<CertificateView> Certificates(const std::string& relative) {
  return ParseCertificateInput(testing::ReadTestData(relative)).value();
}

class CheckTextTest : public ::testing::Test {
 protected:
  LogList list_ =
      LogList::Parse(testing::LogListJson({{.key_file = kTestLogKey}}, kCtlogNow)).value();
  CertificateView leaf_ = Certificates("sct/ctlog/test-embedded-cert.pem")[0];
  CertificateCheck check_ =
      CertificateVerifier(list_).Verify(leaf_, Certificates("sct/ctlog/ca-cert.pem"), {}, kCtlogNow,
                                        {.chrome = true, .apple = false});
};

TEST_F(CheckTextTest, TheCertificateItsSctAndThePolicyInText) {
  std::string text = CertificateCheckText("leaf\x1b.pem", leaf_, check_);
  EXPECT_TRUE(text.starts_with("leaf\\x1b.pem: ")) << text;  // the file name made inert
  EXPECT_THAT(text, HasSubstr("\n  subject:  " + TerminalSafe(leaf_.subject()) + "\n"));
  EXPECT_THAT(text, HasSubstr("\n  sha256:   " + HexEncode(leaf_.sha256()) + "\n"));
  EXPECT_THAT(text, HasSubstr("\n  SCT #0 embedded  valid                  Test log 0 (Test "
                              "Operator), 2013-04-05T17:04:16.275Z\n"));
  EXPECT_THAT(text, HasSubstr("\n  names:    \n"));  // the CT test certificates name nothing
  EXPECT_THAT(text, HasSubstr("\n  Chrome policy: NOT COMPLIANT\n    "));  // one log, not 3
  EXPECT_EQ(text.find("Apple policy"), std::string::npos);
  EXPECT_TRUE(text.ends_with("\n"));
}

TEST_F(CheckTextTest, TheSameCheckInJson) {
  nlohmann::ordered_json out = CertificateJson("leaf.pem", leaf_, check_);
  EXPECT_EQ(out["file"], "leaf.pem");
  EXPECT_EQ(out["sha256"], HexEncode(leaf_.sha256()));
  EXPECT_EQ(out["subject"], leaf_.subject());
  EXPECT_EQ(out["precertificate"], false);
  ASSERT_EQ(out["scts"].size(), 1u);
  EXPECT_EQ(out["scts"][0]["status"], "valid");
  EXPECT_EQ(out["scts"][0]["timestamp"], kEmbeddedSctMs);
  EXPECT_TRUE(out["policy"].contains("chrome"));
  EXPECT_FALSE(out["policy"].contains("apple"));
  EXPECT_EQ(out["verdict"], check_.Passed() ? "pass" : "fail");
}

}  // namespace
}  // namespace ctkit
