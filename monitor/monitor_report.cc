#include "monitor/monitor_report.h"

#include <unistd.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "base/json_text.h"
#include "base/terminal_text.h"
#include "monitor/alerts.h"
#include "monitor/expectations.h"
#include "monitor/monitor_http.h"

namespace ctkit {
namespace {

std::string FindingText(const Finding& finding) {
  std::string names;
  for (const std::string& name : finding.names) names += (names.empty() ? "" : ",") + name;
  std::string where;
  for (const FindingEntry& entry : finding.entries) {
    where += (where.empty() ? "" : " ") + entry.log + "#" + std::to_string(entry.index);
  }
  const std::string indent = "\n           ";
  return std::string(finding.expected ? "expected  " : "UNEXPECTED") + " " + TerminalSafe(names) +
         indent + "issuer " + TerminalSafe(finding.issuer) + ", serial " +
         TerminalSafe(finding.serial) + ", valid " + TerminalSafe(finding.not_before) + " to " +
         TerminalSafe(finding.not_after) + indent + "in " + TerminalSafe(where) + "\n";
}

std::string LogStatusText(const MonitoredLog& log, int64_t now_ms) {
  uint64_t tree_size = log.head ? log.head->tree_size : 0;
  std::string age = log.last_success_ms
                        ? std::to_string((now_ms - log.last_success_ms) / 1000) + "s ago"
                        : "never";
  std::string text = TerminalSafe(log.description) + " (" + TerminalSafe(log.url) +
                     ")\n  position " + std::to_string(log.verified_size) + " of " +
                     std::to_string(tree_size) + " (lag " + std::to_string(log.backlog()) +
                     " entries), last head " + age + "\n";
  if (!log.last_error.empty()) text += "  last error: " + TerminalSafe(log.last_error) + "\n";
  return text;
}

}  // namespace

Result<std::unique_ptr<MonitorStore>> OpenMonitorDatabase(const std::string& db) {
  if (access(db.c_str(), R_OK) != 0) {
    return MakeError(ErrorCode::kNotFound, db + ": no such database");
  }
  return MonitorStore::Open(db);
}

Result<std::string> FindingsReport(MonitorStore& store, FindingQuery query, bool json) {
  query.domain = NormalizeDnsName(query.domain);
  ASSIGN_OR_RETURN(std::vector<Finding> findings, store.QueryFindings(query));
  std::string out;
  for (const Finding& finding : findings) {
    out += json ? JsonText(FindingToJson(finding), JsonStyle::kLine) : FindingText(finding);
  }
  return out;
}

Result<std::string> StatusReport(MonitorStore& store, bool json, int64_t now_ms) {
  ASSIGN_OR_RETURN(std::vector<MonitoredLog> logs, store.AllLogs());
  if (json) {
    ASSIGN_OR_RETURN(nlohmann::ordered_json status, LogsStatusJson(store, kMaxDeliveryAttempts));
    return JsonText(status, JsonStyle::kDocument);
  }
  std::string out;
  for (const MonitoredLog& log : logs) out += LogStatusText(log, now_ms);
  ASSIGN_OR_RETURN(std::vector<SinkDeliveries> undelivered,
                   store.UndeliveredBySink(kMaxDeliveryAttempts));
  if (undelivered.empty()) out += "deliveries: every alert delivered\n";
  for (const SinkDeliveries& sink : undelivered) {
    out += "deliveries to " + TerminalSafe(sink.sink) + ": " + std::to_string(sink.pending) +
           " pending (retried), " + std::to_string(sink.failed) + " failed (gave up)\n";
  }
  return out;
}

}  // namespace ctkit
