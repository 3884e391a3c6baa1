// Whether a Merkle proof verified, as `ctkit proof inclusion|consistency` reports it
// (docs/json-output.md, "proof"): the proof's JSON (ct/proof_json.h) with the outcome added, or
// one line of text.
//
//   Result<void> outcome = VerifyInclusion(leaf_hash, index, size, path, root);
//   PrintJson(ProofReportJson(InclusionProofJson(...), outcome, "inclusion"),
//   JsonStyle::kDocument);

#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "base/error.h"

namespace ctkit {

// `proof` with "type" (`kind`), "verified" and "reason" (why it did not verify; null when it
// did). A result never has a top-level "error": that is the error object of a command that
// failed (cli/json_output.h).
nlohmann::ordered_json ProofReportJson(nlohmann::ordered_json proof, const Result<void>& outcome,
                                       const std::string& kind);

// "OK: <success_text>", or "FAILED: <kind> proof does not verify: <why>"; with a newline.
std::string ProofReportText(const Result<void>& outcome, const std::string& kind,
                            const std::string& success_text);

}  // namespace ctkit
