// x509/certificate_file.h: every certificate of a file, and errors that name the file.

#include "x509/certificate_file.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "test_support.h"

namespace ctkit {
namespace {

TEST(CertificateFileTest, ReadsEveryCertificateInOrder) {
  std::string chain = testing::TestDataPath("sct/realworld/cryptography.io-2018/leaf.pem");
  Result<std::vector<CertificateView>> certificates = ReadCertificateFile(chain);
  ASSERT_TRUE(certificates) << certificates.error().message;
  ASSERT_FALSE(certificates->empty());
  EXPECT_FALSE(certificates->front().dns_names().empty());

  Result<std::vector<CertificateView>> der =
      ReadCertificateFile(testing::TestDataPath("sct/realworld/github.com-2016/leaf.der"));
  ASSERT_TRUE(der) << der.error().message;
  EXPECT_EQ(der->size(), 1u);
}

TEST(CertificateFileTest, ErrorsNameTheFile) {
  Result<std::vector<CertificateView>> missing = ReadCertificateFile("/nonexistent/cert.pem");
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kIo);
  EXPECT_EQ(missing.error().message, "/nonexistent/cert.pem: No such file or directory");

  std::string dir = testing::TempDir("ctkit-certificate-file");
  std::string garbage = dir + "/garbage.pem";
  std::ofstream(garbage) << "not a certificate\n";
  Result<std::vector<CertificateView>> unreadable = ReadCertificateFile(garbage);
  testing::RemoveTree(dir);
  ASSERT_FALSE(unreadable);
  EXPECT_EQ(unreadable.error().code, ErrorCode::kMalformed);
  EXPECT_EQ(unreadable.error().message.rfind(garbage + ": ", 0), 0u);
}

}  // namespace
}  // namespace ctkit
