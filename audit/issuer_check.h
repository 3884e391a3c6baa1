// Did this issuer sign this certificate? For `--expect-issuer`: a name that matches is not
// enough (anyone can put any name in a certificate), so the signature is verified with the
// expected issuer's public key (RFC 5280 §6.1.3 (a)(1)), through OpenSSL.

#pragma once

#include "x509/certificate.h"

namespace ctkit::audit {

// True when `issuer`'s subject is `cert`'s issuer name and `cert`'s signature verifies under
// `issuer`'s public key. False for anything that does not parse.
bool IssuedBy(const CertificateView& cert, const CertificateView& issuer);

}  // namespace ctkit::audit
