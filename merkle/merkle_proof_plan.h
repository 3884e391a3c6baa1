// Planning proofs from a store of tree nodes (RFC 9162 §2.1.3.1 PATH and §2.1.4.1 PROOF).
//
// A log keeps the hash of every perfect subtree ("node") as it becomes complete. A proof element
// is the root of some subtree D[begin:end); when that subtree is perfect it is one stored node,
// otherwise (only on the tree's right border) it is the fold of the O(log n) perfect subtrees
// that cover it. A plan lists the nodes to read, so a store can fetch them in one batch, and
// AssembleProof turns their hashes into the proof. Any proof costs O(log n) node reads.

#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "base/error.h"
#include "merkle/merkle_hash.h"

namespace ctkit {

// The perfect subtree at `level` (2^level leaves) covering leaves
// [index * 2^level, (index + 1) * 2^level). Level 0 nodes are the leaf hashes.
struct NodeId {
  uint8_t level = 0;
  uint64_t index = 0;
  friend bool operator==(const NodeId&, const NodeId&) = default;
};

struct ProofPlan {
  // Nodes to read, in order.
  std::vector<NodeId> nodes;
  // Proof element i is the fold of nodes[element_ends[i-1], element_ends[i]) (from 0 for i = 0).
  std::vector<size_t> element_ends;
};

// The perfect subtrees covering D[begin:end), left to right. `begin` must be a multiple of the
// largest power of two not above end - begin, as every subtree in RFC 6962 recursion is.
std::vector<NodeId> SubtreeNodes(uint64_t begin, uint64_t end);

// Plan for the inclusion proof of leaf `index` in the tree of `tree_size`.
Result<ProofPlan> PlanInclusionProof(uint64_t index, uint64_t tree_size);

// Plan for the consistency proof between sizes 0 < old_size <= new_size (empty when equal).
Result<ProofPlan> PlanConsistencyProof(uint64_t old_size, uint64_t new_size);

// Which element of the proof `plan` describes is the hash of leaf `index` alone (the subtree
// D[index:index+1], one level-0 node); nullopt when none is. The consistency proof from size m
// to m + 1 always holds leaf m (RFC 9162 §2.1.4.1: the recursion ends at the one new leaf), and
// the inclusion proof of leaf 1 holds leaf 0: how a monitor learns the hash of an entry it
// cannot read (logclient/log_reader.h, LeafHashWithoutEntry).
std::optional<size_t> LeafElement(const ProofPlan& plan, uint64_t index);

// Folds the hashes of plan.nodes (same order) into the proof.
Result<std::vector<MerkleHash>> AssembleProof(const ProofPlan& plan,
                                              std::span<const MerkleHash> node_hashes);

// The root of a subtree from the hashes of its SubtreeNodes(), right to left.
MerkleHash FoldSubtreeNodes(std::span<const MerkleHash> node_hashes);

}  // namespace ctkit
