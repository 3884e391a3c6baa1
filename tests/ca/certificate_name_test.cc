// Which names `ca issue --name` accepts (ca/certificate_name.h, RFC 5280 §4.2.1.6, RFC 1034
// §3.5 as modified by RFC 1123 §2.1).

#include "ca/certificate_name.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ctkit {
namespace {

using ::testing::HasSubstr;

TEST(CertificateNameTest, DnsNamesWildcardsAndAddressesAreAccepted) {
  for (const std::string& name :
       std::vector<std::string>{"example.com", "www.example.com", "a", "xn--bcher-kva.example",
                                "a-b.c-d.example", "*.example.com", "123.example", "192.0.2.7",
                                "2001:db8::1", "::1", std::string(63, 'a') + ".example"}) {
    EXPECT_TRUE(CheckCertificateName(name)) << name;
  }
}

TEST(CertificateNameTest, AnythingElseIsRefusedWithTheReason) {
  struct Case {
    std::string name;
    std::string why;
  };
  for (const Case& bad :
       {Case{"not a name!", "the character ' '"},
        Case{"a.example,IP:10.0.0.1", "the character ','"},
        Case{"under_score.example", "the character '_'"}, Case{"example.com.", "an empty label"},
        Case{"a..example", "an empty label"}, Case{"", "an empty label"},
        Case{"-a.example", "starting or ending with '-'"},
        Case{"a-.example", "starting or ending with '-'"},
        Case{"www.*.example", "the character '*'"}, Case{"*", "the character '*'"},
        Case{"b\xc3\xbc"
             "cher.example",
             "A-label"},
        Case{std::string(64, 'a') + ".example", "longer than 63"},
        Case{std::string(254, 'a'), "longer than 253"}}) {
    Result<void> checked = CheckCertificateName(bad.name);
    ASSERT_FALSE(checked) << bad.name;
    EXPECT_EQ(checked.error().code, ErrorCode::kInvalidArgument);
    EXPECT_THAT(checked.error().message, HasSubstr("not a DNS name or an IP address"));
    EXPECT_THAT(checked.error().message, HasSubstr(bad.why)) << bad.name;
  }
}

TEST(CertificateNameTest, OnlyAddressLiteralsAreAddresses) {
  EXPECT_TRUE(IsIpAddressLiteral("192.0.2.7"));
  EXPECT_TRUE(IsIpAddressLiteral("2001:db8::1"));
  EXPECT_FALSE(IsIpAddressLiteral("192.0.2"));
  EXPECT_FALSE(IsIpAddressLiteral("www.example.com"));
  EXPECT_FALSE(IsIpAddressLiteral("192.0.2.7 "));
}

}  // namespace
}  // namespace ctkit
