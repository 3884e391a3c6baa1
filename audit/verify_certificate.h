// One certificate `ctkit verify` checks (audit/verify_inputs.h), verified and judged
// (ct/certificate_verifier.h):
//
//   CertificateVerifier verifier(list);
//   CertificateCheck check = VerifyLoadedCertificate(verifier, inputs.certificates[0],
//                                                    inputs.delivered, now_ms,
//                                                    PolicyChoiceNamed("both"));
//
// With --issuer the user names the issuer: the certificate is checked against it even if its
// name differs. A certificate without SCTs (one issued with CT logging disabled) gets a note saying
// what that costs, in the words of `ca issue` and the audit (ct/ct_opt_out.h).

#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "audit/verify_inputs.h"
#include "ct/certificate_verifier.h"

namespace ctkit::audit {

// The policies a --policy value names: "chrome", "apple", "both" or "none".
PolicyChoice PolicyChoiceNamed(std::string_view policy);

CertificateCheck VerifyLoadedCertificate(const CertificateVerifier& verifier,
                                         const LoadedCertificate& loaded,
                                         std::span<const DeliveredSct> delivered, int64_t now_ms,
                                         PolicyChoice policies);

}  // namespace ctkit::audit
