// Checking a submitted chain as a CT log does (RFC 6962 §3.1, §4.1): each certificate must be
// signed by the next, every certificate above the leaf must be allowed to issue certificates, and
// the chain must end at an accepted root. Signature checks use OpenSSL; the certificates were
// already parsed (strictly) by x509/.

#pragma once

#include <span>
#include <vector>

#include "base/error.h"
#include "x509/certificate.h"

namespace ctkit {

// The chain a log stores for a submission (`chain`, leaf first, as submitted), checked:
//   * links: chain[i] is signed by chain[i + 1];
//   * root (RFC 6962 §3.1, §4.1: the chain goes "up to an accepted root certificate"): the last
//     certificate is one of `roots`, or is signed by one, which is then appended (submitters may
//     leave the root out; the stored chain must not). With no roots (a staging log that accepts
//     any root) the chain is returned as submitted;
//   * issuers (RFC 5280 §4.2.1.3, §4.2.1.9, §6.1.4): every certificate above the leaf, the root
//     included, has basicConstraints cA=TRUE, keyCertSign when it has keyUsage, and no more
//     non-self-issued intermediates below it than its pathLenConstraint allows;
//   * Precertificate Signing Certificates (RFC 6962 §3.1, extKeyUsage 1.3.6.1.4.1.11129.2.4.4):
//     one may only sit directly above a precertificate and must be followed by the CA that
//     issued it. It is a CA certificate like any other, but does not count against the path
//     length of the CAs above it: the final certificate will be issued by its issuer directly
//     ("the log may relax standard validation rules to allow this").
// kInvalidArgument, one message naming the position and what is wrong:
// "chain[1]: not a CA (basicConstraints cA is FALSE)".
Result<std::vector<CertificateView>> CheckChain(std::span<const CertificateView> chain,
                                                std::span<const CertificateView> roots);

// True when `issuer`'s public key verifies `cert`'s signature.
bool IsSignedBy(const CertificateView& cert, const CertificateView& issuer);

}  // namespace ctkit
