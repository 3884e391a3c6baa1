#include "ct/proof_report.h"

namespace ctkit {

using json = nlohmann::ordered_json;

json ProofReportJson(json proof, const Result<void>& outcome, const std::string& kind) {
  proof["type"] = kind;
  proof["verified"] = outcome.has_value();
  proof["reason"] = outcome ? json(nullptr) : json(outcome.error().message);
  return proof;
}

std::string ProofReportText(const Result<void>& outcome, const std::string& kind,
                            const std::string& success_text) {
  if (outcome) return "OK: " + success_text + "\n";
  return "FAILED: " + kind + " proof does not verify: " + outcome.error().message + "\n";
}

}  // namespace ctkit
