#include "ct/proof_check.h"

#include <initializer_list>
#include <string_view>
#include <utility>
#include <vector>

#include "base/input_file.h"
#include "merkle/merkle_hash_list.h"
#include "merkle/merkle_verify.h"

namespace ctkit {
namespace {

// A --json file: a JSON object.
Result<nlohmann::json> ReadJsonFile(const std::string& path) {
  ASSIGN_OR_RETURN(Bytes data, ReadInputFile(path));
  ASSIGN_OR_RETURN(
      nlohmann::json object,
      ParseJsonObject(std::string_view(reinterpret_cast<const char*>(data.data()), data.size())),
      path);
  return object;
}

// Fails with "<command>: missing <flag> (see --help)" for the first flag not given.
Result<void> RequireFlags(const char* command,
                          std::initializer_list<std::pair<bool, const char*>> flags) {
  for (const auto& [given, flag] : flags) {
    if (!given) {
      return std::unexpected(Error{ErrorCode::kInvalidArgument,
                                   std::string(command) + ": missing " + flag + " (see --help)"});
    }
  }
  return {};
}

Result<MerkleHash> LeafHash(const InclusionProofFields& fields, const std::string& leaf_data_file) {
  if (leaf_data_file.empty()) return ParseHashFlag("--leaf-hash", fields.leaf_hash);
  ASSIGN_OR_RETURN(Bytes data, ReadInputFile(leaf_data_file));
  return HashLeaf(data);
}

}  // namespace

Result<ProofCheck> CheckInclusionProof(InclusionProofFields fields,
                                       const std::string& leaf_data_file,
                                       const std::string& json_file) {
  if (!json_file.empty()) {
    ASSIGN_OR_RETURN(nlohmann::json object, ReadJsonFile(json_file));
    RETURN_IF_ERROR(FillInclusionProof(object, fields, leaf_data_file.empty()));
  }
  RETURN_IF_ERROR(RequireFlags(
      "proof inclusion",
      {{fields.leaf_index.has_value(), "--index"},
       {fields.tree_size.has_value(), "--tree-size"},
       {!fields.root_hash.empty(), "--root"},
       {!fields.leaf_hash.empty() || !leaf_data_file.empty(), "--leaf-hash or --leaf-data"}}));
  ASSIGN_OR_RETURN(MerkleHash leaf_hash, LeafHash(fields, leaf_data_file));
  ASSIGN_OR_RETURN(MerkleHash root, ParseHashFlag("--root", fields.root_hash));
  ASSIGN_OR_RETURN(std::vector<MerkleHash> path,
                   ParseProofList("--proof", fields.audit_path.value_or("")));
  const uint64_t index = *fields.leaf_index;
  const uint64_t size = *fields.tree_size;
  return ProofCheck{.proof = InclusionProofJson(index, size, leaf_hash, root, path),
                    .verified = VerifyInclusion(leaf_hash, index, size, path, root),
                    .kind = "inclusion",
                    .success_text = "leaf " + std::to_string(index) + " is in the tree of size " +
                                    std::to_string(size) + " with root " + HexEncode(root)};
}

Result<ProofCheck> CheckConsistencyProof(ConsistencyProofFields fields,
                                         const std::string& json_file) {
  if (!json_file.empty()) {
    ASSIGN_OR_RETURN(nlohmann::json object, ReadJsonFile(json_file));
    RETURN_IF_ERROR(FillConsistencyProof(object, fields));
  }
  RETURN_IF_ERROR(RequireFlags("proof consistency", {{fields.old_size.has_value(), "--old-size"},
                                                     {fields.new_size.has_value(), "--new-size"},
                                                     {!fields.old_root.empty(), "--old-root"},
                                                     {!fields.new_root.empty(), "--new-root"}}));
  ASSIGN_OR_RETURN(MerkleHash old_root, ParseHashFlag("--old-root", fields.old_root));
  ASSIGN_OR_RETURN(MerkleHash new_root, ParseHashFlag("--new-root", fields.new_root));
  ASSIGN_OR_RETURN(std::vector<MerkleHash> nodes,
                   ParseProofList("--proof", fields.proof.value_or("")));
  const uint64_t old_size = *fields.old_size;
  const uint64_t new_size = *fields.new_size;
  return ProofCheck{.proof = ConsistencyProofJson(old_size, new_size, old_root, new_root, nodes),
                    .verified = VerifyConsistency(old_size, new_size, nodes, old_root, new_root),
                    .kind = "consistency",
                    .success_text = "the tree of size " + std::to_string(old_size) +
                                    " is a prefix of the tree of size " + std::to_string(new_size)};
}

}  // namespace ctkit
