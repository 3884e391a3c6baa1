#include "merkle/merkle_tree.h"

#include <string>

namespace ctkit {

void MerkleTree::AppendLeafHash(const MerkleHash& leaf_hash) {
  if (levels_.empty()) levels_.emplace_back();
  levels_[0].push_back(leaf_hash);
  // Complete every parent whose right child just became complete.
  for (size_t level = 0; levels_[level].size() % 2 == 0; ++level) {
    if (level + 1 == levels_.size()) levels_.emplace_back();
    const std::vector<MerkleHash>& children = levels_[level];
    levels_[level + 1].push_back(
        HashChildren(children[children.size() - 2], children[children.size() - 1]));
  }
}

std::optional<MerkleHash> MerkleTree::Node(NodeId id) const {
  if (id.level >= levels_.size() || id.index >= levels_[id.level].size()) return std::nullopt;
  return levels_[id.level][id.index];
}

Result<void> MerkleTree::CheckSize(uint64_t tree_size) const {
  if (tree_size > size()) {
    return MakeError(ErrorCode::kInvalidArgument, "tree size " + std::to_string(tree_size) +
                                                      " is beyond the tree's " +
                                                      std::to_string(size()) + " leaves");
  }
  return {};
}

Result<std::vector<MerkleHash>> MerkleTree::ReadNodes(const std::vector<NodeId>& ids) const {
  std::vector<MerkleHash> hashes;
  hashes.reserve(ids.size());
  for (const NodeId& id : ids) {
    std::optional<MerkleHash> hash = Node(id);
    if (!hash) {
      return MakeError(ErrorCode::kInternal, "node at level " + std::to_string(id.level) +
                                                 " index " + std::to_string(id.index) +
                                                 " is not complete");
    }
    hashes.push_back(*hash);
  }
  return hashes;
}

Result<MerkleHash> MerkleTree::Root(uint64_t tree_size) const {
  RETURN_IF_ERROR(CheckSize(tree_size));
  ASSIGN_OR_RETURN(std::vector<MerkleHash> nodes, ReadNodes(SubtreeNodes(0, tree_size)));
  return FoldSubtreeNodes(nodes);
}

Result<std::vector<MerkleHash>> MerkleTree::InclusionProof(uint64_t index,
                                                           uint64_t tree_size) const {
  return Prove(tree_size, PlanInclusionProof(index, tree_size));
}

Result<std::vector<MerkleHash>> MerkleTree::ConsistencyProof(uint64_t old_size,
                                                             uint64_t new_size) const {
  return Prove(new_size, PlanConsistencyProof(old_size, new_size));
}

Result<std::vector<MerkleHash>> MerkleTree::Prove(uint64_t tree_size,
                                                  const Result<ProofPlan>& plan) const {
  RETURN_IF_ERROR(CheckSize(tree_size));
  RETURN_IF_ERROR(plan);
  ASSIGN_OR_RETURN(std::vector<MerkleHash> nodes, ReadNodes(plan->nodes));
  return AssembleProof(*plan, nodes);
}

}  // namespace ctkit
