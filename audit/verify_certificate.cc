#include "audit/verify_certificate.h"

#include "ct/ct_opt_out.h"

namespace ctkit::audit {

PolicyChoice PolicyChoiceNamed(std::string_view policy) {
  return {.chrome = policy == "chrome" || policy == "both",
          .apple = policy == "apple" || policy == "both"};
}

CertificateCheck VerifyLoadedCertificate(const CertificateVerifier& verifier,
                                         const LoadedCertificate& loaded,
                                         std::span<const DeliveredSct> delivered, int64_t now_ms,
                                         PolicyChoice policies) {
  const CertificateView* asserted = loaded.asserted_issuer ? &*loaded.asserted_issuer : nullptr;
  CertificateCheck check =
      verifier.Verify(loaded.leaf, loaded.others, delivered, now_ms, policies, asserted);
  if (check.scts.empty() && !check.is_precertificate) {
    check.notes.emplace_back(kNotLoggedConsequence);
  }
  return check;
}

}  // namespace ctkit::audit
