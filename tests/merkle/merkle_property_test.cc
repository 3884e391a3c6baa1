// Property tests on random trees of up to a few thousand leaves:
//  - roots from MerkleTree, CompactRange and the RFC 6962 recursion agree at every size;
//  - every generated proof verifies, and agrees with the RFC 9162 reference verifier;
//  - every single-bit change to the leaf, a proof node, the index or the root is rejected;
//  - a single-bit change to a size is rejected exactly when the RFC reference rejects it.
//    (Proofs do not authenticate sizes: e.g. leaf 0's proof in a tree of 5 has the same shape
//    as in a tree of 6, so a changed size can verify against the same root. Sizes must come
//    from a signed tree head; the reference agreement pins down exactly when this happens.)

#include <gtest/gtest.h>

#include <bit>
#include <map>
#include <random>
#include <vector>

#include "merkle/compact_range.h"
#include "merkle/merkle_proof_plan.h"
#include "merkle/merkle_reference.h"
#include "merkle/merkle_tree.h"
#include "merkle/merkle_verify.h"

namespace ctkit {
namespace {

using testing::ReferenceRoot;
using testing::ReferenceVerifyConsistency;
using testing::ReferenceVerifyInclusion;

constexpr uint64_t kMaxLeaves = 3000;

MerkleHash FlipBit(MerkleHash hash, size_t bit) {
  hash[bit / 8] ^= static_cast<uint8_t>(1 << (bit % 8));
  return hash;
}

// Bits to flip in a hash: all 256 when exhaustive, else a spread sample.
std::vector<size_t> BitsToFlip(bool exhaustive) {
  std::vector<size_t> bits;
  for (size_t bit = 0; bit < 256; bit += exhaustive ? 1 : 37) bits.push_back(bit);
  return bits;
}

class MerklePropertyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::mt19937_64 rng(20261126);
    leaves_ = new std::vector<MerkleHash>();
    tree_ = new MerkleTree();
    for (uint64_t i = 0; i < kMaxLeaves; ++i) {
      Bytes data(1 + rng() % 64);
      for (uint8_t& byte : data) byte = static_cast<uint8_t>(rng());
      leaves_->push_back(HashLeaf(data));
      tree_->AppendLeafHash(leaves_->back());
    }
  }
  static void TearDownTestSuite() {
    delete leaves_;
    delete tree_;
  }

  static std::vector<MerkleHash>* leaves_;
  static MerkleTree* tree_;
};

std::vector<MerkleHash>* MerklePropertyTest::leaves_ = nullptr;
MerkleTree* MerklePropertyTest::tree_ = nullptr;

TEST_F(MerklePropertyTest, RootsAgreeAtEverySize) {
  CompactRange range;
  for (uint64_t size = 0; size <= kMaxLeaves; ++size) {
    MerkleHash root = *tree_->Root(size);
    ASSERT_EQ(range.Root(), root) << size;
    if (size <= 300 || size % 97 == 0) {
      ASSERT_EQ(ReferenceRoot(std::span(*leaves_).first(size)), root) << size;
    }
    if (size < kMaxLeaves) range.Append((*leaves_)[size]);
  }
}

TEST_F(MerklePropertyTest, CompactRangeResumesFromItsFrontier) {
  CompactRange range;
  std::span<const MerkleHash> all(*leaves_);
  range.Append(all.first(1234));
  Result<CompactRange> resumed = CompactRange::FromFrontier(range.size(), range.frontier());
  ASSERT_TRUE(resumed);
  resumed->Append(all.subspan(1234));
  EXPECT_EQ(resumed->Root(), tree_->Root());
  EXPECT_EQ(resumed->frontier().size(), static_cast<size_t>(std::popcount(kMaxLeaves)));
  // A frontier of the wrong length for its size is refused.
  EXPECT_FALSE(CompactRange::FromFrontier(1234, {}));
  std::vector<MerkleHash> too_long = range.frontier();
  too_long.push_back(too_long.back());
  EXPECT_FALSE(CompactRange::FromFrontier(1234, too_long));
}

