// Log entries as RFC 6962 §3.4 and §4.6 define them: the MerkleTreeLeaf a log hashes into its
// tree (`leaf_input` of get-entries) and the chain it stores beside it (`extra_data`).
//
//   struct {
//     uint64 timestamp;
//     LogEntryType entry_type;
//     select(entry_type) {
//       case x509_entry: ASN.1Cert;          // opaque <1..2^24-1>
//       case precert_entry: PreCert;         // opaque issuer_key_hash[32]; TBSCertificate
//       <1..2^24-1>
//     } signed_entry;
//     CtExtensions extensions;               // opaque <0..2^16-1>
//   } TimestampedEntry;
//   struct { Version version; MerkleLeafType leaf_type; TimestampedEntry timestamped_entry; }
//     MerkleTreeLeaf;                        // version v1(0), leaf_type timestamped_entry(0)
//
// For a v1 SCT the bytes a log signs (sct_verify.h) and the MerkleTreeLeaf are the same: both
// start with two zero bytes (v1 / certificate_timestamp, v1 / timestamped_entry) followed by the
// TimestampedEntry fields. So the leaf hash of an entry follows from its SCT, which is how an
// SCT is found in a log (get-proof-by-hash).
//
// Parsing is strict (exact lengths, no trailing bytes) and bounded: entries come from logs.

#pragma once

#include <cstdint>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "base/sha256.h"
#include "ct/sct.h"
#include "ct/sct_verify.h"
#include "ct/signed_entry.h"
#include "merkle/merkle_hash.h"

namespace ctkit {

struct TimestampedEntry {
  uint64_t timestamp_ms = 0;
  // Decoded (ct/signed_entry.h): its type, issuer_key_hash, and the certificate or TBS, as SCTs
  // are verified over. Parsed from a leaf it holds its own copy of the certificate or TBS.
  SignedEntry signed_entry;
  Bytes extensions;  // CtExtensions, e.g. static-ct-api leaf_index

  bool operator==(const TimestampedEntry&) const = default;
};

// Decodes every field once, the signed_entry included: what the entry is about is read from
// the result, never parsed again.
Result<TimestampedEntry> ParseMerkleTreeLeaf(ByteSpan leaf_input);
Result<Bytes> SerializeMerkleTreeLeaf(const TimestampedEntry& entry);

// The leaf hash of an entry: HashLeaf(MerkleTreeLeaf).
Result<MerkleHash> LeafHashOf(const TimestampedEntry& entry);

// The entry an SCT promises: its timestamp and extensions with the signed entry it covers.
TimestampedEntry EntryForSct(const SignedCertificateTimestamp& sct, SignedEntry signed_entry);

// RFC 6962 §4.6 extra_data:
//   x509_entry:    ASN.1Cert certificate_chain<0..2^24-1>;
//   precert_entry: struct { ASN.1Cert pre_certificate; ASN.1Cert precertificate_chain<0..2^24-1>; }
struct EntryChain {
  Bytes pre_certificate;     // precert_entry only: the precertificate as submitted
  std::vector<Bytes> chain;  // issuer first, up to the root
};

Result<EntryChain> ParseExtraData(LogEntryType type, ByteSpan extra_data);
// The same checks without copying anything (what a monitor needs for every entry): the
// pre_certificate as a view into `extra_data`, empty for an x509_entry.
Result<ByteSpan> CheckExtraData(LogEntryType type, ByteSpan extra_data);
Result<Bytes> SerializeExtraData(LogEntryType type, const EntryChain& chain);

}  // namespace ctkit
