// The JSON of a certificate check, shared by `ctkit verify` and `ctkit audit` so both print SCTs
// and policy verdicts in one schema (docs/json-output.md, "SCT objects" and "policy").
//
//   SctCheckJson:       {"log_id", "log", "operator", "timestamp", "source", "status"
//                        [, "leaf_index"]}   (nulls where the SCT did not parse or is unlisted)
//   PolicyVerdictJson:  {"compliant", "reasons", "counted_scts"}
//   PoliciesJson:       {"chrome": verdict, "apple": verdict}, each only when judged
//   CertificateJson:    one certificate of `ctkit verify --format json` (docs/json-output.md)

#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ct/certificate_verifier.h"
#include "ct/ct_policy.h"
#include "x509/certificate.h"

namespace ctkit {

nlohmann::ordered_json SctCheckJson(const SctCheck& check);
nlohmann::ordered_json PolicyVerdictJson(const PolicyVerdict& verdict);
nlohmann::ordered_json PoliciesJson(const CertificateCheck& check);
// The certificate `cert`, read from `file`, and its check: {"file", "sha256", "tbs_sha256",
// "subject", "issuer", "serial", "names", "not_before", "not_after", "precertificate", "scts",
// "policy", "notes", "verdict": "pass"|"fail"}.
nlohmann::ordered_json CertificateJson(const std::string& file, const CertificateView& cert,
                                       const CertificateCheck& check);

// The names a certificate is for: SAN dNSNames then iPAddresses, else the subject CNs.
std::vector<std::string> DisplayNames(const CertificateView& cert);

// "Google 'Argon2026h1' log (Google)" for a listed log, "log <base64 id>" for an unknown one,
// "unparsed SCT" when the SCT did not parse.
std::string SctLogLabel(const SctCheck& check);

}  // namespace ctkit
