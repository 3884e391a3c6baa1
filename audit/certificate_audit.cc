#include "audit/certificate_audit.h"

#include <algorithm>

#include "audit/check_json.h"
#include "audit/issuer_check.h"
#include "base/bytes.h"
#include "base/plural.h"
#include "ct/ct_opt_out.h"
#include "ct/rfc3339.h"

namespace ctkit::audit {

std::string_view VerdictName(Verdict verdict) {
  switch (verdict) {
    case Verdict::kPass:
      return "pass";
    case Verdict::kFail:
      return "fail";
    case Verdict::kError:
      return "error";
  }
  return "error";
}

std::string_view CtLoggingName(CtLogging logging) {
  switch (logging) {
    case CtLogging::kEnabled:
      return "enabled";
    case CtLogging::kDisabled:
      return "disabled";
    case CtLogging::kUnknown:
      return "unknown";
  }
  return "unknown";
}

InventoryIndex::InventoryIndex(std::vector<InventoryRecord> records)
    : records_(std::move(records)) {
  for (size_t i = 0; i < records_.size(); ++i) {
    by_sha256_.emplace(records_[i].sha256, i);  // the first record wins a duplicate
    by_tbs_sha256_.emplace(records_[i].tbs_sha256, i);
  }
}

const InventoryRecord* InventoryIndex::Find(const CertificateView& cert,
                                            const Sha256Digest& tbs_sha256) const {
  if (auto it = by_sha256_.find(HexEncode(cert.sha256())); it != by_sha256_.end()) {
    return &records_[it->second];
  }
  if (auto it = by_tbs_sha256_.find(HexEncode(tbs_sha256)); it != by_tbs_sha256_.end()) {
    return &records_[it->second];
  }
  return nullptr;
}

AuditResult ErrorResult(std::string target, ErrorKind kind, std::string problem) {
  AuditResult result;
  result.target = std::move(target);
  result.verdict = Verdict::kError;
  result.error_kind = kind;
  result.problems.push_back(std::move(problem));
  return result;
}

namespace {

constexpr int64_t kDayMs = 86400 * 1000;

void CheckValidity(const CertificateView& leaf, const AuditOptions& options, AuditResult& out) {
  int64_t not_before_ms = leaf.not_before() * 1000;
  int64_t not_after_ms = leaf.not_after() * 1000;
  if (options.now_ms < not_before_ms) {
    out.problems.push_back("not yet valid: valid from " + FormatRfc3339(not_before_ms));
  } else if (options.now_ms > not_after_ms) {  // RFC 5280 §4.1.2.5: notAfter is inclusive
    out.problems.push_back("expired on " + FormatRfc3339(not_after_ms));
  } else if (not_after_ms - options.now_ms < options.warn_days * kDayMs) {
    int64_t days = (not_after_ms - options.now_ms) / kDayMs;
    out.warnings.push_back("expires in " + Count(static_cast<uint64_t>(days), "day") + ", on " +
                           FormatRfc3339(not_after_ms));
  }
}

void CheckIssuer(const AuditSubject& subject, const AuditOptions& options, AuditResult& out) {
  const CertificateView& leaf = subject.leaf;
  if (!options.expected_issuers.empty()) {
    bool matched =
        std::any_of(options.expected_issuers.begin(), options.expected_issuers.end(),
                    [&](const CertificateView& issuer) { return IssuedBy(leaf, issuer); });
    if (!matched) {
      out.problems.push_back("unexpected issuer \"" + leaf.issuer() +
                             "\": not signed by the expected issuer");
    }
  }
  if (options.expected_issuer_spki) {
    const CertificateView* issuer = FindIssuer(leaf, subject.others);
    if (issuer == nullptr) {
      out.problems.push_back("issuer \"" + leaf.issuer() +
                             "\" not in the chain: cannot check its key against --expect-spki");
    } else if (issuer->spki_sha256() != *options.expected_issuer_spki) {
      out.problems.push_back("unexpected issuer key: SPKI SHA-256 " +
                             HexEncode(issuer->spki_sha256()) + " of \"" + issuer->subject() +
                             "\"");
    } else if (!IssuedBy(leaf, *issuer)) {
      out.problems.push_back("the certificate's signature does not verify under the issuer \"" +
                             issuer->subject() + "\"");
    }
  }
}

std::string FirstFailure(const PolicyVerdict& verdict) {
  for (const std::string& reason : verdict.reasons) {
    if (reason.rfind("fail", 0) == 0) return reason;
  }
  return verdict.reasons.empty() ? "not compliant" : verdict.reasons.front();
}

void CheckCt(const CertificateCheck& check, const AuditOptions& options, AuditResult& out) {
  bool opted_out = out.ct_logging == CtLogging::kDisabled;
  if (check.scts.empty()) {
    if (opted_out) {
      // The price of the choice, in the words `ca issue` and `verify` use (ct/ct_opt_out.h).
      out.warnings.push_back("not logged by choice (inventory: ct_logging disabled): " +
                             std::string(kNotLoggedConsequence));
      if (options.require_ct) {
        out.problems.push_back("not logged: CT logging disabled by choice, and --require-ct");
      }
    } else {
      out.problems.push_back("carries no SCTs, and is not an opted-out inventory entry");
    }
    return;
  }
  for (size_t i = 0; i < check.scts.size(); ++i) {
    const SctCheck& sct = check.scts[i];
    if (sct.status == SctStatus::kValid) continue;
    out.problems.push_back("SCT #" + std::to_string(i) + " (" +
                           std::string(SctDeliveryName(sct.delivery)) + ", " + SctLogLabel(sct) +
                           "): " + std::string(SctStatusName(sct.status)));
  }
  if (opted_out) {
    out.warnings.push_back("carries SCTs although its inventory record says ct_logging disabled");
    if (!options.require_ct) return;  // policies are for certificates meant to be logged
  }
  if (check.chrome && !check.chrome->compliant) {
    out.problems.push_back("Chrome CT policy not met: " + FirstFailure(*check.chrome));
  }
  if (check.apple && !check.apple->compliant) {
    out.problems.push_back("Apple CT policy not met: " + FirstFailure(*check.apple));
  }
}

void CheckInclusion(AuditResult& out) {
  for (const InclusionCheck& inclusion : out.inclusion) {
    std::string what = "SCT #" + std::to_string(inclusion.sct_index) + " (" + inclusion.log + ")";
    switch (inclusion.status) {
      case InclusionStatus::kIncluded:
        break;
      case InclusionStatus::kPending:
      case InclusionStatus::kUnsupported:
        out.warnings.push_back(what + ": " + inclusion.message);
        break;
      case InclusionStatus::kMissing:
      case InclusionStatus::kFailed:
        out.problems.push_back(what + ": " + std::string(InclusionStatusName(inclusion.status)) +
                               ": " + inclusion.message);
        break;
      case InclusionStatus::kUnreachable:
        out.error_kind = ErrorKind::kNetwork;
        out.warnings.push_back(what + ": log unreachable: " + inclusion.message);
        break;
    }
  }
}

}  // namespace

AuditResult AuditCertificate(AuditSubject subject, const CertificateVerifier& verifier,
                             const AuditOptions& options, const InventoryIndex* inventory,
                             InclusionProver* prover) {
  AuditResult out;
  out.target = std::move(subject.target);
  out.warnings = std::move(subject.warnings);
  out.leaf = subject.leaf;
  out.check = verifier.Verify(subject.leaf, subject.others, subject.delivered, options.now_ms,
                              options.policies);
  out.notes = out.check.notes;
  if (inventory != nullptr) {
    const InventoryRecord* record = inventory->Find(subject.leaf, out.check.tbs_sha256);
    if (record != nullptr) {
      out.ct_logging = record->ct_logging ? CtLogging::kEnabled : CtLogging::kDisabled;
    } else {
      out.warnings.push_back("not in the inventory");
    }
  }
  CheckValidity(subject.leaf, options, out);
  CheckIssuer(subject, options, out);
  CheckCt(out.check, options, out);
  if (prover != nullptr) {
    out.online = true;
    out.inclusion = prover->Prove(subject.leaf, subject.others, out.check);
    CheckInclusion(out);
  }
  if (!out.problems.empty()) {
    out.verdict = Verdict::kFail;
  } else if (out.error_kind != ErrorKind::kNone) {
    out.verdict = Verdict::kError;
  }
  return out;
}

}  // namespace ctkit::audit
