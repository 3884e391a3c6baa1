#include "logserver/chain_check.h"

#include <openssl/x509.h>

#include <algorithm>
#include <memory>

namespace ctkit {
namespace {

struct X509Free {
  void operator()(X509* cert) const { X509_free(cert); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};

std::unique_ptr<X509, X509Free> ToOpenSsl(const CertificateView& cert) {
  const unsigned char* data = cert.der().data();
  return std::unique_ptr<X509, X509Free>(d2i_X509(nullptr, &data, static_cast<long>(cert.der().size())));
}

bool SameCertificate(const CertificateView& a, const CertificateView& b) {
  return a.sha256() == b.sha256();
}

}  // namespace

bool IsSignedBy(const CertificateView& cert, const CertificateView& issuer) {
  if (!std::ranges::equal(cert.issuer_der(), issuer.subject_der())) return false;
  std::unique_ptr<X509, X509Free> subject = ToOpenSsl(cert);
  std::unique_ptr<X509, X509Free> signer = ToOpenSsl(issuer);
  if (!subject || !signer) return false;
  std::unique_ptr<EVP_PKEY, PkeyFree> key(X509_get_pubkey(signer.get()));
  return key && X509_verify(subject.get(), key.get()) == 1;
}

Result<void> CheckChain(std::span<const CertificateView> chain,
                        std::span<const CertificateView> roots) {
  if (chain.empty()) return MakeError(ErrorCode::kInvalidArgument, "empty chain");
  for (size_t i = 0; i + 1 < chain.size(); ++i) {
    if (!IsSignedBy(chain[i], chain[i + 1])) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "chain certificate " + std::to_string(i) + " is not signed by certificate " +
                           std::to_string(i + 1));
    }
  }
  if (roots.empty()) return {};
  const CertificateView& last = chain.back();
  for (const CertificateView& root : roots) {
    if (SameCertificate(last, root) || IsSignedBy(last, root)) return {};
  }
  return MakeError(ErrorCode::kInvalidArgument, "chain does not lead to an accepted root");
}

}  // namespace ctkit
