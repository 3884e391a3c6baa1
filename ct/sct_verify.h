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
// The caller supplies the signed_entry already built (ct/signed_entry.h BuildSignedEntry): the
// leaf certificate's DER for an SCT delivered in TLS or OCSP, or for an embedded SCT the
// precertificate TBS rebuilt from the final certificate and SHA-256 of the issuer's SPKI. Build it
// once per certificate and verify all of its SCTs against it: it is hashed where it lies, with no
// copy of the certificate or TBS.

#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"
#include "ct/log_key.h"
#include "ct/sct.h"
#include "ct/signed_entry.h"

namespace ctkit {

// RFC 6962 §3.2: `enum { certificate_timestamp(0), tree_hash(1), (255) } SignatureType;`
inline constexpr uint8_t kSignatureTypeCertificateTimestamp = 0;

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

// As VerifySct for an SCT still in its serialized form (one SerializedSCT of a list, a TLS
// extension's or an OCSP response's SCT): kMalformed or kUnsupportedVersion if it does not parse.
SctStatus VerifySerializedSct(ByteSpan serialized_sct, const SignedEntry& entry,
                              const LogKeyring& keyring, std::optional<uint64_t> now_ms);

}  // namespace ctkit
