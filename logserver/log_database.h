// The log server's durable state, in one SQLite database (WAL, synchronous=FULL):
//
//   entries  every accepted submission with its final index, MerkleTreeLeaf, extra_data, leaf
//            hash and the SCT handed out. An entry is committed here before its SCT is returned,
//            so an SCT once given is never lost (RFC 6962 §3: the log promises to incorporate).
//   nodes    the hash of every perfect subtree of the integrated tree (ct/merkle_proof_plan.h),
//            so any root or proof costs O(log n) reads.
//   heads    every signed tree head published.
//   issuers  every certificate submitted above a leaf, by SHA-256 fingerprint: the static-ct-api
//            data tiles name an entry's chain by fingerprints and serve the certificates at
//            issuer/<fingerprint> (c2sp.org/static-ct-api "Issuers"). Stored with the entry, in
//            the same transaction, so every fingerprint a tile names can be served.
//
// Indices are assigned at submission, so the sequencer only has to hash entries [size, next)
// into the tree and sign a new head; after a crash it resumes from the last head, recomputing
// whatever nodes it had not committed.
//
// Thread-safety: all methods lock one mutex around the connection; SQLite serialises anyway.

#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/error.h"
#include "ct/merkle_proof_plan.h"
#include "ct/signed_tree_head.h"
#include "storage/sqlite.h"

namespace ctkit {

struct StoredEntry {
  uint64_t index = 0;
  Bytes leaf_input;  // MerkleTreeLeaf
  Bytes extra_data;
  MerkleHash leaf_hash{};
  Bytes sct;  // the serialized SCT returned for it
};

class LogDatabase {
 public:
  static Result<std::unique_ptr<LogDatabase>> Open(const std::string& path);

  // The SCT already given for this submission (`dedup_key`: hash of entry type and leaf), if any.
  Result<std::optional<StoredEntry>> FindByDedupKey(const Sha256Digest& dedup_key);

  // Stores a new entry at the next index, durably, and returns that index. `make_sct` is called
  // with the index inside the transaction (static-ct-api SCTs carry it) and returns the SCT to
  // store and hand out.
  struct NewEntry {
    Sha256Digest dedup_key{};
    Bytes leaf_input;
    Bytes extra_data;
    MerkleHash leaf_hash{};
    std::vector<Bytes> issuers;  // the chain above the leaf (DER), stored by fingerprint
  };
  Result<uint64_t> AppendEntry(const NewEntry& entry,
                               const std::function<Result<Bytes>(uint64_t index)>& make_sct);

  // Number of entries accepted (integrated or not).
  Result<uint64_t> EntryCount();

  Result<std::vector<StoredEntry>> ReadEntries(uint64_t start, uint64_t end_exclusive);
  Result<std::optional<uint64_t>> FindIndexByLeafHash(const MerkleHash& leaf_hash);

  // Integrates: stores the nodes and the new head in one transaction.
  Result<void> StoreIntegration(const std::vector<std::pair<NodeId, MerkleHash>>& nodes,
                                const SignedTreeHead& head);
  Result<std::optional<SignedTreeHead>> LatestHead();

  // Node hashes in the order asked; kInternal if one is missing (the tree is not that big).
  Result<std::vector<MerkleHash>> ReadNodes(std::span<const NodeId> ids);
  // The `count` consecutive nodes of `level` from index `start` (a static-ct-api hash tile);
  // kInternal if one is missing.
  Result<std::vector<MerkleHash>> ReadNodeRange(uint8_t level, uint64_t start, uint64_t count);

  // The certificate with this SHA-256 fingerprint, if a submitted chain held it above its leaf.
  Result<std::optional<Bytes>> FindIssuer(const Sha256Digest& fingerprint);

 private:
  explicit LogDatabase(SqliteDatabase db) : db_(std::move(db)) {}
  Result<uint64_t> EntryCountLocked();
  Result<void> InsertIssuersLocked(std::span<const Bytes> issuers);
  // Fills `issuers` from the entries of a database created before that table existed.
  Result<void> BackfillIssuers();

  std::mutex mutex_;
  SqliteDatabase db_;
};

}  // namespace ctkit
