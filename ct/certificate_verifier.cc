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

namespace {

// Step 1, the SCTs to check, each with its channel: embedded first (RFC 6962 §3.3, the SCT list
// extension of the certificate), then those delivered in TLS or OCSP in the order given. An
// embedded list or extension that does not parse counts as one malformed embedded SCT, with a
// note, so a certificate cannot pass as "carries no SCTs" by corrupting its list.
std::vector<DeliveredSct> CollectScts(const CertificateView& leaf,
                                      std::span<const DeliveredSct> delivered,
                                      std::vector<std::string>& notes) {
  std::vector<DeliveredSct> all;
  Result<ByteSpan> embedded_list = leaf.EmbeddedSctList();
  if (embedded_list) {
    Result<std::vector<Bytes>> items = ParseSctList(*embedded_list);
    if (items) {
      all.reserve(items->size() + delivered.size());
      for (Bytes& item : *items) all.push_back({std::move(item), SctDelivery::kEmbedded});
    } else {
      notes.push_back("embedded SCT list: " + items.error().message);
      all.push_back({Bytes(embedded_list->begin(), embedded_list->end()), SctDelivery::kEmbedded});
    }
  } else if (embedded_list.error().code != ErrorCode::kNotFound) {
    notes.push_back("embedded SCT extension: " + embedded_list.error().message);
    all.push_back({Bytes(), SctDelivery::kEmbedded});
  }
  all.insert(all.end(), delivered.begin(), delivered.end());
  return all;
}

// Whether any of `scts` signs an entry of `type` (ct/signed_entry.h SignedEntryTypeFor).
bool AnySigns(const CertificateView& leaf, std::span<const DeliveredSct> scts, LogEntryType type) {
  return std::any_of(scts.begin(), scts.end(), [&](const DeliveredSct& d) {
    return SignedEntryTypeFor(leaf, d.delivery) == type;
  });
}

// What the policies need to know of one checked SCT. They judge log states themselves, so a
// signature that held counts as verified even when the log was not trusted at the SCT's time.
PolicySct PolicySctOf(const SctCheck& check) {
  PolicySct sct;
  if (check.sct) {
    sct.log_id = check.sct->log_id;
    sct.timestamp_ms = static_cast<int64_t>(check.sct->timestamp_ms);
  }
  sct.delivery = check.delivery;
  sct.signature_verified =
      check.status == SctStatus::kValid || check.status == SctStatus::kUntrustedAtTime;
  return sct;
}

}  // namespace

// The entries the SCTs of one certificate sign (RFC 6962 §3.2), each built at most once and only
// when an SCT needs it; absent when it could not be built.
struct CertificateVerifier::SignedEntries {
  std::optional<SignedEntry> x509;
  std::optional<SignedEntry> precert;

  const std::optional<SignedEntry>& Of(LogEntryType type) const {
    return type == LogEntryType::kPrecert ? precert : x509;
  }
};

// The steps of Verify are the functions below, in order: collect the SCTs, build the entries
// they sign, verify each SCT against its log's key, apply the policies.
CertificateCheck CertificateVerifier::Verify(const CertificateView& leaf,
                                             std::span<const CertificateView> others,
                                             std::span<const DeliveredSct> delivered,
                                             int64_t now_ms, PolicyChoice policies,
                                             const CertificateView* asserted_issuer) const {
  CertificateCheck result;
  result.is_precertificate = leaf.IsPrecertificate();
  std::vector<DeliveredSct> all = CollectScts(leaf, delivered, result.notes);
  const SignedEntries entries = BuildSignedEntries(leaf, others, all, asserted_issuer, result);
  result.scts.reserve(all.size());
  for (DeliveredSct& item : all) {
    result.scts.push_back(CheckSct(std::move(item), leaf, entries, now_ms));
  }
  ApplyPolicies(leaf, policies, now_ms, result);
  return result;
}

// Step 2 (RFC 6962 §3.2, ct/signed_entry.h): the entries the SCTs in `all` sign, and the
// certificate's deduplication hash (result.tbs_sha256). Both entries point into the
// certificates: neither the certificate nor the rebuilt TBS is copied, so checking a certificate
// makes no allocation the size of one, which would also send OpenSSL's many small allocations
// during each signature check down glibc's slow paths (docs/PERFORMANCE.md).
CertificateVerifier::SignedEntries CertificateVerifier::BuildSignedEntries(
    const CertificateView& leaf, std::span<const CertificateView> others,
    std::span<const DeliveredSct> all, const CertificateView* asserted_issuer,
    CertificateCheck& result) const {
  SignedEntries entries;
  if (AnySigns(leaf, all, LogEntryType::kX509)) {
    Result<SignedEntry> entry = BuildSignedEntry(LogEntryType::kX509, leaf);
    if (entry) entries.x509 = std::move(*entry);
  }
  bool tbs_is_leafs = false;  // the precert entry's TBS is the deduplication TBS
  if (AnySigns(leaf, all, LogEntryType::kPrecert)) {
    entries.precert = PrecertEntry(leaf, others, asserted_issuer, result.notes, tbs_is_leafs);
  }
  result.tbs_sha256 = tbs_is_leafs ? entries.precert->DerSha256() : DeduplicationTbsHash(leaf);
  return entries;
}

