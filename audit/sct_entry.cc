#include "audit/sct_entry.h"

#include <vector>

#include "ct/certificate_verifier.h"
#include "x509/precert.h"

namespace ctkit::audit {

Result<SignedEntry> SignedEntryForSct(const CertificateView& leaf,
                                      std::span<const CertificateView> others,
                                      SctDelivery delivery) {
  if (!leaf.IsPrecertificate() && delivery != SctDelivery::kEmbedded) {
    return X509SignedEntry(leaf.der());
  }
  const CertificateView* issuer = FindIssuer(leaf, others);
  if (issuer == nullptr) {
    return MakeError(ErrorCode::kNotFound, "issuer \"" + leaf.issuer() + "\" not supplied");
  }
  std::vector<CertificateView> chain = {*issuer};
  if (issuer->IsPrecertificateSigningCert()) {
    if (const CertificateView* ca = FindIssuer(*issuer, others)) chain.push_back(*ca);
  }
  Result<PrecertEntry> built = BuildPrecertEntry(leaf, chain);
  if (!built) return std::unexpected(built.error());
  return PrecertSignedEntry(built->issuer_key_hash, built->tbs_certificate);
}

}  // namespace ctkit::audit
