// Writing a public file a user named for output (an issued certificate, a log list): created,
// or an existing one replaced in place, with the process's umask. Secrets (keys) go through
// base/secret_file.h instead.
//
//   RETURN_IF_ERROR(WriteOutputFile("www.pem", pem));   // kIo: "www.pem: cannot create"

#pragma once

#include <string>
#include <string_view>

#include "base/error.h"

namespace ctkit {

// `contents` into the file at `path`. kIo "PATH: cannot create" when it cannot be opened for
// writing, "PATH: write failed" when writing or closing it fails.
Result<void> WriteOutputFile(const std::string& path, std::string_view contents);

}  // namespace ctkit
