// The RFC 6962 reference tree (testdata/merkle/rfc6962_reference_tree.json): leaf hashes, every
// node, the root at every size, and the published inclusion and consistency vectors.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "merkle/compact_range.h"
#include "merkle/merkle_tree.h"
#include "merkle/merkle_verify.h"
#include "test_support.h"

namespace ctkit {
namespace {

using nlohmann::json;

MerkleHash Hash(const json& hex) { return *ParseMerkleHash(hex.get<std::string>()); }

std::vector<MerkleHash> Hashes(const json& array) {
  std::vector<MerkleHash> out;
  for (const json& item : array) out.push_back(Hash(item));
  return out;
}

class ReferenceTreeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    vectors_ = json::parse(testing::ReadTestDataText("merkle/rfc6962_reference_tree.json"));
    for (const json& leaf : vectors_["leaves_hex"]) {
      tree_.AppendLeafData(*HexDecode(leaf.get<std::string>()));
    }
  }
  json vectors_;
  MerkleTree tree_;
};

TEST_F(ReferenceTreeTest, LeafHashes) {
  const json& leaves = vectors_["leaves_hex"];
  ASSERT_EQ(leaves.size(), 8u);
  for (size_t i = 0; i < leaves.size(); ++i) {
    EXPECT_EQ(HashLeaf(*HexDecode(leaves[i].get<std::string>())), Hash(vectors_["leaf_hashes"][i]))
        << "leaf " << i;
  }
}

TEST_F(ReferenceTreeTest, EveryNode) {
  const json& levels = vectors_["node_hashes_by_level"];
  ASSERT_EQ(levels.size(), 4u);
  for (size_t level = 0; level < levels.size(); ++level) {
    for (size_t index = 0; index < levels[level].size(); ++index) {
      std::optional<MerkleHash> node = tree_.Node({static_cast<uint8_t>(level), index});
      ASSERT_TRUE(node.has_value()) << level << "/" << index;
      EXPECT_EQ(*node, Hash(levels[level][index])) << level << "/" << index;
    }
  }
  EXPECT_FALSE(tree_.Node({3, 1}).has_value());
  EXPECT_FALSE(tree_.Node({4, 0}).has_value());
}

TEST_F(ReferenceTreeTest, RootAtEverySize) {
  CompactRange range;
  for (uint64_t size = 0; size <= 8; ++size) {
    MerkleHash want = Hash(vectors_["roots_by_size"][std::to_string(size)]);
    EXPECT_EQ(*tree_.Root(size), want) << "tree at size " << size;
    EXPECT_EQ(range.Root(), want) << "compact range at size " << size;
    if (size < 8) range.Append(*tree_.Node({0, size}));
  }
  EXPECT_EQ(EmptyTreeRoot(), Hash(vectors_["roots_by_size"]["0"]));
}

TEST_F(ReferenceTreeTest, InclusionVectors) {
  ASSERT_FALSE(vectors_["inclusion"].empty());
  for (const json& v : vectors_["inclusion"]) {
    SCOPED_TRACE(v["id"].get<std::string>());
    uint64_t index = v["leaf_index"], size = v["tree_size"];
    std::vector<MerkleHash> proof = Hashes(v["proof"]);
    Result<void> verified =
        VerifyInclusion(Hash(v["leaf_hash"]), index, size, proof, Hash(v["root"]));
    EXPECT_EQ(verified.has_value(), v["valid"].get<bool>())
        << (verified ? "" : verified.error().message);
    // The tree generates exactly the published proof.
    EXPECT_EQ(*tree_.InclusionProof(index, size), proof);
  }
}

TEST_F(ReferenceTreeTest, ConsistencyVectors) {
  ASSERT_FALSE(vectors_["consistency"].empty());
  for (const json& v : vectors_["consistency"]) {
    SCOPED_TRACE(v["id"].get<std::string>());
    uint64_t size1 = v["size1"], size2 = v["size2"];
    std::vector<MerkleHash> proof = Hashes(v["proof"]);
    Result<void> verified =
        VerifyConsistency(size1, size2, proof, Hash(v["root1"]), Hash(v["root2"]));
    EXPECT_EQ(verified.has_value(), v["valid"].get<bool>())
        << (verified ? "" : verified.error().message);
    EXPECT_EQ(*tree_.ConsistencyProof(size1, size2), proof);
  }
}

// Every inclusion and consistency proof the 8-leaf tree can produce verifies.
TEST_F(ReferenceTreeTest, AllProofsOfTheReferenceTree) {
  for (uint64_t size = 1; size <= 8; ++size) {
    MerkleHash root = *tree_.Root(size);
    for (uint64_t index = 0; index < size; ++index) {
      std::vector<MerkleHash> proof = *tree_.InclusionProof(index, size);
      EXPECT_EQ(proof.size(), InclusionProofSize(index, size));
      EXPECT_TRUE(VerifyInclusion(*tree_.Node({0, index}), index, size, proof, root))
          << index << "/" << size;
    }
    for (uint64_t old_size = 1; old_size <= size; ++old_size) {
      std::vector<MerkleHash> proof = *tree_.ConsistencyProof(old_size, size);
      EXPECT_TRUE(VerifyConsistency(old_size, size, proof, *tree_.Root(old_size), root))
          << old_size << "->" << size;
    }
  }
}

}  // namespace
}  // namespace ctkit
