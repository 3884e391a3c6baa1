// The JSON bodies of the RFC 6962 §4 log API, parsed into typed values by pure functions (body
// text in, value or Error out), so every response format is unit-testable without a network.
//
// Everything here reads untrusted input: each function parses with a bounded nesting depth
// (ct/json_input.h), requires every field with its exact JSON type, decodes base64 strictly
// (base/bytes.h), and bounds every count and decoded size before decoding. Errors are kMalformed
// (kUnsupported for a version ctkit does not know) and name the field: "entries[3].leaf_input:
// not base64". The log client (logclient/log_client.h) adds the log URL in front.

#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "ct/log_entry.h"
#include "ct/sct.h"
#include "merkle/merkle_hash.h"

namespace ctkit {

// A proof for a tree of fewer than 2^64 leaves has at most 64 nodes (inclusion) or 65
// (consistency, RFC 9162 §2.1.4.1); anything longer is refused before decoding. The verifiers
// (merkle/merkle_verify.h) then require the exact count.
inline constexpr size_t kMaxProofNodes = 65;
// Decoded-size bounds per field: far above any real certificate or chain (the largest logged
// certificates are a few hundred kilobytes), far below what would exhaust memory.
inline constexpr size_t kMaxLeafInputBytes = 1 << 20;
inline constexpr size_t kMaxExtraDataBytes = 4 << 20;
inline constexpr size_t kMaxRootCertificateBytes = 1 << 20;
// get-roots: the busiest public logs accept well under a thousand roots.
inline constexpr size_t kMaxRoots = 10000;

// One log entry as get-entries (RFC 6962 §4.6) or get-entry-and-proof (§4.8) serve it, parsed:
// `leaf_input` is a MerkleTreeLeaf (§3.4) and `extra_data` the chain stored beside it.
struct LogEntry {
  uint64_t index = 0;      // position in the log, from the request (a response carries none)
  Bytes leaf_input;        // exactly as served
  Bytes extra_data;        // exactly as served
  TimestampedEntry entry;  // leaf_input, parsed
  MerkleHash leaf_hash{};  // HashLeaf(leaf_input) (RFC 6962 §2.1), recomputed, never served
  // Empty for a well-formed entry. Otherwise why leaf_input or extra_data did not parse (only
  // from MakeLenientLogEntry): `entry` holds what did parse, leaf_hash is still right.
  std::string parse_error;
  // The entry's bytes could not be read within the caps (a monitor's placeholder,
  // monitor/batch_prefetcher.h): parse_error says why, leaf_input and extra_data are empty, and
  // leaf_hash is unset until learned without the bytes (LogReader::LeafHashWithoutEntry).
  bool unreadable = false;

  // extra_data is checked when the entry is made but parsed into copies only on demand: a
  // monitor reads the chain of the few entries it reports, not of the millions it passes.
  // extra_data parsed for entry's type (ParseExtraData); kMalformed with parse_error if set.
  Result<EntryChain> chain() const;
  // The precertificate in extra_data (precert_entry), as a view into extra_data; empty for an
  // x509_entry or an entry with parse_error.
  ByteSpan pre_certificate() const;
};

// Parses both halves of an entry and computes its leaf hash. A leaf_input that is not one
// MerkleTreeLeaf, or an extra_data that does not fit its entry type, is an error.
Result<LogEntry> MakeLogEntry(uint64_t index, Bytes leaf_input, Bytes extra_data);

// The same, but an entry that does not parse is returned with `parse_error` set instead of
// failing: a log's tree may hold such an entry, and a monitor must hash it into its compact
// range and report it rather than stall on it or skip it.
LogEntry MakeLenientLogEntry(uint64_t index, Bytes leaf_input, Bytes extra_data);

// A get-entries item before parsing.
struct RawLogEntry {
  Bytes leaf_input;
  Bytes extra_data;

  bool operator==(const RawLogEntry&) const = default;
};

// RFC 6962 §4.6: {"entries": [{"leaf_input": b64, "extra_data": b64}, ...]}. More than
// `max_entries` items is an error (a log must not answer more than it was asked for).
// Canonical bodies take a one-pass fast path (logclient/get_entries_scanner.h); others are parsed
// as a JSON tree, with the same result.
Result<std::vector<RawLogEntry>> ParseGetEntriesResponse(std::string_view body, size_t max_entries);
// The same through the JSON tree only, for tests and fuzzers that compare the two paths.
Result<std::vector<RawLogEntry>> ParseGetEntriesResponseWithJsonTree(std::string_view body,
                                                                     size_t max_entries);

// RFC 6962 §4.4: {"consistency": [b64 node, ...]}.
Result<std::vector<MerkleHash>> ParseGetSthConsistencyResponse(std::string_view body);

// RFC 6962 §4.5: {"leaf_index": n, "audit_path": [b64 node, ...]}.
struct InclusionProof {
  uint64_t leaf_index = 0;
  std::vector<MerkleHash> audit_path;

  bool operator==(const InclusionProof&) const = default;
};
Result<InclusionProof> ParseGetProofByHashResponse(std::string_view body);

// RFC 6962 §4.8: {"leaf_input": b64, "extra_data": b64, "audit_path": [b64 node, ...]}.
struct RawEntryAndProof {
  RawLogEntry entry;
  std::vector<MerkleHash> audit_path;
};
Result<RawEntryAndProof> ParseGetEntryAndProofResponse(std::string_view body);

// RFC 6962 §4.7: {"certificates": [b64 DER, ...]}; returns the DER of each.
Result<std::vector<Bytes>> ParseGetRootsResponse(std::string_view body);

// RFC 6962 §4.1-4.2 add-chain / add-pre-chain response: {"sct_version": 0, "id": b64 (32 bytes),
// "timestamp": n, "extensions": b64, "signature": b64 TLS DigitallySigned}. kUnsupported for an
// sct_version other than v1.
Result<SignedCertificateTimestamp> ParseAddChainResponse(std::string_view body);

// RFC 6962 §4.1 request body: {"chain": [b64 DER, ...]}, the submitted certificate first.
std::string AddChainRequestJson(std::span<const Bytes> chain_der);

}  // namespace ctkit
