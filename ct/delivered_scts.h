// SCTs delivered beside a certificate rather than inside it (RFC 6962 §3.3): in the TLS
// extension signed_certificate_timestamp, or in a stapled OCSP response (ct/sct_ocsp.h), each a
// SignedCertificateTimestampList. They become the DeliveredSct values the certificate verifier
// judges (ct/certificate_verifier.h).
//
//   std::vector<DeliveredSct> delivered = SctsFromTlsExtension(file_bytes);
//   Result<std::vector<DeliveredSct>> more = SctsFromOcspResponse(ocsp_der, leaf.serial());

#pragma once

#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "ct/certificate_verifier.h"

namespace ctkit {

// The SCTs of `list`, a SignedCertificateTimestampList delivered by `delivery`, appended to
// `out`. A list that does not parse is appended whole, as one SCT: the verifier reports it as
// malformed, so a broken list cannot go unseen. A single SCT given instead of a list is so
// judged as that SCT.
void AppendDeliveredScts(ByteSpan list, SctDelivery delivery, std::vector<DeliveredSct>& out);

// The SCTs of a TLS signed_certificate_timestamp extension: a SignedCertificateTimestampList,
// or one SCT (AppendDeliveredScts).
std::vector<DeliveredSct> SctsFromTlsExtension(ByteSpan data);

// The SCTs of the SingleResponse for the certificate with serial `certificate_serial` (the
// content octets of its serialNumber) in a DER OCSP response; none when that response has no SCT
// extension. The errors of ct/sct_ocsp.h ExtractOcspSctList.
Result<std::vector<DeliveredSct>> SctsFromOcspResponse(ByteSpan ocsp_response_der,
                                                       ByteSpan certificate_serial);

}  // namespace ctkit
