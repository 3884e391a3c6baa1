#include "merkle/merkle_hash.h"

#include <algorithm>
#include <string>

namespace ctkit {

MerkleHash HashLeaf(ByteSpan leaf_data) {
  static constexpr uint8_t kLeafPrefix = 0x00;
  return Sha256Hasher().Update({&kLeafPrefix, 1}).Update(leaf_data).Finish();
}

MerkleHash HashChildren(const MerkleHash& left, const MerkleHash& right) {
  // One contiguous 65-byte buffer and a single one-shot digest: no allocation, no context setup
  // beyond what SHA-256 itself needs.
  uint8_t buffer[1 + 2 * kMerkleHashSize];
  buffer[0] = 0x01;
  std::copy(left.begin(), left.end(), buffer + 1);
  std::copy(right.begin(), right.end(), buffer + 1 + kMerkleHashSize);
  return Sha256({buffer, sizeof(buffer)});
}

MerkleHash EmptyTreeRoot() { return Sha256({}); }

Result<MerkleHash> MerkleHashFromBytes(ByteSpan bytes) {
  if (bytes.size() != kMerkleHashSize) {
    return MakeError(ErrorCode::kMalformed, "hash is " + std::to_string(bytes.size()) +
                                                " bytes, want " + std::to_string(kMerkleHashSize));
  }
  MerkleHash hash;
  std::copy(bytes.begin(), bytes.end(), hash.begin());
  return hash;
}

Result<MerkleHash> ParseMerkleHash(std::string_view text) {
  Result<Bytes> bytes;
  if (text.size() == 2 * kMerkleHashSize) {
    bytes = HexDecode(text);
  } else if (text.size() == 44) {
    bytes = Base64Decode(text);
  } else {
    return MakeError(ErrorCode::kMalformed,
                     "hash is " + std::to_string(text.size()) +
                         " characters, want 64 hex digits or 44 base64 characters");
  }
  RETURN_IF_ERROR(bytes);
  return MerkleHashFromBytes(*bytes);
}

}  // namespace ctkit
