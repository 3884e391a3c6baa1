// LogClient: the one way ctkit talks to an RFC 6962 log (RFC 6962 §4), over libcurl.
//
//   auto client = LogClient::Create("https://ct.example/2026h1/", key);
//   Result<SignedTreeHead> sth = client->GetSth();             // signature verified
//   Result<std::vector<LogEntry>> entries = client->GetEntries(0, sth->tree_size - 1);
//   for (const LogEntry& e : *entries) client->ProveEntry(e, *sth);
//
// Every byte a log sends is untrusted. Responses are bounded in size, parsed strictly
// (logclient/log_client_json.h) and every failure is an Error whose message starts with the full
// URL that was asked ("log https://ct.example/2026h1/ct/v1/get-sth: ..."):
//   kNetwork             transport failures, timeouts, HTTP errors (after the retries)
//   kNotFound            HTTP 404; for get-proof-by-hash also 400, how several logs say the
//                        hash is not in the tree of that size
//   kMalformed           a body that is not what RFC 6962 says (names the field), entries that
//                        do not fit the range asked
//   kTooLarge            a response larger than max_response_bytes, a field over its cap
//   kUnsupported         a structure version ctkit does not know (e.g. an SCT that is not v1)
//   kVerificationFailed  a tree head signature, SCT signature or proof that does not hold
//   kInvalidArgument     the caller's request makes no sense (start > end, index >= tree_size)
//
// Robustness is logclient/http_fetcher.h's: connect and total timeouts per attempt; retries with
// exponential backoff and jitter for transport errors and HTTP 408/429/500/502/503/504; a
// Retry-After header on 429 and 503 (seconds or an HTTP date) replaces the backoff, capped at
// max_retry_after; an optional requests-per-second cap (token bucket) that also paces retries.
// One connection per client is kept alive between requests (HTTP keep-alive).
//
// Thread safety: all methods may be called from several threads; requests are serialized on the
// client's one connection by a mutex (waits for backoff and rate limits included). To fetch in
// parallel, use one client per thread, each with its own connection.
//
// Keys: with a key, GetSth() verifies the head's signature (RFC 6962 §3.5) and the convenience
// verifiers re-check the heads they are given; AddChain/AddPreChain check the returned SCT's
// log id and signature. Without one (nullptr: unauthenticated use), GetSth() refuses with
// kInvalidArgument: a head whose signature was not checked is no evidence (docs/security.md,
// "What ctkit trusts"), so reading one must be explicit, through GetUnverifiedSth().

#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "ct/log_entry.h"
#include "ct/log_key.h"
#include "ct/sct.h"
#include "ct/signed_tree_head.h"
#include "logclient/http_fetcher.h"
#include "logclient/log_client_json.h"
#include "logclient/log_reader.h"
#include "merkle/merkle_hash.h"

namespace ctkit {

// LogClientOptions and LogClientStats live in logclient/http_fetcher.h, shared with the
// static-ct-api client.

class LogClient : public LogReader {
 public:
  // `base_url` is the log's URL as log lists give it ("https://ct.googleapis.com/logs/us1/
  // argon2026h1/"), with or without the trailing slash; http and https only. `key` may be null
  // (see the file comment). kInvalidArgument for a bad URL or options, kInternal if libcurl
  // cannot start.
  static Result<LogClient> Create(std::string base_url, std::shared_ptr<const LogKey> key,
                                  LogClientOptions options = {});

  ~LogClient() override;
  LogClient(LogClient&&) noexcept;
  LogClient& operator=(LogClient&&) noexcept;

  const std::string& base_url() const override;  // always ends with '/'
  const std::shared_ptr<const LogKey>& key() const;
  LogClientStats http_stats() const override;

  // RFC 6962 §4.3 get-sth, signature verified under the key (kInvalidArgument without one).
  // A head of size 0 must carry the empty tree's root (RFC 6962 §2.1).
  Result<SignedTreeHead> GetSth() override;
  // get-sth, parsed but not verified: for unauthenticated use only.
  Result<SignedTreeHead> GetUnverifiedSth();

