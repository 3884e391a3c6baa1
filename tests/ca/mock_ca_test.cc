// The mock CA against two real logs (LogService behind LogHttpServer on 127.0.0.1, ports chosen
// at run time), submitting through the real LogClient.

#include "ca/mock_ca.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "ct/certificate_verifier.h"
#include "ct/log_list_writer.h"
#include "logclient/log_client.h"
#include "logserver/http_server.h"
#include "logserver/log_service.h"
#include "tests/running_log.h"
#include "x509/pem.h"

namespace ctkit {
namespace {

using ::ctkit::testing::RunningLog;

using ::testing::HasSubstr;

Result<SignedCertificateTimestamp> Submit(const LogInfo& log, const std::vector<Bytes>& chain,
                                          bool precertificate) {
  LogClientOptions options;
  options.max_retries = 0;
  options.total_timeout = std::chrono::milliseconds(5000);
  Result<LogClient> client = LogClient::Create(log.url, *LogKey::FromSpkiDer(log.key_der), options);
  if (!client) return std::unexpected(client.error());
  return precertificate ? client->AddPreChain(chain) : client->AddChain(chain);
}

class MockCaTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/ctkit-ca-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    alpha_ = std::make_unique<RunningLog>(dir_, "alpha", "Alpha Logs");
    beta_ = std::make_unique<RunningLog>(dir_, "beta", "Beta Logs");
    list_path_ = dir_ + "/logs.json";
    std::ofstream(list_path_) << MakeLogListJson({alpha_->entry, beta_->entry}, UnixNowMs());
    list_ = *LogList::Parse(MakeLogListJson({alpha_->entry, beta_->entry}, UnixNowMs()));
    ASSERT_TRUE(MockCa::Init(dir_ + "/ca", {.name = "Example Corp CA",
                                            .logs = {alpha_->entry.url, beta_->entry.url},
                                            .log_list = list_path_}));
  }
  void TearDown() override {
    alpha_.reset();
    beta_.reset();
    (void)system(("rm -rf " + dir_).c_str());
  }

  std::string dir_, list_path_;
  std::unique_ptr<RunningLog> alpha_, beta_;
  LogList list_;
};

TEST_F(MockCaTest, LoggedCertificateCarriesValidSctsAndMeetsPolicies) {
  Result<MockCa> ca = MockCa::Open(dir_ + "/ca");
  ASSERT_TRUE(ca) << ca.error().message;
  Result<IssuedCertificate> issued =
      ca->Issue({.names = {"www.example.com", "example.com"}}, &Submit, UnixNowMs());
  ASSERT_TRUE(issued) << issued.error().message;
  EXPECT_EQ(issued->scts.size(), 2u);
  EXPECT_TRUE(issued->warnings.empty());

  CertificateView leaf = *CertificateView::Parse(issued->certificate);
  EXPECT_FALSE(leaf.IsPrecertificate());
  EXPECT_EQ(leaf.dns_names(), (std::vector<std::string>{"www.example.com", "example.com"}));
  std::vector<CertificateView> chain;
  for (const Bytes& der : issued->chain) chain.push_back(*CertificateView::Parse(der));
  CertificateVerifier verifier(list_);
  CertificateCheck check = verifier.Verify(leaf, chain, {}, UnixNowMs() + 1000, {});
  ASSERT_EQ(check.scts.size(), 2u);
  for (const SctCheck& sct : check.scts) {
    EXPECT_EQ(sct.status, SctStatus::kValid) << SctStatusName(sct.status);
  }
  ASSERT_TRUE(check.chrome && check.apple);
  EXPECT_TRUE(check.chrome->compliant) << check.chrome->reasons.front();
  EXPECT_TRUE(check.apple->compliant);

  // Both logs hold the precertificate entry: it reaches their trees.
  for (RunningLog* log : {alpha_.get(), beta_.get()}) {
    Result<SignedTreeHead> head = log->service->Integrate(UnixNowMs(), 0);
    ASSERT_TRUE(head);
    EXPECT_EQ(head->tree_size, 1u);
  }
  // The inventory has it, with the deduplication hash of its precertificate.
  Result<std::vector<InventoryRecord>> records = ca->IssuedRecords();
  ASSERT_TRUE(records);
  ASSERT_EQ(records->size(), 1u);
  EXPECT_EQ(records->front(), issued->record);
  EXPECT_EQ(records->front().tbs_sha256, HexEncode(check.tbs_sha256));
  EXPECT_TRUE(records->front().ct_logging);
  EXPECT_EQ(*ParseInventoryRecord(InventoryRecordToJson(issued->record)), issued->record);
}

