#include "merkle/merkle_proof_plan.h"

#include <algorithm>
#include <bit>
#include <string>

namespace ctkit {
namespace {

struct Subtree {
  uint64_t begin;
  uint64_t end;
};

// The largest power of two strictly below n (n >= 2): the split point k of RFC 6962 §2.1.
uint64_t SplitPoint(uint64_t n) { return std::bit_floor(n - 1); }

ProofPlan PlanFromSubtrees(std::vector<Subtree> elements) {
  // The recursions below walk from the root down, but proofs list the deepest element first.
  std::reverse(elements.begin(), elements.end());
  ProofPlan plan;
  for (const Subtree& subtree : elements) {
    std::vector<NodeId> nodes = SubtreeNodes(subtree.begin, subtree.end);
    plan.nodes.insert(plan.nodes.end(), nodes.begin(), nodes.end());
    plan.element_ends.push_back(plan.nodes.size());
  }
  return plan;
}

}  // namespace

std::vector<NodeId> SubtreeNodes(uint64_t begin, uint64_t end) {
  std::vector<NodeId> nodes;
  uint64_t position = begin;
  uint64_t count = end - begin;
  for (int level = 63; level >= 0; --level) {
    if (((count >> level) & 1) == 0) continue;
    nodes.push_back({static_cast<uint8_t>(level), position >> level});
    position += uint64_t{1} << level;
  }
  return nodes;
}

Result<ProofPlan> PlanInclusionProof(uint64_t index, uint64_t tree_size) {
  if (index >= tree_size) {
    return MakeError(ErrorCode::kInvalidArgument, "leaf index " + std::to_string(index) +
                                                      " is not below tree size " +
                                                      std::to_string(tree_size));
  }
  // RFC 9162 §2.1.3.1: PATH(m, D[n]) = PATH(m, D[0:k]) : MTH(D[k:n])       if m < k
  //                                  = PATH(m - k, D[k:n]) : MTH(D[0:k])   if m >= k
  std::vector<Subtree> elements;
  uint64_t begin = 0, end = tree_size;
  while (end - begin > 1) {
    uint64_t split = begin + SplitPoint(end - begin);
    if (index < split) {
      elements.push_back({split, end});
      end = split;
    } else {
      elements.push_back({begin, split});
      begin = split;
    }
  }
  return PlanFromSubtrees(std::move(elements));
}

Result<ProofPlan> PlanConsistencyProof(uint64_t old_size, uint64_t new_size) {
  if (old_size > new_size) {
    return MakeError(ErrorCode::kInvalidArgument, "old size " + std::to_string(old_size) +
                                                      " is larger than new size " +
                                                      std::to_string(new_size));
  }
  if (old_size == 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "a consistency proof from the empty tree (size 0) proves nothing");
  }
  // RFC 9162 §2.1.4.1: SUBPROOF(m, D[n], b)
  //   m == n: {} if b, else {MTH(D[n])}
  //   m <= k: SUBPROOF(m, D[0:k], b) : MTH(D[k:n])
  //   m > k:  SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])
  std::vector<Subtree> elements;
  uint64_t begin = 0, end = new_size, m = old_size;
  bool old_root_known = true;  // b in the RFC
  while (m != end - begin) {
    uint64_t k = SplitPoint(end - begin);
    if (m <= k) {
      elements.push_back({begin + k, end});
      end = begin + k;
    } else {
      elements.push_back({begin, begin + k});
      begin += k;
      m -= k;
      old_root_known = false;
    }
  }
  if (!old_root_known) elements.push_back({begin, end});
  return PlanFromSubtrees(std::move(elements));
}

MerkleHash FoldSubtreeNodes(std::span<const MerkleHash> node_hashes) {
  if (node_hashes.empty()) return EmptyTreeRoot();
  MerkleHash hash = node_hashes.back();
  for (size_t i = node_hashes.size() - 1; i-- > 0;) hash = HashChildren(node_hashes[i], hash);
  return hash;
}

Result<std::vector<MerkleHash>> AssembleProof(const ProofPlan& plan,
                                              std::span<const MerkleHash> node_hashes) {
  if (node_hashes.size() != plan.nodes.size()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "plan needs " + std::to_string(plan.nodes.size()) + " node hashes, got " +
                         std::to_string(node_hashes.size()));
  }
  std::vector<MerkleHash> proof;
  proof.reserve(plan.element_ends.size());
  size_t start = 0;
  for (size_t end : plan.element_ends) {
    proof.push_back(FoldSubtreeNodes(node_hashes.subspan(start, end - start)));
    start = end;
  }
  return proof;
}

std::optional<size_t> LeafElement(const ProofPlan& plan, uint64_t index) {
  size_t begin = 0;
  for (size_t element = 0; element < plan.element_ends.size(); ++element) {
    size_t end = plan.element_ends[element];
    if (end == begin + 1 && plan.nodes[begin] == NodeId{.level = 0, .index = index}) {
      return element;
    }
    begin = end;
  }
  return std::nullopt;
}

}  // namespace ctkit