  // §4.4 get-sth-consistency: the proof nodes between two sizes. first == second needs no proof
  // and returns none without asking; first == 0 or first > second is kInvalidArgument (a
  // proof from the empty tree proves nothing, merkle/merkle_verify.h).
  Result<std::vector<MerkleHash>> GetSthConsistency(uint64_t first, uint64_t second) override;

  // §4.5 get-proof-by-hash: where the log says `leaf_hash` is in its tree of `tree_size`, and
  // the audit path. Not verified (ProveInclusion does that); a leaf_index >= tree_size is
  // kMalformed, and a hash the log does not have in that tree kNotFound.
  Result<InclusionProof> GetProofByHash(const MerkleHash& leaf_hash, uint64_t tree_size);

  // One §4.6 get-entries request from `start`, at most to `end` (inclusive, as in the RFC) and
  // to the end of start's batch_size-aligned batch; returns at least one entry, maybe fewer
  // than asked. Each entry is parsed and its leaf hash recomputed. Too many entries, or none
  // where some were due, is kMalformed. LogReader::GetEntries loops over it for a whole range.
  Result<std::vector<LogEntry>> GetEntriesBatch(uint64_t start, uint64_t end) override;

  // §4.8 get-entry-and-proof. Not verified (the entry is as served; ProveEntry verifies).
  Result<EntryAndProof> GetEntryAndProof(uint64_t index, uint64_t tree_size) override;

  // §4.7 get-roots: DER of each accepted root.
  Result<std::vector<Bytes>> GetRoots();

  // §4.1 add-chain and §4.2 add-pre-chain: submits the chain (leaf or precertificate first) and
  // returns the log's SCT. With a key, the SCT must carry the key's log id and its signature
  // must verify over the submitted entry (§3.2), else kVerificationFailed. Chains are checked
  // for that locally before sending: kInvalidArgument for an empty chain, and for a pre-chain
  // whose precertificate entry cannot be built (ct/signed_entry.h).
  Result<SignedCertificateTimestamp> AddChain(std::span<const Bytes> chain_der);
  Result<SignedCertificateTimestamp> AddPreChain(std::span<const Bytes> chain_der);

  // Proves that `new_sth` extends `old_sth` (RFC 6962 §2.1.2) by fetching and verifying the
  // consistency proof. A smaller new head is kVerificationFailed (a log never shrinks); equal
  // sizes need equal roots and no request. An old head of size 0 succeeds without a request:
  // every tree extends the empty one, so there is nothing to prove (and merkle_verify.h
  // refuses such proofs). With a key, both heads' signatures are checked first.
  Result<void> VerifyConsistencyBetween(const SignedTreeHead& old_sth,
                                        const SignedTreeHead& new_sth) override;

  // Proves that `leaf_hash` is in the tree of `sth` (RFC 6962 §2.1.1) with get-proof-by-hash;
  // returns its index. With a key, `sth`'s signature is checked first.
  Result<uint64_t> ProveInclusion(const MerkleHash& leaf_hash, const SignedTreeHead& sth);

  // Proves that `entry` (from GetEntries) is in the tree of `sth` at entry.index, so a log
  // cannot serve entries from elsewhere as the range asked for. Uses get-proof-by-hash; if the
  // log reports another index for the same leaf (a duplicate), falls back to
  // get-entry-and-proof at entry.index.
  Result<void> ProveEntry(const LogEntry& entry, const SignedTreeHead& sth);

 private:
  struct Impl;
  explicit LogClient(std::unique_ptr<Impl> impl);
  Result<SignedCertificateTimestamp> SubmitChain(const std::string& url,
                                                 std::span<const Bytes> chain_der,
                                                 const SignedEntry& entry);
  std::unique_ptr<Impl> impl_;
};

// ParseRetryAfter and BackoffDelay: logclient/http_fetcher.h; TokenBucket: base/token_bucket.h.

}  // namespace ctkit
