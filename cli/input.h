// How ctkit reports a failure on stderr. Hashes and proof lists from the command line are read
// by merkle/merkle_hash_list.h.

#pragma once

#include <string_view>

#include "base/input_file.h"
#include "merkle/merkle_hash_list.h"

namespace ctkit::cli {

// Prints "ctkit: <message>" on stderr, as one line: the message goes through TerminalSafe
// (base/terminal_text.h).
void PrintError(std::string_view message);

}  // namespace ctkit::cli
