#include "audit/audit_exit_status.h"

#include "base/plural.h"

namespace ctkit::audit {

int AuditExitStatus(const AuditReport& report) {
  bool failed = false, network = false, input = false;
  for (const AuditResult& result : report.results) {
    failed = failed || result.verdict == Verdict::kFail;
    network = network || result.error_kind == ErrorKind::kNetwork;
    input = input || result.error_kind == ErrorKind::kInput;
  }
  if (failed) return 1;
  if (network) return 3;
  if (input) return 2;
  return 0;
}

std::optional<std::string> NothingAudited(const AuditReport& report) {
  if (!report.results.empty()) return std::nullopt;
  return "nothing to audit: " + Count(report.skipped, "file") +
         " skipped, no leaf certificate or precertificate among the targets";
}

}  // namespace ctkit::audit
