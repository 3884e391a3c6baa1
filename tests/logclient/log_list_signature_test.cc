// A fetched log list's signature and merge (logclient/log_list_source.h,
// ct/log_list_signature.h), against a real HTTP server on 127.0.0.1 that serves a list and a
// `.sig` made in the test with a test RSA key, given to LoadLogListWith in place of Google's.

#include "ct/log_list_signature.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <thread>

#include "base/openssl_ptr.h"
#include "base/sha256.h"
#include "ct/log_key.h"
#include "logclient/log_list_source.h"
#include "tests/run_command.h"
#include "tests/test_log_list.h"
#include "tests/test_support.h"

namespace ctkit {
namespace {

using ::testing::HasSubstr;
using namespace testing::log_list_data;

// A throwaway RSA key: its PEM public key and PKCS#1 v1.5 SHA-256 signatures, as Google signs.
class TestSigner {
 public:
  TestSigner() : key_(EVP_RSA_gen(2048)) {}

  std::string PublicPem() const {
    unsigned char* der = nullptr;
    const int size = i2d_PUBKEY(key_.get(), &der);
    const std::string body = Base64Encode(ByteSpan(der, static_cast<size_t>(size)));
    OPENSSL_free(der);
    std::string pem = "-----BEGIN PUBLIC KEY-----\n";
    for (size_t i = 0; i < body.size(); i += 64) pem += body.substr(i, 64) + "\n";
    return pem + "-----END PUBLIC KEY-----\n";
  }

  std::string Sign(const std::string& text) const {
    UniquePtr<EVP_MD_CTX> context(EVP_MD_CTX_new());
    EXPECT_EQ(EVP_DigestSignInit(context.get(), nullptr, EVP_sha256(), nullptr, key_.get()), 1);
    size_t size = 0;
    const ByteSpan message = AsBytes(text);
    EXPECT_EQ(EVP_DigestSign(context.get(), nullptr, &size, message.data(), message.size()), 1);
    std::string signature(size, '\0');
    EXPECT_EQ(EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()),
                             &size, message.data(), message.size()),
              1);
    signature.resize(size);
    return signature;
  }

 private:
  UniquePtr<EVP_PKEY> key_;
};

class LogListSignatureTest : public ::testing::Test {
 protected:
  void TearDown() override {
    if (serving_.joinable()) {
      server_.stop();
      serving_.join();
    }
  }

  // Serves each path's body; 404 elsewhere. Returns "http://127.0.0.1:PORT".
  std::string Serve(const std::map<std::string, std::string>& files) {
    for (const auto& [path, body] : files) {
      server_.Get(path, [body](const httplib::Request&, httplib::Response& response) {
        response.set_content(body, "application/octet-stream");
      });
    }
    const int port = server_.bind_to_any_port("127.0.0.1");
    EXPECT_GT(port, 0);
    serving_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return "http://127.0.0.1:" + std::to_string(port);
  }

  LogListLoadOptions Signed() const {
    return {.signer_key_pem = signer_.PublicPem(), .require_signature = true};
  }

  // One log (the Icarus key), usable, in a list of 2027-01-01: newer than every snapshot.
  const std::string list_ = testing::LogListJson({{.key_file = kIcarusKey, .state = "usable"}},
                                                 Ms("2027-01-01T00:00:00Z"));
  TestSigner signer_;
  httplib::Server server_;
  std::thread serving_;
};

TEST_F(LogListSignatureTest, AListWithAGoodSignatureIsUsed) {
  const std::string base =
      Serve({{"/log_list.json", list_}, {"/log_list.sig", signer_.Sign(list_)}});
  Result<LogList> list = LoadLogListWith(base + "/log_list.json", Signed());
  ASSERT_TRUE(list) << list.error().message;
  ASSERT_EQ(list->logs().size(), 1u);  // not a publisher's URL: not merged
  EXPECT_EQ(list->logs()[0].key_der, testing::SpkiOf(kIcarusKey));
}

TEST_F(LogListSignatureTest, ABadSignatureIsAnErrorOfTheSource) {
  std::string altered = list_;
  altered.replace(altered.find("usable"), 6, "retire");  // one word changed after signing
  TestSigner other;
  const std::string base = Serve({{"/altered.json", altered},
                                  {"/altered.sig", signer_.Sign(list_)},
                                  {"/other.json", list_},
                                  {"/other.sig", other.Sign(list_)},
                                  {"/junk.json", list_},
                                  {"/junk.sig", std::string(2000, 'x')}});
  for (const char* name : {"/altered.json", "/other.json", "/junk.json"}) {
    SCOPED_TRACE(name);
    Result<LogList> list = LoadLogListWith(base + name, Signed());
    ASSERT_FALSE(list);
    EXPECT_EQ(list.error().code, ErrorCode::kNetwork);  // exit 3, as a failed fetch
    EXPECT_TRUE(list.error().message.starts_with("--log-list: " + base + name))
        << list.error().message;
  }
  EXPECT_THAT(LoadLogListWith(base + "/altered.json", Signed()).error().message,
              HasSubstr("log list signature does not verify (" + base + "/altered.sig)"));
  EXPECT_THAT(LoadLogListWith(base + "/junk.json", Signed()).error().message,
              HasSubstr("larger than"));
}

