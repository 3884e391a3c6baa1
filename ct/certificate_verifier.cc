#include "ct/certificate_verifier.h"

#include <algorithm>

namespace ctkit {

bool CertificateCheck::AllSctsValid() const {
  return std::all_of(scts.begin(), scts.end(),
                     [](const SctCheck& c) { return c.status == SctStatus::kValid; });
}

bool CertificateCheck::Passed() const {
  return AllSctsValid() && (!chrome || chrome->compliant) && (!apple || apple->compliant);
}

CertificateVerifier::CertificateVerifier(const LogList& log_list) : log_list_(log_list) {
  for (const LogInfo& log : log_list.logs()) {
    Result<std::shared_ptr<const LogKey>> key = LogKey::FromSpkiDer(log.key_der);
    if (key) keyring_.Add(*key);
  }
}

void CertificateVerifier::CheckLogTrust(SctCheck& check, const CertificateView& leaf) const {
  const LogInfo& log = *check.log;
  int64_t sct_time = static_cast<int64_t>(check.sct->timestamp_ms);
  bool untrusted = false;
  if (log.state) {
    // The list records when the log entered its current state. An SCT signed at or after that
    // moment by a log that is still pending (not yet qualified), or was already retired or
    // rejected, was never backed by a trusted log. Earlier SCTs keep their meaning here; whether
    // they still count today is the policies' call (Chrome counts no SCT from a rejected log).
    switch (log.state->state) {
      case LogState::kPending:
      case LogState::kRetired:
      case LogState::kRejected:
        untrusted = sct_time >= log.state->since_ms;
        break;
      default:
        break;
    }
  }
  if (log.temporal_interval) {
    // RFC 6962 logs may shard by expiry; a log does not vouch for certificates outside its shard.
    int64_t expiry_ms = leaf.not_after() * 1000;
    if (expiry_ms < log.temporal_interval->start_inclusive_ms ||
        expiry_ms >= log.temporal_interval->end_exclusive_ms) {
      untrusted = true;
    }
  }
  if (untrusted) check.status = SctStatus::kUntrustedAtTime;
}

CertificateCheck CertificateVerifier::Verify(const CertificateView& leaf,
                                             std::span<const CertificateView> others,
                                             std::span<const DeliveredSct> delivered,
                                             int64_t now_ms, PolicyChoice policies,
                                             const CertificateView* asserted_issuer) const {
  CertificateCheck result;
  result.is_precertificate = leaf.IsPrecertificate();
  bool have_tbs_sha256 = false;  // taken from the precert entry below when that is the same TBS

  // Gather the SCTs: embedded first, then delivered ones, each with its channel.
  std::vector<DeliveredSct> all;
  Result<ByteSpan> embedded_list = leaf.EmbeddedSctList();
  if (embedded_list) {
    Result<std::vector<Bytes>> items = ParseSctList(*embedded_list);
    if (items) {
      all.reserve(items->size() + delivered.size());
      for (Bytes& item : *items) all.push_back({std::move(item), SctDelivery::kEmbedded});
    } else {
      // The list itself is broken: report one malformed embedded SCT rather than none, so the
      // certificate cannot pass as "carries no SCTs" by corrupting its list.
      result.notes.push_back("embedded SCT list: " + items.error().message);
      all.push_back({Bytes(embedded_list->begin(), embedded_list->end()), SctDelivery::kEmbedded});
    }
  } else if (embedded_list.error().code != ErrorCode::kNotFound) {
    result.notes.push_back("embedded SCT extension: " + embedded_list.error().message);
    all.push_back({Bytes(), SctDelivery::kEmbedded});
  }
  all.insert(all.end(), delivered.begin(), delivered.end());

  // The signed entries, built once per certificate and only when an SCT needs them
  // (RFC 6962 §3.2, ct/signed_entry.h). Both point into the certificates: neither the
  // certificate nor the rebuilt TBS is copied, so checking a certificate makes no allocation the
  // size of one, which would also send OpenSSL's many small allocations during each signature
  // check down glibc's slow paths (docs/PERFORMANCE.md).
  std::optional<SignedEntry> x509_entry;
  bool needs_x509_entry =
      !result.is_precertificate && std::any_of(all.begin(), all.end(), [](const DeliveredSct& d) {
        return d.delivery != SctDelivery::kEmbedded;
      });
  if (needs_x509_entry) {
    Result<SignedEntry> entry = BuildSignedEntry(LogEntryType::kX509, leaf);
    if (entry) x509_entry = std::move(*entry);
  }
  std::optional<SignedEntry> precert_entry;
  std::string precert_problem;
  bool needs_precert_entry = std::any_of(all.begin(), all.end(), [&](const DeliveredSct& d) {
    return SignedEntryTypeFor(leaf, d.delivery) == LogEntryType::kPrecert;
  });
  if (needs_precert_entry) {
    const IssuerChain issuers = IssuerChain::Find(leaf, others, asserted_issuer);
    if (issuers.issuer == nullptr) {
      // A supplied certificate that is not named as the issuer is not tried as one: the SCT
      // may be perfectly good, and "invalid" would blame it for the caller's wrong issuer.
      precert_problem = (others.empty() ? std::string("issuer certificate not supplied")
                                        : "none of the supplied certificates is its issuer \"" +
                                              leaf.issuer() + "\"") +
                        " (" + missing_issuer_hint_ + ")";
    } else {
      if (issuers.issuer == asserted_issuer &&
          !std::ranges::equal(asserted_issuer->subject_der(), leaf.issuer_der())) {
        result.notes.push_back("the issuer given, \"" + asserted_issuer->subject() +
                               "\", is not the certificate's issuer \"" + leaf.issuer() + "\"");
      }
      Result<SignedEntry> built = BuildSignedEntry(LogEntryType::kPrecert, leaf, issuers);
      if (!built) {
        precert_problem = built.error().message;
      } else {
        precert_entry = std::move(*built);
        // The deduplication hash is of the same TBS, unless a Precertificate Signing
        // Certificate had the issuer rewritten.
        if (!issuers.issuer->IsPrecertificateSigningCert()) {
          result.tbs_sha256 = precert_entry->DerSha256();
          have_tbs_sha256 = true;
        }
      }
    }
    if (!precert_problem.empty())
      result.notes.push_back("precertificate entry: " + precert_problem);
  }

  if (!have_tbs_sha256) result.tbs_sha256 = DeduplicationTbsHash(leaf);

  result.scts.reserve(all.size());
  for (DeliveredSct& item : all) {
    SctCheck check;
    check.delivery = item.delivery;
    check.serialized = std::move(item.serialized);
    Result<SignedCertificateTimestamp> parsed = ParseSct(check.serialized);
    if (!parsed) {
      check.status = parsed.error().code == ErrorCode::kUnsupported ? SctStatus::kUnsupportedVersion
                                                                    : SctStatus::kMalformed;
      result.scts.push_back(std::move(check));
      continue;
    }
    check.sct = std::move(*parsed);
    check.log = log_list_.FindLog(check.sct->log_id);
    if (check.log != nullptr) {
      check.operator_name = std::string(
          log_list_.OperatorAt(*check.log, static_cast<int64_t>(check.sct->timestamp_ms)));
    }
    const std::optional<SignedEntry>& entry =
        SignedEntryTypeFor(leaf, item.delivery) == LogEntryType::kPrecert ? precert_entry
                                                                          : x509_entry;
    if (!entry) {
      // Without the entry nothing can be said about the signature, but a structurally bad SCT
      // or one from an unknown log is still reported as such.
      SctStatus pre =
          check.log == nullptr ? SctStatus::kUnknownLog : SctStatus::kUnverifiableNoIssuer;
      check.status = pre;
    } else {
      check.status = VerifySct(*check.sct, *entry, keyring_, static_cast<uint64_t>(now_ms));
      if (check.status == SctStatus::kValid && check.log != nullptr) CheckLogTrust(check, leaf);
    }
    result.scts.push_back(std::move(check));
  }

  if (policies.chrome || policies.apple) {
    PolicyInput input{.not_before = leaf.not_before(), .not_after = leaf.not_after()};
    for (const SctCheck& check : result.scts) {
      PolicySct sct;
      if (check.sct) {
        sct.log_id = check.sct->log_id;
        sct.timestamp_ms = static_cast<int64_t>(check.sct->timestamp_ms);
      }
      sct.delivery = check.delivery;
      // The policies judge log states themselves; they need to know the signature held.
      sct.signature_verified =
          check.status == SctStatus::kValid || check.status == SctStatus::kUntrustedAtTime;
      input.scts.push_back(sct);
    }
    if (policies.chrome) result.chrome = EvaluateChromePolicy(input, log_list_, now_ms);
    if (policies.apple) result.apple = EvaluateApplePolicy(input, log_list_, now_ms);
  }
  return result;
}

}  // namespace ctkit