TEST_F(MockCaTest, OptedOutCertificateContactsNoLog) {
  Result<MockCa> ca = MockCa::Open(dir_ + "/ca");
  ASSERT_TRUE(ca);
  Result<IssuedCertificate> issued = ca->Issue(
      {.names = {"payments.internal.example.com"}, .ct_logging = false},
      [](const LogInfo&, const std::vector<Bytes>&, bool) -> Result<SignedCertificateTimestamp> {
        ADD_FAILURE() << "a log was contacted for an opted-out certificate";
        return MakeError(ErrorCode::kInternal, "unexpected");
      },
      UnixNowMs());
  ASSERT_TRUE(issued) << issued.error().message;
  CertificateView leaf = *CertificateView::Parse(issued->certificate);
  EXPECT_EQ(leaf.EmbeddedSctList().error().code, ErrorCode::kNotFound);
  EXPECT_FALSE(issued->record.ct_logging);
  EXPECT_EQ(InventoryRecordToJson(issued->record).find("\"ct_logging\":\"disabled\"") !=
                std::string::npos,
            true);
}

TEST_F(MockCaTest, TooFewLogsMeansNoCertificateAndNoRecord) {
  beta_->Stop();  // one operator's log is down
  Result<MockCa> ca = MockCa::Open(dir_ + "/ca");
  ASSERT_TRUE(ca);
  Result<IssuedCertificate> issued =
      ca->Issue({.names = {"www.example.com"}}, &Submit, UnixNowMs());
  ASSERT_FALSE(issued);
  EXPECT_EQ(issued.error().code, ErrorCode::kNetwork);
  EXPECT_THAT(issued.error().message, HasSubstr("only 1 of 2 logs"));
  EXPECT_TRUE(ca->IssuedRecords()->empty());
  // --min-logs 1 issues anyway, on purpose: a certificate that will fail the policies.
  Result<IssuedCertificate> single =
      ca->Issue({.names = {"www.example.com"}, .min_logs = 1}, &Submit, UnixNowMs());
  ASSERT_TRUE(single) << single.error().message;
  EXPECT_EQ(single->scts.size(), 1u);
  EXPECT_FALSE(single->warnings.empty());
}

TEST_F(MockCaTest, AnSctThatDoesNotVerifyIsNeverEmbedded) {
  Result<MockCa> ca = MockCa::Open(dir_ + "/ca");
  ASSERT_TRUE(ca);
  // A log whose SCT signature does not verify (a lying or broken log).
  auto lying = [&](const LogInfo& log, const std::vector<Bytes>& chain,
                   bool precertificate) -> Result<SignedCertificateTimestamp> {
    Result<SignedCertificateTimestamp> sct = Submit(log, chain, precertificate);
    if (sct && log.description == "beta") sct->signature.signature.back() ^= 1;
    return sct;
  };
  Result<IssuedCertificate> issued = ca->Issue({.names = {"www.example.com"}}, lying, UnixNowMs());
  ASSERT_FALSE(issued);
  EXPECT_THAT(issued.error().message,
              HasSubstr(beta_->entry.url + ": returned an SCT that is invalid_signature"));
  EXPECT_TRUE(ca->IssuedRecords()->empty());
}

TEST(MockCaInitTest, RefusesToOverwriteACa) {
  char dir[] = "/tmp/ctkit-ca-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string path = std::string(dir) + "/ca";
  ASSERT_TRUE(MockCa::Init(path, {.name = "One"}));
  Result<void> again = MockCa::Init(path, {.name = "Two"});
  ASSERT_FALSE(again);
  EXPECT_THAT(again.error().message, HasSubstr("already holds a CA"));
  EXPECT_EQ(MockCa::Open(path)->config().name, "One");
  EXPECT_FALSE(MockCa::Open(std::string(dir) + "/nothing"));
  (void)system((std::string("rm -rf ") + dir).c_str());
}

}  // namespace
}  // namespace ctkit
