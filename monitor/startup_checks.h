// Checks the monitor makes before it starts, so that a set-up that cannot work is refused at
// once with one clear line (exit 2) instead of failing later, at the first alert, or never
// (docs/monitor.md, "Start-up checks").
//
//   if (Result<void> ok = CheckHookCommand(flags.script); !ok) { ...exit 2... }
//
// Each check says what is wrong and with which file or value.

#pragma once

#include <string>

#include "base/error.h"

namespace ctkit {

// A --script command (run as `/bin/sh -c COMMAND`): its program, the first word, must exist and
// be executable: a path is checked as it is, a bare name is looked up in $PATH. A command that
// starts with shell syntax (quotes, `$`, redirections...) cannot be checked without running it
// and is accepted as it is.
Result<void> CheckHookCommand(const std::string& command);

// A --webhook URL: http:// or https:// followed by a host. The error does not repeat the URL
// (it may hold a secret token).
Result<void> CheckWebhookUrl(const std::string& url);

// A directory the monitor will write into (--cert-dir): created when missing, then proven
// writable by creating and removing a file in it.
Result<void> CheckWritableDirectory(const std::string& dir);

// The directory of a database file (--db) exists and is writable, and the file, when it
// exists, is writable: SQLite would otherwise fail only at the first commit.
Result<void> CheckWritableDatabase(const std::string& path);

}  // namespace ctkit
