// The JSON report (schema: docs/json-output.md, "ctkit audit").

#include "audit/check_json.h"
#include "audit/report.h"
#include "base/bytes.h"
#include "base/json_text.h"
#include "ct/rfc3339.h"

namespace ctkit::audit {

using json = nlohmann::ordered_json;

json AuditResultJson(const AuditResult& result) {
  json out;
  out["target"] = result.target;
  out["sha256"] = result.leaf ? json(HexEncode(result.leaf->sha256())) : json(nullptr);
  out["names"] = result.leaf ? json(DisplayNames(*result.leaf)) : json::array();
  out["verdict"] = std::string(VerdictName(result.verdict));
  out["problems"] = result.problems;
  out["warnings"] = result.warnings;
  out["ct_logging"] = std::string(CtLoggingName(result.ct_logging));
  if (result.leaf) {
    out["tbs_sha256"] = HexEncode(result.check.tbs_sha256);
    out["subject"] = result.leaf->subject();
    out["issuer"] = result.leaf->issuer();
    out["serial"] = result.leaf->serial_hex();
    out["not_before"] = FormatRfc3339(result.leaf->not_before() * 1000);
    out["not_after"] = FormatRfc3339(result.leaf->not_after() * 1000);
  }
  json scts = json::array();
  for (const SctCheck& sct : result.check.scts) scts.push_back(SctCheckJson(sct));
  out["scts"] = scts;
  out["policy"] = PoliciesJson(result.check);
  json inclusion = json::array();
  for (const InclusionCheck& check : result.inclusion) {
    json item;
    item["sct"] = check.sct_index;
    item["log"] = check.log;
    item["log_url"] = check.log_url;
    item["status"] = std::string(InclusionStatusName(check.status));
    item["leaf_index"] = check.leaf_index ? json(*check.leaf_index) : json(nullptr);
    item["tree_size"] = check.tree_size ? json(*check.tree_size) : json(nullptr);
    item["message"] = check.message;
    inclusion.push_back(item);
  }
  out["inclusion"] = inclusion;
  out["notes"] = result.notes;
  return out;
}

std::string JsonReport(const AuditReport& report) {
  AuditSummary summary = report.Summary();
  json out;
  out["summary"] = {{"total", summary.total},
                    {"passed", summary.passed},
                    {"failed", summary.failed},
                    {"errors", summary.errors},
                    {"skipped", report.skipped}};
  out["checked_at"] = FormatRfc3339(report.checked_at_ms);
  out["log_list"] = {{"version", report.log_list_version},
                     {"timestamp", FormatRfc3339(report.log_list_timestamp_ms)}};
  out["policies"] = report.policies;
  out["online"] = report.online;
  out["warnings"] = report.warnings;
  json results = json::array();
  for (const AuditResult& result : report.results) results.push_back(AuditResultJson(result));
  out["results"] = results;
  // One document, as every --format json (base/json_text.h; invalid UTF-8 from certificates and
  // file names is replaced, never thrown on).
  return JsonText(out, JsonStyle::kDocument);
}

}  // namespace ctkit::audit
