// What `ctkit tree` prints of a Merkle tree it built (docs/json-output.md, "tree"): the root of
// the tree of a size, or an inclusion or consistency proof in it in the JSON form `ctkit proof`
// reads (ct/proof_json.h).
//
//   Result<nlohmann::ordered_json> out = TreeProofJson(tree, {.tree_size = 8, .inclusion = 3});

#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "base/error.h"
#include "merkle/merkle_tree.h"

namespace ctkit {

// What to show of the tree: at most one proof, in the tree of `tree_size`.
struct TreeProofRequest {
  uint64_t tree_size = 0;
  std::optional<uint64_t> inclusion;        // the leaf index to prove (--prove-inclusion)
  std::optional<uint64_t> consistency_old;  // the older size to prove (--prove-consistency)
};

// {"tree_size", "root_hash" (hex)}, or InclusionProofJson / ConsistencyProofJson of the proof
// asked for. Errors (kInvalidArgument for a size or index out of range) after "tree:
// --tree-size: ", "tree: --prove-inclusion: " or "tree: --prove-consistency: ".
Result<nlohmann::ordered_json> TreeProofJson(const MerkleTree& tree,
                                             const TreeProofRequest& request);

// The text form of TreeProofJson's object: one "key: value" line per field, arrays
// comma-separated.
std::string TreeProofText(const nlohmann::ordered_json& object);

}  // namespace ctkit
