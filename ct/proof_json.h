// Merkle proofs as JSON, the form `ctkit tree` prints and `ctkit proof --json` reads:
//
//   inclusion    {"leaf_index", "tree_size", "leaf_hash", "root_hash", "audit_path": [hex...]}
//   consistency  {"old_size", "new_size", "old_root", "new_root", "consistency": [hex...]}
//
// (hashes in hex), and the fields of a proof read from such an object, or from the other forms
// a proof comes in: an RFC 6962 get-proof-by-hash or get-sth-consistency response with the
// sizes and roots added ("leaf_index", "audit_path"; "consistency"), and the ct-merkle-vectors
// test vectors ("index", "root", "proof"; "first"/"second", "size1"/"size2", "first_root"/
// "second_root", "root1"/"root2"). Verification is merkle/merkle_verify.h's.

#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>

#include "base/error.h"
#include "merkle/merkle_hash.h"

namespace ctkit {

nlohmann::ordered_json InclusionProofJson(uint64_t leaf_index, uint64_t tree_size,
                                          const MerkleHash& leaf_hash, const MerkleHash& root_hash,
                                          std::span<const MerkleHash> audit_path);
nlohmann::ordered_json ConsistencyProofJson(uint64_t old_size, uint64_t new_size,
                                            const MerkleHash& old_root, const MerkleHash& new_root,
                                            std::span<const MerkleHash> proof);

// The fields of a proof before its hashes are parsed: hashes as text (hex or base64), proof
// nodes comma-separated ("" is the empty proof). An empty string or nullopt is a field not given.
struct InclusionProofFields {
  std::optional<uint64_t> leaf_index;
  std::optional<uint64_t> tree_size;
  std::string leaf_hash;
  std::string root_hash;
  std::optional<std::string> audit_path;
};
struct ConsistencyProofFields {
  std::optional<uint64_t> old_size, new_size;
  std::string old_root, new_root;
  std::optional<std::string> proof;
};

// `text` as a JSON object (ct/json_input.h ParseJson); kMalformed when it is not one.
Result<nlohmann::json> ParseJsonObject(std::string_view text);

// Fills each field of `fields` that is not given from `object`, under any of the names above, so
// values given otherwise (command-line flags) win. The leaf hash only when `with_leaf_hash` (not
// when the leaf itself is given). kMalformed names the field that has the wrong type.
Result<void> FillInclusionProof(const nlohmann::json& object, InclusionProofFields& fields,
                                bool with_leaf_hash = true);
Result<void> FillConsistencyProof(const nlohmann::json& object, ConsistencyProofFields& fields);

}  // namespace ctkit
