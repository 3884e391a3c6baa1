// Verifying an SCT's signature (RFC 6962 §3.2) against the known log keys.
//
// The log signs:
//   digitally-signed struct {
//     Version sct_version;
//     SignatureType signature_type = certificate_timestamp;   // 0
//     uint64 timestamp;
//     LogEntryType entry_type;
//     select(entry_type) {
//       case x509_entry: ASN.1Cert;                           // opaque <1..2^24-1>
//       case precert_entry: PreCert;                          // issuer_key_hash[32] + TBS
//     } signed_entry;
//     CtExtensions extensions;
//   };
//
// The caller supplies the signed_entry already built (SignedEntry): the leaf certificate's DER
// for an SCT delivered in TLS or OCSP, or for an embedded SCT the precertificate TBS rebuilt
// from the final certificate (x509/precert.h) and SHA-256 of the issuer's SPKI. Build it once per
// certificate and verify all of its SCTs against it.

#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "base/sha256.h"
#include "ct/log_key.h"
#include "ct/sct.h"

namespace ctkit {

// RFC 6962 §3.1: `enum { x509_entry(0), precert_entry(1), (65535) } LogEntryType;`
enum class LogEntryType : uint16_t { kX509 = 0, kPrecert = 1 };

// RFC 6962 §3.2: `enum { certificate_timestamp(0), tree_hash(1), (255) } SignatureType;`
inline constexpr uint8_t kSignatureTypeCertificateTimestamp = 0;

// The signed_entry of an SCT: its type, and the TLS encoding of the selected variant (length
// prefixes included), exactly as it appears in the signed input.
struct SignedEntry {
  LogEntryType type = LogEntryType::kX509;
  Bytes encoded;

  bool operator==(const SignedEntry&) const = default;
};

// x509_entry: `opaque ASN.1Cert<1..2^24-1>` over the certificate's DER (kInvalidArgument if
// empty or too long).
Result<SignedEntry> X509SignedEntry(ByteSpan certificate_der);

// precert_entry: `struct { opaque issuer_key_hash[32]; TBSCertificate tbs_certificate; }` with
// TBSCertificate `opaque <1..2^24-1>`; issuer_key_hash is SHA-256 of the issuer's DER SPKI.
Result<SignedEntry> PrecertSignedEntry(const Sha256Digest& issuer_key_hash, ByteSpan tbs_der);

// A signed_entry's encoding as byte ranges, without a copy of the certificate or TBS it covers:
// the TLS fields before it (`prefix`), then `body`, the ranges that concatenated are the DER.
// The ranges point into buffers the caller keeps alive (a CertificateView, x509/precert.h
// TbsPieces). Concatenate() == SignedEntry::encoded of the same entry.
struct SignedEntryPieces {
  LogEntryType type = LogEntryType::kX509;
  // x509_entry: the certificate's 24-bit length; precert_entry: issuer_key_hash, then the TBS's
  // 24-bit length.
  std::array<uint8_t, 32 + 3> prefix{};
  size_t prefix_size = 0;
  std::vector<ByteSpan> body;

  Bytes Concatenate() const;
};

// As X509SignedEntry and PrecertSignedEntry (same bounds, same errors), in pieces. `tbs_ranges`
// concatenated are the TBSCertificate.
Result<SignedEntryPieces> X509SignedEntryPieces(ByteSpan certificate_der);
Result<SignedEntryPieces> PrecertSignedEntryPieces(const Sha256Digest& issuer_key_hash,
                                                   std::span<const ByteSpan> tbs_ranges);

// The exact bytes the log signed for `sct` over `entry` (kInvalidArgument if `sct` is not v1 or
// its extensions exceed 2^16-1 bytes). VerifySct hashes the same bytes without building them.
Result<Bytes> BuildSctSignatureInput(const SignedCertificateTimestamp& sct,
                                     const SignedEntry& entry);

enum class SctStatus {
  kValid,                 // signature verifies, timestamp not in the future
  kUnknownLog,            // no key in the keyring has the SCT's log_id
  kInvalidSignature,      // well-formed, but the signature does not verify over the entry
                          // under the log's key, or claims an algorithm that is not the key's
  kFutureTimestamp,       // signature verifies, but the timestamp is later than now
  kUnsupportedVersion,    // sct_version is not v1
  kMalformed,             // the SCT's bytes do not parse
  kUnsupportedAlgorithm,  // from no known log, signed with an algorithm RFC 6962 §2.1.4 allows
                          // no log and ctkit does not implement (e.g. SHA-384 with P-384)
  kUntrustedAtTime,       // set by log-list policy, not here: the log was not trusted then
  kUnverifiableNoIssuer,  // set by the certificate verifier, not here: an embedded (precert)
                          // SCT whose issuer certificate was not supplied, so the signed entry
                          // (issuer_key_hash) cannot be built; neither valid nor invalid
};

// Stable lowercase names for output: "valid", "unknown_log", "invalid_signature", ...
std::string_view SctStatusName(SctStatus status);

// Verifies `sct` over `entry` with the key from `keyring` that has the SCT's log_id. With
// `now_ms`, a valid SCT whose timestamp is later is kFutureTimestamp; without it, time is not
// checked. Checks in order: version, log, signature, time; the first failure is the status.
// The log's key fixes the algorithms: an SCT of a known log whose DigitallySigned names another
// hash or signature algorithm (SHA-1 on a P-256/SHA-256 log) is kInvalidSignature, since it
// cannot be the log's. An SCT of no known log signed with an algorithm RFC 6962 §2.1.4 allows
// no log (SHA-384, P-384: refused by browsers too) is kUnsupportedAlgorithm rather than
// kUnknownLog, even where the signature is mathematically sound.
SctStatus VerifySct(const SignedCertificateTimestamp& sct, const SignedEntry& entry,
                    const LogKeyring& keyring, std::optional<uint64_t> now_ms);

// SHA-256 of BuildSctSignatureInput(sct, entry) for the entry `entry` holds in pieces, hashed
// range by range (no copy). `sct` must be v1 with extensions of at most 2^16-1 bytes.
Sha256Digest SctSignatureInputDigest(const SignedCertificateTimestamp& sct,
                                     const SignedEntryPieces& entry);

// As VerifySct over the entry in pieces: the same checks and statuses.
SctStatus VerifySct(const SignedCertificateTimestamp& sct, const SignedEntryPieces& entry,
                    const LogKeyring& keyring, std::optional<uint64_t> now_ms);

// As VerifySct for an SCT still in its serialized form (one SerializedSCT of a list, a TLS
// extension's or an OCSP response's SCT): kMalformed or kUnsupportedVersion if it does not parse.
SctStatus VerifySerializedSct(ByteSpan serialized_sct, const SignedEntry& entry,
                              const LogKeyring& keyring, std::optional<uint64_t> now_ms);

}  // namespace ctkit
