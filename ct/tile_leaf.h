// Data tiles of a static-ct-api log (c2sp.org/static-ct-api "Log entries"): the log's entries,
// 256 to a full tile (ct/tile_path.h), each encoded as
//
//   struct {
//     TimestampedEntry timestamped_entry;          // RFC 6962 §3.4, as in the MerkleTreeLeaf
//     select (entry_type) {
//       case x509_entry: Empty;
//       case precert_entry: ASN.1Cert pre_certificate;   // opaque <1..2^24-1>
//     };
//     Fingerprint certificate_chain<0..2^16-1>;    // opaque Fingerprint[32]
//   } TileLeaf;
//
// The leaf hash of an entry is HashLeaf(MerkleTreeLeaf(timestamped_entry)) (LeafHashOf in
// ct/log_entry.h), so a data tile is checked against the level 0 hash tile of the same index.
// certificate_chain holds the SHA-256 of each issuer submitted with the entry (RFC 6962 §3.1
// certificate_chain / precertificate_chain); the certificates themselves are served by the log at
// issuer/<lowercase hex fingerprint>.
//
// Parsing is strict (exact lengths, nothing left over) and bounded: tiles come from logs.

#pragma once

#include <cstddef>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "base/sha256.h"
#include "ct/log_entry.h"

namespace ctkit {

struct TileLeaf {
  TimestampedEntry timestamped_entry;
  Bytes pre_certificate;                        // precert_entry only: the precertificate DER
  std::vector<Sha256Digest> certificate_chain;  // issuer fingerprints, in submission order

  bool operator==(const TileLeaf&) const = default;
};

// The TileLeaf of a stored RFC 6962 entry: its MerkleTreeLeaf (`leaf_input`) and `extra_data`
// (RFC 6962 §4.6). kMalformed if either does not parse.
Result<TileLeaf> TileLeafFromLogEntry(ByteSpan leaf_input, ByteSpan extra_data);

// Appends the encoding of `leaf` to `tile` (kInvalidArgument if a field does not fit; `tile` is
// then unchanged).
Result<void> AppendTileLeaf(const TileLeaf& leaf, Bytes& tile);

// Parses a data tile of exactly `width` entries (1..256, the width its path names).
Result<std::vector<TileLeaf>> ParseDataTile(ByteSpan tile, size_t width);

}  // namespace ctkit
