// JUnit XML: the de-facto schema CI systems read (GitLab's junit report, GitHub actions that
// publish test results, Jenkins): one <testcase> per certificate, <failure> for a failed audit,
// <error> for one that could not be done, warnings in <system-out>.

#include <algorithm>

#include "audit/report.h"
#include "base/terminal_text.h"
#include "ct/rfc3339.h"

namespace ctkit::audit {
namespace {

// XML 1.0 §2.4 character data and §3.3.3 attribute values: escape the five specials;
// TerminalSafe already escaped the control characters XML 1.0 forbids.
std::string Xml(std::string_view text) {
  // Line breaks are kept (problems are one a line); TerminalSafe escapes every other control.
  std::string safe;
  for (size_t start = 0; start <= text.size();) {
    size_t end = std::min(text.find('\n', start), text.size());
    safe += TerminalSafe(text.substr(start, end - start));
    if (end < text.size()) safe += '\n';
    start = end + 1;
  }
  std::string out;
  for (char c : safe) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Lines(const std::vector<std::string>& items, std::string_view prefix) {
  std::string out;
  for (const std::string& item : items) out += std::string(prefix) + item + "\n";
  return out;
}

}  // namespace

std::string JunitReport(const AuditReport& report) {
  AuditSummary summary = report.Summary();
  std::string counts = " tests=\"" + std::to_string(summary.total) + "\" failures=\"" +
                       std::to_string(summary.failed) + "\" errors=\"" +
                       std::to_string(summary.errors) + "\"";
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites name=\"ctkit audit\"" + counts + ">\n";
  out += "  <testsuite name=\"ctkit audit\"" + counts + " skipped=\"0\" timestamp=\"" +
         FormatRfc3339(report.checked_at_ms) + "\">\n";
  for (const AuditResult& result : report.results) {
    std::string name = result.target;
    if (result.leaf) name += " (" + NamesText(result) + ")";
    out += "    <testcase classname=\"ctkit.audit\" name=\"" + Xml(name) + "\">\n";
    if (result.verdict != Verdict::kPass) {
      const char* element = result.verdict == Verdict::kFail ? "failure" : "error";
      std::string message = result.problems.empty() ? "" : result.problems.front();
      if (result.problems.size() > 1) {
        message += " (and " + std::to_string(result.problems.size() - 1) + " more)";
      }
      out += std::string("      <") + element + " type=\"ct-audit\" message=\"" + Xml(message) +
             "\">" + Xml(Lines(result.problems, "") + Lines(result.notes, "note: ")) + "</" +
             element + ">\n";
    }
    if (!result.warnings.empty()) {
      out += "      <system-out>" + Xml(Lines(result.warnings, "warning: ")) + "</system-out>\n";
    }
    out += "    </testcase>\n";
  }
  out += "  </testsuite>\n</testsuites>\n";
  return out;
}

}  // namespace ctkit::audit
