// merkle/merkle_hash_list.h: hashes and proof lists from the command line, every error naming where
// the text came from.

#include "merkle/merkle_hash_list.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "base/bytes.h"

namespace ctkit {
namespace {

const MerkleHash kA = HashLeaf(AsBytes("a"));
const MerkleHash kB = HashLeaf(AsBytes("b"));

TEST(MerkleHashListTest, AHashInHexOrBase64) {
  EXPECT_EQ(ParseHashFlag("--root", HexEncode(kA)).value(), kA);
  EXPECT_EQ(ParseHashFlag("--root", Base64Encode(kB)).value(), kB);
}

TEST(MerkleHashListTest, ABadHashNamesTheFlag) {
  Result<MerkleHash> hash = ParseHashFlag("--old-root", "abc");
  ASSERT_FALSE(hash);
  EXPECT_EQ(hash.error().code, ErrorCode::kMalformed);
  EXPECT_TRUE(hash.error().message.starts_with("--old-root: ")) << hash.error().message;
}

TEST(MerkleHashListTest, AProofListInOrderAndTheEmptyProof) {
  EXPECT_EQ(ParseProofList("--proof", HexEncode(kA) + "," + Base64Encode(kB)).value(),
            (std::vector<MerkleHash>{kA, kB}));
  EXPECT_TRUE(ParseProofList("--proof", "").value().empty());
}

TEST(MerkleHashListTest, ABadNodeIsNamedByItsPosition) {
  Result<std::vector<MerkleHash>> nodes = ParseProofList("--proof", HexEncode(kA) + ",zz");
  ASSERT_FALSE(nodes);
  EXPECT_EQ(nodes.error().code, ErrorCode::kMalformed);
  EXPECT_TRUE(nodes.error().message.starts_with("--proof node 1: ")) << nodes.error().message;
  EXPECT_TRUE(ParseProofList("--proof", HexEncode(kA) + ",")
                  .error()
                  .message.starts_with("--proof node 1: "));
}

}  // namespace
}  // namespace ctkit
