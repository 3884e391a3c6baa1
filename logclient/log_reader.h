// LogReader: what a log tailer needs from a CT log, whichever API the log speaks.
//
// An RFC 6962 log (logclient/log_client.h, get-sth / get-entries / get-sth-consistency) and a
// static-ct-api log (checkpoint / data tiles / hash tiles) answer the same three questions, so
// the monitor reads both through this interface and cannot tell them apart:
//
//   Result<SignedTreeHead> head = reader.GetSth();            // signature verified
//   Result<std::vector<LogEntry>> batch = reader.GetEntriesBatch(next, head->tree_size - 1);
//   reader.VerifyConsistencyBetween(previous_head, *head);      // proof fetched and verified
//
// Entries are as served and unproven: callers hash them into a compact range and compare the
// root with a verified head (RFC 6962 §2.1) before trusting any of them.

#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/error.h"
#include "ct/log_key.h"
#include "ct/signed_tree_head.h"
#include "logclient/http_fetcher.h"
#include "logclient/log_client_json.h"
#include "merkle/merkle_hash.h"

namespace ctkit {

// get-entry-and-proof (RFC 6962 §4.8): the entry at an index and its audit path.
struct EntryAndProof {
  LogEntry entry;
  std::vector<MerkleHash> audit_path;
};

class LogReader {
 public:
  virtual ~LogReader() = default;

  // The log's URL (RFC 6962 base URL or static-ct-api monitoring prefix), ending with '/'.
  virtual const std::string& base_url() const = 0;

  // The latest tree head, its signature verified under the log's key.
  virtual Result<SignedTreeHead> GetSth() = 0;

  // Entries from `start`, at most to `end` (inclusive), at least one: a log may answer fewer
  // than asked (short reads), so callers loop. Each entry is parsed and its leaf hash computed.
  virtual Result<std::vector<LogEntry>> GetEntriesBatch(uint64_t start, uint64_t end) = 0;

  // [start, end] in full: GetEntriesBatch in a loop over short reads, never asking past `end`
  // (callers pass an end below a verified tree size). The whole range is held in memory; page
  // long ranges through calls of a few thousand entries.
  Result<std::vector<LogEntry>> GetEntries(uint64_t start, uint64_t end);

  // The consistency proof between the trees of sizes `first` and `second` (RFC 6962 §2.1.2),
  // as served, unverified (merkle/merkle_verify.h checks it). first == second returns no nodes;
  // first == 0 or first > second is kInvalidArgument. A monitor also uses it to prove a prefix
  // of entries it hashed itself belongs to a verified head of a larger tree.
  virtual Result<std::vector<MerkleHash>> GetSthConsistency(uint64_t first, uint64_t second) = 0;

  // The entry at `index` and its audit path in the tree of `tree_size` (RFC 6962 §4.8), as
  // served, unverified. The audit path of the last leaf of a tree holds the whole frontier of the
  // tree before it, which is how a monitor starts at the end of a log without reading it all.
  virtual Result<EntryAndProof> GetEntryAndProof(uint64_t index, uint64_t tree_size) = 0;

  // The leaf hash of the entry at `index` of the tree of `head`, learned without reading the
  // entry: for an entry too large to read within the caps. Element LeafElement
  // (merkle/merkle_proof_plan.h) of the consistency proof from `index` to `index + 1` (RFC 6962
  // §2.1.2), or for entry 0 of leaf 1's audit path (the root itself in a tree of one leaf).
  // Unproven, as served: the caller appends it to its compact range and proves the root, as for
  // any entry it read.
  Result<MerkleHash> LeafHashWithoutEntry(uint64_t index, const SignedTreeHead& head);

  // Proves that `new_sth` extends `old_sth` (RFC 6962 §2.1.2); both must be verified heads.
  virtual Result<void> VerifyConsistencyBetween(const SignedTreeHead& old_sth,
                                                const SignedTreeHead& new_sth) = 0;

  // The HTTP requests this reader has made since it was created, retries included
  // (logclient/http_fetcher.h), whichever API it speaks: what a monitor reports per log.
  // Thread-safe, also while a request waits.
  virtual LogClientStats http_stats() const = 0;
};

// A failed check from merkle/merkle_verify.h, reported as the log's fault (kVerificationFailed,
// "WHAT: why"): a proof with the wrong number of nodes is as bad as one with the wrong root.
Error ProofFailure(const Error& error, const std::string& what);

// RFC 6962 §2.1.2 between two heads of one log, whose signatures the caller checked: a tree
// never shrinks, one size has one root, and a larger tree extends a smaller one by the
// consistency proof `fetch_proof` gives (not asked for a size-0 or an equal-size pair). Errors
// start with `log` ("log URL"); a proof that fails is "LOG: PROOF_NAME from A to B: why".
using ConsistencyProofFetch =
    std::function<Result<std::vector<MerkleHash>>(uint64_t first, uint64_t second)>;
Result<void> VerifyHeadsConsistent(const SignedTreeHead& old_sth, const SignedTreeHead& new_sth,
                                   const std::string& log, const std::string& proof_name,
                                   const ConsistencyProofFetch& fetch_proof);

}  // namespace ctkit
