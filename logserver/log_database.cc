#include "logserver/log_database.h"

#include <algorithm>
#include <set>

#include "ct/log_entry.h"
#include "ct/tls_codec.h"

namespace ctkit {
namespace {

// Forward migrations (storage/sqlite.h). Never edit a released one; append.
const std::vector<std::string> kMigrations = {
    R"sql(
CREATE TABLE entries (
  idx INTEGER PRIMARY KEY,
  dedup_key BLOB NOT NULL UNIQUE,
  leaf_input BLOB NOT NULL,
  extra_data BLOB NOT NULL,
  leaf_hash BLOB NOT NULL,
  sct BLOB NOT NULL
);
CREATE INDEX entries_by_leaf_hash ON entries (leaf_hash);
CREATE TABLE nodes (
  level INTEGER NOT NULL,
  idx INTEGER NOT NULL,
  hash BLOB NOT NULL,
  PRIMARY KEY (level, idx)
) WITHOUT ROWID;
CREATE TABLE heads (
  tree_size INTEGER NOT NULL,
  timestamp INTEGER NOT NULL,
  root_hash BLOB NOT NULL,
  signature BLOB NOT NULL,
  PRIMARY KEY (timestamp, tree_size)
);
)sql",
    // 2: issuers by fingerprint, for the static-ct-api (c2sp.org/static-ct-api "Issuers"). A log
    // that already has entries fills the table from their extra_data on its next open
    // (LogDatabase::BackfillIssuers), resumably: issuer_backfill holds the next entry to read.
    R"sql(
CREATE TABLE issuers (
  fingerprint BLOB PRIMARY KEY,
  der BLOB NOT NULL
);
CREATE TABLE issuer_backfill (next_idx INTEGER NOT NULL);
INSERT INTO issuer_backfill (next_idx) SELECT 0 WHERE EXISTS (SELECT 1 FROM entries);
)sql",
};

constexpr uint64_t kBackfillChunk = 1024;  // entries per backfill transaction
constexpr size_t kMaxIdleReaders = 16;     // reader connections kept open between reads
constexpr const char* kEntryCountSql = "SELECT COALESCE(MAX(idx) + 1, 0) FROM entries";

Result<MerkleHash> HashColumn(const SqliteStatement& statement, int column) {
  ASSIGN_OR_RETURN(MerkleHash hash, MerkleHashFromBytes(statement.ColumnBlob(column)),
                   "stored hash");
  return hash;
}

StoredEntry ReadEntryRow(const SqliteStatement& row) {
  StoredEntry entry;
  entry.index = static_cast<uint64_t>(row.ColumnInt(0));
  ByteSpan leaf = row.ColumnBlob(1), extra = row.ColumnBlob(2), hash = row.ColumnBlob(3),
           sct = row.ColumnBlob(4);
  entry.leaf_input.assign(leaf.begin(), leaf.end());
  entry.extra_data.assign(extra.begin(), extra.end());
  if (hash.size() == entry.leaf_hash.size())
    std::copy(hash.begin(), hash.end(), entry.leaf_hash.begin());
  entry.sct.assign(sct.begin(), sct.end());
  return entry;
}

}  // namespace

Result<std::unique_ptr<LogDatabase>> LogDatabase::Open(const std::string& path) {
  ASSIGN_OR_RETURN(SqliteDatabase db, SqliteDatabase::Open(path));
  RETURN_IF_ERROR(db.Migrate(kMigrations), path);
  std::unique_ptr<LogDatabase> database(new LogDatabase(path, std::move(db)));
  RETURN_IF_ERROR(database->BackfillIssuers(), path + ": filling the issuers table");
  return database;
}

LogDatabase::ReaderLease::~ReaderLease() {
  if (!connection_) return;
  for (SqliteStatement* statement : used_) statement->Reset();
  std::lock_guard lock(owner_->readers_mutex_);
  if (owner_->idle_readers_.size() < kMaxIdleReaders) {
    owner_->idle_readers_.push_back(std::move(connection_));
  }
}