TEST_F(LogListSignatureTest, AMissingSignatureIsAnErrorOnlyWhereOneIsExpected) {
  const std::string base = Serve({{"/log_list.json", list_}, {"/list", list_}});
  // Expected (as for a list from Google's host): an error naming the missing .sig.
  Result<LogList> required = LoadLogListWith(base + "/log_list.json", Signed());
  ASSERT_FALSE(required);
  EXPECT_EQ(required.error().code, ErrorCode::kNetwork);
  EXPECT_THAT(required.error().message, HasSubstr("no signature (" + base + "/log_list.sig"));
  EXPECT_THAT(required.error().message, HasSubstr("HTTP status 404"));
  Result<LogList> unnamed = LoadLogListWith(base + "/list", Signed());
  ASSERT_FALSE(unnamed);
  EXPECT_THAT(unnamed.error().message, HasSubstr("no signature"));

  // Not expected (any URL but Google's, by default): the list is used unsigned.
  Result<LogList> unsigned_list = LoadLogList(base + "/log_list.json");
  ASSERT_TRUE(unsigned_list) << unsigned_list.error().message;
  EXPECT_EQ(unsigned_list->logs().size(), 1u);
}

TEST_F(LogListSignatureTest, ASignatureBesideAnyListIsCheckedUnderGooglesKeyByDefault) {
  // Signed with the test key, checked under Google's: refused, though the URL is not Google's.
  const std::string base =
      Serve({{"/log_list.json", list_}, {"/log_list.sig", signer_.Sign(list_)}});
  Result<LogList> list = LoadLogList(base + "/log_list.json");
  ASSERT_FALSE(list);
  EXPECT_EQ(list.error().code, ErrorCode::kNetwork);
  EXPECT_THAT(list.error().message, HasSubstr("signature does not verify"));
}

TEST_F(LogListSignatureTest, AFetchedPublishedListIsMergedWithTheSnapshots) {
  const std::string base =
      Serve({{"/log_list.json", list_}, {"/log_list.sig", signer_.Sign(list_)}});
  LogListLoadOptions options = Signed();
  options.merge_with_snapshots = true;  // as for Google's or Apple's URL
  Result<LogList> merged = LoadLogListWith(base + "/log_list.json", options);
  ASSERT_TRUE(merged) << merged.error().message;
  Result<LogList> snapshots = ParseDefaultLogList();
  ASSERT_TRUE(snapshots);
  EXPECT_EQ(merged->logs().size(), snapshots->logs().size());  // Icarus is in the snapshots
  // The fetched list is the newest: its state for Icarus wins (the snapshots say rejected).
  const LogId icarus = Sha256(testing::SpkiOf(kIcarusKey));
  ASSERT_EQ(snapshots->FindLog(icarus)->state->state, LogState::kRejected);
  EXPECT_EQ(merged->FindLog(icarus)->state->state, LogState::kUsable);
  EXPECT_EQ(FormatRfc3339(merged->timestamp_ms()), "2027-01-01T00:00:00Z");
  // The keys the fetched list does not name are still known (Pilot's).
  EXPECT_NE(merged->FindLog(Sha256(testing::SpkiOf("keys/google-pilot.pem"))), nullptr);
  EXPECT_EQ(merged->origins().size(), snapshots->origins().size() + 1);
}

TEST_F(LogListSignatureTest, CtkitExitsThreeWithOneLineOnABadSignature) {
  // The real ctkit, checking under Google's key: a .sig that does not verify refuses the list.
  const std::string base =
      Serve({{"/log_list.json", list_}, {"/log_list.sig", signer_.Sign(list_)}});
  testing::CommandResult run = testing::RunCtkit(
      {"verify", testing::TestDataPath(kCryptographyLeaf), "--issuer",
       testing::TestDataPath(kCryptographyIssuer), "--log-list", base + "/log_list.json"});
  EXPECT_EQ(run.exit_code, 3) << run.err;
  EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
  EXPECT_THAT(run.err, HasSubstr("log list signature does not verify"));
}

TEST(LogListSourceUrlTest, WhichHostsAreGooglesAndWhichArePublishers) {
  EXPECT_TRUE(IsGoogleLogListUrl("https://www.gstatic.com/ct/log_list/v3/log_list.json"));
  EXPECT_TRUE(IsGoogleLogListUrl("https://WWW.GSTATIC.COM:443/ct/log_list/v3/all_logs_list.json"));
  EXPECT_FALSE(IsGoogleLogListUrl("https://www.gstatic.com.evil.example/log_list.json"));
  EXPECT_FALSE(IsGoogleLogListUrl("https://www.gstatic.com@evil.example/log_list.json"));
  EXPECT_FALSE(IsGoogleLogListUrl("http://127.0.0.1:8080/log_list.json"));
  EXPECT_TRUE(IsPublishedLogListUrl("https://valid.apple.com/ct/log_list/current_log_list.json"));
  EXPECT_TRUE(IsPublishedLogListUrl(kGoogleAllLogsListUrl));
  EXPECT_FALSE(IsPublishedLogListUrl("https://lists.example/valid.apple.com/x.json"));
}

TEST(LogListSignatureKeyTest, GooglesKeyIsCompiledInAsRsa4096) {
  Result<std::shared_ptr<const LogKey>> key = LogKey::FromPem(kGoogleLogListKeyPem);
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ((*key)->algorithm(), LogKeyAlgorithm::kRsaSha256);
  EXPECT_EQ(HexEncode(Sha256((*key)->spki_der())),
            "f1d8b68e50210d8e73d9a3e97f571773c52d7f28c0b1a71beee81d8562e6fd85");
  // Nothing made here verifies under it.
  TestSigner signer;
  EXPECT_EQ(
      VerifyLogListSignature("{}", AsBytes(signer.Sign("{}")), kGoogleLogListKeyPem).error().code,
      ErrorCode::kVerificationFailed);
  EXPECT_TRUE(VerifyLogListSignature("{}", AsBytes(signer.Sign("{}")), signer.PublicPem()));
}

}  // namespace
}  // namespace ctkit
