// The log lists compiled into ctkit as the default (docs/ctkit.md, `--log-list`: snapshots of the
// public lists are compiled in as the default, --log-list FILE|URL replaces them).
//
// The snapshots are JSON files in the repository (CMakeLists.txt, CTKIT_DEFAULT_LOG_LISTS: today
// Google's all_logs_list.json v89.25, Apple's current_log_list.json and Google's v53.34); the
// build embeds each byte for byte (scripts/embed-log-list.py), so changing the default is changing
// that list of files. ParseSnapshotLogLists (ct/log_list.h) parses them, and ParseDefaultLogList
// merges them by log ID (LogList::Merge).

#pragma once

#include <span>
#include <string_view>

namespace ctkit {

struct LogListSnapshotFile {
  std::string_view source;  // the file, relative to the repository root
  std::string_view json;    // its text, byte for byte
};

// The embedded files, in CTKIT_DEFAULT_LOG_LISTS order.
std::span<const LogListSnapshotFile> LogListSnapshotFiles();

// What went into the default list: the files' names joined by " + " (for messages and tests).
std::string_view LogListSnapshotSource();

}  // namespace ctkit
