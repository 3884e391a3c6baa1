// The log the flags of a `ctkit log` client command name (--log, --key, --log-list, --static,
// --origin; cli/log_client_commands.cc), found in the log list those flags chose
// (logclient/log_list_source.h LoadLogList) through logclient/log_target.h ResolveLogTarget, with
// messages that say which flag to fix:
//
//   ASSIGN_OR_RETURN(LogList list, LoadLogList(flags.log_list));
//   ASSIGN_OR_RETURN(LogEndpoint endpoint, ResolveLogFlags(list, flags, /*need_key=*/true));

#pragma once

#include <string>

#include "base/error.h"
#include "ct/log_list.h"
#include "logclient/log_target.h"

namespace ctkit {

struct LogTargetFlags {
  std::string log;            // --log: a URL, or a description or base64 log ID in the list
  std::string key_file;       // --key: a log key file (ParseLogKeyFile); "": the list's key
  std::string log_list;       // --log-list; "": the compiled-in snapshot
  std::string origin;         // --origin: the static-ct-api checkpoint origin
  bool force_static = false;  // --static
};

// The endpoint `flags` name in `list` (the list flags.log_list named). With `need_key`, one whose
// key is known (from --key or the list). Errors: the --key file's (ReadInputFile's, or "--key
// FILE: " and ParseLogKeyFile's); "--log " and ResolveLogTarget's, pointing at --log-list when
// the list is the snapshot; "no log with url URL in the log list ..." when a key is needed and
// none is known.
Result<LogEndpoint> ResolveLogFlags(const LogList& list, const LogTargetFlags& flags,
                                    bool need_key);

}  // namespace ctkit
