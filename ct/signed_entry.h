// The signed_entry of RFC 6962 §3.1 and §3.2: what an SCT's signature covers and what a log's
// MerkleTreeLeaf carries (ct/log_entry.h). Built here, and only here, for every caller: the
// certificate verifier, the audit and the CLI (for SCTs of certificates they are given), the log
// server and the log client (add-chain, add-pre-chain), and the mock CA (for the SCTs it embeds).
//
// RFC 6962 §3.1:
//   enum { x509_entry(0), precert_entry(1), (65535) } LogEntryType;
//   opaque ASN.1Cert<1..2^24-1>;
// RFC 6962 §3.2:
//   digitally-signed struct {
//     Version sct_version;
//     SignatureType signature_type = certificate_timestamp;
//     uint64 timestamp;
//     LogEntryType entry_type;
//     select(entry_type) {
//       case x509_entry: ASN.1Cert;
//       case precert_entry: PreCert;
//     } signed_entry;
//     CtExtensions extensions;
//   };
//   struct {
//     opaque issuer_key_hash[32];
//     TBSCertificate tbs_certificate;   // its DER, encoded as opaque <1..2^24-1>
//   } PreCert;
//
// Which entry an SCT signs, and what it is built from (BuildSignedEntry):
//   - x509_entry: the certificate's DER. SCTs delivered in TLS or OCSP for a final certificate,
//     and add-chain.
//   - precert_entry of a precertificate (add-pre-chain, and the SCTs it returns): its TBS without
//     the poison extension; issuer_key_hash is SHA-256 of the issuer's SubjectPublicKeyInfo. When
//     the issuer is a Precertificate Signing Certificate (EKU 1.3.6.1.4.1.11129.2.4.4), the entry
//     is as if the CA above it had issued the precertificate: the key hash is that CA's, and the
//     TBS takes the signing certificate's issuer and authorityKeyIdentifier (x509/precert.h).
//   - precert_entry of a final certificate (its embedded SCTs, §3.3): its TBS without the SCT
//     list extension, with its issuer's key hash: the same bytes as its precertificate's entry.
//
// One value, SignedEntry, whichever way it was made, holding the fields decoded: a log's leaf
// is read once (ParseMerkleTreeLeaf) and its certificate or TBS taken from the value as it is.
// It keeps the certificate or TBS as byte ranges, so that an entry rebuilt from certificates is
// not a copy of them: only the few re-encoded DER headers are new bytes. Checking an SCT hashes
// the ranges in place (ct/sct_verify.h), with no allocation the size of a certificate.
//
// Lifetime: an entry built from certificates (BuildSignedEntry) points into their DER, and must
// not outlive the CertificateViews it was built from (or copies of them: they share the DER). An
// entry made from bytes (X509SignedEntry, PrecertSignedEntry, ParseMerkleTreeLeaf) holds its own
// copy. Copies and moves of either keep pointing at valid bytes for as long as the original's
// would.

#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "base/sha256.h"
#include "ct/ct_policy.h"
#include "x509/certificate.h"

namespace ctkit {

// RFC 6962 §3.1: `enum { x509_entry(0), precert_entry(1), (65535) } LogEntryType;`
enum class LogEntryType : uint16_t { kX509 = 0, kPrecert = 1 };

// The certificate among `candidates` that issued `cert`: subject equal to its issuer name and,
// when both carry them, subject key identifier equal to its authority key identifier. nullptr
// when none does.
const CertificateView* FindIssuer(const CertificateView& cert,
                                  std::span<const CertificateView> candidates);

// The certificates a precert_entry is built from besides its leaf: the one that signed the leaf
// and, when that is a Precertificate Signing Certificate, the CA that issued it (RFC 6962 §3.1).
// Both point at certificates the caller keeps.
struct IssuerChain {
  const CertificateView* issuer = nullptr;
  const CertificateView* issuer_of_issuer = nullptr;  // used only when `issuer` is a signing cert

  // From a chain as submitted to a log (RFC 6962 §4.1), without the leaf: chain[0] signed the
  // leaf, chain[1] signed chain[0]. Positions are taken as given, no name is compared.
  static IssuerChain InOrder(std::span<const CertificateView> chain);
  // From certificates in any order (a file, a TLS handshake), each found by FindIssuer; the CA
  // above a Precertificate Signing Certificate is looked for only when the issuer is one.
  // `fallback` is the issuer when no candidate is named as it (ctkit verify --issuer).
  static IssuerChain Find(const CertificateView& leaf, std::span<const CertificateView> candidates,
                          const CertificateView* fallback = nullptr);
};

class SignedEntry {
 public:
  // An x509_entry without a certificate: a placeholder (a default TimestampedEntry's) that no
  // builder returns. Its encoding is that of an empty ASN.1Cert, which RFC 6962 does not allow.
  SignedEntry() = default;

  // The two fields that are not the DER. Any value of them encodes; issuer_key_hash is part of
  // a precert_entry only (SHA-256 of the issuing CA's SubjectPublicKeyInfo), and ignored for an
  // x509_entry.
  LogEntryType type = LogEntryType::kX509;
  Sha256Digest issuer_key_hash{};

