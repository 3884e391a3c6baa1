// RFC 6962 §2.1 / RFC 9162 §2.1.1 Merkle Tree Hash (MTH) primitives.
//
//   MTH({})       = SHA-256()
//   leaf hash     = SHA-256(0x00 || d)
//   interior node = SHA-256(0x01 || left || right)
//
// The distinct 0x00 / 0x01 prefixes make a leaf and an interior node of the same bytes hash
// differently (second-preimage resistance, RFC 6962 §2.1).

#pragma once

#include <cstdint>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"
#include "base/sha256.h"

namespace ctkit {

using MerkleHash = Sha256Digest;
inline constexpr size_t kMerkleHashSize = kSha256Size;

MerkleHash HashLeaf(ByteSpan leaf_data);
MerkleHash HashChildren(const MerkleHash& left, const MerkleHash& right);

// The root of the empty tree: SHA-256 of the empty string.
MerkleHash EmptyTreeRoot();

// Copies exactly 32 bytes into a MerkleHash; any other length is an error.
Result<MerkleHash> MerkleHashFromBytes(ByteSpan bytes);

// A hash written as 64 hex digits or as 44 characters of base64 (the RFC 6962 JSON encoding).
// The two lengths differ, so the encoding is never ambiguous.
Result<MerkleHash> ParseMerkleHash(std::string_view text);

}  // namespace ctkit
