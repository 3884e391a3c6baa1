// logclient/tree_head_json.h: a tree head as get-sth JSON and as a summary line, and a fetched head
// with whether it verified, as `ctkit log sth` prints it in JSON and in text.

#include "logclient/tree_head_json.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "base/bytes.h"
#include "ct/log_signer.h"
#include "merkle/merkle_hash.h"

namespace ctkit {
namespace {

using json = nlohmann::ordered_json;

constexpr uint64_t kTimestampMs = 1700000000000;  // 2023-11-14T22:13:20Z

SignedTreeHead Head() {
  std::shared_ptr<const LogSigner> signer = LogSigner::Generate().value();
  return SignTreeHead(7, kTimestampMs, HashLeaf(AsBytes("root")), *signer).value();
}

TEST(TreeHeadJsonTest, AHeadAsGetSthJsonAndAsOneLine) {
  SignedTreeHead head = Head();
  json out = TreeHeadJson(head);
  EXPECT_EQ(out["tree_size"], 7);
  EXPECT_EQ(out["timestamp"], kTimestampMs);
  EXPECT_EQ(out["sha256_root_hash"], Base64Encode(head.root_hash));
  EXPECT_EQ(TreeHeadSummary(head),
            "size 7, root " + Base64Encode(head.root_hash) + ", 2023-11-14T22:13:20Z");
}

TEST(TreeHeadJsonTest, AVerifiedRfc6962HeadInJsonAndText) {
  FetchedHead fetched{.head = Head(), .checkpoint = {}, .note = "", .verified = {}};
  json out = FetchedHeadJson({{"log", "https://log.example/"}}, fetched, false, "");
  EXPECT_EQ(out["log"], "https://log.example/");
  EXPECT_EQ(out["tree_size"], 7);
  EXPECT_EQ(out["timestamp_rfc3339"], "2023-11-14T22:13:20Z");
  EXPECT_EQ(out["verified"], true);
  EXPECT_FALSE(out.contains("error"));
  EXPECT_FALSE(out.contains("origin"));
  EXPECT_EQ(FetchedHeadText("https://log.example/", fetched, false, ""),
            "log:        https://log.example/\n"
            "tree size:  7\n"
            "timestamp:  2023-11-14T22:13:20Z (1700000000000)\n"
            "root hash:  " +
                Base64Encode(fetched.head->root_hash) +
                "\n"
                "signature:  verified\n");
}

TEST(TreeHeadJsonTest, AnUnverifiedCheckpointSaysWhy) {
  Checkpoint checkpoint{.origin = "log.example/1", .tree_size = 3, .root_hash = HashLeaf({})};
  FetchedHead fetched{.head = {},
                      .checkpoint = checkpoint,
                      .note = "log.example/1\n3\n...\n",
                      .verified = MakeError(ErrorCode::kVerificationFailed, "bad\x1b signature")};
  json out = FetchedHeadJson(json::object(), fetched, true, "log.example/1");
  EXPECT_EQ(out["tree_size"], 3);
  EXPECT_EQ(out["sha256_root_hash"], Base64Encode(checkpoint.root_hash));
  EXPECT_EQ(out["origin"], "log.example/1");
  EXPECT_EQ(out["checkpoint"], fetched.note);
  EXPECT_EQ(out["verified"], false);
  EXPECT_EQ(out["error"], "bad\x1b signature");
  std::string text = FetchedHeadText("https://tiles.example/", fetched, true, "log.example/1");
  EXPECT_EQ(text,
            "log:        https://tiles.example/\n"
            "api:        static-ct-api (origin log.example/1)\n"
            "tree size:  3\n"
            "root hash:  " +
                Base64Encode(checkpoint.root_hash) +
                "\n"
                "signature:  INVALID: bad\\x1b signature\n");
}

}  // namespace
}  // namespace ctkit