  // The DER the entry carries: the certificate of an x509_entry, the TBSCertificate of a
  // precert_entry. 1 to 2^24-1 bytes (but 0 for the placeholder).
  size_t der_size() const { return der_size_; }
  Sha256Digest DerSha256() const;
  Bytes CopyDer() const;
  // Calls f(ByteSpan) on each range of the DER, in order, where it lies: for a rebuilt TBS, in
  // the certificate it was rebuilt from but for the re-encoded headers.
  template <typename F>
  void ForEachDerRange(F f) const {
    if (own_der_) {
      f(ByteSpan(*own_der_));
      return;
    }
    for (ByteSpan range : ranges_) f(range);
  }
  // The DER in a shared buffer: the entry's own, with no copy, when it holds one (every entry
  // read from bytes); otherwise a copy. For CertificateView::Parse, which can share it.
  std::shared_ptr<const Bytes> SharedDer() const;

  // The signed_entry's TLS encoding, length prefix (and issuer_key_hash) included: the bytes it
  // occupies in the signed struct above and in a MerkleTreeLeaf.
  size_t encoded_size() const;
  void HashEncoding(Sha256Hasher& hasher) const;
  void AppendEncoding(Bytes& out) const;
  Bytes Encode() const;

  // Same type and same encoding, however either is held.
  bool operator==(const SignedEntry& other) const;

 private:
  friend Result<SignedEntry> X509SignedEntry(ByteSpan certificate_der);
  friend Result<SignedEntry> PrecertSignedEntry(const Sha256Digest& issuer_key_hash,
                                                ByteSpan tbs_der);
  friend Result<SignedEntry> BuildSignedEntry(LogEntryType type, const CertificateView& leaf,
                                              const IssuerChain& issuers);

  // The entry over a DER of `size` bytes, held in `own_der` or as `ranges` (into the caller's
  // certificates and `parts`); kInvalidArgument when the size is outside 1..2^24-1.
  static Result<SignedEntry> Assemble(LogEntryType type, const Sha256Digest& issuer_key_hash,
                                      size_t size, std::shared_ptr<const Bytes> own_der,
                                      std::vector<ByteSpan> ranges = {},
                                      std::vector<Bytes> parts = {});

  size_t der_size_ = 0;
  std::shared_ptr<const Bytes> own_der_;  // the DER, when the entry holds a copy (ranges_ empty)
  std::vector<ByteSpan> ranges_;          // otherwise the DER's ranges, in order
  std::shared_ptr<const std::vector<Bytes>> parts_;  // re-encoded headers that ranges_ point into
};

// An entry from fields one already has (a log's leaf, a test's bytes), copied. kInvalidArgument
// when the DER is empty or longer than 2^24-1 bytes. To build the entry an SCT signs for a
// certificate, use BuildSignedEntry.
Result<SignedEntry> X509SignedEntry(ByteSpan certificate_der);
Result<SignedEntry> PrecertSignedEntry(const Sha256Digest& issuer_key_hash, ByteSpan tbs_der);

// The one builder: the signed_entry of `type` that an SCT for `leaf` signs (the rules above).
// `issuers` is needed for a precert_entry only. Errors: kNotFound when a precert_entry's issuer is
// missing (issuers.issuer null), or `leaf` is a final certificate without an SCT list extension;
// kInvalidArgument when the issuer is a Precertificate Signing Certificate and the CA above it
// is missing, or `leaf` is a final certificate and its issuer a signing certificate (which signs
// only precertificates), or the DER is over 2^24-1 bytes; kMalformed for a poison extension that
// is not critical or not NULL.
Result<SignedEntry> BuildSignedEntry(LogEntryType type, const CertificateView& leaf,
                                     const IssuerChain& issuers = {});

// The type of entry an SCT for `leaf` signs: precert_entry for a precertificate's SCTs and for
// SCTs embedded in a certificate, x509_entry for SCTs delivered with a final certificate in TLS
// or OCSP.
LogEntryType SignedEntryTypeFor(const CertificateView& leaf, SctDelivery delivery);

// The entry an SCT for `leaf` delivered as `delivery` signs, with the issuer (and the CA above a
// Precertificate Signing Certificate) found among `others` in any order: BuildSignedEntry with
// SignedEntryTypeFor and IssuerChain::Find. With the SCT, it gives the leaf hash of the log entry
// and so the entry's place in the log (ct/log_entry.h EntryForSct, LeafHashOf).
Result<SignedEntry> SignedEntryForSct(const CertificateView& leaf,
                                      std::span<const CertificateView> others,
                                      SctDelivery delivery);

// The deduplication key of an issuance: SHA-256 of the TBSCertificate a precert_entry carries for
// `cert` when its issuer signed it directly (no Precertificate Signing Certificate): the TBS with
// the SCT list (final certificate) or the poison extension (precertificate) removed, or as it is
// when it has neither. Equal for a precertificate and the certificate issued from it, so the two
// are recognised as one issuance by the monitor, the mock CA's inventory and the audit.
Sha256Digest DeduplicationTbsHash(const CertificateView& cert);

}  // namespace ctkit
