// Malformed proofs are rejected with a precise reason, never accepted.

#include "merkle/merkle_verify.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <vector>

#include "merkle/merkle_tree.h"

namespace ctkit {
namespace {

using ::testing::HasSubstr;

MerkleTree TreeOfSize(uint64_t size) {
  MerkleTree tree;
  for (uint64_t i = 0; i < size; ++i) {
    uint8_t data[8];
    for (int b = 0; b < 8; ++b) data[b] = static_cast<uint8_t>(i >> (8 * b));
    tree.AppendLeafData(data);
  }
  return tree;
}

class MalformedProofTest : public ::testing::Test {
 protected:
  MerkleTree tree_ = TreeOfSize(13);
  MerkleHash root_ = tree_.Root();
  MerkleHash leaf5_ = *tree_.Node({0, 5});
  std::vector<MerkleHash> proof5_ = *tree_.InclusionProof(5, 13);
};

TEST_F(MalformedProofTest, HonestProofVerifies) {
  EXPECT_TRUE(VerifyInclusion(leaf5_, 5, 13, proof5_, root_));
}

TEST_F(MalformedProofTest, IndexAtOrBeyondSize) {
  for (uint64_t index : {13ull, 14ull, ~0ull}) {
    Result<void> r = VerifyInclusion(leaf5_, index, 13, proof5_, root_);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
    EXPECT_THAT(r.error().message, HasSubstr("is not below tree size 13"));
  }
  Result<void> empty = VerifyInclusion(leaf5_, 0, 0, {}, EmptyTreeRoot());
  ASSERT_FALSE(empty);
  EXPECT_THAT(empty.error().message, HasSubstr("not below tree size 0"));
}

TEST_F(MalformedProofTest, ExtraNode) {
  std::vector<MerkleHash> longer = proof5_;
  longer.push_back(root_);
  Result<void> r = VerifyInclusion(leaf5_, 5, 13, longer, root_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(r.error().message, HasSubstr("proof has 5 nodes, want 4"));
}

TEST_F(MalformedProofTest, MissingNode) {
  std::vector<MerkleHash> shorter(proof5_.begin(), proof5_.end() - 1);
  Result<void> r = VerifyInclusion(leaf5_, 5, 13, shorter, root_);
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().message, HasSubstr("proof has 3 nodes, want 4"));
}

TEST_F(MalformedProofTest, EmptyInclusionProofForLargerTree) {
  Result<void> r = VerifyInclusion(leaf5_, 5, 13, {}, root_);
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().message, HasSubstr("proof has 0 nodes, want 4"));
}

TEST_F(MalformedProofTest, SingleLeafTreeNeedsEmptyProof) {
  MerkleHash leaf0 = *tree_.Node({0, 0});
  EXPECT_TRUE(VerifyInclusion(leaf0, 0, 1, {}, leaf0));
  EXPECT_FALSE(VerifyInclusion(leaf0, 0, 1, std::vector<MerkleHash>{leaf0}, leaf0));
}

TEST_F(MalformedProofTest, WrongRootIsVerificationFailure) {
  MerkleHash other = *tree_.Root(12);
  Result<void> r = VerifyInclusion(leaf5_, 5, 13, proof5_, other);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kVerificationFailed);
  EXPECT_THAT(r.error().message, HasSubstr("does not match expected"));
  // RootFromInclusionProof still gives the root the proof implies.
  EXPECT_EQ(*RootFromInclusionProof(leaf5_, 5, 13, proof5_), root_);
}

TEST_F(MalformedProofTest, ConsistencyOldLargerThanNew) {
  Result<void> r = VerifyConsistency(8, 7, {}, *tree_.Root(8), *tree_.Root(7));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(r.error().message, HasSubstr("old size 8 is larger than new size 7"));
}

