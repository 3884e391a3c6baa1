#include "audit/check_json.h"

#include "base/bytes.h"
#include "ct/rfc3339.h"
#include "ct/sct.h"

namespace ctkit {

using json = nlohmann::ordered_json;

json SctCheckJson(const SctCheck& check) {
  json out;
  out["log_id"] = check.sct ? json(Base64Encode(check.sct->log_id)) : json(nullptr);
  out["log"] = check.log ? json(check.log->description) : json(nullptr);
  out["operator"] = check.log ? json(check.operator_name) : json(nullptr);
  out["timestamp"] = check.sct ? json(check.sct->timestamp_ms) : json(nullptr);
  out["source"] = std::string(SctDeliveryName(check.delivery));
  out["status"] = std::string(SctStatusName(check.status));
  if (check.sct) {
    Result<SctExtensions> extensions = ParseSctExtensions(check.sct->extensions);
    if (extensions && extensions->leaf_index) out["leaf_index"] = *extensions->leaf_index;
  }
  return out;
}

json PolicyVerdictJson(const PolicyVerdict& verdict) {
  return {{"compliant", verdict.compliant},
          {"reasons", verdict.reasons},
          {"counted_scts", verdict.counted_scts}};
}

json PoliciesJson(const CertificateCheck& check) {
  json policy = json::object();
  if (check.chrome) policy["chrome"] = PolicyVerdictJson(*check.chrome);
  if (check.apple) policy["apple"] = PolicyVerdictJson(*check.apple);
  return policy;
}

json CertificateJson(const std::string& file, const CertificateView& cert,
                     const CertificateCheck& check) {
  json out;
  out["file"] = file;
  out["sha256"] = HexEncode(cert.sha256());
  out["tbs_sha256"] = HexEncode(check.tbs_sha256);
  out["subject"] = cert.subject();
  out["issuer"] = cert.issuer();
  out["serial"] = cert.serial_hex();
  out["names"] = DisplayNames(cert);
  out["not_before"] = FormatRfc3339(cert.not_before() * 1000);
  out["not_after"] = FormatRfc3339(cert.not_after() * 1000);
  out["precertificate"] = check.is_precertificate;
  json scts = json::array();
  for (const SctCheck& sct : check.scts) scts.push_back(SctCheckJson(sct));
  out["scts"] = scts;
  out["policy"] = PoliciesJson(check);
  out["notes"] = check.notes;
  out["verdict"] = check.Passed() ? "pass" : "fail";
  return out;
}

std::vector<std::string> DisplayNames(const CertificateView& cert) {
  std::vector<std::string> names = cert.dns_names();
  names.insert(names.end(), cert.ip_addresses().begin(), cert.ip_addresses().end());
  if (names.empty()) names = cert.subject_common_names();
  return names;
}

std::string SctLogLabel(const SctCheck& check) {
  if (check.log) return check.log->description + " (" + check.operator_name + ")";
  if (check.sct) return "log " + Base64Encode(check.sct->log_id);
  return "unparsed SCT";
}

}  // namespace ctkit
