#include "x509/certificate.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "x509/oid.h"
#include "x509_test_util.h"

namespace ctkit {
namespace {

using x509_testing::LoadCert;
using x509_testing::LoadDer;

// Expected values come from OpenSSL 3 on the same files:
//   openssl x509 -noout -serial -dates -fingerprint -sha256 -nameopt RFC2253 -subject -issuer
//   openssl x509 -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum
//   date -u -d "<notBefore>" +%s
struct Expected {
  const char* file;
  const char* serial_hex;
  const char* subject;
  const char* issuer;
  int64_t not_before;
  int64_t not_after;
  const char* sha256;
  const char* spki_sha256;
  const char* subject_key_id;    // "" if none
  const char* authority_key_id;  // "" if none
};

constexpr char kCtCa[] = "L=Erw Wen,ST=Wales,O=Certificate Transparency CA,C=GB";
constexpr char kCtLeaf[] = "L=Erw Wen,ST=Wales,O=Certificate Transparency,C=GB";
constexpr char kCtCaKeyId[] = "5f9d880dc873e654d4f80dd8e6b0c124b447c355";
constexpr int64_t k2012 = 1338508800;  // Jun  1 00:00:00 2012 GMT
constexpr int64_t k2022 = 1654041600;  // Jun  1 00:00:00 2022 GMT

const Expected kExpected[] = {
    {"sct/ctlog/ca-cert.pem", "00", kCtCa, kCtCa, k2012, k2022,
     "47bf944f9b435be64464fb5ada51f5501da5d168503b1e2f142d6d01adf17f5d",
     "02adddca08b8bf9861f035940c940156d8350fdff899a6239c6bd77255b8f8fc", kCtCaKeyId, kCtCaKeyId},
    {"sct/ctlog/ca-pre-cert.pem", "01", "L=Erw Wen,ST=Wales,O=Certificate Transparency PreCA,C=GB",
     kCtCa, k2012, k2022, "fcf7ddf47328c08a16e067a38a0c5ce7640a299c2a1e62f9e9b6136ea7a8b82b",
     "610630a996004ca2f81975b756f5a3be70c58857a36886d1081ec48fa014a1b2",
     "07efb3402334f79efe238083b2e20d5cea107d40", kCtCaKeyId},
    {"sct/ctlog/intermediate-cert.pem", "09",
     "L=Erw Wen,ST=Wales,O=Certificate Transparency Intermediate CA,C=GB", kCtCa, k2012, k2022,
     "b08f37837eacc401d6b586f80065a79057dd19f449c7f0944e874829e7fa195b",
     "6fa870e52e065a34243667409e8bfdf29ffa9e49c731525c167b30e8ad6a7516",
     "965508050278479e8773764131bc143a47e229ab", kCtCaKeyId},
    {"sct/ctlog/test-cert.pem", "06", kCtLeaf, kCtCa, k2012, k2022,
     "938ded42ab2042736b9426e9cf937c5ca84667fa82743fbbbf9464ffdcd07498",
     "3a3cf885d7db153a300e2a3f283182e3fa4df5dcbf1017c802c9cedb20db2a21",
     "6a0d982a3b62c44b6d2ef4e9bb7a01aa9cb798e2", kCtCaKeyId},
    {"sct/ctlog/test-embedded-cert.pem", "07", kCtLeaf, kCtCa, k2012, k2022,
     "d9863e419fc90a7faab64952d3d71a389734f82214fb3817cb5c88be81c2f1cb",
     "086c0ea25b60e3c44a994d0d5f40b81a0d44f21d63df19315e6ddfbe47373817",
     "2031541af25c05ffd8658b6843794f5e9036f7b4", kCtCaKeyId},
    {"sct/ctlog/test-embedded-pre-cert.pem", "07", kCtLeaf, kCtCa, k2012, k2022,
     "9f871dde765f39a0cd2c2ba4f13e6b438e211a96cacd8e4910ad621e89a4c844",
     "086c0ea25b60e3c44a994d0d5f40b81a0d44f21d63df19315e6ddfbe47373817",
     "2031541af25c05ffd8658b6843794f5e9036f7b4", kCtCaKeyId},
    {"sct/ctlog/test-embedded-with-intermediate-cert.pem", "02", kCtLeaf,
     "L=Erw Wen,ST=Wales,O=Certificate Transparency Intermediate CA,C=GB", k2012, k2022,
     "b4414568cd743bb9e8961c4e105f1a38f92ded60cb535396b0d9ca1f1501b1ed",
     "bc0afde79fc8ec620ae25e5d0be58311bf416ac45395287a639ed9e2e7bacf03",
     "b1b148e658e703f5f7f3105f20b3c384d7eff1bf", "965508050278479e8773764131bc143a47e229ab"},
    {"sct/ctlog/test-embedded-with-preca-pre-cert.pem", "08", kCtLeaf,
     "L=Erw Wen,ST=Wales,O=Certificate Transparency PreCA,C=GB", k2012, k2022,
     "d28634f7cfa0d75f47bf75106518842217e0f89533e9d516c97fc3519098be87",
     "423c74c155c609cb822f2f158edf42724d6050b8adf204b5eef83a09dce55fc8",
     "612c64efac79b728397c9d93e6df86465fa76a88", "07efb3402334f79efe238083b2e20d5cea107d40"},
    {"sct/ctlog/test-invalid-embedded-cert.pem", "07", kCtLeaf, kCtCa, k2012, k2022,
     "03dec61f353e7581e7e5f77a2ab94246502e0150685b05bd52f42e909224d0bd",
     "086c0ea25b60e3c44a994d0d5f40b81a0d44f21d63df19315e6ddfbe47373817",
     "2031541af25c05ffd8658b6843794f5e9036f7b4", kCtCaKeyId},
    {"sct/realworld/cryptography.io-2018/leaf.pem", "03d33372a8e7313dedb035cadcbaf2e2e448",
     "CN=cryptography.io", "CN=Let's Encrypt Authority X3,O=Let's Encrypt,C=US", 1537991793,
     1545767793, "046c677d28b1ab055630cf846913028524dc2c8c896d977402f98ab187825b23",
     "106ec12c1cf9ad271c41a614e416cfea3b997e8133b81f4df5528f4ae5893639",
     "8db7b46c4d5a67c1e2aadc2a51f09ed796c557c5", "a84a6a63047dddbae6d139b7a64565eff3a8eca1"},
    {"sct/realworld/cryptography.io-2018/issuer.pem", "0a0141420000015385736a0b85eca708",
     "CN=Let's Encrypt Authority X3,O=Let's Encrypt,C=US",
     "CN=DST Root CA X3,O=Digital Signature Trust Co.", 1458232846, 1615999246,
     "25847d668eb4f04fdd40b12b6b0740c567da7d024308eb6c2c96fe41d9de218d",
     "60b87575447dcba2a36b7d11ac09fb24a9db406fee12d2cc90180517616e8a18",
     "a84a6a63047dddbae6d139b7a64565eff3a8eca1", "c4a7b1a47b2c71fadbe14b9075ffc41560858910"},
    {"sct/realworld/github.com-2016/leaf.der", "0bfdb4090ad7b5e640c30b16c9529a27",
     "CN=github.com,O=GitHub\\, Inc.,L=San Francisco,ST=California,C=US,postalCode=94107,"
     "street=88 Colin P Kelly\\, Jr Street,serialNumber=5157550,jurisdictionST=Delaware,"
     "jurisdictionC=US,businessCategory=Private Organization",
     "CN=DigiCert SHA2 Extended Validation Server CA,OU=www.digicert.com,O=DigiCert Inc,C=US",
     1457568000, 1526558400, "25fe3932d9638c8afca19a2987d83e4c1d98db71e41a480398ea226abd8b9316",
     "a4bd7ea9bf474cc459266b82fdb07f648f5ddf4d8162baea895b91c96f831ab5",
     "885c486719cca076592d1179c3bea2ac8722275b", "3dd350a5d6a0adeef34a600a65d321d4f8f8d60f"},
    {"sct/realworld/github.com-2016/issuer.pem", "0c79a944b08c11952092615fe26b1d83",
     "CN=DigiCert SHA2 Extended Validation Server CA,OU=www.digicert.com,O=DigiCert Inc,C=US",
     "CN=DigiCert High Assurance EV Root CA,OU=www.digicert.com,O=DigiCert Inc,C=US", 1382443200,
     1855828800, "403e062a2653059113285baf80a0d4ae422c848c9f78fad01fc94bc5b87fef1a",
     "451335746aa70c5b022570531e4cb5eaf8b5a1b3a50a01459ffc8e848ff2fa1a",
     "3dd350a5d6a0adeef34a600a65d321d4f8f8d60f", "b13ec36903f8bf4701d498261a0802ef63642bc3"},
    {"sct/sctrs/google-cert.bin", "0cc5ff9e7f901b22",
     "CN=*.google.com,O=Google Inc,L=Mountain View,ST=California,C=US",
     "CN=Google Internet Authority G2,O=Google Inc,C=US", 1498641960, 1505899560,
     "6269b0cde1ea3bd92bd9ec8c11b1a15ffe16bcbc3bc78c05288cb1327330c5a0",
     "bf64ff5481c4d2979c03ac19aa1e621e0c664834fefe85fd7ba79d97f4ee1f98",
     "222ed93869e4f68653b194370b235db3a7d5dca4", "4add06161bbcf668b576f581b6bb621aba5a812f"},
    {"malformed/cryptography.io-embedded-sct-tampered.der", "03d33372a8e7313dedb035cadcbaf2e2e448",
     "CN=cryptography.io", "CN=Let's Encrypt Authority X3,O=Let's Encrypt,C=US", 1537991793,
     1545767793, "e08c3a9908d0cb80b0ae65e08c506d4431560918ae660af82b7c8f68783f5d96",
     "106ec12c1cf9ad271c41a614e416cfea3b997e8133b81f4df5528f4ae5893639",
     "8db7b46c4d5a67c1e2aadc2a51f09ed796c557c5", "a84a6a63047dddbae6d139b7a64565eff3a8eca1"},
};

TEST(CertificateViewTest, MatchesOpenSslOnEveryTestCertificate) {
  for (const Expected& want : kExpected) {
    SCOPED_TRACE(want.file);
    auto cert = LoadCert(want.file);
    ASSERT_TRUE(cert.has_value()) << cert.error().message;
    EXPECT_EQ(cert->version(), 3);
    EXPECT_EQ(cert->serial_hex(), want.serial_hex);
    EXPECT_EQ(cert->subject(), want.subject);
    EXPECT_EQ(cert->issuer(), want.issuer);
    EXPECT_EQ(cert->not_before(), want.not_before);
    EXPECT_EQ(cert->not_after(), want.not_after);
    EXPECT_EQ(HexEncode(cert->sha256()), want.sha256);
    EXPECT_EQ(HexEncode(cert->spki_sha256()), want.spki_sha256);
    EXPECT_EQ(cert->subject_key_id() ? HexEncode(*cert->subject_key_id()) : "",
              want.subject_key_id);
    EXPECT_EQ(cert->authority_key_id() ? HexEncode(*cert->authority_key_id()) : "",
              want.authority_key_id);
    // The view keeps the exact input bytes.
    EXPECT_EQ(x509_testing::ToBytes(cert->der()), LoadDer(want.file));
  }
}

TEST(CertificateViewTest, TbsAndSignatureFieldsOfCryptographyIo) {
  auto cert = LoadCert("sct/realworld/cryptography.io-2018/leaf.pem");
  ASSERT_TRUE(cert.has_value()) << cert.error().message;
  // Certificate ::= SEQUENCE { tbs, algorithm, signature }: the TBS starts after the 4-byte
  // outer header (length 0x0653 needs two octets) and is itself a SEQUENCE.
  const ByteSpan der = cert->der();
  EXPECT_EQ(cert->tbs().data(), der.data() + 4);
  EXPECT_EQ(cert->tbs()[0], 0x30);
  EXPECT_EQ(cert->signature_algorithm_oid(), "1.2.840.113549.1.1.11");  // sha256WithRSAEncryption
  EXPECT_EQ(cert->spki_algorithm_oid(), "1.2.840.113549.1.1.1");        // rsaEncryption
  EXPECT_EQ(cert->signature().size(), 256u);                            // RSA-2048
  EXPECT_EQ(cert->signature().data() + cert->signature().size(), der.data() + der.size());
  EXPECT_EQ(cert->subject_common_names(), std::vector<std::string>{"cryptography.io"});
  EXPECT_EQ(cert->dns_names(), std::vector<std::string>{"cryptography.io"});
  EXPECT_TRUE(cert->ip_addresses().empty());
  EXPECT_EQ(cert->key_usage(), kKeyUsageDigitalSignature | kKeyUsageKeyEncipherment);
  EXPECT_EQ(cert->extended_key_usages(),
            (std::vector<std::string>{"1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"}));
  ASSERT_TRUE(cert->basic_constraints().has_value());
  EXPECT_FALSE(cert->basic_constraints()->is_ca);
  EXPECT_FALSE(cert->IsPrecertificate());
  EXPECT_FALSE(cert->IsPrecertificateSigningCert());
}

TEST(CertificateViewTest, ExtensionListKeepsOrderOffsetsAndRawBytes) {
  auto cert = LoadCert("sct/realworld/cryptography.io-2018/leaf.pem");
  ASSERT_TRUE(cert.has_value());
  // Order as printed by `openssl x509 -text`.
  const std::vector<std::string> want = {"2.5.29.15", "2.5.29.37", "2.5.29.19",
                                         "2.5.29.14", "2.5.29.35", "1.3.6.1.5.5.7.1.1",
                                         "2.5.29.17", "2.5.29.32", "1.3.6.1.4.1.11129.2.4.2"};
  ASSERT_EQ(cert->extensions().size(), want.size());
  const ByteSpan tbs = cert->tbs();
  size_t previous_end = 0;
  for (size_t i = 0; i < want.size(); ++i) {
    const Extension& ext = cert->extensions()[i];
    EXPECT_EQ(ext.oid_string, want[i]);
    // The recorded offset locates the exact element inside the TBS, and elements are contiguous.
    ASSERT_LE(ext.offset_in_tbs + ext.encoded.size(), tbs.size());
    EXPECT_EQ(ext.encoded.data(), tbs.data() + ext.offset_in_tbs);
    if (i > 0) {
      EXPECT_EQ(ext.offset_in_tbs, previous_end);
    }
    previous_end = ext.offset_in_tbs + ext.encoded.size();
    EXPECT_EQ(ext.encoded.data() + ext.encoded.size(), ext.value.data() + ext.value.size());
    EXPECT_EQ(ext.critical, i == 0 || i == 2);  // keyUsage and basicConstraints
  }
  EXPECT_EQ(previous_end, tbs.size());  // extensions close the TBS
  EXPECT_EQ(cert->tbs_layout().extensions_offset + 4 + 4, cert->extensions()[0].offset_in_tbs);
}

TEST(CertificateViewTest, EmbeddedSctListIsTheInnerOctetString) {
  auto cert = LoadCert("sct/realworld/cryptography.io-2018/leaf.pem");
  ASSERT_TRUE(cert.has_value());
  auto list = cert->EmbeddedSctList();
  ASSERT_TRUE(list.has_value()) << list.error().message;
  // testdata/malformed/cryptography.io-sctlist.bin is this list, extracted independently.
  EXPECT_EQ(x509_testing::ToBytes(*list),
            x509_testing::ReadTestFile("malformed/cryptography.io-sctlist.bin"));
  // TLS: the 2-byte list length covers the rest.
  ASSERT_GE(list->size(), 2u);
  EXPECT_EQ(size_t{(*list)[0]} << 8 | (*list)[1], list->size() - 2);

  auto no_scts = LoadCert("sct/ctlog/test-cert.pem");
  ASSERT_TRUE(no_scts.has_value());
  auto missing = no_scts->EmbeddedSctList();
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kNotFound);
}

TEST(CertificateViewTest, PrecertificateShapes) {
  auto precert = LoadCert("sct/ctlog/test-embedded-pre-cert.pem");
  auto preca_precert = LoadCert("sct/ctlog/test-embedded-with-preca-pre-cert.pem");
  auto signing = LoadCert("sct/ctlog/ca-pre-cert.pem");
  auto final_cert = LoadCert("sct/ctlog/test-embedded-cert.pem");
  auto ca = LoadCert("sct/ctlog/ca-cert.pem");
  ASSERT_TRUE(precert && preca_precert && signing && final_cert && ca);
  EXPECT_TRUE(precert->IsPrecertificate());
  EXPECT_TRUE(preca_precert->IsPrecertificate());
  EXPECT_FALSE(final_cert->IsPrecertificate());
  EXPECT_FALSE(signing->IsPrecertificate());
  EXPECT_TRUE(signing->IsPrecertificateSigningCert());
  EXPECT_FALSE(ca->IsPrecertificateSigningCert());
  EXPECT_EQ(signing->extended_key_usages(), std::vector<std::string>{"1.3.6.1.4.1.11129.2.4.4"});
  ASSERT_TRUE(signing->basic_constraints().has_value());
  EXPECT_TRUE(signing->basic_constraints()->is_ca);
  EXPECT_TRUE(final_cert->EmbeddedSctList().has_value());
  EXPECT_FALSE(precert->EmbeddedSctList().has_value());
  const Extension* poison = precert->FindExtension(oid::kCtPoison);
  ASSERT_NE(poison, nullptr);
  EXPECT_TRUE(poison->critical);
  EXPECT_EQ(x509_testing::ToBytes(poison->value), (Bytes{0x05, 0x00}));
  EXPECT_EQ(x509_testing::ToBytes(poison->critical_encoded), (Bytes{0x01, 0x01, 0xff}));
}

// The uncached Decode* forms the monitor uses must give exactly what the cached accessors give.
TEST(CertificateViewTest, DecodeFormsEqualTheCachedAccessors) {
  for (const char* file :
       {"sct/sctrs/google-cert.bin", "sct/realworld/cryptography.io-2018/leaf.pem",
        "sct/ctlog/test-embedded-cert.pem", "sct/ctlog/ca-pre-cert.pem"}) {
    auto cert = LoadCert(file);
    ASSERT_TRUE(cert.has_value()) << file << ": " << cert.error().message;
    SubjectAltNames decoded = cert->DecodeSubjectAltNames();
    EXPECT_EQ(decoded.dns_names, cert->dns_names()) << file;
    EXPECT_EQ(decoded.ip_addresses, cert->ip_addresses()) << file;
    EXPECT_EQ(cert->DecodeSubjectCommonNames(), cert->subject_common_names()) << file;
  }
  auto google = LoadCert("sct/sctrs/google-cert.bin");
  ASSERT_TRUE(google.has_value());
  EXPECT_EQ(google->DecodeSubjectAltNames().dns_names.size(), 60u);
  EXPECT_EQ(google->DecodeSubjectCommonNames(), std::vector<std::string>{"*.google.com"});
}

TEST(CertificateViewTest, GoogleCertificateSansAndKeyType) {
  auto cert = LoadCert("sct/sctrs/google-cert.bin");
  ASSERT_TRUE(cert.has_value()) << cert.error().message;
  ASSERT_EQ(cert->dns_names().size(), 60u);  // openssl lists 60 DNS names
  EXPECT_EQ(cert->dns_names().front(), "*.google.com");
  EXPECT_EQ(cert->dns_names()[44], "android.clients.google.com");
  EXPECT_EQ(cert->dns_names().back(), "yt.be");
  EXPECT_EQ(cert->subject_common_names(), std::vector<std::string>{"*.google.com"});
  EXPECT_EQ(cert->spki_algorithm_oid(), "1.2.840.10045.2.1");  // id-ecPublicKey
  EXPECT_EQ(cert->key_usage(), kKeyUsageDigitalSignature);
  EXPECT_EQ(cert->serial_hex(), "0cc5ff9e7f901b22");
}

TEST(CertificateViewTest, GithubEvSubject) {
  auto cert = LoadCert("sct/realworld/github.com-2016/leaf.der");
  ASSERT_TRUE(cert.has_value()) << cert.error().message;
  EXPECT_EQ(cert->dns_names(), (std::vector<std::string>{"github.com", "www.github.com"}));
  EXPECT_EQ(cert->subject_common_names(), std::vector<std::string>{"github.com"});
  EXPECT_EQ(cert->extensions().size(), 10u);
  EXPECT_EQ(cert->extensions().back().oid_string, "1.3.6.1.4.1.11129.2.4.2");
}

TEST(CertificateViewTest, ViewOwnsItsBytes) {
  Bytes der = LoadDer("sct/ctlog/test-cert.pem");
  auto cert = CertificateView::Parse(ByteSpan(der));
  ASSERT_TRUE(cert.has_value());
  const std::string subject = cert->subject();
  std::fill(der.begin(), der.end(), 0);  // the view copied the input
  der.clear();
  der.shrink_to_fit();
  CertificateView copy = *cert;
  cert = MakeError(ErrorCode::kInternal, "dropped");  // the copy shares the buffer
  EXPECT_EQ(copy.subject(), subject);
  EXPECT_EQ(copy.tbs()[0], 0x30);
  EXPECT_EQ(copy.der().size(), LoadDer("sct/ctlog/test-cert.pem").size());
}

// Text and fingerprints are computed on first use; the first use may come from several threads
// at once (a const view is shared), and every thread must see the same, complete values.
TEST(CertificateViewTest, LazyFieldsAreSafeToComputeFromManyThreads) {
  const CertificateView original = LoadCert("sct/sctrs/google-cert.bin").value();
  const CertificateView reference = LoadCert("sct/sctrs/google-cert.bin").value();
  for (int round = 0; round < 20; ++round) {
    const CertificateView cert = *CertificateView::Parse(original.der());
    const CertificateView copy = cert;  // shares what is computed
    std::vector<std::thread> threads;
    std::atomic<int> mismatches{0};
    for (int t = 0; t < 4; ++t) {
      threads.emplace_back([&, t] {
        const CertificateView& view = t % 2 == 0 ? cert : copy;
        if (view.dns_names() != reference.dns_names()) ++mismatches;
        if (view.subject() != reference.subject() || view.issuer() != reference.issuer()) {
          ++mismatches;
        }
        if (view.subject_common_names() != reference.subject_common_names()) ++mismatches;
        if (view.sha256() != reference.sha256() || view.spki_sha256() != reference.spki_sha256()) {
          ++mismatches;
        }
        if (view.extensions().size() != reference.extensions().size() ||
            view.extensions().back().oid_string != reference.extensions().back().oid_string) {
          ++mismatches;
        }
        if (view.extended_key_usages() != reference.extended_key_usages()) ++mismatches;
      });
    }
    for (std::thread& thread : threads) thread.join();
    EXPECT_EQ(mismatches.load(), 0);
  }
}

TEST(CertificateViewTest, RawExtensionsCarryNoTextAndFindExtensionPointsIntoExtensions) {
  auto cert = LoadCert("sct/realworld/github.com-2016/leaf.der");
  ASSERT_TRUE(cert.has_value()) << cert.error().message;
  ASSERT_EQ(cert->raw_extensions().size(), cert->extensions().size());
  for (size_t i = 0; i < cert->raw_extensions().size(); ++i) {
    const Extension& raw = cert->raw_extensions()[i];
    const Extension& full = cert->extensions()[i];
    EXPECT_TRUE(raw.oid_string.empty());
    EXPECT_FALSE(full.oid_string.empty());
    EXPECT_EQ(raw.encoded.data(), full.encoded.data());  // both point into the DER
    EXPECT_EQ(raw.offset_in_tbs, full.offset_in_tbs);
    EXPECT_EQ(cert->FindRawExtension(raw.oid), &raw);
    EXPECT_EQ(cert->FindExtension(raw.oid), &full);
  }
  EXPECT_EQ(cert->FindExtension(oid::kCtPoison), nullptr);
  EXPECT_EQ(cert->FindRawExtension(oid::kCtPoison), nullptr);
}

TEST(CertificateViewTest, RejectsTrailingBytesAndWrongOuterShape) {
  Bytes der = LoadDer("sct/ctlog/test-cert.pem");
  der.push_back(0x00);
  auto trailing = CertificateView::Parse(ByteSpan(der));
  ASSERT_FALSE(trailing.has_value());
  EXPECT_NE(trailing.error().message.find("trailing"), std::string::npos);
  EXPECT_FALSE(CertificateView::Parse(Bytes{}).has_value());
  EXPECT_FALSE(CertificateView::Parse(Bytes{0x30, 0x00}).has_value());
}

TEST(CertificateViewTest, RejectsMismatchedSignatureAlgorithms) {
  auto cert = LoadCert("sct/ctlog/test-cert.pem");
  ASSERT_TRUE(cert.has_value());
  // sha256WithRSAEncryption instead of the TBS's sha1WithRSAEncryption in the outer field.
  Bytes sig_alg = x509_testing::ToBytes(cert->signature_algorithm());
  ASSERT_EQ(sig_alg[12], 0x05);
  sig_alg[12] = 0x0b;
  Bytes bits{0x00};
  bits.insert(bits.end(), cert->signature().begin(), cert->signature().end());
  Bytes forged = x509_testing::Tlv(
      0x30, x509_testing::Concat({cert->tbs(), sig_alg, x509_testing::Tlv(0x03, bits)}));
  auto parsed = CertificateView::Parse(forged);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_NE(parsed.error().message.find("differ"), std::string::npos) << parsed.error().message;
}

TEST(ExtensionParsersTest, SubjectAltNameWithIpAddressesAndOtherForms) {
  using x509_testing::Tlv;
  const Bytes san =
      Tlv(0x30, x509_testing::Concat({
                    Tlv(0x82, Bytes{'a', '.', 'e', 'x'}), Tlv(0x87, Bytes{192, 0, 2, 1}),
                    Tlv(0x87, Bytes{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}),
                    Tlv(0x81, Bytes{'m', '@', 'x'}),            // rfc822Name
                    Tlv(0x86, Bytes{'h', 't', 't', 'p', ':'}),  // URI
                    Tlv(0xa4, Tlv(0x30, {})),                   // directoryName
                }));
  auto parsed = ParseSubjectAltName(san);
  ASSERT_TRUE(parsed.has_value()) << parsed.error().message;
  EXPECT_EQ(parsed->dns_names, std::vector<std::string>{"a.ex"});
  EXPECT_EQ(parsed->ip_addresses, (std::vector<std::string>{"192.0.2.1", "2001:db8::1"}));
  EXPECT_FALSE(ParseSubjectAltName(Tlv(0x30, {})).has_value());                         // empty
  EXPECT_FALSE(ParseSubjectAltName(Tlv(0x30, Tlv(0x87, Bytes{1, 2, 3}))).has_value());  // 3-byte IP
  EXPECT_FALSE(ParseSubjectAltName(Tlv(0x30, Tlv(0x82, Bytes{0xc3, 0xa9}))).has_value());
  EXPECT_FALSE(ParseSubjectAltName(Tlv(0x30, Tlv(0x04, Bytes{1}))).has_value());  // universal tag
  EXPECT_FALSE(
      ParseSubjectAltName(Tlv(0x30, Tlv(0xa2, Bytes{}))).has_value());  // constructed dNSName
  // CheckSubjectAltName (what CertificateView::Parse runs) accepts exactly the same values.
  for (const Bytes& value :
       {san, Tlv(0x30, {}), Tlv(0x30, Tlv(0x87, Bytes{1, 2, 3})), Tlv(0x30, Tlv(0x87, Bytes{})),
        Tlv(0x30, Tlv(0x82, Bytes{0xc3, 0xa9})), Tlv(0x30, Tlv(0x04, Bytes{1})),
        Tlv(0x30, Tlv(0xa2, Bytes{})), Tlv(0x30, Tlv(0xa7, Bytes{})), Bytes{0x30}}) {
    EXPECT_EQ(CheckSubjectAltName(value).has_value(), ParseSubjectAltName(value).has_value())
        << HexEncode(value);
  }
}

TEST(ExtensionParsersTest, Ipv6FollowsRfc5952) {
  auto ip = [](std::initializer_list<uint16_t> groups) {
    Bytes bytes;
    for (uint16_t g : groups) bytes.insert(bytes.end(), {uint8_t(g >> 8), uint8_t(g)});
    return FormatIpAddress(bytes).value();
  };
  EXPECT_EQ(ip({0, 0, 0, 0, 0, 0, 0, 0}), "::");
  EXPECT_EQ(ip({0, 0, 0, 0, 0, 0, 0, 1}), "::1");
  EXPECT_EQ(ip({0x2001, 0xdb8, 0, 0, 1, 0, 0, 1}), "2001:db8::1:0:0:1");     // first longest run
  EXPECT_EQ(ip({0x2001, 0xdb8, 0, 1, 1, 1, 1, 1}), "2001:db8:0:1:1:1:1:1");  // no "::" for one
  EXPECT_EQ(ip({0x2001, 0, 0, 1, 0, 0, 0, 1}), "2001:0:0:1::1");
  EXPECT_EQ(ip({0xfe80, 0, 0, 0, 0xABCD, 0, 0, 0}), "fe80::abcd:0:0:0");
  EXPECT_EQ(ip({1, 0, 0, 0, 0, 0, 0, 0}), "1::");
  EXPECT_FALSE(FormatIpAddress(Bytes(8, 0)).has_value());
}

TEST(ExtensionParsersTest, KeyUsageBasicConstraintsAuthorityKeyId) {
  using x509_testing::Tlv;
  // keyCertSign | cRLSign: bits 5 and 6 -> 0x06, 1 unused bit.
  EXPECT_EQ(ParseKeyUsage(Tlv(0x03, Bytes{0x01, 0x06})).value(),
            kKeyUsageKeyCertSign | kKeyUsageCrlSign);
  EXPECT_EQ(ParseKeyUsage(Tlv(0x03, Bytes{0x07, 0x80, 0x80})).value(),
            kKeyUsageDigitalSignature | kKeyUsageDecipherOnly);
  auto bc = ParseBasicConstraints(
      Tlv(0x30, x509_testing::Concat({Tlv(0x01, Bytes{0xff}), Tlv(0x02, Bytes{0x00})})));
  ASSERT_TRUE(bc.has_value());
  EXPECT_TRUE(bc->is_ca);
  EXPECT_EQ(bc->path_len, 0u);
  EXPECT_FALSE(ParseBasicConstraints(Tlv(0x30, Tlv(0x02, Bytes{0xff}))).has_value());  // negative
  const Bytes aki_value = Tlv(0x30, Tlv(0x80, Bytes{1, 2, 3}));  // spans point into it
  auto aki = ParseAuthorityKeyIdentifier(aki_value);
  ASSERT_TRUE(aki.has_value());
  ASSERT_TRUE(aki->has_value());
  EXPECT_EQ(x509_testing::ToBytes(**aki), (Bytes{1, 2, 3}));
  // Fields out of order are refused.
  EXPECT_FALSE(ParseAuthorityKeyIdentifier(
                   Tlv(0x30, x509_testing::Concat({Tlv(0x82, Bytes{1}), Tlv(0x80, Bytes{1})})))
                   .has_value());
  EXPECT_FALSE(ParseExtendedKeyUsage(Tlv(0x30, {})).has_value());
  EXPECT_FALSE(
      ParseSubjectKeyIdentifier(x509_testing::Concat({Tlv(0x04, Bytes{1}), Bytes{0}})).has_value());
}

TEST(ExtensionParsersTest, DuplicateExtensionsAreRejected) {
  auto cert = LoadCert("sct/ctlog/test-cert.pem");
  ASSERT_TRUE(cert.has_value());
  const Extension& ski = cert->extensions().front();
  const Bytes list = x509_testing::Tlv(0x30, x509_testing::Concat({ski.encoded, ski.encoded}));
  auto parsed = ParseExtensions(list, list, 0);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_NE(parsed.error().message.find("duplicate extension 2.5.29.14"), std::string::npos);
}

}  // namespace
}  // namespace ctkit
