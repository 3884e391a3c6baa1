// SCTs delivered in a stapled OCSP response (RFC 6962 §3.3): the SingleResponse for the
// certificate carries extension 1.3.6.1.4.1.11129.2.4.5 whose value is
//   SignedCertificateTimestampList ::= OCTET STRING
// holding the TLS-encoded list of sct.h.
//
// Only the path to that extension is read, strictly as DER (RFC 6960 §4.2.1 structures); the
// OCSP response's own signature is not checked here, and need not be for SCTs: each SCT is
// signed by its log over the certificate, and sct_verify.h checks that.

#pragma once

#include <optional>

#include "base/bytes.h"
#include "base/error.h"

namespace ctkit {

// DER content octets of 1.3.6.1.4.1.11129.2.4.5.
inline constexpr uint8_t kOcspSctListOid[] = {0x2b, 0x06, 0x01, 0x04, 0x01,
                                              0xd6, 0x79, 0x02, 0x04, 0x05};

// The TLS-encoded SignedCertificateTimestampList (for ParseSctList) from the SingleResponse of
// `ocsp_response_der` whose CertID serialNumber equals `certificate_serial` (the content octets
// of the certificate's serialNumber INTEGER); std::nullopt if that SingleResponse has no SCT
// extension. Errors: kMalformed (not a DER OCSPResponse, a duplicated extension), kUnsupported
// (a response type other than id-pkix-ocsp-basic), kInvalidArgument (responseStatus is not
// successful, so there are no responses), kNotFound (no SingleResponse for that serial).
Result<std::optional<Bytes>> ExtractOcspSctList(ByteSpan ocsp_response_der,
                                                ByteSpan certificate_serial);

}  // namespace ctkit