// The precert_entry of `leaf`, with the issuer found among `others` (or `asserted_issuer`) by
// name and key identifier. Absent, with a note saying why, when there is no issuer or the entry
// cannot be built. `tbs_is_leafs`: the entry's TBS is the leaf's own, i.e. no Precertificate
// Signing Certificate had the issuer rewritten.
std::optional<SignedEntry> CertificateVerifier::PrecertEntry(
    const CertificateView& leaf, std::span<const CertificateView> others,
    const CertificateView* asserted_issuer, std::vector<std::string>& notes,
    bool& tbs_is_leafs) const {
  const IssuerChain issuers = IssuerChain::Find(leaf, others, asserted_issuer);
  std::optional<SignedEntry> entry;
  std::string problem;
  if (issuers.issuer == nullptr) {
    // A supplied certificate that is not named as the issuer is not tried as one: the SCT
    // may be perfectly good, and "invalid" would blame it for the caller's wrong issuer.
    problem = (others.empty()
                   ? std::string("issuer certificate not supplied")
                   : "none of the supplied certificates is its issuer \"" + leaf.issuer() + "\"") +
              " (" + missing_issuer_hint_ + ")";
  } else {
    if (issuers.issuer == asserted_issuer &&
        !std::ranges::equal(asserted_issuer->subject_der(), leaf.issuer_der())) {
      notes.push_back("the issuer given, \"" + asserted_issuer->subject() +
                      "\", is not the certificate's issuer \"" + leaf.issuer() + "\"");
    }
    Result<SignedEntry> built = BuildSignedEntry(LogEntryType::kPrecert, leaf, issuers);
    if (built) {
      entry = std::move(*built);
      tbs_is_leafs = !issuers.issuer->IsPrecertificateSigningCert();
    } else {
      problem = built.error().message;
    }
  }
  if (!problem.empty()) notes.push_back("precertificate entry: " + problem);
  return entry;
}

// Step 3 (RFC 6962 §3.2, ct/sct_verify.h): one SCT parsed, its log looked up in the list, its
// signature verified over the entry it signs with that log's key, and the log's trust at the
// SCT's time checked (CheckLogTrust). Without the entry nothing can be said about the
// signature, but a structurally bad SCT or one from an unknown log is still reported as such.
SctCheck CertificateVerifier::CheckSct(DeliveredSct item, const CertificateView& leaf,
                                       const SignedEntries& entries, int64_t now_ms) const {
  SctCheck check;
  check.delivery = item.delivery;
  check.serialized = std::move(item.serialized);
  Result<SignedCertificateTimestamp> parsed = ParseSct(check.serialized);
  if (!parsed) {
    check.status = parsed.error().code == ErrorCode::kUnsupported ? SctStatus::kUnsupportedVersion
                                                                  : SctStatus::kMalformed;
    return check;
  }
  check.sct = std::move(*parsed);
  check.log = log_list_.FindLog(check.sct->log_id);
  if (check.log != nullptr) {
    check.operator_name = std::string(
        log_list_.OperatorAt(*check.log, static_cast<int64_t>(check.sct->timestamp_ms)));
  }
  const std::optional<SignedEntry>& entry = entries.Of(SignedEntryTypeFor(leaf, check.delivery));
  if (!entry) {
    check.status = check.log == nullptr ? SctStatus::kUnknownLog : SctStatus::kUnverifiableNoIssuer;
    return check;
  }
  check.status = VerifySct(*check.sct, *entry, keyring_, static_cast<uint64_t>(now_ms));
  if (check.status == SctStatus::kValid && check.log != nullptr) CheckLogTrust(check, leaf);
  return check;
}

// Step 4 (ct/ct_policy.h): the chosen policies over the checked SCTs.
void CertificateVerifier::ApplyPolicies(const CertificateView& leaf, PolicyChoice policies,
                                        int64_t now_ms, CertificateCheck& result) const {
  if (!policies.chrome && !policies.apple) return;
  PolicyInput input{.not_before = leaf.not_before(), .not_after = leaf.not_after()};
  for (const SctCheck& check : result.scts) input.scts.push_back(PolicySctOf(check));
  if (policies.chrome) result.chrome = EvaluateChromePolicy(input, log_list_, now_ms);
  if (policies.apple) result.apple = EvaluateApplePolicy(input, log_list_, now_ms);
}

}  // namespace ctkit
