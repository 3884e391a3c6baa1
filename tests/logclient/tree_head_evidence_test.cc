// logclient/tree_head_evidence.h: a head is fetched and kept even when its signature fails, saved
// as get-sth JSON or as the checkpoint served, and read back (a checkpoint verified, under the
// expected origin or the one it names).

#include "logclient/tree_head_evidence.h"

#include <gtest/gtest.h>
#include <httplib.h>

#include <memory>
#include <string>
#include <thread>

#include "ct/log_signer.h"
#include "merkle/merkle_hash.h"

namespace ctkit {
namespace {

constexpr char kOrigin[] = "log.example/2026";

struct Signed {
  std::shared_ptr<const LogSigner> signer = LogSigner::Generate().value();
  SignedTreeHead head = SignTreeHead(7, 1700000000000, HashLeaf(AsBytes("root")), *signer).value();
  std::string checkpoint = CheckpointFromSignedTreeHead(head, kOrigin, signer->log_id()).value();
};

LogEndpoint Endpoint(const Signed& log, LogApi api, std::string origin = kOrigin) {
  return {.url = "http://127.0.0.1:1/",
          .api = api,
          .key = log.signer->public_key(),
          .origin = std::move(origin)};
}

// An HTTP server answering get-sth and checkpoint with `log`'s head.
class HeadServer {
 public:
  explicit HeadServer(const Signed& log)
      : sth_json_(SthToJson(log.head)), checkpoint_(log.checkpoint) {
    server_.Get("/ct/v1/get-sth", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(sth_json_, "application/json");
    });
    server_.Get("/checkpoint", [this](const httplib::Request&, httplib::Response& res) {
      res.set_content(checkpoint_, "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~HeadServer() {
    server_.stop();
    thread_.join();
  }
  // FetchHead from this server over `api`, verified under `verifier`'s key.
  Result<FetchedHead> Fetch(const Signed& verifier, LogApi api) const {
    LogEndpoint endpoint = Endpoint(verifier, api);
    endpoint.url = "http://127.0.0.1:" + std::to_string(port_) + "/";
    return FetchHead(*OpenLogReader(endpoint).value(), endpoint);
  }

 private:
  std::string sth_json_;
  std::string checkpoint_;
  httplib::Server server_;
  int port_ = -1;
  std::thread thread_;
};

TEST(TreeHeadEvidenceTest, SavedJsonIsParsedAndSavedCheckpointsAreVerified) {
  Signed log;
  Result<SignedTreeHead> from_json =
      ParseSavedHead(" \n" + SthToJson(log.head), Endpoint(log, LogApi::kRfc6962), "f");
  ASSERT_TRUE(from_json) << from_json.error().message;
  EXPECT_EQ(*from_json, log.head);

  Result<SignedTreeHead> from_note =
      ParseSavedHead(log.checkpoint, Endpoint(log, LogApi::kStaticCtApi), "f");
  ASSERT_TRUE(from_note) << from_note.error().message;
  EXPECT_EQ(*from_note, log.head);
  // Without an expected origin, the one the checkpoint names; its signature still counts.
  EXPECT_TRUE(ParseSavedHead(log.checkpoint, Endpoint(log, LogApi::kStaticCtApi, ""), "f"));
}

TEST(TreeHeadEvidenceTest, SavedHeadErrorsNameTheFile) {
  Signed log;
  Signed other;
  Result<SignedTreeHead> forged =
      ParseSavedHead(log.checkpoint, Endpoint(other, LogApi::kStaticCtApi), "--old-sth f");
  ASSERT_FALSE(forged);
  EXPECT_EQ(forged.error().code, ErrorCode::kVerificationFailed);
  EXPECT_EQ(forged.error().message.rfind("--old-sth f (checkpoint): ", 0), 0u);

  Result<SignedTreeHead> elsewhere =
      ParseSavedHead(log.checkpoint, Endpoint(log, LogApi::kStaticCtApi, "other.example"), "f");
  ASSERT_FALSE(elsewhere);
  EXPECT_EQ(elsewhere.error().code, ErrorCode::kVerificationFailed);

  Result<SignedTreeHead> garbage = ParseSavedHead("{\"tree_size\": 1}", Endpoint(log, {}), "f");
  ASSERT_FALSE(garbage);
  EXPECT_EQ(garbage.error().code, ErrorCode::kMalformed);
  EXPECT_EQ(garbage.error().message.rfind("f: ", 0), 0u);

  LogEndpoint keyless = Endpoint(log, LogApi::kStaticCtApi);
  keyless.key = nullptr;
  Result<SignedTreeHead> no_key = ParseSavedHead(log.checkpoint, keyless, "f");
  ASSERT_FALSE(no_key);
  EXPECT_EQ(no_key.error().code, ErrorCode::kInvalidArgument);
}

TEST(TreeHeadEvidenceTest, FetchesAndVerifiesOverBothApis) {
  Signed log;
  HeadServer server(log);
  Result<FetchedHead> fetched = server.Fetch(log, LogApi::kRfc6962);
  ASSERT_TRUE(fetched) << fetched.error().message;
  EXPECT_TRUE(fetched->verified);
  EXPECT_EQ(fetched->head, log.head);
  EXPECT_EQ(SavedHeadText(*fetched), SthToJson(log.head) + "\n");

  Result<FetchedHead> checkpoint = server.Fetch(log, LogApi::kStaticCtApi);
  ASSERT_TRUE(checkpoint) << checkpoint.error().message;
  EXPECT_TRUE(checkpoint->verified);
  EXPECT_EQ(checkpoint->head, log.head);
  ASSERT_TRUE(checkpoint->checkpoint);
  EXPECT_EQ(checkpoint->checkpoint->origin, kOrigin);
  EXPECT_EQ(SavedHeadText(*checkpoint), log.checkpoint);
}

TEST(TreeHeadEvidenceTest, AHeadThatDoesNotVerifyIsStillShown) {
  Signed log;
  Signed other;
  HeadServer server(log);
  Result<FetchedHead> fetched = server.Fetch(other, LogApi::kRfc6962);
  ASSERT_TRUE(fetched) << fetched.error().message;
  EXPECT_FALSE(fetched->verified);
  EXPECT_EQ(fetched->head, log.head);  // as served

  Result<FetchedHead> checkpoint = server.Fetch(other, LogApi::kStaticCtApi);
  ASSERT_TRUE(checkpoint) << checkpoint.error().message;
  ASSERT_FALSE(checkpoint->verified);
  EXPECT_EQ(checkpoint->verified.error().code, ErrorCode::kVerificationFailed);
  EXPECT_NE(checkpoint->verified.error().message.find("checkpoint"), std::string::npos);
  EXPECT_FALSE(checkpoint->head);  // a checkpoint's head only once verified
  ASSERT_TRUE(checkpoint->checkpoint);
  EXPECT_EQ(checkpoint->checkpoint->tree_size, 7u);
  EXPECT_EQ(checkpoint->note, log.checkpoint);
}

TEST(TreeHeadEvidenceTest, ALogThatCannotBeReachedIsAnError) {
  Signed log;
  LogEndpoint down = Endpoint(log, LogApi::kRfc6962);
  LogClientOptions fast;
  fast.max_retries = 0;
  Result<FetchedHead> fetched = FetchHead(*OpenLogReader(down, fast).value(), down);
  ASSERT_FALSE(fetched);
  EXPECT_EQ(fetched.error().code, ErrorCode::kNetwork);
}

}  // namespace
}  // namespace ctkit
