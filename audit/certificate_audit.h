// One certificate's audit: the `ctkit audit` verdict for a leaf, its chain and the SCTs
// delivered with it. What is checked, in the order problems are listed:
//   1. validity window: not yet valid or expired fails; expiring within warn_days warns;
//   2. expected issuer: with expected issuers, the leaf must name one of them as issuer and
//      carry its valid signature; with an expected issuer SPKI hash, the issuer found in the
//      chain must have that key;
//   3. CT: every SCT verified as `ctkit verify` does (ct/certificate_verifier.h); a certificate
//      whose inventory record says ct_logging disabled is "not logged by choice" and passes
//      without SCTs unless require_ct; any other certificate without SCTs fails; the chosen
//      policies (Chrome, Apple) must be met unless the certificate is opted out;
//   4. with an InclusionProver (--online): each valid SCT's entry proven in its log; a broken
//      promise (audit/inclusion_prover.h kMissing) or a log that misbehaves fails, an
//      unreachable log makes the result an error of kind kNetwork.
// Verdict: kFail when any problem was found, else kError when something could not be checked
// (unreadable input, unreachable endpoint or log), else kPass. Warnings never fail.

#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "audit/inclusion_prover.h"
#include "base/sha256.h"
#include "ct/certificate_verifier.h"
#include "ct/inventory_record.h"
#include "x509/certificate.h"

namespace ctkit::audit {

enum class Verdict { kPass, kFail, kError };
enum class CtLogging { kEnabled, kDisabled, kUnknown };
// Why a result is kError (for exit codes: input errors are 2, network errors 3).
enum class ErrorKind { kNone, kInput, kNetwork };

std::string_view VerdictName(Verdict verdict);      // "pass", "fail", "error"
std::string_view CtLoggingName(CtLogging logging);  // "enabled", "disabled", "unknown"

// Inventory records (ct/inventory_record.h) by certificate SHA-256 and by TBS hash, so a
// certificate is recognised even when bytes outside its TBS differ (a re-signed certificate,
// or a damaged SCT list: DeduplicationTbsHash ignores the SCT list).
class InventoryIndex {
 public:
  explicit InventoryIndex(std::vector<InventoryRecord> records);
  const InventoryRecord* Find(const CertificateView& cert, const Sha256Digest& tbs_sha256) const;
  const std::vector<InventoryRecord>& records() const { return records_; }

 private:
  std::vector<InventoryRecord> records_;
  std::map<std::string, size_t> by_sha256_;
  std::map<std::string, size_t> by_tbs_sha256_;
};

struct AuditOptions {
  PolicyChoice policies;
  int64_t now_ms = 0;
  int64_t warn_days = 30;
  bool require_ct = false;
  std::vector<CertificateView> expected_issuers;     // --expect-issuer
  std::optional<Sha256Digest> expected_issuer_spki;  // --expect-spki
};

// What one target yielded: a leaf, the rest of its chain, SCTs from TLS/OCSP, and notes from
// fetching it (e.g. a stapled OCSP response for another certificate).
struct AuditSubject {
  std::string target;
  CertificateView leaf;
  std::vector<CertificateView> others;
  std::vector<DeliveredSct> delivered;
  std::vector<std::string> warnings;
};

struct AuditResult {
  std::string target;
  bool endpoint = false;                // the target is HOST:PORT, not a file
  std::optional<CertificateView> leaf;  // absent when the target could not be read
  CertificateCheck check;
  CtLogging ct_logging = CtLogging::kUnknown;
  Verdict verdict = Verdict::kPass;
  ErrorKind error_kind = ErrorKind::kNone;
  std::vector<std::string> problems;  // why it failed (or could not be checked)
  std::vector<std::string> warnings;
  std::vector<std::string> notes;  // from the verifier, e.g. why SCTs were unverifiable
  bool online = false;             // inclusion was checked
  std::vector<InclusionCheck> inclusion;
};

// `inventory` and `prover` may be null (no --inventory, no --online).
AuditResult AuditCertificate(AuditSubject subject, const CertificateVerifier& verifier,
                             const AuditOptions& options, const InventoryIndex* inventory,
                             InclusionProver* prover);

// A result for a target that yielded no certificate.
AuditResult ErrorResult(std::string target, ErrorKind kind, std::string problem);

}  // namespace ctkit::audit
