// The signed entry an SCT was issued over (RFC 6962 §3.2), rebuilt for a certificate so that
// the entry's leaf hash, and so its place in the log, can be asked for (ct/log_entry.h):
//   - an embedded SCT, or any SCT of a precertificate: the precert_entry, with the issuer found
//     among `others` by name and key identifier (and the CA above a Precertificate Signing
//     Certificate, RFC 6962 §3.1);
//   - an SCT from TLS or OCSP for a final certificate: the x509_entry over its DER.
// The same choice the verifier makes (ct/certificate_verifier.h); a verified SCT's entry builds.

#pragma once

#include <span>

#include "base/error.h"
#include "ct/ct_policy.h"
#include "ct/sct_verify.h"
#include "x509/certificate.h"

namespace ctkit::audit {

// kNotFound when the issuer a precert_entry needs is not among `others`.
Result<SignedEntry> SignedEntryForSct(const CertificateView& leaf,
                                      std::span<const CertificateView> others,
                                      SctDelivery delivery);

}  // namespace ctkit::audit