TEST_F(MalformedProofTest, ConsistencyFromSizeZeroIsAnError) {
  // Even with an empty proof and the true roots: a proof from the empty tree proves nothing.
  Result<void> r = VerifyConsistency(0, 13, {}, EmptyTreeRoot(), root_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(r.error().message, HasSubstr("size 0"));
  EXPECT_FALSE(tree_.ConsistencyProof(0, 13));
}

TEST_F(MalformedProofTest, ConsistencyEqualSizes) {
  EXPECT_TRUE(VerifyConsistency(13, 13, {}, root_, root_));
  EXPECT_TRUE(VerifyConsistency(0, 0, {}, EmptyTreeRoot(), EmptyTreeRoot()));
  Result<void> different = VerifyConsistency(13, 13, {}, root_, *tree_.Root(12));
  ASSERT_FALSE(different);
  EXPECT_EQ(different.error().code, ErrorCode::kVerificationFailed);
  Result<void> nonempty = VerifyConsistency(13, 13, std::vector<MerkleHash>{root_}, root_, root_);
  ASSERT_FALSE(nonempty);
  EXPECT_THAT(nonempty.error().message, HasSubstr("proof must be empty"));
  EXPECT_TRUE(tree_.ConsistencyProof(13, 13)->empty());
}

TEST_F(MalformedProofTest, ConsistencyEmptyProofForDifferentSizes) {
  Result<void> r = VerifyConsistency(4, 13, {}, *tree_.Root(4), root_);
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().message, HasSubstr("empty proof"));
}

TEST_F(MalformedProofTest, ConsistencyWrongLength) {
  std::vector<MerkleHash> proof = *tree_.ConsistencyProof(6, 13);
  ASSERT_TRUE(VerifyConsistency(6, 13, proof, *tree_.Root(6), root_));
  std::vector<MerkleHash> longer = proof;
  longer.push_back(root_);
  Result<void> r = VerifyConsistency(6, 13, longer, *tree_.Root(6), root_);
  ASSERT_FALSE(r);
  EXPECT_THAT(r.error().message, HasSubstr("want " + std::to_string(proof.size())));
  std::vector<MerkleHash> shorter(proof.begin(), proof.end() - 1);
  EXPECT_FALSE(VerifyConsistency(6, 13, shorter, *tree_.Root(6), root_));
}

TEST_F(MalformedProofTest, ConsistencyWrongOldRoot) {
  std::vector<MerkleHash> proof = *tree_.ConsistencyProof(6, 13);
  Result<void> r = VerifyConsistency(6, 13, proof, *tree_.Root(5), root_);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, ErrorCode::kVerificationFailed);
  EXPECT_THAT(r.error().message, HasSubstr("old root"));
}

TEST_F(MalformedProofTest, TreeRefusesSizesItHasNotReached) {
  EXPECT_FALSE(tree_.Root(14));
  EXPECT_FALSE(tree_.InclusionProof(2, 14));
  EXPECT_FALSE(tree_.ConsistencyProof(2, 14));
  EXPECT_FALSE(tree_.InclusionProof(13, 13));
}

// Documents why tree sizes must come from a signed tree head: leaf 0's proof in a tree of 5
// has the same shape as in a tree of 6, so the proof alone cannot tell the two sizes apart.
TEST_F(MalformedProofTest, ProofDoesNotAuthenticateTreeSize) {
  MerkleTree tree = TreeOfSize(5);
  std::vector<MerkleHash> proof = *tree.InclusionProof(0, 5);
  EXPECT_EQ(InclusionProofSize(0, 5), InclusionProofSize(0, 6));
  EXPECT_TRUE(VerifyInclusion(*tree.Node({0, 0}), 0, 6, proof, tree.Root()));
}

TEST(MerkleHashTest, ParsesHexAndBase64) {
  MerkleHash hash = EmptyTreeRoot();
  EXPECT_EQ(*ParseMerkleHash(HexEncode(hash)), hash);
  EXPECT_EQ(*ParseMerkleHash(Base64Encode(hash)), hash);
  EXPECT_FALSE(ParseMerkleHash(HexEncode(hash).substr(2)));
  EXPECT_FALSE(ParseMerkleHash(HexEncode(hash) + "00"));
  EXPECT_FALSE(ParseMerkleHash(std::string(64, 'g')));
  EXPECT_FALSE(ParseMerkleHash(""));
  EXPECT_FALSE(MerkleHashFromBytes(Bytes(31)));
}

TEST(MerkleHashTest, LeafAndNodeDomainsDiffer) {
  // RFC 6962 §2.1: a leaf whose data is 0x01||a||b must not hash like the node (a, b).
  MerkleHash a = HashLeaf(AsBytes("a")), b = HashLeaf(AsBytes("b"));
  Bytes node_image = {0x01};
  node_image.insert(node_image.end(), a.begin(), a.end());
  node_image.insert(node_image.end(), b.begin(), b.end());
  EXPECT_NE(HashLeaf(node_image), HashChildren(a, b));
  EXPECT_EQ(Sha256(node_image), HashChildren(a, b));
}

}  // namespace
}  // namespace ctkit
