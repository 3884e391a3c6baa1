// The outcome of `ctkit audit` and the four ways to write it (docs/json-output.md, docs/ci.md):
//   text   a summary table, one row per certificate, then details for failures and errors
//          (and the warnings of passing certificates); colour only when asked (on a TTY)
//   json   {"summary": {...}, "results": [...]}, the documented stable schema
//   junit  JUnit XML, one test case per certificate, so CI systems show failures natively
//   sarif  SARIF 2.1.0, one result per problem or warning, for code-scanning dashboards
// Every string that came from a certificate, a file name or a peer is made safe for the format
// (terminal escapes and control characters replaced, XML escaped, invalid UTF-8 replaced).

#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "audit/certificate_audit.h"
#include "ct/log_list.h"

namespace ctkit::audit {

struct AuditSummary {
  size_t total = 0;  // results (skipped files are not results)
  size_t passed = 0;
  size_t failed = 0;
  size_t errors = 0;
};

struct AuditReport {
  std::string tool_version;
  int64_t checked_at_ms = 0;
  std::string log_list_version;
  int64_t log_list_timestamp_ms = 0;
  std::vector<std::string> policies;  // "chrome", "apple"
  bool online = false;
  size_t skipped = 0;                 // directory files that were not certificates to audit
  std::vector<std::string> warnings;  // run-wide, e.g. a stale log list
  std::vector<AuditResult> results;
  // The log list the results were checked against: their SCT checks point into it
  // (SctCheck::log), so it lives as long as they do.
  std::shared_ptr<const LogList> log_list;

  AuditSummary Summary() const;
};

std::string TextReport(const AuditReport& report, bool colour);
nlohmann::ordered_json AuditResultJson(const AuditResult& result);
std::string JsonReport(const AuditReport& report);
std::string JunitReport(const AuditReport& report);
std::string SarifReport(const AuditReport& report);
// The report in `format`: "json", "junit", "sarif", else text (with colour when `colour`).
std::string FormatReport(const AuditReport& report, std::string_view format, bool colour);

// --- Shared by the writers. ---

// Untrusted text (targets, names, problems) goes through TerminalSafe (base/terminal_text.h):
// no forged lines or escape sequences, and valid UTF-8 for XML and JSON.
// The certificate's names joined with ", " ("-" when there is no certificate), TerminalSafe.
std::string NamesText(const AuditResult& result);
// "2/2 valid", "1/3 valid", "none".
std::string SctsText(const AuditResult& result);
// "chrome ok, apple FAIL", "opted out", "-".
std::string PolicyText(const AuditResult& result);
// "-" offline, else "2/2 included", "1/2 included, 1 missing", ...
std::string InclusionText(const AuditResult& result);

}  // namespace ctkit::audit
