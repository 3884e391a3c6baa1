// audit/log_inclusion.h: the leaf a log's embedded SCT promises for a certificate, and its proof
// in the log's tree over either API: against testdata/'s CT test log certificates, and against
// a real `ctkit log serve --api both` and certificates from the mock CA.

#include "audit/log_inclusion.h"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "audit_fixture.h"
#include "ct/log_list.h"
#include "logclient/log_target.h"
#include "test_log_list.h"
#include "x509/certificate_file.h"
#include "x509/pem.h"

namespace ctkit::audit {
namespace {

using testing::ReadTestData;

std::vector<CertificateView> Certificates(const std::string& relative) {
  return ParseCertificateInput(ReadTestData(relative)).value();
}

std::shared_ptr<const LogKey> Key(const std::string& relative) {
  return LogKey::FromSpkiDer(testing::SpkiOf(relative)).value();
}

constexpr char kHint[] = "give it with --issuer";

TEST(PromisedLeafTest, TheEmbeddedSctOfTheLogAndTheLeafItPromises) {
  std::vector<CertificateView> issuer = Certificates("sct/ctlog/ca-cert.pem");
  CertificateView leaf = Certificates("sct/ctlog/test-embedded-cert.pem")[0];
  Result<PromisedLeaf> promised =
      PromisedLeafOf(leaf, issuer, *Key("sct/ctlog/ct-server-key-public.pem"), kHint);
  ASSERT_TRUE(promised) << promised.error().message;
  EXPECT_TRUE(promised->sct_signature_valid);
  EXPECT_EQ(promised->sct.timestamp_ms, testing::log_list_data::kEmbeddedSctMs);
  EXPECT_NE(promised->leaf_hash, MerkleHash{});

  // An SCT whose signature does not hold still names a leaf, marked as such.
  Result<PromisedLeaf> invalid =
      PromisedLeafOf(Certificates("sct/ctlog/test-invalid-embedded-cert.pem")[0], issuer,
                     *Key("sct/ctlog/ct-server-key-public.pem"), kHint);
  ASSERT_TRUE(invalid) << invalid.error().message;
  EXPECT_FALSE(invalid->sct_signature_valid);
}

TEST(PromisedLeafTest, NoSctFromTheLogIsNotFound) {
  std::vector<CertificateView> issuer = Certificates("sct/ctlog/ca-cert.pem");
  CertificateView leaf = Certificates("sct/ctlog/test-embedded-cert.pem")[0];
  Result<PromisedLeaf> other = PromisedLeafOf(leaf, issuer, *Key("keys/google-icarus.pem"), kHint);
  ASSERT_FALSE(other);
  EXPECT_EQ(other.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(other.error().message.rfind("the certificate has no embedded SCT from this log", 0),
            0u);

  const LogKey& key = *Key("sct/ctlog/ct-server-key-public.pem");
  Result<PromisedLeaf> plain =
      PromisedLeafOf(Certificates("sct/ctlog/test-cert.pem")[0], issuer, key, kHint);
  ASSERT_FALSE(plain);
  EXPECT_EQ(plain.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(plain.error().message.rfind("embedded SCT list: ", 0), 0u);

  Result<PromisedLeaf> precert =
      PromisedLeafOf(Certificates("sct/ctlog/test-embedded-pre-cert.pem")[0], issuer, key, kHint);
  ASSERT_FALSE(precert);
  EXPECT_EQ(precert.error().message.rfind(
                "a precertificate carries no SCTs; give the final certificate: ", 0),
            0u);
}

TEST(PromisedLeafTest, WithoutTheIssuerTheEntryCannotBeRebuilt) {
  CertificateView leaf = Certificates("sct/ctlog/test-embedded-cert.pem")[0];
  Result<PromisedLeaf> alone =
      PromisedLeafOf(leaf, {}, *Key("sct/ctlog/ct-server-key-public.pem"), kHint);
  ASSERT_FALSE(alone);
  EXPECT_EQ(alone.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(alone.error().message, "the issuer certificate (" + leaf.issuer() +
                                       ") is needed to rebuild the logged entry; " + kHint);
}

class ProveLeafInHeadTest : public testing::AuditEndToEndTest {
 protected:
  // A reader of `log` over `api`, with the key of the log list made for it.
  std::unique_ptr<LogReader> Reader(const testing::LocalLog& log, LogApi api) {
    return OpenLogReader({.url = log.url, .api = api, .key = key_}).value();
  }
  std::shared_ptr<const LogKey> key_;
};

TEST_F(ProveLeafInHeadTest, ProvenOverBothApisAndMissingFromAnotherTree) {
  testing::LocalLog log(dir_, "log", {"--api", "both"});
  std::string list = MakeList({&log});
  ASSERT_NO_FATAL_FAILURE(InitCa({&log}, list));
  ASSERT_NO_FATAL_FAILURE(Issue("a.example.com", dir_ + "/a.pem", {"--min-logs", "1"}));
  ASSERT_NO_FATAL_FAILURE(Issue("b.example.com", dir_ + "/b.pem", {"--min-logs", "1"}));
  key_ = LogEndpointOf(LogList::Parse(testing::ReadFile(list)).value().logs()[0]).value().key;
  std::vector<CertificateView> chain = ReadCertificateFile(dir_ + "/b.pem").value();
  std::vector<CertificateView> others(chain.begin() + 1, chain.end());
  Result<PromisedLeaf> leaf = PromisedLeafOf(chain[0], others, *key_, kHint);
  ASSERT_TRUE(leaf) << leaf.error().message;

  for (LogApi api : {LogApi::kRfc6962, LogApi::kStaticCtApi}) {
    SCOPED_TRACE(LogApiName(api));
    std::unique_ptr<LogReader> reader = Reader(log, api);
    Result<SignedTreeHead> head = reader->GetSth();
    for (int i = 0; i < 100 && head && head->tree_size < 2; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      head = reader->GetSth();
    }
    ASSERT_TRUE(head) << head.error().message;
    Result<uint64_t> index = ProveLeafInHead(*reader, *leaf, *head);
    ASSERT_TRUE(index) << index.error().message;
    EXPECT_EQ(*index, 1u);
  }

  // The same key over an empty database: the tree does not hold the leaf.
  testing::LocalLog empty(dir_, "empty", {"--api", "both"});
  std::filesystem::copy_file(log.dir + "/log.key", empty.dir + "/log.key",
                             std::filesystem::copy_options::overwrite_existing);
  empty.process.reset();
  for (const char* file : {"/log.db", "/log.db-wal", "/log.db-shm"}) {
    std::filesystem::remove(empty.dir + file);
  }
  empty.Start();
  std::unique_ptr<LogReader> reader = Reader(empty, LogApi::kStaticCtApi);
  Result<SignedTreeHead> head = reader->GetSth();
  ASSERT_TRUE(head) << head.error().message;
  Result<uint64_t> missing = ProveLeafInHead(*reader, *leaf, *head);
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kVerificationFailed);
  EXPECT_EQ(missing.error().message.rfind("the log's tree of size 0 does not contain the "
                                          "certificate's leaf",
                                          0),
            0u);
}

}  // namespace
}  // namespace ctkit::audit
