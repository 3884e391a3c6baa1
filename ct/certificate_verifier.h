// Is this certificate properly logged? Verifies every SCT a certificate carries or is delivered
// with, against the keys of the logs in a log list, and judges the result against the Chrome and
// Apple CT policies (ct/ct_policy.h).
//
// Which signed entry an SCT is checked over (RFC 6962 §3.2):
//   - SCTs embedded in a final certificate: a precert_entry over the TBS without the SCT-list
//     extension, with the issuer's key hash. Without the issuer they are kUnverifiableNoIssuer.
//   - SCTs delivered in TLS or OCSP for a final certificate: an x509_entry over its DER.
//   - SCTs for a precertificate (poison extension): a precert_entry; when its issuer is a
//     Precertificate Signing Certificate, the CA above that one must be supplied too.
// The issuer is looked up among the supplied certificates by name and key identifier, in any
// order (chains arrive out of order), never by position alone.
//
// Only keys from the log list are trusted. An SCT whose signature verifies is still
// kUntrustedAtTime when the list shows the log was not trusted at the SCT's time: it signed
// while still pending, or after it was retired or rejected, or for a certificate expiring
// outside the log's temporal_interval (the log does not vouch for other shards). Whether an SCT
// from a log that is rejected today still counts is the policies' decision, not the status's.

#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "ct/ct_policy.h"
#include "ct/log_key.h"
#include "ct/log_list.h"
#include "ct/sct.h"
#include "ct/sct_verify.h"
#include "ct/signed_entry.h"
#include "x509/certificate.h"

namespace ctkit {

// An SCT that came with a certificate rather than inside it.
struct DeliveredSct {
  Bytes serialized;  // one SerializedSCT
  SctDelivery delivery = SctDelivery::kTlsExtension;
};

struct SctCheck {
  SctDelivery delivery = SctDelivery::kEmbedded;
  Bytes serialized;
  std::optional<SignedCertificateTimestamp> sct;  // absent when it did not parse
  SctStatus status = SctStatus::kMalformed;
  const LogInfo* log = nullptr;  // the list's entry for its log_id, if any
  std::string operator_name;     // the log's operator at the SCT's time
};

struct PolicyChoice {
  bool chrome = true;
  bool apple = true;
};

struct CertificateCheck {
  bool is_precertificate = false;
  // The deduplication key (ct/signed_entry.h DeduplicationTbsHash): equal for a precertificate
  // and the certificate issued from it, so the two can be recognised as one issuance.
  Sha256Digest tbs_sha256{};
  std::vector<SctCheck> scts;
  std::optional<PolicyVerdict> chrome;
  std::optional<PolicyVerdict> apple;
  std::vector<std::string> notes;  // e.g. why embedded SCTs could not be checked

  bool AllSctsValid() const;
  // Every SCT valid and every chosen policy met.
  bool Passed() const;
};

class CertificateVerifier {
 public:
  // Loads every key in `log_list` once. Keys ctkit cannot use (e.g. a P-384 log) are skipped;
  // SCTs from those logs are kUnknownLog.
  explicit CertificateVerifier(const LogList& log_list);

  // Checks `leaf`. `others` are the rest of its chain and any issuer given separately, in any
  // order. `delivered` are SCTs from TLS or OCSP (serialized, one each). `now_ms` fixes the clock
  // for timestamps, log states and the policies.
  //
  // `asserted_issuer`, when given, is a certificate the caller says issued `leaf` (ctkit verify
  // --issuer). It is used if none of `others` is named as the issuer: then the embedded SCTs are
  // checked against it and fail as invalid_signature if it is the wrong one (with a note saying
  // whose name it has). Without an assertion, a chain that lacks the issuer is
  // unverifiable_no_issuer: the SCTs may be good, the chain is just incomplete.
  CertificateCheck Verify(const CertificateView& leaf, std::span<const CertificateView> others,
                          std::span<const DeliveredSct> delivered, int64_t now_ms,
                          PolicyChoice policies,
                          const CertificateView* asserted_issuer = nullptr) const;

  // How a caller's user supplies a missing issuer, added to the note of an SCT that could not be
  // checked without it. ctkit verify: "use --issuer or append the chain"; the default names only
  // what works for every input, since not every command has an --issuer flag.
  void set_missing_issuer_hint(std::string hint) { missing_issuer_hint_ = std::move(hint); }

  const LogList& log_list() const { return log_list_; }
  const LogKeyring& keyring() const { return keyring_; }

 private:
  struct SignedEntries;  // the x509_entry and precert_entry of one certificate (the .cc)

  // The steps of Verify after collecting the SCTs; each says in the .cc what it guarantees.
  SignedEntries BuildSignedEntries(const CertificateView& leaf,
                                   std::span<const CertificateView> others,
                                   std::span<const DeliveredSct> all,
                                   const CertificateView* asserted_issuer,
                                   CertificateCheck& result) const;
  std::optional<SignedEntry> PrecertEntry(const CertificateView& leaf,
                                          std::span<const CertificateView> others,
                                          const CertificateView* asserted_issuer,
                                          std::vector<std::string>& notes,
                                          bool& tbs_is_leafs) const;
  SctCheck CheckSct(DeliveredSct item, const CertificateView& leaf, const SignedEntries& entries,
                    int64_t now_ms) const;
  void CheckLogTrust(SctCheck& check, const CertificateView& leaf) const;
  void ApplyPolicies(const CertificateView& leaf, PolicyChoice policies, int64_t now_ms,
                     CertificateCheck& result) const;

  const LogList& log_list_;
  LogKeyring keyring_;
  std::string missing_issuer_hint_ = "append the issuer's certificate after it in the same file";
};

}  // namespace ctkit
