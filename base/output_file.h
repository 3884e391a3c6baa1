// Writing a file a user named with --out (an issued certificate, a log list, a tree head, a
// key). One rule for every --out of ctkit: "-" means standard output.
//
// Two kinds of files, two rules for one that exists (docs/ctkit.md, "Common conventions"):
//   - what can be fetched or made again at will (a saved tree head, a log list) is replaced:
//     WriteOutputFile;
//   - what cannot (a key, an issued certificate that goes with it) is never replaced without
//     --force: WriteNewOutputFile, and WriteSecretOutput for secrets (mode 0600,
//     base/secret_file.h), checked ahead with CheckOutputPath.
//
//   RETURN_IF_ERROR(WriteOutputFile("head.json", text));   // kIo: "head.json: cannot create"
//   RETURN_IF_ERROR(WriteSecretOutput(out, pem, force));    // "-": the PEM on standard output

#pragma once

#include <string>
#include <string_view>

#include "base/error.h"

namespace ctkit {

// "-": the --out that means standard output.
inline bool IsStandardOutput(std::string_view path) { return path == "-"; }

// `contents` into the file at `path`, created or replaced in place with the process's umask; to
// standard output for "-". kIo "PATH: cannot create" when it cannot be opened for writing,
// "PATH: write failed" when writing or closing it fails.
Result<void> WriteOutputFile(const std::string& path, std::string_view contents);

// `contents` into a new file at `path` (mode 0644 less the umask), an existing one replaced only
// with `overwrite`; to standard output for "-". The errors of base/secret_file.h WriteNewFile
// ("PATH exists; --force to overwrite").
Result<void> WriteNewOutputFile(const std::string& path, std::string_view contents, bool overwrite);

// A secret: as WriteNewOutputFile, with mode 0600 from the first byte (WriteNewSecretFile).
Result<void> WriteSecretOutput(const std::string& path, std::string_view contents, bool overwrite);

// What WriteNewOutputFile and WriteSecretOutput would refuse, checked before costly work
// (base/secret_file.h CheckNewFilePath); "-" is always fine.
Result<void> CheckOutputPath(const std::string& path, bool overwrite);

}  // namespace ctkit