Result<SqliteStatement*> LogDatabase::ReaderLease::Statement(std::string_view sql) {
  auto found = connection_->statements.find(std::string(sql));
  if (found == connection_->statements.end()) {
    ASSIGN_OR_RETURN(SqliteStatement prepared, connection_->db.Prepare(sql));
    found = connection_->statements.emplace(std::string(sql), std::move(prepared)).first;
  }
  SqliteStatement* statement = &found->second;
  statement->Reset();
  used_.push_back(statement);
  return statement;
}

Result<LogDatabase::ReaderLease> LogDatabase::Reader() {
  {
    std::lock_guard lock(readers_mutex_);
    if (!idle_readers_.empty()) {
      std::unique_ptr<ReaderConnection> connection = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return ReaderLease(this, std::move(connection));
    }
  }
  // Opened outside the lock: opening reads the schema, and other readers need not wait for it.
  ASSIGN_OR_RETURN(SqliteDatabase db, SqliteDatabase::Open(path_));
  return ReaderLease(this, std::make_unique<ReaderConnection>(std::move(db)));
}

Result<void> LogDatabase::InsertIssuersLocked(std::span<const Bytes> issuers) {
  if (issuers.empty()) return {};
  ASSIGN_OR_RETURN(
      SqliteStatement insert,
      writer_.Prepare("INSERT OR IGNORE INTO issuers (fingerprint, der) VALUES (?1, ?2)"));
  for (const Bytes& der : issuers) {
    insert.Reset();
    insert.BindBlob(1, Sha256(der)).BindBlob(2, der);
    if (Result<void> ok = insert.Run(); !ok) return ok;
  }
  return {};
}

Result<void> LogDatabase::BackfillIssuers() {
  std::lock_guard lock(writer_mutex_);
  while (true) {
    bool done = false;
    Result<void> step = writer_.Transaction([&]() -> Result<void> {
      ASSIGN_OR_RETURN(SqliteStatement next,
                       writer_.Prepare("SELECT next_idx FROM issuer_backfill"));
      ASSIGN_OR_RETURN(bool row, next.Step());
      if (!row) {
        done = true;
        return {};
      }
      uint64_t start = static_cast<uint64_t>(next.ColumnInt(0));
      ASSIGN_OR_RETURN(SqliteStatement query,
                       writer_.Prepare("SELECT idx, leaf_input, extra_data FROM entries WHERE idx "
                                       ">= ?1 ORDER BY idx LIMIT ?2"));
      query.BindInt(1, static_cast<int64_t>(start))
          .BindInt(2, static_cast<int64_t>(kBackfillChunk));
      uint64_t read = 0, last = start;
      while (true) {
        ASSIGN_OR_RETURN(bool entry, query.Step());
        if (!entry) break;
        ++read;
        last = static_cast<uint64_t>(query.ColumnInt(0));
        Result<TimestampedEntry> leaf = ParseMerkleTreeLeaf(query.ColumnBlob(1));
        Result<EntryChain> chain =
            leaf ? ParseExtraData(leaf->signed_entry.type, query.ColumnBlob(2))
                 : Result<EntryChain>(std::unexpected(leaf.error()));
        if (!chain) {
          return MakeError(ErrorCode::kInternal,
                           "stored entry " + std::to_string(last) + ": " + chain.error().message);
        }
        if (Result<void> ok = InsertIssuersLocked(chain->chain); !ok) return ok;
      }
      ASSIGN_OR_RETURN(SqliteStatement update,
                       writer_.Prepare(read == 0 ? "DELETE FROM issuer_backfill"
                                                 : "UPDATE issuer_backfill SET next_idx = ?1"));
      if (read > 0) update.BindInt(1, static_cast<int64_t>(last + 1));
      return update.Run();
    });
    if (!step) return step;
    if (done) return {};
  }
}

Result<std::optional<StoredEntry>> LogDatabase::FindByDedupKey(const Sha256Digest& dedup_key) {
  ASSIGN_OR_RETURN(ReaderLease db, Reader());
  ASSIGN_OR_RETURN(
      SqliteStatement * query,
      db.Statement(
          "SELECT idx, leaf_input, extra_data, leaf_hash, sct FROM entries WHERE dedup_key = ?1"));
  query->BindBlob(1, dedup_key);
  ASSIGN_OR_RETURN(bool row, query->Step());
  if (!row) return std::optional<StoredEntry>();
  return std::optional<StoredEntry>(ReadEntryRow(*query));
}

