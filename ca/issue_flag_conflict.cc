#include "ca/issue_flag_conflict.h"

#include "base/output_file.h"

namespace ctkit {

std::string IssueFlagConflict(const IssueFileSettings& settings,
                              const std::vector<std::string>& log_flags, bool json) {
  if (!settings.issue.ct_logging && !log_flags.empty()) {
    std::string given;
    for (const std::string& flag : log_flags) given += (given.empty() ? "" : ", ") + flag;
    return given + " needs --ct-logging enabled: no log is contacted when it is disabled";
  }
  if (json && (IsStandardOutput(settings.out) || IsStandardOutput(settings.key_out))) {
    return "--format json and an --out/--key-out of - both want standard output";
  }
  return "";
}

}  // namespace ctkit
