// ct/delivered_scts.h: SCTs delivered in TLS or OCSP become one DeliveredSct each; a list that
// does not parse is kept whole (the verifier reports it), and an OCSP response yields the SCTs
// of the certificate's own SingleResponse.

#include "ct/delivered_scts.h"

#include <gtest/gtest.h>

#include <optional>
#include <vector>

#include "ct/sct.h"
#include "ocsp_response.h"
#include "test_support.h"
#include "x509/certificate.h"
#include "x509/pem.h"

namespace ctkit {
namespace {

using testing::ReadTestData;
using testing::ReadTestDataText;

const char kSct[] = "sct/ctlog/test-cert.proof";
const char kRsaSct[] = "sct/ctlog/test-cert-rsa.proof";

Bytes ListOf(const std::vector<Bytes>& scts) { return SerializeSctList(scts).value(); }

TEST(DeliveredSctsTest, ATlsListBecomesItsScts) {
  Bytes a = ReadTestData(kSct);
  Bytes b = ReadTestData(kRsaSct);
  std::vector<DeliveredSct> scts = SctsFromTlsExtension(ListOf({a, b}));
  ASSERT_EQ(scts.size(), 2u);
  EXPECT_EQ(scts[0].serialized, a);
  EXPECT_EQ(scts[1].serialized, b);
  EXPECT_EQ(scts[0].delivery, SctDelivery::kTlsExtension);
}

TEST(DeliveredSctsTest, WhatIsNotAListIsKeptWhole) {
  Bytes single = ReadTestData(kSct);  // one SCT, not a list: judged as that SCT
  std::vector<DeliveredSct> scts = SctsFromTlsExtension(single);
  ASSERT_EQ(scts.size(), 1u);
  EXPECT_EQ(scts[0].serialized, single);

  std::vector<DeliveredSct> out;
  AppendDeliveredScts(Bytes{0x00, 0x05, 0x01}, SctDelivery::kOcspResponse, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].serialized, (Bytes{0x00, 0x05, 0x01}));
  EXPECT_EQ(out[0].delivery, SctDelivery::kOcspResponse);
}

TEST(DeliveredSctsTest, AnOcspResponseYieldsTheCertificatesScts) {
  auto leaf = testing::X509FromPem(ReadTestDataText("sct/ctlog/test-cert.pem"));
  auto ca = testing::X509FromPem(ReadTestDataText("sct/ctlog/ca-cert.pem"));
  ASSERT_TRUE(leaf && ca);
  CertificateView view = ParseCertificateInput(ReadTestData("sct/ctlog/test-cert.pem")).value()[0];
  Bytes a = ReadTestData(kSct);
  Bytes b = ReadTestData(kRsaSct);

  Result<std::vector<DeliveredSct>> scts = SctsFromOcspResponse(
      testing::BuildOcspResponse(leaf.get(), ca.get(), ListOf({a, b})), view.serial());
  ASSERT_TRUE(scts) << scts.error().message;
  ASSERT_EQ(scts->size(), 2u);
  EXPECT_EQ((*scts)[1].serialized, b);
  EXPECT_EQ((*scts)[0].delivery, SctDelivery::kOcspResponse);

  Result<std::vector<DeliveredSct>> none = SctsFromOcspResponse(
      testing::BuildOcspResponse(leaf.get(), ca.get(), std::nullopt), view.serial());
  ASSERT_TRUE(none) << none.error().message;
  EXPECT_TRUE(none->empty());

  Result<std::vector<DeliveredSct>> garbage = SctsFromOcspResponse(a, view.serial());
  EXPECT_FALSE(garbage);
}

}  // namespace
}  // namespace ctkit
