// Reading what users hand to ctkit on the command line: files (or "-" for stdin), hashes, and
// comma-separated proof node lists. Every failure is one line naming the flag or file.

#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "ct/merkle_hash.h"

namespace ctkit::cli {

// Files larger than this are refused: nothing ctkit reads from a file legitimately is bigger.
inline constexpr size_t kMaxInputFileSize = 256 * 1024 * 1024;

// Reads a whole file; "-" reads standard input.
Result<Bytes> ReadInputFile(const std::string& path);

// A hash given as `flag` (hex or base64), with the flag named in the error.
Result<MerkleHash> ParseHashFlag(std::string_view flag, std::string_view text);

// Proof nodes as "HEX,HEX,..."; the empty string is the empty proof.
Result<std::vector<MerkleHash>> ParseProofList(std::string_view flag, std::string_view text);

// Prints "ctkit: <message>" on stderr, as one line: the message goes through TerminalSafe
// (base/terminal_text.h).
void PrintError(std::string_view message);

}  // namespace ctkit::cli
