#include "audit/issuer_check.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <algorithm>
#include <memory>

namespace ctkit::audit {

bool IssuedBy(const CertificateView& cert, const CertificateView& issuer) {
  if (!std::ranges::equal(cert.issuer_der(), issuer.subject_der())) return false;
  const unsigned char* der = cert.der().data();
  std::unique_ptr<X509, decltype(&X509_free)> x509(
      d2i_X509(nullptr, &der, static_cast<long>(cert.der().size())), X509_free);
  const unsigned char* spki = issuer.spki().data();
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      d2i_PUBKEY(nullptr, &spki, static_cast<long>(issuer.spki().size())), EVP_PKEY_free);
  bool ok = x509 && key && X509_verify(x509.get(), key.get()) == 1;
  ERR_clear_error();  // a failed check leaves OpenSSL errors on this thread's queue
  return ok;
}

}  // namespace ctkit::audit