void CheckInclusion(const MerkleTree& tree, const std::vector<MerkleHash>& leaves, uint64_t index,
                    uint64_t size, bool exhaustive) {
  SCOPED_TRACE(::testing::Message() << "leaf " << index << " in size " << size);
  MerkleHash root = *tree.Root(size);
  std::vector<MerkleHash> proof = *tree.InclusionProof(index, size);
  const MerkleHash& leaf = leaves[index];
  ASSERT_TRUE(VerifyInclusion(leaf, index, size, proof, root));
  ASSERT_TRUE(ReferenceVerifyInclusion(leaf, index, size, proof, root));

  for (size_t bit : BitsToFlip(exhaustive)) {
    EXPECT_FALSE(VerifyInclusion(FlipBit(leaf, bit), index, size, proof, root))
        << "leaf bit " << bit;
    EXPECT_FALSE(VerifyInclusion(leaf, index, size, proof, FlipBit(root, bit)))
        << "root bit " << bit;
    for (size_t node = 0; node < proof.size(); ++node) {
      std::vector<MerkleHash> bad = proof;
      bad[node] = FlipBit(bad[node], bit);
      EXPECT_FALSE(VerifyInclusion(leaf, index, size, bad, root))
          << "node " << node << " bit " << bit;
    }
  }
  for (int bit = 0; bit < 64; ++bit) {
    uint64_t other_index = index ^ (uint64_t{1} << bit);
    EXPECT_FALSE(VerifyInclusion(leaf, other_index, size, proof, root)) << "index bit " << bit;
    uint64_t other_size = size ^ (uint64_t{1} << bit);
    EXPECT_EQ(VerifyInclusion(leaf, index, other_size, proof, root).has_value(),
              ReferenceVerifyInclusion(leaf, index, other_size, proof, root))
        << "size bit " << bit;
  }
}

TEST_F(MerklePropertyTest, EveryInclusionProofVerifiesAndNoBitFlipDoes) {
  // Every leaf of every tree up to 40 leaves, exhaustively.
  for (uint64_t size = 1; size <= 40; ++size) {
    for (uint64_t index = 0; index < size; ++index) {
      CheckInclusion(*tree_, *leaves_, index, size, /*exhaustive=*/size <= 9);
    }
  }
  // Random leaves of random larger trees, and the edges of each.
  std::mt19937_64 rng(7);
  for (int round = 0; round < 60; ++round) {
    uint64_t size = 41 + rng() % (kMaxLeaves - 40);
    for (uint64_t index : {uint64_t{0}, size - 1, rng() % size, rng() % size}) {
      CheckInclusion(*tree_, *leaves_, index, size, /*exhaustive=*/round < 3);
    }
  }
}

void CheckConsistency(const MerkleTree& tree, uint64_t old_size, uint64_t new_size,
                      bool exhaustive) {
  SCOPED_TRACE(::testing::Message() << old_size << " -> " << new_size);
  MerkleHash old_root = *tree.Root(old_size), new_root = *tree.Root(new_size);
  std::vector<MerkleHash> proof = *tree.ConsistencyProof(old_size, new_size);
  ASSERT_TRUE(VerifyConsistency(old_size, new_size, proof, old_root, new_root));
  if (old_size < new_size) {
    ASSERT_TRUE(ReferenceVerifyConsistency(old_size, new_size, proof, old_root, new_root));
  }
  for (size_t bit : BitsToFlip(exhaustive)) {
    EXPECT_FALSE(VerifyConsistency(old_size, new_size, proof, FlipBit(old_root, bit), new_root));
    EXPECT_FALSE(VerifyConsistency(old_size, new_size, proof, old_root, FlipBit(new_root, bit)));
    for (size_t node = 0; node < proof.size(); ++node) {
      std::vector<MerkleHash> bad = proof;
      bad[node] = FlipBit(bad[node], bit);
      EXPECT_FALSE(VerifyConsistency(old_size, new_size, bad, old_root, new_root))
          << "node " << node << " bit " << bit;
    }
  }
  if (old_size == new_size) return;
  for (int bit = 0; bit < 64; ++bit) {
    uint64_t other_old = old_size ^ (uint64_t{1} << bit);
    uint64_t other_new = new_size ^ (uint64_t{1} << bit);
    EXPECT_EQ(VerifyConsistency(other_old, new_size, proof, old_root, new_root).has_value(),
              ReferenceVerifyConsistency(other_old, new_size, proof, old_root, new_root))
        << "old size bit " << bit;
    EXPECT_EQ(VerifyConsistency(old_size, other_new, proof, old_root, new_root).has_value(),
              ReferenceVerifyConsistency(old_size, other_new, proof, old_root, new_root))
        << "new size bit " << bit;
  }
}

