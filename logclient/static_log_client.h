// StaticLogClient: reads a static-ct-api log (c2sp.org/static-ct-api, built on c2sp.org/tlog-tiles,
// c2sp.org/signed-note and c2sp.org/tlog-checkpoint) over HTTP, through the same LogReader
// interface as the RFC 6962 client, so a monitor cannot tell the two APIs apart:
//
//   auto client = StaticLogClient::Create("https://log.example/2026h1/", key,
//                                         {.origin = "log.example/2026h1"});
//   Result<SignedTreeHead> head = client->GetSth();     // checkpoint, signature verified
//   Result<std::vector<LogEntry>> batch = client->GetEntriesBatch(0, head->tree_size - 1);
//   client->VerifyConsistencyBetween(old_head, *head);  // proof built from hash tiles
//
// Resources, relative to the monitoring prefix (static-ct-api "Monitoring APIs"):
//   checkpoint               the latest signed tree head, a signed note (ct/checkpoint.h)
//   tile/<L>/<N>[.p/<W>]     hash tiles (ct/tile_path.h)
//   tile/data/<N>[.p/<W>]    data tiles (ct/tile_leaf.h)
//   issuer/<hex SHA-256>     the chain certificates data tiles name by fingerprint
//
// What is checked:
//   - checkpoint: a strict signed note whose signature by the log's RFC 6962 key (note signature
//     type 0x05, key name = origin) verifies; the origin must be the expected one when given
//     (options.origin), and a size-0 tree must have the empty root (RFC 6962 §2.1).
//   - tiles: exactly 32 * width bytes (hash tiles) or exactly `width` TileLeaf entries (data
//     tiles), after undoing gzip (Content-Encoding, or a stored .gz body recognised by its magic
//     number), all bounded. A partial tile that is gone (404) is read from the full tile instead
//     (tlog-tiles "Partial Tiles": logs may delete partial tiles once the full one exists).
//   - entries: each data tile entry becomes the LogEntry get-entries would serve (leaf_input =
//     the MerkleTreeLeaf of its TimestampedEntry, extra_data = the RFC 6962 §4.6 extra_data
//     built from pre_certificate and the issuers fetched by fingerprint), and the leaf hash is
//     recomputed. A leaf_index extension (static-ct-api "SCT Extension") that names another
//     index is kVerificationFailed. Every issuer must hash to its fingerprint.
//   - proofs: inclusion and consistency proofs are assembled from hash tiles
//   (merkle/merkle_proof_plan.h)
//     and verified against the heads' roots (merkle/merkle_verify.h).
// What is not checked here: that served entries belong to the signed tree. As for get-entries,
// entries are unproven (logclient/log_reader.h): callers hash them into a compact range and compare
// the root with a verified checkpoint, or prove them one by one (ProveEntry). With
// options.check_data_tiles, each data tile is also compared with the level-0 hash tile of the same
// index, which names a log whose two views disagree early but authenticates nothing by itself.
//
// Errors start with the log and the URL asked ("log https://log.example/tile/data/000: ..."):
// kNetwork / kNotFound (transport, HTTP status), kTooLarge (a body over its bound, inflated or
// not), kMalformed (a body that is not what the spec says, bad gzip), kVerificationFailed
// (signature, origin, fingerprint, proof, leaf_index), kInvalidArgument (the caller's request makes
// no sense). Robustness (retries, backoff with jitter, Retry-After, rate cap, keep-alive, bounded
// bodies) is logclient/http_fetcher.h's, shared with logclient/log_client.h.
//
// Keys: with a key, GetSth() verifies. Without one (nullptr), GetSth() refuses with
// kInvalidArgument; GetEntriesBatch still works, using the unverified checkpoint only to choose
// tile widths (entries are unproven either way).
//
// Thread safety: as LogClient; requests are serialized, caches are guarded.

#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "base/sha256.h"
#include "ct/log_key.h"
#include "ct/signed_tree_head.h"
#include "ct/tile_leaf.h"
#include "logclient/http_fetcher.h"
#include "logclient/log_client.h"  // EntryAndProof
#include "logclient/log_client_json.h"
#include "logclient/log_reader.h"
#include "merkle/merkle_hash.h"

