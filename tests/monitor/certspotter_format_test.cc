// certspotter's encodings (monitor/certspotter_format.h), each expected value computed here on its
// own from the DER with OpenSSL, or taken from certspotter-script(8)'s examples.

#include "monitor/certspotter_format.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "tests/cert_factory.h"
#include "tests/monitor/openssl_view.h"
#include "x509/certificate.h"
#include "x509/pem.h"

namespace ctkit {
namespace {

using ::ctkit::testing::OpenSslView;
using ::ctkit::testing::TestCa;
using ::ctkit::testing::ViewWithOpenSsl;

TEST(CertspotterFormatTest, CertInfoHasCertspottersValues) {
  TestCa root("Rogue Root");
  TestCa intermediate = root.IssueCa("Rogue Intermediate");
  const Bytes der = intermediate.IssueLeafWith(
      {.common_names = {"WWW.Example.com"},
       .dns_names = {"www.example.com", "https://api.example.com/v1", "Mail.Example.COM."},
       .ip_addresses = {{192, 0, 2, 1},
                        {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1},
                        {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 198, 51, 100, 7}},
       .serial = 0x0abcde});
  Result<CertificateView> cert = CertificateView::Parse(ByteSpan(der));
  ASSERT_TRUE(cert) << cert.error().message;
  const OpenSslView expected = ViewWithOpenSsl(der);
  nlohmann::ordered_json info = CertspotterCertInfo(*cert);

  EXPECT_EQ(info["pubkey_sha256"], expected.pubkey_sha256);
  EXPECT_EQ(info["serial"], expected.serial);
  EXPECT_EQ(info["serial"], "abcde");  // no leading zero, as Go's %x of the big.Int
  EXPECT_EQ(info["issuer_dn"], expected.issuer_dn);
  EXPECT_EQ(info["issuer_dn"], "CN=Rogue Intermediate");
  EXPECT_EQ(info["subject_dn"], expected.subject_dn);
  EXPECT_EQ(info["not_before"], expected.not_before);
  EXPECT_EQ(info["not_after"], expected.not_after);
  // The CN first, lowercased; the URL's host as well as the whole value; trailing dot cut;
  // no duplicates.
  EXPECT_EQ(info["dns_names"],
            nlohmann::ordered_json::array(
                {"www.example.com", "api.example.com", "api.example.com/v1", "mail.example.com"}));
  EXPECT_EQ(info["ip_addresses"],
            nlohmann::ordered_json::array({"192.0.2.1", "2001:db8::1", "198.51.100.7"}));
}

TEST(CertspotterFormatTest, CommonNamesThatAreNotNames) {
  TestCa ca("CA");
  const Bytes der = ca.IssueLeafWith(
      {.common_names = {"Example Corp", "203.0.113.9"}, .dns_names = {"a.example.com"}});
  Result<CertificateView> cert = CertificateView::Parse(ByteSpan(der));
  ASSERT_TRUE(cert);
  CertspotterIdentifiers ids = CertspotterIdentifiersOf(*cert);
  // A CN with a space is no name; a CN that is an address is an address.
  EXPECT_EQ(ids.dns_names, std::vector<std::string>{"a.example.com"});
  EXPECT_EQ(ids.ip_addresses, std::vector<std::string>{"203.0.113.9"});
}

TEST(CertspotterFormatTest, SerialNumbers) {
  EXPECT_EQ(CertspotterSerial(std::vector<uint8_t>{0x00}), "0");
  EXPECT_EQ(CertspotterSerial(std::vector<uint8_t>{0x01}), "1");
  EXPECT_EQ(CertspotterSerial(std::vector<uint8_t>{0x00, 0xff}), "ff");
  EXPECT_EQ(CertspotterSerial(std::vector<uint8_t>{0x03, 0xd3, 0x33}), "3d333");
  EXPECT_EQ(CertspotterSerial(std::vector<uint8_t>{0xff}), "-1");
  EXPECT_EQ(CertspotterSerial(std::vector<uint8_t>{0x80}), "-80");
  EXPECT_EQ(CertspotterSerial(std::vector<uint8_t>{0xfe, 0xff}), "-101");
}

// certspotter-script(8)'s example: NOT_BEFORE='2023-01-31 03:47:26 +0000 UTC' for
// NOT_BEFORE_UNIXTIME=1675136846.
TEST(CertspotterFormatTest, TimesAsGoPrintsThem) {
  EXPECT_EQ(CertspotterTime(1675136846), "2023-01-31 03:47:26 +0000 UTC");
  EXPECT_EQ(CertspotterTime(1706240846), "2024-01-26 03:47:26 +0000 UTC");
}

// certspotter-script(8)'s example ISSUER_DN: RDNs in encoded order, ", " between them.
TEST(CertspotterFormatTest, DistinguishedNamesInEncodedOrder) {
  X509_NAME* name = X509_NAME_new();
  const std::vector<std::pair<const char*, const char*>> rdns = {
      {"C", "GB"},
      {"ST", "Greater Manchester"},
      {"L", "Salford"},
      {"O", "Sectigo Limited"},
      {"CN", "Sectigo RSA Domain Validation Secure Server CA"}};
  for (const auto& [type, value] : rdns) {
    X509_NAME_add_entry_by_txt(name, type, MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(value), -1, -1, 0);
  }
  unsigned char* der = nullptr;
  const int length = i2d_X509_NAME(name, &der);
  EXPECT_EQ(CertspotterDistinguishedName(ByteSpan(der, static_cast<size_t>(length))),
            "C=GB, ST=Greater Manchester, L=Salford, O=Sectigo Limited, CN=Sectigo RSA Domain "
            "Validation Secure Server CA");
  OPENSSL_free(der);
  X509_NAME_free(name);
}

TEST(CertspotterFormatTest, PemChainInOrder) {
  TestCa root("Root");
  TestCa intermediate = root.IssueCa("Intermediate");
  const std::vector<Bytes> chain = {intermediate.IssueLeaf("a.example.com", 7), intermediate.der(),
                                    root.der()};
  Result<std::vector<Bytes>> decoded = PemDecodeCertificates(PemCertificates(chain));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, chain);
}

}  // namespace
}  // namespace ctkit