TEST_F(MerklePropertyTest, EveryConsistencyProofVerifiesAndNoBitFlipDoes) {
  for (uint64_t new_size = 1; new_size <= 40; ++new_size) {
    for (uint64_t old_size = 1; old_size <= new_size; ++old_size) {
      CheckConsistency(*tree_, old_size, new_size, /*exhaustive=*/new_size <= 9);
    }
  }
  std::mt19937_64 rng(11);
  for (int round = 0; round < 80; ++round) {
    uint64_t new_size = 41 + rng() % (kMaxLeaves - 40);
    uint64_t old_size = 1 + rng() % new_size;
    CheckConsistency(*tree_, old_size, new_size, /*exhaustive=*/round < 3);
  }
}

// The hash of an entry a monitor cannot read: element LeafElement of the consistency proof
// from m to m + 1 is leaf m at every size, and of leaf 1's inclusion proof, leaf 0.
TEST_F(MerklePropertyTest, LeafElementFindsTheLeafInTheProofThatHoldsIt) {
  for (uint64_t m = 1; m < 1100; ++m) {
    Result<ProofPlan> plan = PlanConsistencyProof(m, m + 1);
    ASSERT_TRUE(plan);
    std::optional<size_t> element = LeafElement(*plan, m);
    ASSERT_TRUE(element) << "size " << m;
    Result<std::vector<MerkleHash>> proof = tree_->ConsistencyProof(m, m + 1);
    ASSERT_TRUE(proof);
    ASSERT_LT(*element, proof->size());
    EXPECT_EQ((*proof)[*element], (*leaves_)[m]) << "size " << m;
  }
  for (uint64_t size = 2; size < 300; ++size) {
    Result<ProofPlan> plan = PlanInclusionProof(1, size);
    ASSERT_TRUE(plan);
    std::optional<size_t> element = LeafElement(*plan, 0);
    ASSERT_EQ(element, std::optional<size_t>(0));
    EXPECT_EQ((*tree_->InclusionProof(1, size))[0], (*leaves_)[0]);
  }
  Result<ProofPlan> single = PlanInclusionProof(0, 1);
  ASSERT_TRUE(single);
  EXPECT_FALSE(LeafElement(*single, 0));  // a tree of one leaf: the root is the leaf
}

}  // namespace
}  // namespace ctkit

namespace ctkit {
namespace {

// The nodes a compact range reports as it grows are exactly the tree's perfect subtrees.
TEST(CompactRangeNodesTest, ReportsEveryCompletedNodeOnce) {
  MerkleTree tree;
  CompactRange range;
  std::map<std::pair<int, uint64_t>, MerkleHash> reported;
  for (uint64_t i = 0; i < 300; ++i) {
    MerkleHash leaf = HashLeaf(AsBytes(std::to_string(i)));
    tree.AppendLeafHash(leaf);
    range.Append(leaf, [&](NodeId id, const MerkleHash& hash) {
      EXPECT_TRUE(reported.emplace(std::make_pair(id.level, id.index), hash).second)
          << "node reported twice: " << int(id.level) << "/" << id.index;
    });
  }
  size_t stored = 0;
  for (int level = 0; level < 10; ++level) {
    for (uint64_t index = 0;; ++index) {
      std::optional<MerkleHash> node = tree.Node({static_cast<uint8_t>(level), index});
      if (!node) break;
      ++stored;
      auto it = reported.find({level, index});
      ASSERT_NE(it, reported.end()) << level << "/" << index;
      EXPECT_EQ(it->second, *node);
    }
  }
  EXPECT_EQ(stored, reported.size());
}

}  // namespace
}  // namespace ctkit
