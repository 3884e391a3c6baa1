// logclient/tree_head_json.h: a tree head as JSON (root hash in hex, signature in base64) and as a
// summary line, and a fetched head with whether it verified, as `ctkit log sth` prints it in JSON
// and in text.

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

TEST(TreeHeadJsonTest, AHeadAsJsonAndAsOneLine) {
  SignedTreeHead head = Head();
  json out = TreeHeadJson(head);
  EXPECT_EQ(out["tree_size"], 7);
  EXPECT_EQ(out["timestamp"], kTimestampMs);
  EXPECT_EQ(out["root_hash"], HexEncode(head.root_hash));
  EXPECT_FALSE(out.contains("sha256_root_hash"));
  // The signature as get-sth serves it: base64 of the TLS DigitallySigned.
  json get_sth = json::parse(SthToJson(head));
  EXPECT_EQ(out["tree_head_signature"], get_sth["tree_head_signature"]);
  EXPECT_EQ(TreeHeadSummary(head),
            "size 7, root " + Base64Encode(head.root_hash) + ", 2023-11-14T22:13:20Z");
}

TEST(TreeHeadJsonTest, APrintedHeadOrGetSthJsonIsReadBack) {
  SignedTreeHead head = Head();
  json printed =
      FetchedHeadJson({{"log", "https://log.example/"}},
                      {.head = head, .checkpoint = {}, .note = "", .verified = {}}, false, "");
  for (const std::string& text : {printed.dump(), SthToJson(head)}) {
    SCOPED_TRACE(text);
    Result<SignedTreeHead> read = ParseHeadJson(text);
    ASSERT_TRUE(read) << read.error().message;
    EXPECT_EQ(read->tree_size, head.tree_size);
    EXPECT_EQ(read->timestamp_ms, head.timestamp_ms);
    EXPECT_EQ(read->root_hash, head.root_hash);
    EXPECT_EQ(SthToJson(*read), SthToJson(head));
  }
  json both = printed;
  both["sha256_root_hash"] = Base64Encode(head.root_hash);
  EXPECT_FALSE(ParseHeadJson(both.dump()));
  json short_root = printed;
  short_root["root_hash"] = "abcd";
  EXPECT_FALSE(ParseHeadJson(short_root.dump()));
  json not_hex = printed;
  not_hex["root_hash"] = std::string(64, 'z');
  Result<SignedTreeHead> bad = ParseHeadJson(not_hex.dump());
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("root_hash"), std::string::npos) << bad.error().message;
}

TEST(TreeHeadJsonTest, AVerifiedRfc6962HeadInJsonAndText) {
  FetchedHead fetched{.head = Head(), .checkpoint = {}, .note = "", .verified = {}};
  json out = FetchedHeadJson({{"log", "https://log.example/"}}, fetched, false, "");
  EXPECT_EQ(out["log"], "https://log.example/");
  EXPECT_EQ(out["tree_size"], 7);
  EXPECT_EQ(out["timestamp_rfc3339"], "2023-11-14T22:13:20Z");
  EXPECT_EQ(out["verified"], true);
  EXPECT_FALSE(out.contains("reason"));
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
  EXPECT_EQ(out["root_hash"], HexEncode(checkpoint.root_hash));
  EXPECT_EQ(out["origin"], "log.example/1");
  EXPECT_EQ(out["checkpoint"], fetched.note);
  EXPECT_EQ(out["verified"], false);
  EXPECT_EQ(out["reason"], "bad\x1b signature");
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
