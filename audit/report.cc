#include "audit/report.h"

#include <map>

#include "audit/check_json.h"
#include "base/terminal_text.h"

namespace ctkit::audit {

AuditSummary AuditReport::Summary() const {
  AuditSummary summary;
  summary.total = results.size();
  for (const AuditResult& result : results) {
    switch (result.verdict) {
      case Verdict::kPass:
        ++summary.passed;
        break;
      case Verdict::kFail:
        ++summary.failed;
        break;
      case Verdict::kError:
        ++summary.errors;
        break;
    }
  }
  return summary;
}

std::string FormatReport(const AuditReport& report, std::string_view format, bool colour) {
  if (format == "json") return JsonReport(report);
  if (format == "junit") return JunitReport(report);
  if (format == "sarif") return SarifReport(report);
  return TextReport(report, colour);
}

std::string NamesText(const AuditResult& result) {
  if (!result.leaf) return "-";
  std::string out;
  for (const std::string& name : DisplayNames(*result.leaf)) {
    out += (out.empty() ? "" : ", ") + name;
  }
  return out.empty() ? "-" : TerminalSafe(out);
}

std::string SctsText(const AuditResult& result) {
  if (!result.leaf) return "-";
  if (result.check.scts.empty()) return "none";
  size_t valid = 0;
  for (const SctCheck& sct : result.check.scts) valid += sct.status == SctStatus::kValid;
  return std::to_string(valid) + "/" + std::to_string(result.check.scts.size()) + " valid";
}

std::string PolicyText(const AuditResult& result) {
  if (!result.leaf) return "-";
  if (result.ct_logging == CtLogging::kDisabled && result.check.scts.empty()) return "opted out";
  std::string out;
  auto add = [&](const char* name, const std::optional<PolicyVerdict>& verdict) {
    if (!verdict) return;
    out += (out.empty() ? "" : ", ") + std::string(name) + (verdict->compliant ? " ok" : " FAIL");
  };
  add("chrome", result.check.chrome);
  add("apple", result.check.apple);
  return out.empty() ? "-" : out;
}

std::string InclusionText(const AuditResult& result) {
  if (!result.online) return "-";
  if (result.inclusion.empty()) return "none";
  std::map<std::string_view, size_t> counts;
  for (const InclusionCheck& check : result.inclusion) ++counts[InclusionStatusName(check.status)];
  size_t included = counts["included"];
  std::string out =
      std::to_string(included) + "/" + std::to_string(result.inclusion.size()) + " included";
  for (const auto& [name, count] : counts) {
    if (name != "included" && count > 0)
      out += ", " + std::to_string(count) + " " + std::string(name);
  }
  return out;
}

}  // namespace ctkit::audit
