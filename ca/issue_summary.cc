#include "ca/issue_summary.h"

#include "base/output_file.h"
#include "base/plural.h"
#include "base/terminal_text.h"
#include "ct/ct_opt_out.h"

namespace ctkit {

std::string IssueSummaryText(const IssuedFiles& files) {
  const InventoryRecord& record = files.issued.record;
  return "issued " + record.names.front() + " (serial " + record.serial + ") -> " + files.out +
         ", key " + files.key_out + "\n  CT logging: " +
         (record.ct_logging ? "enabled, " + Count(files.issued.scts.size(), "SCT") + " embedded"
                            : std::string("disabled (no SCTs, no log contacted)")) +
         "\n";
}

std::vector<std::string> IssueWarnings(const IssuedCertificate& issued) {
  std::vector<std::string> lines;
  for (const std::string& warning : issued.warnings) lines.push_back(TerminalSafe(warning));
  if (!issued.record.ct_logging) {
    lines.push_back("--ct-logging disabled: " + std::string(kNotLoggedConsequence));
  }
  return lines;
}

bool IssuedToStandardOutput(const IssuedFiles& files) {
  return IsStandardOutput(files.out) || IsStandardOutput(files.key_out);
}

}  // namespace ctkit
