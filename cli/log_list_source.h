// Where a command's log list comes from: the compiled-in snapshot by default, or `--log-list
// FILE|URL`. Also prints the 70-day staleness warning once.

#pragma once

#include <string>

#include "base/error.h"
#include "ct/log_list.h"

namespace ctkit::cli {

// `source` empty: the snapshot; "http://..." or "https://...": fetched (kNetwork on failure);
// anything else: a file path ("-" for stdin).
Result<LogList> LoadLogList(const std::string& source);

// The exit code for a failure to load a log list: 3 when fetching failed, else 2.
int LogListLoadExitCode(const Error& error);

}  // namespace ctkit::cli
