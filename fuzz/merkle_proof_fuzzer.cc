// libFuzzer target: Merkle proof verification (RFC 6962 §2.1.1-§2.1.2, RFC 9162 §2.1.3.2 and
// §2.1.4.2) with proofs, sizes and indices a log chose. Two halves:
//   - arbitrary: any sizes (including 0, equal sizes and values near 2^64), any proof length;
//     verification must only ever return ok or an error, and an accepted proof must have exactly
//     the length the sizes call for and agree with the root computed from it;
//   - honest: a real tree of up to 300 leaves gives true inclusion and consistency proofs, which
//     must verify, and one flipped bit, a dropped node or an extra node must make them fail.
// Also: a compact range resumed from a fuzzed frontier (the monitor's stored state).

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "merkle/compact_range.h"
#include "merkle/merkle_hash.h"
#include "merkle/merkle_proof_plan.h"
#include "merkle/merkle_tree.h"
#include "merkle/merkle_verify.h"

namespace {

using ctkit::MerkleHash;
using ctkit::fuzz::Check;

// Reads fixed-size values off the front of the input; zeros once it runs out.
class Input {
 public:
  Input(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  uint64_t U64() {
    uint64_t value = 0;
    for (int i = 0; i < 8; ++i) value = value << 8 | Byte();
    return value;
  }
  uint8_t Byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  MerkleHash Hash() {
    MerkleHash hash{};
    for (uint8_t& b : hash) b = Byte();
    return hash;
  }
  std::vector<MerkleHash> Hashes(size_t max) {
    std::vector<MerkleHash> hashes;
    while (hashes.size() < max && size_ - pos_ >= 32) hashes.push_back(Hash());
    return hashes;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

void ArbitraryProofs(Input& in) {
  const uint64_t a = in.U64();
  const uint64_t b = in.U64();
  const MerkleHash h1 = in.Hash();
  const MerkleHash h2 = in.Hash();
  const std::vector<MerkleHash> proof = in.Hashes(70);  // past the 64 levels a proof can have

  if (a < b) {
    Check(ctkit::InclusionProofSize(a, b) <= 64);
    auto plan = ctkit::PlanInclusionProof(a, b);
    Check(plan.has_value() && plan->element_ends.size() == ctkit::InclusionProofSize(a, b));
  }
  if (ctkit::VerifyInclusion(h1, a, b, proof, h2)) {
    Check(a < b && proof.size() == ctkit::InclusionProofSize(a, b));
    auto root = ctkit::RootFromInclusionProof(h1, a, b, proof);
    Check(root.has_value() && *root == h2);
  }
  if (0 < a && a <= b) Check(ctkit::PlanConsistencyProof(a, b).has_value());
  if (ctkit::VerifyConsistency(a, b, proof, h1, h2)) {
    Check(a <= b);
    if (a == b) Check(proof.empty() && h1 == h2);
    if (a == 0) Check(proof.empty());
    if (0 < a && a < b) {
      auto root = ctkit::RootFromConsistencyProof(a, b, proof, h1);
      Check(root.has_value() && *root == h2);
    }
  }
}

void HonestProofs(Input& in) {
  const uint64_t size = 1 + in.Byte() % 255 + (in.Byte() & 1) * 45;  // 1..300
  ctkit::MerkleTree tree;
  for (uint64_t i = 0; i < size; ++i) {
    uint8_t leaf[9] = {static_cast<uint8_t>(i), static_cast<uint8_t>(i >> 8)};
    tree.AppendLeafData(leaf);
  }
  const uint64_t index = in.Byte() % size;
  const uint64_t old_size = 1 + in.Byte() % size;
  const size_t position = in.Byte();
  const uint8_t mask = static_cast<uint8_t>(1u << (in.Byte() % 8));
  const MerkleHash root = tree.Root();

  // Inclusion of leaf `index`.
  const MerkleHash leaf = ctkit::HashLeaf(std::vector<uint8_t>{
      static_cast<uint8_t>(index), static_cast<uint8_t>(index >> 8), 0, 0, 0, 0, 0, 0, 0});
  auto inclusion = tree.InclusionProof(index, size);
  Check(inclusion.has_value());
  Check(ctkit::VerifyInclusion(leaf, index, size, *inclusion, root).has_value());
  if (!inclusion->empty()) {
    auto flipped = *inclusion;
    flipped[position % flipped.size()][position % 32] ^= mask;
    Check(!ctkit::VerifyInclusion(leaf, index, size, flipped, root));
    auto shorter = *inclusion;
    shorter.pop_back();
    Check(!ctkit::VerifyInclusion(leaf, index, size, shorter, root));
  }
  auto longer = *inclusion;
  longer.push_back(root);
  Check(!ctkit::VerifyInclusion(leaf, index, size, longer, root));
  if (index + 1 < size) Check(!ctkit::VerifyInclusion(leaf, index + 1, size, *inclusion, root));

  // Consistency from old_size.
  auto old_root = tree.Root(old_size);
  auto consistency = tree.ConsistencyProof(old_size, size);
  Check(old_root.has_value() && consistency.has_value());
  Check(ctkit::VerifyConsistency(old_size, size, *consistency, *old_root, root).has_value());
  if (!consistency->empty()) {
    auto flipped = *consistency;
    flipped[position % flipped.size()][position % 32] ^= mask;
    Check(!ctkit::VerifyConsistency(old_size, size, flipped, *old_root, root));
    auto shorter = *consistency;
    shorter.pop_back();
    Check(!ctkit::VerifyConsistency(old_size, size, shorter, *old_root, root));
  }
  auto longer_consistency = *consistency;
  longer_consistency.push_back(root);
  Check(!ctkit::VerifyConsistency(old_size, size, longer_consistency, *old_root, root));
}

void ResumedRange(Input& in) {
  const uint64_t size = in.U64();
  std::vector<MerkleHash> frontier = in.Hashes(70);
  auto range = ctkit::CompactRange::FromFrontier(size, frontier);
  if (!range) return;
  Check(static_cast<size_t>(std::popcount(size)) == frontier.size());
  Check(range->size() == size && range->frontier() == frontier);
  if (size < UINT64_MAX) {
    range->Append(ctkit::HashLeaf({}));
    Check(range->size() == size + 1);
  }
  (void)range->Root();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  Input in(data + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      ArbitraryProofs(in);
      break;
    case 1:
      HonestProofs(in);
      break;
    default:
      ResumedRange(in);
      break;
  }
  return 0;
}
