// The log list compiled into ctkit as the default (docs/ctkit.md, `--log-list`: a snapshot of
// the public list is compiled in as the default, --log-list FILE|URL replaces it).
//
// The snapshot is a JSON file in the repository (CMakeLists.txt, CTKIT_DEFAULT_LOG_LIST); the
// build embeds it byte for byte (scripts/embed-log-list.py), so changing the default is replacing
// that file. ParseDefaultLogList (ct/log_list.h) parses it.

#pragma once

#include <string_view>

namespace ctkit {

// The JSON text of the snapshot, byte for byte as the file.
std::string_view LogListSnapshotJson();

// The file it was built from, relative to the repository root (for messages and tests).
std::string_view LogListSnapshotSource();

}  // namespace ctkit
