// Checking a submitted chain (RFC 6962 §4.1): each certificate must be signed by the next, and
// the last must be an accepted root or be signed by one. Signature checks use OpenSSL; the
// certificates were already parsed (strictly) by x509/.

#pragma once

#include <span>

#include "base/error.h"
#include "x509/certificate.h"

namespace ctkit {

// kInvalidArgument naming the failing link. With no roots, only the links inside the chain are
// checked (a staging log that accepts any issuer).
Result<void> CheckChain(std::span<const CertificateView> chain,
                        std::span<const CertificateView> roots);

// True when `issuer`'s public key verifies `cert`'s signature.
bool IsSignedBy(const CertificateView& cert, const CertificateView& issuer);

}  // namespace ctkit
