// Flags of `ctkit ca issue` that cannot be honoured together, refused before anything is issued:
// no log is contacted with CT logging disabled, so --log, --min-logs and --add-chain would be
// silently ignored; and standard output cannot carry both a PEM (--out - or --key-out -) and the
// JSON record (--format json).
//
//   std::string conflict = IssueFlagConflict(settings, {"--log"}, /*json=*/false);
//   if (!conflict.empty()) ...   // exit 2 with `conflict`

#pragma once

#include <string>
#include <vector>

#include "ca/issue_files.h"

namespace ctkit {

// "" when `settings` (settings.issue.ct_logging set from --ct-logging) can be honoured with the
// log flags `log_flags` given (their names, in the order help lists them) and, with `json`, the
// JSON record on standard output; else the one line saying why not.
std::string IssueFlagConflict(const IssueFileSettings& settings,
                              const std::vector<std::string>& log_flags, bool json);

}  // namespace ctkit
