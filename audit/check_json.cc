#include "audit/check_json.h"

#include "base/bytes.h"
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
