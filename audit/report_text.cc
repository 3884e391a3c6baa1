// The text report: a table people read in a terminal or a CI log, then details.

#include <algorithm>
#include <array>
#include <cstdio>

#include "audit/report.h"
#include "base/plural.h"
#include "base/terminal_text.h"
#include "base/utf8.h"
#include "ct/rfc3339.h"

namespace ctkit::audit {
namespace {

constexpr size_t kMaxColumn = 48;

std::string Clip(const std::string& text) {
  if (text.size() <= kMaxColumn) return text;
  return text.substr(0, Utf8PrefixLength(text, kMaxColumn - 3)) + "...";
}

// Pads by bytes: names are ASCII (DNS) in practice; a multi-byte name only shifts its row.
std::string Pad(const std::string& text, size_t width) {
  return text.size() >= width ? text : text + std::string(width - text.size(), ' ');
}

const char* VerdictColour(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPass:
      return "\033[32m";
    case Verdict::kFail:
      return "\033[31m";
    case Verdict::kError:
      return "\033[33m";
  }
  return "";
}

std::string VerdictLabel(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPass:
      return "PASS";
    case Verdict::kFail:
      return "FAIL";
    case Verdict::kError:
      return "ERROR";
  }
  return "ERROR";
}

}  // namespace

std::string TextReport(const AuditReport& report, bool colour) {
  using Row = std::array<std::string, 6>;
  std::vector<Row> rows = {{"TARGET", "NAMES", "SCTS", "POLICY", "INCLUSION", "VERDICT"}};
  for (const AuditResult& result : report.results) {
    rows.push_back({Clip(TerminalSafe(result.target)), Clip(NamesText(result)), SctsText(result),
                    PolicyText(result), InclusionText(result), VerdictLabel(result.verdict)});
  }
  std::array<size_t, 6> widths{};
  for (const Row& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  }
  std::string out;
  for (size_t r = 0; r < rows.size(); ++r) {
    std::string line;
    for (size_t c = 0; c + 1 < rows[r].size(); ++c) line += Pad(rows[r][c], widths[c] + 2);
    const std::string& verdict = rows[r].back();
    if (colour && r > 0) {
      line += VerdictColour(report.results[r - 1].verdict) + verdict + "\033[0m";
    } else {
      line += verdict;
    }
    out += line + "\n";
  }

  // Details: every problem of a failure or error, then the warnings of the rest.
  bool first = true;
  for (int pass = 0; pass < 2; ++pass) {
    for (const AuditResult& result : report.results) {
      bool failed = result.verdict != Verdict::kPass;
      if (pass == 0 ? !failed : (failed || result.warnings.empty())) continue;
      if (first) out += "\n";
      first = false;
      std::string label = failed ? VerdictLabel(result.verdict) : "NOTE";
      if (colour) label = (failed ? VerdictColour(result.verdict) : "\033[36m") + label + "\033[0m";
      out += label + " " + TerminalSafe(result.target);
      if (result.leaf) out += " (" + NamesText(result) + ")";
      out += "\n";
      if (failed && result.leaf) {
        out += "  issuer: " + TerminalSafe(result.leaf->issuer()) + "\n";
        out += "  validity: " + FormatRfc3339(result.leaf->not_before() * 1000) + " .. " +
               FormatRfc3339(result.leaf->not_after() * 1000) + "\n";
      }
      for (const std::string& problem : result.problems) {
        out += "  - " + TerminalSafe(problem) + "\n";
      }
      if (failed) {
        for (const std::string& note : result.notes) out += "  note: " + TerminalSafe(note) + "\n";
      }
      for (const std::string& warning : result.warnings) {
        out += "  warning: " + TerminalSafe(warning) + "\n";
      }
    }
  }
  for (const std::string& warning : report.warnings) {
    out += "\nwarning: " + TerminalSafe(warning) + "\n";
  }

  AuditSummary summary = report.Summary();
  out += "\n" + Count(summary.total, "certificate") + ": " + std::to_string(summary.passed) +
         " passed, " + std::to_string(summary.failed) + " failed, " +
         Count(summary.errors, "error");
  if (report.skipped > 0) out += " (" + Count(report.skipped, "file") + " skipped)";
  out += "\n";
  return out;
}

}  // namespace ctkit::audit
