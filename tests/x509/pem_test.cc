#include "x509/pem.h"

#include <gtest/gtest.h>

#include "x509_test_util.h"

namespace ctkit {
namespace {

using x509_testing::LoadDer;
using x509_testing::ReadTestFile;

std::string AsText(const Bytes& bytes) { return std::string(bytes.begin(), bytes.end()); }

// PEM text for `der` with 64-character lines, as openssl writes it.
std::string ToPem(const Bytes& der, const std::string& eol = "\n") {
  const std::string b64 = Base64Encode(der);
  std::string out = "-----BEGIN CERTIFICATE-----" + eol;
  for (size_t i = 0; i < b64.size(); i += 64) out += b64.substr(i, 64) + eol;
  return out + "-----END CERTIFICATE-----" + eol;
}

TEST(PemTest, OpensslTextDumpBeforeTheBlockIsIgnored) {
  // sct/ctlog files start with `openssl x509 -text` output.
  const std::string text = AsText(ReadTestFile("sct/ctlog/test-embedded-cert.pem"));
  ASSERT_EQ(text.rfind("Certificate:", 0), 0u);
  auto ders = PemDecodeCertificates(text);
  ASSERT_TRUE(ders.has_value()) << ders.error().message;
  ASSERT_EQ(ders->size(), 1u);
  EXPECT_EQ((*ders)[0][0], 0x30);
  EXPECT_EQ(ToPem((*ders)[0]), text.substr(text.find("-----BEGIN")));
}

TEST(PemTest, LeafFollowedByChainWithTextBetween) {
  const Bytes leaf = LoadDer("sct/realworld/cryptography.io-2018/leaf.pem");
  const Bytes issuer = LoadDer("sct/realworld/cryptography.io-2018/issuer.pem");
  const std::string bundle = "subject=CN = cryptography.io\n" + ToPem(leaf) +
                             "\nsome notes -----BEGIN CERTIFICATE----- not at line start\n" +
                             ToPem(issuer, "\r\n");
  auto certs = ParseCertificateInput(x509_testing::ToBytes(AsBytes(bundle)));
  ASSERT_TRUE(certs.has_value()) << certs.error().message;
  ASSERT_EQ(certs->size(), 2u);
  EXPECT_EQ((*certs)[0].subject(), "CN=cryptography.io");
  EXPECT_EQ((*certs)[1].subject(), "CN=Let's Encrypt Authority X3,O=Let's Encrypt,C=US");
  EXPECT_EQ(x509_testing::ToBytes((*certs)[1].der()), issuer);
}

TEST(PemTest, OtherBlocksAreSkipped) {
  const std::string key = AsText(ReadTestFile("sct/ctlog/ct-server-key-public.pem"));
  const Bytes cert = LoadDer("sct/ctlog/test-cert.pem");
  auto blocks = PemDecodeBlocks(key + ToPem(cert));
  ASSERT_TRUE(blocks.has_value()) << blocks.error().message;
  ASSERT_EQ(blocks->size(), 2u);
  EXPECT_EQ((*blocks)[0].label, "PUBLIC KEY");
  EXPECT_EQ((*blocks)[1].label, "CERTIFICATE");
  auto certs = PemDecodeCertificates(key + ToPem(cert));
  ASSERT_TRUE(certs.has_value());
  ASSERT_EQ(certs->size(), 1u);
  EXPECT_EQ((*certs)[0], cert);
  // An encrypted key (RFC 1421 headers) next to the certificate is skipped, not an error.
  const std::string encrypted_key =
      "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n"
      "not base64 at all\n-----END RSA PRIVATE KEY-----\n";
  auto with_encrypted_key = PemDecodeCertificates(encrypted_key + ToPem(cert));
  ASSERT_TRUE(with_encrypted_key.has_value()) << with_encrypted_key.error().message;
  EXPECT_EQ(with_encrypted_key->size(), 1u);
  EXPECT_FALSE(PemDecodeBlocks(encrypted_key).has_value());  // decoding every block is strict
  auto only_key = PemDecodeCertificates(key);
  ASSERT_FALSE(only_key.has_value());
  EXPECT_NE(only_key.error().message.find("no -----BEGIN CERTIFICATE"), std::string::npos);
}

TEST(PemTest, MalformedPemIsRejectedWithAReason) {
  const std::string good = ToPem(LoadDer("sct/ctlog/test-cert.pem"));
  const size_t end = good.find("-----END");
  struct Case {
    std::string text;
    std::string reason;
  };
  std::string bad_char = good;
  bad_char[40] = '*';
  std::string wrong_label = good;
  wrong_label.replace(end, 20, "-----END X509 CERTIFICATE");
  const Case cases[] = {
      {good.substr(0, end), "no END line"},
      {wrong_label, "no END line"},
      {bad_char, "PEM CERTIFICATE body"},
      {"-----BEGIN CERTIFICATE-----\nProc-Type: 4,ENCRYPTED\nAAAA\n-----END CERTIFICATE-----\n",
       "headers"},
      {"-----BEGIN CERTIFICATE-----\nAAA\n-----END CERTIFICATE-----\n", "PEM CERTIFICATE body"},
      {"-----BEGIN CERTIFICATE\nAAAA\n", "no closing dashes"},
      {"-----BEGIN CERTIFICATE----- trailing\nAAAA\n-----END CERTIFICATE-----\n",
       "unexpected text after BEGIN"},
      {good.substr(0, end) + "-----BEGIN CERTIFICATE-----\n" + good.substr(end), "not closed"},
      {"no pem here", "no -----BEGIN CERTIFICATE"},
  };
  for (const Case& c : cases) {
    auto result = PemDecodeCertificates(c.text);
    ASSERT_FALSE(result.has_value()) << c.text;
    EXPECT_EQ(result.error().code, ErrorCode::kMalformed);
    EXPECT_NE(result.error().message.find(c.reason), std::string::npos)
        << "want \"" << c.reason << "\", got \"" << result.error().message << "\"";
  }
}

TEST(PemTest, DerInputIsDetected) {
  const Bytes github = ReadTestFile("sct/realworld/github.com-2016/leaf.der");
  auto single = DecodeCertificateInput(github);
  ASSERT_TRUE(single.has_value()) << single.error().message;
  ASSERT_EQ(single->size(), 1u);
  EXPECT_EQ((*single)[0], github);

  // A DER leaf followed by its DER issuer.
  const Bytes issuer = LoadDer("sct/realworld/github.com-2016/issuer.pem");
  auto chain = ParseCertificateInput(x509_testing::Concat({github, issuer}));
  ASSERT_TRUE(chain.has_value()) << chain.error().message;
  ASSERT_EQ(chain->size(), 2u);
  EXPECT_EQ(
      (*chain)[1].subject(),
      "CN=DigiCert SHA2 Extended Validation Server CA,OU=www.digicert.com,O=DigiCert Inc,C=US");

  // Truncated DER that is not PEM either: the DER error is reported.
  const Bytes truncated(github.begin(), github.end() - 1);
  auto bad = DecodeCertificateInput(truncated);
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message.find("DER certificate 1"), std::string::npos)
      << bad.error().message;
  EXPECT_FALSE(DecodeCertificateInput(Bytes{}).has_value());
}

TEST(PemTest, ParseErrorsNameTheFailingCertificate) {
  const Bytes leaf = LoadDer("sct/ctlog/test-cert.pem");
  const std::string text = ToPem(leaf) + ToPem(Bytes{0x30, 0x03, 0x02, 0x01, 0x01});
  auto certs = ParseCertificateInput(x509_testing::ToBytes(AsBytes(text)));
  ASSERT_FALSE(certs.has_value());
  EXPECT_NE(certs.error().message.find("certificate 2 of 2"), std::string::npos)
      << certs.error().message;
}

}  // namespace
}  // namespace ctkit
