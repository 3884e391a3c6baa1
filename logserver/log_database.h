// The log server's durable state, in one SQLite database (WAL, synchronous=FULL):
//
//   entries  every accepted submission with its final index, MerkleTreeLeaf, extra_data, leaf
//            hash and the SCT handed out. An entry is committed here before its SCT is returned,
//            so an SCT once given is never lost (RFC 6962 §3: the log promises to incorporate).
//   nodes    the hash of every perfect subtree of the integrated tree (merkle/merkle_proof_plan.h),
//            so any root or proof costs O(log n) reads.
//   heads    every signed tree head published.
//   issuers  every certificate of a stored chain above its leaf (an accepted root the log
//            appended included, logserver/chain_check.h), by SHA-256 fingerprint: the
//            static-ct-api data tiles name an entry's chain by fingerprints and serve the
//            certificates at issuer/<fingerprint> (c2sp.org/static-ct-api "Issuers"). Stored
//            with the entry, in the same transaction, so every fingerprint a tile names can be
//            served.
//
// Indices are assigned at submission, so the sequencer only has to hash entries [size, next)
// into the tree and sign a new head; after a crash it resumes from the last head, recomputing
// whatever nodes it had not committed.
//
// Group commit: a commit costs an fsync (synchronous=FULL), milliseconds on most disks, and
// every SCT must wait for one. So AppendEntry queues the entry; whichever submitter finds no
// commit in progress becomes the writer, takes everything queued (up to kMaxCommitBatch) and
// commits it in one transaction, one fsync, then wakes the others. Nobody is answered before
// the transaction holding their entry has committed, and a failed commit fails every entry of
// the batch. Duplicates are resolved by the writer inside the transaction, so the same leaf
// queued twice (in one batch or in two) is stored once and both callers get its one SCT.
//
// Connections: one writer connection (submissions, integration), and a pool of reader
// connections for everything else. In WAL mode readers never wait for the writer's fsync and
// only ever see committed transactions, so no read can serve an entry whose batch might still
// roll back.
//
// Thread-safety: every method may be called from any thread.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "base/error.h"
#include "ct/signed_tree_head.h"
#include "merkle/merkle_proof_plan.h"
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

  // A new entry. Either complete when queued (leaf_input, leaf_hash and sct filled), or
  // completed by a `finish` callback once the writer knows its index (static-ct-api SCTs carry
  // the index, c2sp.org/static-ct-api "SCT Extension").
  struct NewEntry {
    Sha256Digest dedup_key{};
    Bytes leaf_input;
    Bytes extra_data;
    MerkleHash leaf_hash{};
    Bytes sct;                   // the serialized SCT to store and hand out
    std::vector<Bytes> issuers;  // the chain above the leaf (DER), stored by fingerprint
  };
  using FinishEntry = std::function<Result<void>(uint64_t index, NewEntry& entry)>;

  struct Appended {
    uint64_t index = 0;
    Bytes sct;               // the SCT stored for this dedup_key: the new one, or the earlier
    bool duplicate = false;  // the dedup_key was already stored (or queued earlier in the batch)
  };

  // Stores `entry` durably at the next index (group commit, above) and returns only once its
  // transaction has committed. If an entry with the same dedup_key is already stored, or
  // precedes it in the same batch, nothing is stored and that entry's index and SCT are
  // returned. `finish`, when given, runs on the writer inside the transaction; if it fails, only
  // this entry fails and no index is used.
  Result<Appended> AppendEntry(NewEntry entry, FinishEntry finish = nullptr);

  // Most entries one group commit takes; more wait for the next transaction.
  static constexpr size_t kMaxCommitBatch = 1024;

  // Counters of committed group-commit transactions, for tests and benchmarks.
  struct CommitStats {
    uint64_t transactions = 0;  // batches committed
    uint64_t entries = 0;       // new entries they stored (duplicates not counted)
  };
  CommitStats commit_stats();
  // Submissions queued behind the running commit (not yet taken by a writer).
  size_t QueuedForTesting();
  // Called by the writer inside each batch transaction after its inserts, before COMMIT: lets a
  // test hold a batch uncommitted and observe that nobody has been answered yet.
  void SetBeforeCommitHookForTesting(std::function<void()> hook);

  // Number of entries accepted (integrated or not).
  Result<uint64_t> EntryCount();

  // Entries [start, end_exclusive) in order, stopping before the one whose leaf_input and
  // extra_data would bring the total past `max_bytes`; the first entry is always returned.
  Result<std::vector<StoredEntry>> ReadEntries(uint64_t start, uint64_t end_exclusive,
                                               size_t max_bytes = SIZE_MAX);
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

  // The certificate with this SHA-256 fingerprint, if a stored chain held it above its leaf.
  Result<std::optional<Bytes>> FindIssuer(const Sha256Digest& fingerprint);

 private:
  // One queued AppendEntry, owned by the waiting caller's stack frame.
  struct Pending {
    NewEntry entry;
    FinishEntry finish;
    Result<Appended> result = Appended{};
    bool done = false;
    std::condition_variable wake;  // done, or this caller may become the writer
  };
  // A reader connection and the statements prepared on it.
  struct ReaderConnection {
    explicit ReaderConnection(SqliteDatabase connection) : db(std::move(connection)) {}
    SqliteDatabase db;
    std::unordered_map<std::string, SqliteStatement> statements;
  };
  // A reader connection borrowed from the pool, returned when the lease ends.
  class ReaderLease {
   public:
    ReaderLease(LogDatabase* owner, std::unique_ptr<ReaderConnection> connection)
        : owner_(owner), connection_(std::move(connection)) {}
    ReaderLease(ReaderLease&&) = default;
    ~ReaderLease();
    // `sql`, prepared once per connection (preparing cost more than running the lookups the
    // log does per request). Reset when the lease ends: an idle connection must not hold a read
    // transaction, which would keep the WAL from being checkpointed.
    Result<SqliteStatement*> Statement(std::string_view sql);

   private:
    LogDatabase* owner_;
    std::unique_ptr<ReaderConnection> connection_;
    std::vector<SqliteStatement*> used_;
  };

  LogDatabase(std::string path, SqliteDatabase db)
      : path_(std::move(path)), writer_(std::move(db)) {}
  Result<ReaderLease> Reader();
  // Commits `batch` in one transaction and fills every Pending's result. Holds writer_mutex_.
  void CommitBatch(std::span<Pending* const> batch);
  Result<uint64_t> EntryCountLocked();  // on the writer connection
  Result<void> InsertIssuersLocked(std::span<const Bytes> issuers);
  // Fills `issuers` from the entries of a database created before that table existed.
  Result<void> BackfillIssuers();

  const std::string path_;

  std::mutex writer_mutex_;  // the writer connection and the hook
  SqliteDatabase writer_;
  std::function<void()> before_commit_hook_;

  std::mutex queue_mutex_;  // guards the three below and every Pending's result and done
  std::deque<Pending*> queue_;
  bool committing_ = false;
  CommitStats stats_;

  std::mutex readers_mutex_;
  std::vector<std::unique_ptr<ReaderConnection>> idle_readers_;
};

}  // namespace ctkit
