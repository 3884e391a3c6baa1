// SARIF 2.1.0 (OASIS, docs.oasis-open.org/sarif/sarif/v2.1.0): one result per problem (level
// "error") and per warning (level "warning"), located at the certificate file (an artifact
// location) or the endpoint (a logical location, as host:port is no file).

#include <cctype>

#include "audit/report.h"

namespace ctkit::audit {
namespace {

using json = nlohmann::ordered_json;

// A relative URI reference for a path (RFC 3986 §2.1 percent-encoding outside unreserved and
// '/').
std::string PathUri(std::string_view path) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : path) {
    auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

json Location(const AuditResult& result, bool endpoint) {
  if (endpoint) {
    return {{"logicalLocations", json::array({{{"name", result.target}, {"kind", "resource"}}})}};
  }
  return {{"physicalLocation", {{"artifactLocation", {{"uri", PathUri(result.target)}}}}}};
}

}  // namespace

std::string SarifReport(const AuditReport& report) {
  json rules = json::array(
      {{{"id", "ct-audit-failure"},
        {"shortDescription", {{"text", "Certificate fails the CT audit"}}},
        {"fullDescription",
         {{"text",
           "An SCT does not verify, a CT policy is not met, the certificate carries no "
           "SCTs, is outside its validity, comes from an unexpected issuer, or a log "
           "broke its SCT's promise."}}}},
       {{"id", "ct-audit-error"},
        {"shortDescription", {{"text", "Certificate could not be audited"}}}},
       {{"id", "ct-audit-warning"},
        {"shortDescription", {{"text", "CT audit warning (expiry soon, opted out, pending)"}}}}});
  json results = json::array();
  for (const AuditResult& result : report.results) {
    bool endpoint = result.endpoint;
    std::string prefix = result.target + (result.leaf ? " (" + NamesText(result) + ")" : "") + ": ";
    const char* rule = result.verdict == Verdict::kError ? "ct-audit-error" : "ct-audit-failure";
    for (const std::string& problem : result.problems) {
      results.push_back({{"ruleId", rule},
                         {"level", "error"},
                         {"message", {{"text", prefix + problem}}},
                         {"locations", json::array({Location(result, endpoint)})}});
    }
    for (const std::string& warning : result.warnings) {
      results.push_back({{"ruleId", "ct-audit-warning"},
                         {"level", "warning"},
                         {"message", {{"text", prefix + warning}}},
                         {"locations", json::array({Location(result, endpoint)})}});
    }
  }
  json out = {
      {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
      {"version", "2.1.0"},
      {"runs",
       json::array(
           {{{"tool",
              {{"driver",
                {{"name", "ctkit audit"}, {"version", report.tool_version}, {"rules", rules}}}}},
             {"results", results}}})}};
  return out.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace ctkit::audit
