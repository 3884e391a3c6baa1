// A compact range (Merkle frontier) over the leaves [0, size) of an RFC 6962 tree.
//
// It keeps only the roots of the perfect subtrees that make up the tree so far, one per set bit
// of `size`, largest (leftmost) first: O(log n) memory for any n. Appending a leaf merges equal
// sized subtrees like a binary counter, so n appends cost n - popcount(n) hashes in all, exactly
// the number of interior nodes that become complete; Root() folds the frontier right to left.
//
// The monitor appends every entry it downloads and, when the range reaches the size of a
// verified tree head, compares Root() with the signed root: a match proves every entry belongs
// to that tree. The frontier can be stored and resumed with FromFrontier().

#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "base/error.h"
#include "merkle/merkle_hash.h"
#include "merkle/merkle_proof_plan.h"

namespace ctkit {

class CompactRange {
 public:
  // The empty range.
  CompactRange();

  // Resumes a range of `size` leaves from its stored frontier (as returned by frontier()).
  // Fails unless there is exactly one hash per set bit of `size`.
  static Result<CompactRange> FromFrontier(uint64_t size, std::vector<MerkleHash> frontier);

  void Append(const MerkleHash& leaf_hash);
  void Append(std::span<const MerkleHash> leaf_hashes);

  // Appends and reports every node that becomes complete, the leaf first, so a log can store
  // the nodes it later builds proofs from (merkle_proof_plan.h).
  using NodeVisitor = std::function<void(NodeId id, const MerkleHash& hash)>;
  void Append(const MerkleHash& leaf_hash, const NodeVisitor& on_node);

  uint64_t size() const { return size_; }
  const std::vector<MerkleHash>& frontier() const { return frontier_; }

  // The Merkle Tree Hash of the leaves [0, size); EmptyTreeRoot() when size is 0.
  MerkleHash Root() const;

 private:
  template <typename Visitor>
  void AppendVisiting(const MerkleHash& leaf_hash, const Visitor& on_node);

  uint64_t size_ = 0;
  std::vector<MerkleHash> frontier_;
};

}  // namespace ctkit
