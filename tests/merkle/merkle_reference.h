// Independent reference implementations used to cross-check merkle/merkle_*: the recursive Merkle
// Tree Hash of RFC 6962 §2.1 and the proof verification algorithms exactly as RFC 9162
// §2.1.3.2 and §2.1.4.2 spell them out (a different formulation from merkle/merkle_verify.cc).

#pragma once

#include <bit>
#include <cstdint>
#include <span>
#include <vector>

#include "merkle/merkle_hash.h"

namespace ctkit::testing {

// MTH(D[begin:end)) by the RFC 6962 §2.1 recursion over leaf hashes.
inline MerkleHash ReferenceRoot(std::span<const MerkleHash> leaves) {
  if (leaves.empty()) return EmptyTreeRoot();
  if (leaves.size() == 1) return leaves[0];
  size_t k = std::bit_floor(leaves.size() - 1);
  return HashChildren(ReferenceRoot(leaves.first(k)), ReferenceRoot(leaves.subspan(k)));
}

// RFC 9162 §2.1.3.2, step by step.
inline bool ReferenceVerifyInclusion(const MerkleHash& leaf_hash, uint64_t index, uint64_t size,
                                     std::span<const MerkleHash> path, const MerkleHash& root) {
  if (index >= size) return false;
  uint64_t fn = index, sn = size - 1;
  MerkleHash r = leaf_hash;
  for (const MerkleHash& p : path) {
    if (sn == 0) return false;
    if ((fn & 1) == 1 || fn == sn) {
      r = HashChildren(p, r);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = HashChildren(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

// RFC 9162 §2.1.4.2, step by step (requires 0 < first < second, as the RFC states).
inline bool ReferenceVerifyConsistency(uint64_t first, uint64_t second,
                                       std::span<const MerkleHash> path_in,
                                       const MerkleHash& first_hash,
                                       const MerkleHash& second_hash) {
  if (first == 0 || first >= second) return false;
  if (path_in.empty()) return false;
  std::vector<MerkleHash> path(path_in.begin(), path_in.end());
  if (std::has_single_bit(first)) path.insert(path.begin(), first_hash);
  uint64_t fn = first - 1, sn = second - 1;
  while ((fn & 1) == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  MerkleHash fr = path[0], sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const MerkleHash& c = path[i];
    if (sn == 0) return false;
    if ((fn & 1) == 1 || fn == sn) {
      fr = HashChildren(c, fr);
      sr = HashChildren(c, sr);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      sr = HashChildren(sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == first_hash && sr == second_hash && sn == 0;
}

}  // namespace ctkit::testing