Result<uint64_t> LogDatabase::EntryCountLocked() {
  ASSIGN_OR_RETURN(SqliteStatement query, writer_.Prepare(kEntryCountSql));
  RETURN_IF_ERROR(query.Step());  // an aggregate: always one row
  return static_cast<uint64_t>(query.ColumnInt(0));
}

Result<uint64_t> LogDatabase::EntryCount() {
  ASSIGN_OR_RETURN(ReaderLease db, Reader());
  ASSIGN_OR_RETURN(SqliteStatement * query, db.Statement(kEntryCountSql));
  RETURN_IF_ERROR(query->Step());  // an aggregate: always one row
  return static_cast<uint64_t>(query->ColumnInt(0));
}

Result<LogDatabase::Appended> LogDatabase::AppendEntry(NewEntry entry, FinishEntry finish) {
  Pending pending{.entry = std::move(entry), .finish = std::move(finish)};
  std::unique_lock lock(queue_mutex_);
  queue_.push_back(&pending);
  while (!pending.done) {
    if (committing_) {
      pending.wake.wait(lock);
      continue;
    }
    // Nobody is committing: this caller becomes the writer for everything queued so far (its
    // own entry included, since it was queued before and no writer has taken it).
    committing_ = true;
    size_t take = std::min(queue_.size(), kMaxCommitBatch);
    std::vector<Pending*> batch(queue_.begin(), queue_.begin() + static_cast<ptrdiff_t>(take));
    queue_.erase(queue_.begin(), queue_.begin() + static_cast<ptrdiff_t>(take));
    lock.unlock();
    CommitBatch(batch);
    lock.lock();
    committing_ = false;
    // Wake this batch's callers (each only once its result is set), and the first of those
    // queued meanwhile, who writes the next batch. Nobody else needs to wake.
    for (Pending* done : batch) {
      done->done = true;
      done->wake.notify_one();
    }
    if (!queue_.empty()) queue_.front()->wake.notify_one();
  }
  return std::move(pending.result);
}

