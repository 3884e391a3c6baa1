// An in-memory RFC 6962 Merkle tree that keeps every perfect-subtree node, so it can give the
// root of, and proofs for, any size it has reached. Roots and proofs cost O(log n) node reads
// (see merkle_proof_plan.h); memory is about two hashes per leaf.
//
// Used by tests, benchmarks and the `ctkit tree` command; the log server stores the same nodes
// in SQLite and plans proofs the same way.

#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "base/error.h"
#include "merkle/merkle_hash.h"
#include "merkle/merkle_proof_plan.h"

namespace ctkit {

class MerkleTree {
 public:
  void AppendLeafHash(const MerkleHash& leaf_hash);
  void AppendLeafData(ByteSpan leaf_data) { AppendLeafHash(HashLeaf(leaf_data)); }

  uint64_t size() const { return levels_.empty() ? 0 : levels_[0].size(); }

  // The stored hash of a perfect subtree, or nullopt if it is not complete yet.
  std::optional<MerkleHash> Node(NodeId id) const;

  // The root of the tree as it was at `tree_size` (<= size()).
  Result<MerkleHash> Root(uint64_t tree_size) const;
  MerkleHash Root() const { return *Root(size()); }

  Result<std::vector<MerkleHash>> InclusionProof(uint64_t index, uint64_t tree_size) const;
  Result<std::vector<MerkleHash>> ConsistencyProof(uint64_t old_size, uint64_t new_size) const;

 private:
  // The proof `plan` (of a tree of `tree_size` leaves) asks for, from the stored nodes: the
  // size checked first, then the plan's own error, as both proofs report them.
  Result<std::vector<MerkleHash>> Prove(uint64_t tree_size, const Result<ProofPlan>& plan) const;
  Result<std::vector<MerkleHash>> ReadNodes(const std::vector<NodeId>& ids) const;
  Result<void> CheckSize(uint64_t tree_size) const;

  // levels_[l][i] is NodeId{l, i}.
  std::vector<std::vector<MerkleHash>> levels_;
};

}  // namespace ctkit
