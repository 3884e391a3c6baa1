// A Merkle proof as `ctkit proof inclusion|consistency` takes it: fields from flags, the rest
// from a --json file (ct/proof_json.h), every required field checked, the hashes parsed
// (merkle/merkle_hash_list.h) and the proof verified (merkle/merkle_verify.h, RFC 9162 §2.1.3.2,
// §2.1.4.2). The result is what ct/proof_report.h reports.
//
//   ASSIGN_OR_RETURN(ProofCheck check, CheckInclusionProof(fields, "", "proof.json"));
//   std::printf("%s", ProofReportText(check.verified, check.kind, check.success_text).c_str());

#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "base/error.h"
#include "ct/proof_json.h"

namespace ctkit {

struct ProofCheck {
  nlohmann::ordered_json proof;  // InclusionProofJson or ConsistencyProofJson
  Result<void> verified;         // why it does not verify, when it does not
  std::string kind;              // "inclusion" or "consistency"
  std::string success_text;      // what a verified proof shows, for ProofReportText
};

// `fields` from the flags; `leaf_data_file`, when not "", the leaf itself (hashed; instead of
// fields.leaf_hash); `json_file`, when not "", a JSON object whose fields fill those not given.
// Errors (the proof could not be checked, not a proof that fails): the files' (the JSON's after
// "<json_file>: "), FillInclusionProof's, "proof inclusion: missing --index (see --help)" and
// the like for the first field neither gives, ParseHashFlag's and ParseProofList's.
Result<ProofCheck> CheckInclusionProof(InclusionProofFields fields,
                                       const std::string& leaf_data_file,
                                       const std::string& json_file);

// As CheckInclusionProof, for a consistency proof ("proof consistency: missing --old-size ...").
Result<ProofCheck> CheckConsistencyProof(ConsistencyProofFields fields,
                                         const std::string& json_file);

}  // namespace ctkit
