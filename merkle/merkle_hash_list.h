// Merkle hashes and proofs as text a user gives on the command line: one hash in hex or base64
// (merkle/merkle_hash.h ParseMerkleHash), or a proof as comma-separated hashes. Every error names
// where the text came from ("--root: ...", "--proof node 2: ...").
//
//   ASSIGN_OR_RETURN(MerkleHash root, ParseHashFlag("--root", text));
//   ASSIGN_OR_RETURN(std::vector<MerkleHash> path, ParseProofList("--proof", "ab..,cd.."));

#pragma once

#include <string_view>
#include <vector>

#include "base/error.h"
#include "merkle/merkle_hash.h"

namespace ctkit {

// A hash given as `flag` (hex or base64). Errors: ParseMerkleHash's (kMalformed), its message
// after "<flag>: ".
Result<MerkleHash> ParseHashFlag(std::string_view flag, std::string_view text);

// Proof nodes as "HASH,HASH,..." (each hex or base64); the empty string is the empty proof.
// Errors: kMalformed for the first node that does not parse, after "<flag> node <i>: ".
Result<std::vector<MerkleHash>> ParseProofList(std::string_view flag, std::string_view text);

}  // namespace ctkit
