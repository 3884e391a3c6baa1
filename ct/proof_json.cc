#include "ct/proof_json.h"

#include <array>
#include <initializer_list>

#include "ct/json_input.h"

namespace ctkit {
namespace {

using Names = std::initializer_list<const char*>;

// Every name a field goes by: ctkit's own, RFC 6962 responses', ct-merkle-vectors'.
constexpr Names kLeafIndexNames = {"leaf_index", "index"};
constexpr Names kTreeSizeNames = {"tree_size"};
constexpr Names kLeafHashNames = {"leaf_hash"};
constexpr Names kRootNames = {"root_hash", "sha256_root_hash", "root"};
constexpr Names kAuditPathNames = {"audit_path", "proof"};
constexpr Names kOldSizeNames = {"old_size", "first", "size1"};
constexpr Names kNewSizeNames = {"new_size", "second", "size2"};
constexpr Names kOldRootNames = {"old_root", "first_root", "root1"};
constexpr Names kNewRootNames = {"new_root", "second_root", "root2"};
constexpr Names kConsistencyNames = {"consistency", "proof"};

// Either proof: two sizes, two hashes and the nodes, under `keys`.
nlohmann::ordered_json ProofJson(const std::array<const char*, 5>& keys, uint64_t first_size,
                                 uint64_t second_size, const MerkleHash& first_hash,
                                 const MerkleHash& second_hash, std::span<const MerkleHash> nodes) {
  nlohmann::ordered_json array = nlohmann::ordered_json::array();
  for (const MerkleHash& hash : nodes) array.push_back(HexEncode(hash));
  return {{keys[0], first_size},
          {keys[1], second_size},
          {keys[2], HexEncode(first_hash)},
          {keys[3], HexEncode(second_hash)},
          {keys[4], array}};
}

const char* FindField(const nlohmann::json& object, Names names) {
  for (const char* name : names) {
    if (object.contains(name)) return name;
  }
  return nullptr;
}

Result<void> FillUint(const nlohmann::json& object, Names names, std::optional<uint64_t>& out) {
  const char* name = FindField(object, names);
  if (out || name == nullptr) return {};
  ASSIGN_OR_RETURN(out, JsonUint(object, name));
  return {};
}

Result<void> FillString(const nlohmann::json& object, Names names, std::string& out) {
  const char* name = FindField(object, names);
  if (!out.empty() || name == nullptr) return {};
  ASSIGN_OR_RETURN(out, JsonString(object, name));
  return {};
}

// A JSON array of hash strings becomes the comma-separated form.
Result<void> FillNodes(const nlohmann::json& object, Names names, std::optional<std::string>& out) {
  const char* name = FindField(object, names);
  if (out || name == nullptr) return {};
  const nlohmann::json& nodes = object[name];
  if (!nodes.is_array()) {
    return MakeError(ErrorCode::kMalformed, std::string("field \"") + name + "\" is not an array");
  }
  std::string joined;
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (!nodes[i].is_string()) {
      return MakeError(ErrorCode::kMalformed, std::string("field \"") + name + "\" item " +
                                                  std::to_string(i) + " is not a string");
    }
    if (i > 0) joined += ',';
    joined += nodes[i].get<std::string>();
  }
  out = joined;
  return {};
}

}  // namespace

nlohmann::ordered_json InclusionProofJson(uint64_t leaf_index, uint64_t tree_size,
                                          const MerkleHash& leaf_hash, const MerkleHash& root_hash,
                                          std::span<const MerkleHash> audit_path) {
  return ProofJson({"leaf_index", "tree_size", "leaf_hash", "root_hash", "audit_path"}, leaf_index,
                   tree_size, leaf_hash, root_hash, audit_path);
}

nlohmann::ordered_json ConsistencyProofJson(uint64_t old_size, uint64_t new_size,
                                            const MerkleHash& old_root, const MerkleHash& new_root,
                                            std::span<const MerkleHash> proof) {
  return ProofJson({"old_size", "new_size", "old_root", "new_root", "consistency"}, old_size,
                   new_size, old_root, new_root, proof);
}

Result<nlohmann::json> ParseJsonObject(std::string_view text) {
  ASSIGN_OR_RETURN(nlohmann::json value, ParseJson(text));
  if (!value.is_object()) return MakeError(ErrorCode::kMalformed, "not a JSON object");
  return value;
}

Result<void> FillInclusionProof(const nlohmann::json& object, InclusionProofFields& fields,
                                bool with_leaf_hash) {
  RETURN_IF_ERROR(FillUint(object, kLeafIndexNames, fields.leaf_index));
  RETURN_IF_ERROR(FillUint(object, kTreeSizeNames, fields.tree_size));
  if (with_leaf_hash) RETURN_IF_ERROR(FillString(object, kLeafHashNames, fields.leaf_hash));
  RETURN_IF_ERROR(FillString(object, kRootNames, fields.root_hash));
  return FillNodes(object, kAuditPathNames, fields.audit_path);
}

Result<void> FillConsistencyProof(const nlohmann::json& object, ConsistencyProofFields& fields) {
  RETURN_IF_ERROR(FillUint(object, kOldSizeNames, fields.old_size));
  RETURN_IF_ERROR(FillUint(object, kNewSizeNames, fields.new_size));
  RETURN_IF_ERROR(FillString(object, kOldRootNames, fields.old_root));
  RETURN_IF_ERROR(FillString(object, kNewRootNames, fields.new_root));
  return FillNodes(object, kConsistencyNames, fields.proof);
}

}  // namespace ctkit
