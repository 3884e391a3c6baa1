// Where a log list comes from, as `--log-list FILE|URL` names it: the snapshot compiled into
// ctkit (ct/log_list_snapshot.h) by default, a file, or a list fetched over http(s).
//
//   ASSIGN_OR_RETURN(LogList list, LoadLogList(flags.log_list));   // "" for the snapshot

#pragma once

#include <string>

#include "base/error.h"
#include "ct/log_list.h"

namespace ctkit {

// `source` empty: the snapshot; "http://..." or "https://...": fetched with one GET, not
// retried; anything else: a file path ("-" for stdin, base/input_file.h). Errors: kNetwork when
// the fetch fails, kTooLarge over kMaxLogListBytes, the file's error (kIo, kNotFound, ...), each
// after "--log-list: "; LogList::Parse's after "--log-list <source>: ".
Result<LogList> LoadLogList(const std::string& source);

}  // namespace ctkit
