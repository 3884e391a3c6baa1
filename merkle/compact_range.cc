#include "merkle/compact_range.h"

#include <bit>
#include <string>

namespace ctkit {

// Capacity for every possible subtree up front, so Append never allocates.
CompactRange::CompactRange() { frontier_.reserve(64); }

Result<CompactRange> CompactRange::FromFrontier(uint64_t size, std::vector<MerkleHash> frontier) {
  size_t want = std::popcount(size);
  if (frontier.size() != want) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "frontier for size " + std::to_string(size) + " needs " +
                         std::to_string(want) + " hashes, got " + std::to_string(frontier.size()));
  }
  CompactRange range;
  range.size_ = size;
  range.frontier_.assign(frontier.begin(), frontier.end());
  return range;
}

// Shared by both Append overloads; the plain one passes a visitor that compiles away.
template <typename Visitor>
void CompactRange::AppendVisiting(const MerkleHash& leaf_hash, const Visitor& on_node) {
  uint64_t index = size_;
  on_node(NodeId{0, index}, leaf_hash);
  frontier_.push_back(leaf_hash);
  // Each trailing one bit of the old size is a perfect subtree as large as the one just
  // completed to its right: merge them into their parent.
  uint8_t level = 0;
  for (uint64_t carry = size_; (carry & 1) == 1; carry >>= 1) {
    MerkleHash right = frontier_.back();
    frontier_.pop_back();
    frontier_.back() = HashChildren(frontier_.back(), right);
    ++level;
    on_node(NodeId{level, index >> level}, frontier_.back());
  }
  ++size_;
}

void CompactRange::Append(const MerkleHash& leaf_hash) {
  AppendVisiting(leaf_hash, [](NodeId, const MerkleHash&) {});
}

void CompactRange::Append(const MerkleHash& leaf_hash, const NodeVisitor& on_node) {
  AppendVisiting(leaf_hash, on_node);
}

void CompactRange::Append(std::span<const MerkleHash> leaf_hashes) {
  for (const MerkleHash& leaf_hash : leaf_hashes) Append(leaf_hash);
}

MerkleHash CompactRange::Root() const {
  if (frontier_.empty()) return EmptyTreeRoot();
  // RFC 6962 §2.1: MTH(D[n]) = HASH(0x01 || MTH(D[0:k]) || MTH(D[k:n])) with k the largest
  // power of two below n, so the smaller subtrees on the right fold first.
  MerkleHash root = frontier_.back();
  for (size_t i = frontier_.size() - 1; i-- > 0;) root = HashChildren(frontier_[i], root);
  return root;
}

}  // namespace ctkit
