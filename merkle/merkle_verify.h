// Verification of Merkle inclusion and consistency proofs (RFC 6962 §2.1.1-2.1.2,
// RFC 9162 §2.1.3.2 and §2.1.4.2).
//
// Proof nodes are ordered as the RFCs define them: from the leaf (or the old tree) upwards.
// Every structurally wrong proof is rejected with a reason, never accepted:
//   - index >= tree_size, old size > new size             -> ErrorCode::kInvalidArgument
//   - a proof with too few or too many nodes               -> ErrorCode::kInvalidArgument
//   - an empty proof where nodes are needed                -> ErrorCode::kInvalidArgument
//   - a consistency proof from size 0                      -> ErrorCode::kInvalidArgument
//   - a well-formed proof that computes a different root   -> ErrorCode::kVerificationFailed
//
// A consistency proof from the empty tree is refused rather than trivially accepted, as
// transparency-dev/merkle decides: every tree "extends" the empty tree, so such a proof proves
// nothing, and a caller that asks for one has lost track of what it verified.
//
// Note what a proof does not do: neither kind authenticates the tree size. For some sizes the
// same nodes prove the same leaf in a tree one larger (e.g. leaf 0 in sizes 5 and 6 share a
// proof shape), so sizes must come from a signed tree head, never from the proof's sender.
//
// Cost: an inclusion proof of n nodes costs exactly n hashes (n+1 with the leaf hash); a
// consistency proof of n nodes at most 2n. No allocation.

#pragma once

#include <cstdint>
#include <span>

#include "base/error.h"
#include "merkle/merkle_hash.h"

namespace ctkit {

// The number of nodes in an inclusion proof for `index` in a tree of `tree_size`
// (requires index < tree_size).
size_t InclusionProofSize(uint64_t index, uint64_t tree_size);

// The root that `proof` implies for the leaf `leaf_hash` at `index` in a tree of `tree_size`.
Result<MerkleHash> RootFromInclusionProof(const MerkleHash& leaf_hash, uint64_t index,
                                          uint64_t tree_size, std::span<const MerkleHash> proof);

// Succeeds exactly when `proof` shows `leaf_hash` at `index` in the tree of `tree_size` whose
// root is `root`.
Result<void> VerifyInclusion(const MerkleHash& leaf_hash, uint64_t index, uint64_t tree_size,
                             std::span<const MerkleHash> proof, const MerkleHash& root);

// The new root that `proof` implies, after checking that it reproduces `old_root`.
Result<MerkleHash> RootFromConsistencyProof(uint64_t old_size, uint64_t new_size,
                                            std::span<const MerkleHash> proof,
                                            const MerkleHash& old_root);

// Succeeds exactly when `proof` shows the tree of `old_size` with `old_root` is a prefix of the
// tree of `new_size` with `new_root`. Equal sizes verify with an empty proof exactly when the
// roots are equal.
Result<void> VerifyConsistency(uint64_t old_size, uint64_t new_size,
                               std::span<const MerkleHash> proof, const MerkleHash& old_root,
                               const MerkleHash& new_root);

}  // namespace ctkit