namespace ctkit {

// An issuer certificate is far below this; a larger answer is refused.
inline constexpr size_t kMaxIssuerBytes = 1 << 20;

struct StaticLogClientOptions {
  LogClientOptions http;  // batch_size is unused: a batch is what one data tile holds
  // The checkpoint origin (static-ct-api: the submission prefix without scheme or trailing
  // slash). Empty: take the origin the checkpoint names (its signature is still checked under
  // that key name), for logs whose origin is not known to the caller.
  std::string origin;
  // A directory keeping issuer certificates as <dir>/<lowercase hex SHA-256> between runs; empty:
  // memory only. Files are checked against their name when read, and refetched if they differ.
  std::string issuer_cache_dir;
  // Also fetch the level-0 hash tile for each data tile and compare leaf hashes (see above).
  bool check_data_tiles = false;
  size_t max_cached_tiles = 512;              // hash tiles kept in memory (8 KiB each at most)
  size_t max_cached_issuers = 4096;           // issuers kept in memory
  size_t max_cached_issuer_bytes = 16 << 20;  // and their DER bytes, together
};

// The latest checkpoint, verified.
struct StaticCheckpoint {
  SignedTreeHead head;  // size, root, timestamp and the RFC 6962 signature it carries
  std::string origin;
  std::string note;  // as served
};

struct StaticLogClientStats {
  LogClientStats http;
  uint64_t issuer_fetches = 0;     // issuer/<hex> requests
  uint64_t issuer_disk_hits = 0;   // issuers read from issuer_cache_dir
  uint64_t hash_tile_fetches = 0;  // tile/<L>/... requests that answered
  uint64_t data_tile_fetches = 0;  // tile/data/... requests that answered
};

class StaticLogClient : public LogReader {
 public:
  // `monitoring_url` is the log's monitoring prefix (a log list's `monitoring_url`), with or
  // without the trailing slash; http and https only. kInvalidArgument for a bad URL or options.
  static Result<StaticLogClient> Create(std::string monitoring_url,
                                        std::shared_ptr<const LogKey> key,
                                        StaticLogClientOptions options = {});

  ~StaticLogClient() override;
  StaticLogClient(StaticLogClient&&) noexcept;
  StaticLogClient& operator=(StaticLogClient&&) noexcept;

  const std::string& base_url() const override;  // always ends with '/'
  const std::shared_ptr<const LogKey>& key() const;
  StaticLogClientStats stats() const;
  LogClientStats http_stats() const override;  // stats().http

  // The checkpoint as served, not verified (for showing what a log said that did not verify).
  Result<std::string> GetCheckpointNote();
  // The checkpoint, verified (kInvalidArgument without a key).
  Result<StaticCheckpoint> GetCheckpoint();
  // GetCheckpoint()'s head.
  Result<SignedTreeHead> GetSth() override;

  // The hashes of hash tile (level, index) of width 1..256 (ct/tile_path.h), from the cache or
  // the log.
  Result<std::vector<MerkleHash>> GetHashTile(int level, uint64_t index, uint32_t width);
  // The entries of data tile `index` of width 1..256, parsed.
  Result<std::vector<TileLeaf>> GetDataTile(uint64_t index, uint32_t width);
  // The issuer with this fingerprint, from the cache or the log; its SHA-256 is checked.
  Result<Bytes> GetIssuer(const Sha256Digest& fingerprint);

  // Entries from `start`, at most to `end` and to the end of start's data tile; at least one.
  // `end` must be below the latest checkpoint's size (fetched when not known or too small).
  // LogReader::GetEntries loops over it for a whole range.
  Result<std::vector<LogEntry>> GetEntriesBatch(uint64_t start, uint64_t end) override;

  // Proofs assembled from hash tiles; not verified (the Verify/Prove calls below verify).
  // kInvalidArgument for index >= tree_size, or first == 0 or first > second.
  Result<std::vector<MerkleHash>> GetInclusionProof(uint64_t index, uint64_t tree_size);
  Result<std::vector<MerkleHash>> GetConsistencyProof(uint64_t first, uint64_t second);

  // The same calls under their RFC 6962 names, so code written against LogClient (and a
  // LogReader that asks for them) reads a static log unchanged: GetSthConsistency is
  // GetConsistencyProof; GetEntryAndProof is the entry at `index` (from the data tile of the tree
  // of `tree_size`) with its audit path from hash tiles. Neither is verified.
  Result<std::vector<MerkleHash>> GetSthConsistency(uint64_t first, uint64_t second) override {
    return GetConsistencyProof(first, second);
  }
  Result<EntryAndProof> GetEntryAndProof(uint64_t index, uint64_t tree_size) override;

  // As LogClient::VerifyConsistencyBetween (RFC 6962 §2.1.2), the proof from hash tiles.
  Result<void> VerifyConsistencyBetween(const SignedTreeHead& old_sth,
                                        const SignedTreeHead& new_sth) override;

  // Proves that `leaf_hash` is the leaf at `index` in the tree of `sth` (RFC 6962 §2.1.1).
  // A static-ct-api log has no lookup by hash: the index comes from the SCT's leaf_index
  // extension. With a key, `sth`'s signature is checked first.
  Result<void> ProveInclusionAt(const MerkleHash& leaf_hash, uint64_t index,
                                const SignedTreeHead& sth);
  // ProveInclusionAt(entry.leaf_hash, entry.index, sth).
  Result<void> ProveEntry(const LogEntry& entry, const SignedTreeHead& sth);

 private:
  struct Impl;
  explicit StaticLogClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// The checkpoint origin of a static-ct-api log from its submission URL (static-ct-api
// "Checkpoints": "the submission prefix ... as a schema-less URL with no trailing slashes").
std::string OriginFromSubmissionUrl(std::string_view submission_url);

}  // namespace ctkit
