// Reading a whole file a user named (a certificate, a key, an inventory, a log list), or standard
// input for "-", with a size cap so that the wrong file (a disk image, /dev/zero) is refused
// rather than read into memory.
//
//   Result<Bytes> data = ReadInputFile(path);   // kIo: "PATH: No such file or directory"

#pragma once

#include <cstddef>
#include <string>

#include "base/bytes.h"
#include "base/error.h"

namespace ctkit {

// Files larger than this are refused: nothing ctkit reads from a file legitimately is bigger.
inline constexpr size_t kMaxInputFileSize = 256 * 1024 * 1024;

// The whole file at `path`; "-" reads standard input. kIo (naming the path) when it cannot be
// opened or read, or is larger than kMaxInputFileSize.
Result<Bytes> ReadInputFile(const std::string& path);

}  // namespace ctkit
