#include "merkle/merkle_hash_list.h"

#include <string>

namespace ctkit {

Result<MerkleHash> ParseHashFlag(std::string_view flag, std::string_view text) {
  ASSIGN_OR_RETURN(MerkleHash hash, ParseMerkleHash(text), std::string(flag));
  return hash;
}

Result<std::vector<MerkleHash>> ParseProofList(std::string_view flag, std::string_view text) {
  std::vector<MerkleHash> nodes;
  if (text.empty()) return nodes;
  size_t start = 0;
  while (true) {
    size_t comma = text.find(',', start);
    std::string_view item =
        text.substr(start, comma == std::string_view::npos ? comma : comma - start);
    ASSIGN_OR_RETURN(MerkleHash hash, ParseMerkleHash(item),
                     std::string(flag) + " node " + std::to_string(nodes.size()));
    nodes.push_back(hash);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return nodes;
}

}  // namespace ctkit
