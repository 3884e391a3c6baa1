// The algorithm is the iterative one of RFC 9162 §2.1.3.2 / §2.1.4.2, arranged as in
// transparency-dev/merkle: a proof splits into an "inner" part, where the path to the leaf and
// the path to the last leaf (tree_size - 1) are still apart and siblings may lie on either side,
// and a "border" part along the right edge of the tree, where every sibling lies to the left.

#include "merkle/merkle_verify.h"

#include <bit>
#include <string>

namespace ctkit {
namespace {

struct ProofShape {
  size_t inner;   // levels below the point where the paths to `index` and `size-1` meet
  size_t border;  // left siblings on the right border above that point
};

ProofShape DecomposeInclusionProof(uint64_t index, uint64_t tree_size) {
  size_t inner = std::bit_width(index ^ (tree_size - 1));
  size_t border = std::popcount(inner >= 64 ? 0 : index >> inner);
  return {inner, border};
}

// Hashes up from `seed` at position `index` of its level: each bit of `index` says whether the
// sibling is on the right (0) or on the left (1).
MerkleHash ChainInner(MerkleHash seed, std::span<const MerkleHash> proof, uint64_t index) {
  for (size_t i = 0; i < proof.size(); ++i) {
    seed = ((index >> i) & 1) == 0 ? HashChildren(seed, proof[i]) : HashChildren(proof[i], seed);
  }
  return seed;
}

// Like ChainInner but uses only the left siblings: the result is the root of the same subtree
// as it was before anything right of the path was appended (the old tree of a consistency proof).
MerkleHash ChainInnerRight(MerkleHash seed, std::span<const MerkleHash> proof, uint64_t index) {
  for (size_t i = 0; i < proof.size(); ++i) {
    if (((index >> i) & 1) == 1) seed = HashChildren(proof[i], seed);
  }
  return seed;
}

// Along the right border every sibling is a left sibling.
MerkleHash ChainBorderRight(MerkleHash seed, std::span<const MerkleHash> proof) {
  for (const MerkleHash& node : proof) seed = HashChildren(node, seed);
  return seed;
}

Error WrongProofSize(size_t got, size_t want) {
  return Error{ErrorCode::kInvalidArgument,
               "proof has " + std::to_string(got) + " nodes, want " + std::to_string(want)};
}

Result<void> RootsMatch(const MerkleHash& calculated, const MerkleHash& expected,
                        const char* what) {
  if (calculated != expected) {
    return MakeError(ErrorCode::kVerificationFailed,
                     std::string("calculated ") + what + " " + HexEncode(calculated) +
                         " does not match expected " + HexEncode(expected));
  }
  return {};
}

}  // namespace

size_t InclusionProofSize(uint64_t index, uint64_t tree_size) {
  ProofShape shape = DecomposeInclusionProof(index, tree_size);
  return shape.inner + shape.border;
}

Result<MerkleHash> RootFromInclusionProof(const MerkleHash& leaf_hash, uint64_t index,
                                          uint64_t tree_size, std::span<const MerkleHash> proof) {
  if (index >= tree_size) {
    return MakeError(ErrorCode::kInvalidArgument, "leaf index " + std::to_string(index) +
                                                      " is not below tree size " +
                                                      std::to_string(tree_size));
  }
  ProofShape shape = DecomposeInclusionProof(index, tree_size);
  if (proof.size() != shape.inner + shape.border) {
    return std::unexpected(WrongProofSize(proof.size(), shape.inner + shape.border));
  }
  MerkleHash hash = ChainInner(leaf_hash, proof.first(shape.inner), index);
  return ChainBorderRight(hash, proof.subspan(shape.inner));
}

Result<void> VerifyInclusion(const MerkleHash& leaf_hash, uint64_t index, uint64_t tree_size,
                             std::span<const MerkleHash> proof, const MerkleHash& root) {
  ASSIGN_OR_RETURN(MerkleHash calculated,
                   RootFromInclusionProof(leaf_hash, index, tree_size, proof));
  return RootsMatch(calculated, root, "root");
}

Result<MerkleHash> RootFromConsistencyProof(uint64_t old_size, uint64_t new_size,
                                            std::span<const MerkleHash> proof,
                                            const MerkleHash& old_root) {
  if (old_size > new_size) {
    return MakeError(ErrorCode::kInvalidArgument, "old size " + std::to_string(old_size) +
                                                      " is larger than new size " +
                                                      std::to_string(new_size));
  }
  if (old_size == new_size) {
    if (!proof.empty()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "sizes are equal, so the proof must be empty, but it has " +
                           std::to_string(proof.size()) + " nodes");
    }
    return old_root;
  }
  if (old_size == 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "a consistency proof from the empty tree (size 0) proves nothing");
  }
  if (proof.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "empty proof, but sizes " +
                                                      std::to_string(old_size) + " and " +
                                                      std::to_string(new_size) + " differ");
  }

  // RFC 9162 §2.1.4.2: the proof is an inclusion proof for leaf old_size-1 in the new tree,
  // starting not at the leaf but at the largest perfect subtree that ends at old_size.
  ProofShape shape = DecomposeInclusionProof(old_size - 1, new_size);
  size_t shift = std::countr_zero(old_size);
  size_t inner = shape.inner - shift;  // shift < inner because old_size < new_size

  // That subtree's root is the first node of the proof, unless old_size is a power of two:
  // then the subtree is the whole old tree and the verifier already knows its root.
  MerkleHash seed = proof[0];
  size_t start = 1;
  if (old_size == (uint64_t{1} << shift)) {
    seed = old_root;
    start = 0;
  }
  if (proof.size() != start + inner + shape.border) {
    return std::unexpected(WrongProofSize(proof.size(), start + inner + shape.border));
  }
  std::span<const MerkleHash> path = proof.subspan(start);
  uint64_t mask = (old_size - 1) >> shift;  // position of the seed on its level

  MerkleHash old_calculated = ChainInnerRight(seed, path.first(inner), mask);
  old_calculated = ChainBorderRight(old_calculated, path.subspan(inner));
  RETURN_IF_ERROR(RootsMatch(old_calculated, old_root, "old root"));
  MerkleHash new_calculated = ChainInner(seed, path.first(inner), mask);
  return ChainBorderRight(new_calculated, path.subspan(inner));
}

Result<void> VerifyConsistency(uint64_t old_size, uint64_t new_size,
                               std::span<const MerkleHash> proof, const MerkleHash& old_root,
                               const MerkleHash& new_root) {
  ASSIGN_OR_RETURN(MerkleHash calculated,
                   RootFromConsistencyProof(old_size, new_size, proof, old_root));
  return RootsMatch(calculated, new_root, "new root");
}

}  // namespace ctkit