void LogDatabase::CommitBatch(std::span<Pending* const> batch) {
  std::lock_guard writer_lock(writer_mutex_);
  uint64_t stored = 0;
  Result<void> committed = writer_.Transaction([&]() -> Result<void> {
    ASSIGN_OR_RETURN(uint64_t next, EntryCountLocked());
    ASSIGN_OR_RETURN(SqliteStatement find,
                     writer_.Prepare("SELECT idx, sct FROM entries WHERE dedup_key = ?1"));
    ASSIGN_OR_RETURN(
        SqliteStatement insert,
        writer_.Prepare(
            "INSERT INTO entries (idx, dedup_key, leaf_input, extra_data, leaf_hash, sct) "
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6)"));
    std::set<Sha256Digest> issuers_stored;  // most chains of a batch share their issuers
    std::vector<Bytes> new_issuers;
    for (Pending* pending : batch) {
      NewEntry& entry = pending->entry;
      // Inside the transaction the writer sees the entries it inserted earlier in this batch,
      // so this catches duplicates within the batch as well as earlier ones.
      find.Reset();
      find.BindBlob(1, entry.dedup_key);
      ASSIGN_OR_RETURN(bool found, find.Step());
      if (found) {
        ByteSpan sct = find.ColumnBlob(1);
        pending->result = Appended{.index = static_cast<uint64_t>(find.ColumnInt(0)),
                                   .sct = Bytes(sct.begin(), sct.end()),
                                   .duplicate = true};
        continue;
      }
      if (pending->finish) {
        if (Result<void> finished = pending->finish(next, entry); !finished) {
          pending->result = std::unexpected(finished.error());
          continue;
        }
      }
      insert.Reset();
      insert.BindInt(1, static_cast<int64_t>(next))
          .BindBlob(2, entry.dedup_key)
          .BindBlob(3, entry.leaf_input)
          .BindBlob(4, entry.extra_data)
          .BindBlob(5, entry.leaf_hash)
          .BindBlob(6, entry.sct);
      if (Result<void> ok = insert.Run(); !ok) return ok;
      new_issuers.clear();
      for (Bytes& der : entry.issuers) {
        if (issuers_stored.insert(Sha256(der)).second) new_issuers.push_back(std::move(der));
      }
      if (Result<void> ok = InsertIssuersLocked(new_issuers); !ok) return ok;
      pending->result = Appended{.index = next, .sct = entry.sct, .duplicate = false};
      ++next;
      ++stored;
    }
    if (before_commit_hook_) before_commit_hook_();
    return {};
  });
  if (!committed) {
    // Rolled back: nothing of this batch is stored, so nobody may get an SCT from it.
    for (Pending* pending : batch) {
      if (pending->result) pending->result = std::unexpected(committed.error());
    }
    return;
  }
  std::lock_guard lock(queue_mutex_);
  ++stats_.transactions;
  stats_.entries += stored;
}

LogDatabase::CommitStats LogDatabase::commit_stats() {
  std::lock_guard lock(queue_mutex_);
  return stats_;
}

size_t LogDatabase::QueuedForTesting() {
  std::lock_guard lock(queue_mutex_);
  return queue_.size();
}

void LogDatabase::SetBeforeCommitHookForTesting(std::function<void()> hook) {
  std::lock_guard lock(writer_mutex_);
  before_commit_hook_ = std::move(hook);
}

Result<std::vector<StoredEntry>> LogDatabase::ReadEntries(uint64_t start, uint64_t end_exclusive,
                                                          size_t max_bytes) {
  ASSIGN_OR_RETURN(ReaderLease db, Reader());
  ASSIGN_OR_RETURN(SqliteStatement * query,
                   db.Statement("SELECT idx, leaf_input, extra_data, leaf_hash, sct FROM entries "
                                "WHERE idx >= ?1 AND idx < ?2 ORDER BY idx"));
  query->BindInt(1, static_cast<int64_t>(start)).BindInt(2, static_cast<int64_t>(end_exclusive));
  std::vector<StoredEntry> entries;
  size_t bytes = 0;
  while (true) {
    ASSIGN_OR_RETURN(bool row, query->Step());
    if (!row) break;
    StoredEntry entry = ReadEntryRow(*query);
    size_t size = entry.leaf_input.size() + entry.extra_data.size();
    if (!entries.empty() && bytes + size > max_bytes) break;
    bytes += size;
    entries.push_back(std::move(entry));
  }
  return entries;
}

Result<std::optional<uint64_t>> LogDatabase::FindIndexByLeafHash(const MerkleHash& leaf_hash) {
  ASSIGN_OR_RETURN(ReaderLease db, Reader());
  ASSIGN_OR_RETURN(SqliteStatement * query,
                   db.Statement("SELECT MIN(idx) FROM entries WHERE leaf_hash = ?1"));
  query->BindBlob(1, leaf_hash);
  ASSIGN_OR_RETURN(bool row, query->Step());
  if (!row || query->ColumnIsNull(0)) return std::optional<uint64_t>();
  return std::optional<uint64_t>(static_cast<uint64_t>(query->ColumnInt(0)));
}

Result<void> LogDatabase::StoreIntegration(const std::vector<std::pair<NodeId, MerkleHash>>& nodes,
                                           const SignedTreeHead& head) {
  std::lock_guard lock(writer_mutex_);
  return writer_.Transaction([&]() -> Result<void> {
    ASSIGN_OR_RETURN(
        SqliteStatement insert,
        writer_.Prepare("INSERT OR REPLACE INTO nodes (level, idx, hash) VALUES (?1, ?2, ?3)"));
    for (const auto& [id, hash] : nodes) {
      insert.Reset();
      insert.BindInt(1, id.level).BindInt(2, static_cast<int64_t>(id.index)).BindBlob(3, hash);
      if (Result<void> ok = insert.Run(); !ok) return ok;
    }
    ASSIGN_OR_RETURN(Bytes encoded, EncodeDigitallySigned(head.signature));
    ASSIGN_OR_RETURN(
        SqliteStatement head_insert,
        writer_.Prepare("INSERT OR REPLACE INTO heads (tree_size, timestamp, root_hash, signature) "
                        "VALUES (?1, ?2, ?3, ?4)"));
    head_insert.BindInt(1, static_cast<int64_t>(head.tree_size))
        .BindInt(2, static_cast<int64_t>(head.timestamp_ms))
        .BindBlob(3, head.root_hash)
        .BindBlob(4, encoded);
    return head_insert.Run();
  });
}

Result<std::optional<SignedTreeHead>> LogDatabase::LatestHead() {
  ASSIGN_OR_RETURN(ReaderLease db, Reader());
  ASSIGN_OR_RETURN(SqliteStatement * query,
                   db.Statement("SELECT tree_size, timestamp, root_hash, signature FROM heads "
                                "ORDER BY timestamp DESC, tree_size DESC LIMIT 1"));
  ASSIGN_OR_RETURN(bool row, query->Step());
  if (!row) return std::optional<SignedTreeHead>();
  SignedTreeHead head;
  head.tree_size = static_cast<uint64_t>(query->ColumnInt(0));
  head.timestamp_ms = static_cast<uint64_t>(query->ColumnInt(1));
  ASSIGN_OR_RETURN(MerkleHash root, HashColumn(*query, 2));
  head.root_hash = root;
  TlsReader reader(query->ColumnBlob(3));
  ASSIGN_OR_RETURN(head.signature, ReadDigitallySigned(reader), "stored head signature");
  return std::optional<SignedTreeHead>(std::move(head));
}

Result<std::vector<MerkleHash>> LogDatabase::ReadNodes(std::span<const NodeId> ids) {
  ASSIGN_OR_RETURN(ReaderLease db, Reader());
  ASSIGN_OR_RETURN(SqliteStatement * query,
                   db.Statement("SELECT hash FROM nodes WHERE level = ?1 AND idx = ?2"));
  std::vector<MerkleHash> hashes;
  hashes.reserve(ids.size());
  for (const NodeId& id : ids) {
    query->Reset();
    query->BindInt(1, id.level).BindInt(2, static_cast<int64_t>(id.index));
    ASSIGN_OR_RETURN(bool row, query->Step());
    if (!row) {
      return MakeError(ErrorCode::kInternal, "tree node " + std::to_string(id.level) + "/" +
                                                 std::to_string(id.index) + " is not stored");
    }
    ASSIGN_OR_RETURN(MerkleHash hash, HashColumn(*query, 0));
    hashes.push_back(hash);
  }
  return hashes;
}

Result<std::vector<MerkleHash>> LogDatabase::ReadNodeRange(uint8_t level, uint64_t start,
                                                           uint64_t count) {
  ASSIGN_OR_RETURN(ReaderLease db, Reader());
  ASSIGN_OR_RETURN(
      SqliteStatement * query,
      db.Statement(
          "SELECT idx, hash FROM nodes WHERE level = ?1 AND idx >= ?2 AND idx < ?3 ORDER BY idx"));
  query->BindInt(1, level)
      .BindInt(2, static_cast<int64_t>(start))
      .BindInt(3, static_cast<int64_t>(start + count));
  std::vector<MerkleHash> hashes;
  hashes.reserve(std::min<uint64_t>(count, 4096));
  while (true) {
    ASSIGN_OR_RETURN(bool row, query->Step());
    if (!row) break;
    if (static_cast<uint64_t>(query->ColumnInt(0)) != start + hashes.size()) break;  // a gap
    ASSIGN_OR_RETURN(MerkleHash hash, HashColumn(*query, 1));
    hashes.push_back(hash);
  }
  if (hashes.size() != count) {
    return MakeError(ErrorCode::kInternal, "tree node " + std::to_string(level) + "/" +
                                               std::to_string(start + hashes.size()) +
                                               " is not stored");
  }
  return hashes;
}

Result<std::optional<Bytes>> LogDatabase::FindIssuer(const Sha256Digest& fingerprint) {
  ASSIGN_OR_RETURN(ReaderLease db, Reader());
  ASSIGN_OR_RETURN(SqliteStatement * query,
                   db.Statement("SELECT der FROM issuers WHERE fingerprint = ?1"));
  query->BindBlob(1, fingerprint);
  ASSIGN_OR_RETURN(bool row, query->Step());
  if (!row) return std::optional<Bytes>();
  ByteSpan der = query->ColumnBlob(0);
  return std::optional<Bytes>(Bytes(der.begin(), der.end()));
}

}  // namespace ctkit
