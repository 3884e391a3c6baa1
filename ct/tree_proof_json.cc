#include "ct/tree_proof_json.h"

#include <vector>

#include "base/bytes.h"
#include "ct/proof_json.h"

namespace ctkit {

Result<nlohmann::ordered_json> TreeProofJson(const MerkleTree& tree,
                                             const TreeProofRequest& request) {
  const uint64_t tree_size = request.tree_size;
  ASSIGN_OR_RETURN(MerkleHash root, tree.Root(tree_size), "tree: --tree-size");
  if (request.inclusion) {
    uint64_t index = *request.inclusion;
    ASSIGN_OR_RETURN(std::vector<MerkleHash> proof, tree.InclusionProof(index, tree_size),
                     "tree: --prove-inclusion");
    return InclusionProofJson(index, tree_size, *tree.Node({0, index}), root, proof);
  }
  if (request.consistency_old) {
    uint64_t old_size = *request.consistency_old;
    ASSIGN_OR_RETURN(std::vector<MerkleHash> proof, tree.ConsistencyProof(old_size, tree_size),
                     "tree: --prove-consistency");
    return ConsistencyProofJson(old_size, tree_size, *tree.Root(old_size), root, proof);
  }
  return nlohmann::ordered_json{{"tree_size", tree_size}, {"root_hash", HexEncode(root)}};
}

std::string TreeProofText(const nlohmann::ordered_json& object) {
  std::string out;
  for (const auto& [key, value] : object.items()) {
    std::string text;
    if (value.is_array()) {
      for (const auto& item : value) text += (text.empty() ? "" : ",") + item.get<std::string>();
    } else {
      text = value.is_string() ? value.get<std::string>() : value.dump();
    }
    out += key + ": " + text + "\n";
  }
  return out;
}

}  // namespace ctkit
