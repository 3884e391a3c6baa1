#include "logserver/log_database.h"

#include <algorithm>

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

Result<MerkleHash> HashColumn(const SqliteStatement& statement, int column) {
  Result<MerkleHash> hash = MerkleHashFromBytes(statement.ColumnBlob(column));
  if (!hash) return std::unexpected(WithContext(hash.error(), "stored hash"));
  return hash;
}

StoredEntry ReadEntryRow(const SqliteStatement& row) {
  StoredEntry entry;
  entry.index = static_cast<uint64_t>(row.ColumnInt(0));
  ByteSpan leaf = row.ColumnBlob(1), extra = row.ColumnBlob(2), hash = row.ColumnBlob(3),
           sct = row.ColumnBlob(4);
  entry.leaf_input.assign(leaf.begin(), leaf.end());
  entry.extra_data.assign(extra.begin(), extra.end());
  if (hash.size() == entry.leaf_hash.size()) std::copy(hash.begin(), hash.end(), entry.leaf_hash.begin());
  entry.sct.assign(sct.begin(), sct.end());
  return entry;
}

}  // namespace

Result<std::unique_ptr<LogDatabase>> LogDatabase::Open(const std::string& path) {
  Result<SqliteDatabase> db = SqliteDatabase::Open(path);
  if (!db) return std::unexpected(db.error());
  if (Result<void> migrated = db->Migrate(kMigrations); !migrated) {
    return std::unexpected(WithContext(migrated.error(), path));
  }
  std::unique_ptr<LogDatabase> database(new LogDatabase(std::move(*db)));
  if (Result<void> filled = database->BackfillIssuers(); !filled) {
    return std::unexpected(WithContext(filled.error(), path + ": filling the issuers table"));
  }
  return database;
}

Result<void> LogDatabase::InsertIssuersLocked(std::span<const Bytes> issuers) {
  if (issuers.empty()) return {};
  Result<SqliteStatement> insert =
      db_.Prepare("INSERT OR IGNORE INTO issuers (fingerprint, der) VALUES (?1, ?2)");
  if (!insert) return std::unexpected(insert.error());
  for (const Bytes& der : issuers) {
    insert->Reset();
    insert->BindBlob(1, Sha256(der)).BindBlob(2, der);
    if (Result<void> ok = insert->Run(); !ok) return ok;
  }
  return {};
}

Result<void> LogDatabase::BackfillIssuers() {
  std::lock_guard lock(mutex_);
  while (true) {
    bool done = false;
    Result<void> step = db_.Transaction([&]() -> Result<void> {
      Result<SqliteStatement> next = db_.Prepare("SELECT next_idx FROM issuer_backfill");
      if (!next) return std::unexpected(next.error());
      Result<bool> row = next->Step();
      if (!row) return std::unexpected(row.error());
      if (!*row) {
        done = true;
        return {};
      }
      uint64_t start = static_cast<uint64_t>(next->ColumnInt(0));
      Result<SqliteStatement> query = db_.Prepare(
          "SELECT idx, leaf_input, extra_data FROM entries WHERE idx >= ?1 ORDER BY idx LIMIT ?2");
      if (!query) return std::unexpected(query.error());
      query->BindInt(1, static_cast<int64_t>(start))
          .BindInt(2, static_cast<int64_t>(kBackfillChunk));
      uint64_t read = 0, last = start;
      while (true) {
        Result<bool> entry = query->Step();
        if (!entry) return std::unexpected(entry.error());
        if (!*entry) break;
        ++read;
        last = static_cast<uint64_t>(query->ColumnInt(0));
        Result<TimestampedEntry> leaf = ParseMerkleTreeLeaf(query->ColumnBlob(1));
        Result<EntryChain> chain =
            leaf ? ParseExtraData(leaf->signed_entry.type, query->ColumnBlob(2))
                 : Result<EntryChain>(std::unexpected(leaf.error()));
        if (!chain) {
          return MakeError(ErrorCode::kInternal,
                           "stored entry " + std::to_string(last) + ": " + chain.error().message);
        }
        if (Result<void> ok = InsertIssuersLocked(chain->chain); !ok) return ok;
      }
      Result<SqliteStatement> update = db_.Prepare(
          read == 0 ? "DELETE FROM issuer_backfill" : "UPDATE issuer_backfill SET next_idx = ?1");
      if (!update) return std::unexpected(update.error());
      if (read > 0) update->BindInt(1, static_cast<int64_t>(last + 1));
      return update->Run();
    });
    if (!step) return step;
    if (done) return {};
  }
}

Result<std::optional<StoredEntry>> LogDatabase::FindByDedupKey(const Sha256Digest& dedup_key) {
  std::lock_guard lock(mutex_);
  Result<SqliteStatement> query = db_.Prepare(
      "SELECT idx, leaf_input, extra_data, leaf_hash, sct FROM entries WHERE dedup_key = ?1");
  if (!query) return std::unexpected(query.error());
  query->BindBlob(1, dedup_key);
  Result<bool> row = query->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<StoredEntry>();
  return std::optional<StoredEntry>(ReadEntryRow(*query));
}

Result<uint64_t> LogDatabase::EntryCountLocked() {
  Result<SqliteStatement> query = db_.Prepare("SELECT COALESCE(MAX(idx) + 1, 0) FROM entries");
  if (!query) return std::unexpected(query.error());
  Result<bool> row = query->Step();
  if (!row) return std::unexpected(row.error());
  return static_cast<uint64_t>(query->ColumnInt(0));
}

Result<uint64_t> LogDatabase::EntryCount() {
  std::lock_guard lock(mutex_);
  return EntryCountLocked();
}

Result<uint64_t> LogDatabase::AppendEntry(
    const NewEntry& entry, const std::function<Result<Bytes>(uint64_t index)>& make_sct) {
  std::lock_guard lock(mutex_);
  uint64_t index = 0;
  Result<void> done = db_.Transaction([&]() -> Result<void> {
    Result<uint64_t> count = EntryCountLocked();
    if (!count) return std::unexpected(count.error());
    index = *count;
    Result<Bytes> sct = make_sct(index);
    if (!sct) return std::unexpected(sct.error());
    Result<SqliteStatement> insert = db_.Prepare(
        "INSERT INTO entries (idx, dedup_key, leaf_input, extra_data, leaf_hash, sct) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!insert) return std::unexpected(insert.error());
    insert->BindInt(1, static_cast<int64_t>(index))
        .BindBlob(2, entry.dedup_key)
        .BindBlob(3, entry.leaf_input)
        .BindBlob(4, entry.extra_data)
        .BindBlob(5, entry.leaf_hash)
        .BindBlob(6, *sct);
    if (Result<void> ok = insert->Run(); !ok) return ok;
    return InsertIssuersLocked(entry.issuers);
  });
  if (!done) return std::unexpected(done.error());
  return index;
}

Result<std::vector<StoredEntry>> LogDatabase::ReadEntries(uint64_t start, uint64_t end_exclusive) {
  std::lock_guard lock(mutex_);
  Result<SqliteStatement> query = db_.Prepare(
      "SELECT idx, leaf_input, extra_data, leaf_hash, sct FROM entries "
      "WHERE idx >= ?1 AND idx < ?2 ORDER BY idx");
  if (!query) return std::unexpected(query.error());
  query->BindInt(1, static_cast<int64_t>(start)).BindInt(2, static_cast<int64_t>(end_exclusive));
  std::vector<StoredEntry> entries;
  while (true) {
    Result<bool> row = query->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    entries.push_back(ReadEntryRow(*query));
  }
  return entries;
}

Result<std::optional<uint64_t>> LogDatabase::FindIndexByLeafHash(const MerkleHash& leaf_hash) {
  std::lock_guard lock(mutex_);
  Result<SqliteStatement> query =
      db_.Prepare("SELECT MIN(idx) FROM entries WHERE leaf_hash = ?1");
  if (!query) return std::unexpected(query.error());
  query->BindBlob(1, leaf_hash);
  Result<bool> row = query->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row || query->ColumnIsNull(0)) return std::optional<uint64_t>();
  return std::optional<uint64_t>(static_cast<uint64_t>(query->ColumnInt(0)));
}

Result<void> LogDatabase::StoreIntegration(const std::vector<std::pair<NodeId, MerkleHash>>& nodes,
                                           const SignedTreeHead& head) {
  std::lock_guard lock(mutex_);
  return db_.Transaction([&]() -> Result<void> {
    Result<SqliteStatement> insert =
        db_.Prepare("INSERT OR REPLACE INTO nodes (level, idx, hash) VALUES (?1, ?2, ?3)");
    if (!insert) return std::unexpected(insert.error());
    for (const auto& [id, hash] : nodes) {
      insert->Reset();
      insert->BindInt(1, id.level).BindInt(2, static_cast<int64_t>(id.index)).BindBlob(3, hash);
      if (Result<void> ok = insert->Run(); !ok) return ok;
    }
    TlsBuilder signature;
    AddDigitallySigned(signature, head.signature);
    Result<Bytes> encoded = std::move(signature).Finish();
    if (!encoded) return std::unexpected(encoded.error());
    Result<SqliteStatement> head_insert = db_.Prepare(
        "INSERT OR REPLACE INTO heads (tree_size, timestamp, root_hash, signature) "
        "VALUES (?1, ?2, ?3, ?4)");
    if (!head_insert) return std::unexpected(head_insert.error());
    head_insert->BindInt(1, static_cast<int64_t>(head.tree_size))
        .BindInt(2, static_cast<int64_t>(head.timestamp_ms))
        .BindBlob(3, head.root_hash)
        .BindBlob(4, *encoded);
    return head_insert->Run();
  });
}

Result<std::optional<SignedTreeHead>> LogDatabase::LatestHead() {
  std::lock_guard lock(mutex_);
  Result<SqliteStatement> query = db_.Prepare(
      "SELECT tree_size, timestamp, root_hash, signature FROM heads "
      "ORDER BY timestamp DESC, tree_size DESC LIMIT 1");
  if (!query) return std::unexpected(query.error());
  Result<bool> row = query->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<SignedTreeHead>();
  SignedTreeHead head;
  head.tree_size = static_cast<uint64_t>(query->ColumnInt(0));
  head.timestamp_ms = static_cast<uint64_t>(query->ColumnInt(1));
  Result<MerkleHash> root = HashColumn(*query, 2);
  if (!root) return std::unexpected(root.error());
  head.root_hash = *root;
  TlsReader reader(query->ColumnBlob(3));
  Result<DigitallySigned> signature = ReadDigitallySigned(reader);
  if (!signature) return std::unexpected(WithContext(signature.error(), "stored head signature"));
  head.signature = std::move(*signature);
  return std::optional<SignedTreeHead>(std::move(head));
}

Result<std::vector<MerkleHash>> LogDatabase::ReadNodes(std::span<const NodeId> ids) {
  std::lock_guard lock(mutex_);
  Result<SqliteStatement> query = db_.Prepare("SELECT hash FROM nodes WHERE level = ?1 AND idx = ?2");
  if (!query) return std::unexpected(query.error());
  std::vector<MerkleHash> hashes;
  hashes.reserve(ids.size());
  for (const NodeId& id : ids) {
    query->Reset();
    query->BindInt(1, id.level).BindInt(2, static_cast<int64_t>(id.index));
    Result<bool> row = query->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) {
      return MakeError(ErrorCode::kInternal, "tree node " + std::to_string(id.level) + "/" +
                                                 std::to_string(id.index) + " is not stored");
    }
    Result<MerkleHash> hash = HashColumn(*query, 0);
    if (!hash) return std::unexpected(hash.error());
    hashes.push_back(*hash);
  }
  return hashes;
}

Result<std::vector<MerkleHash>> LogDatabase::ReadNodeRange(uint8_t level, uint64_t start,
                                                           uint64_t count) {
  std::lock_guard lock(mutex_);
  Result<SqliteStatement> query = db_.Prepare(
      "SELECT idx, hash FROM nodes WHERE level = ?1 AND idx >= ?2 AND idx < ?3 ORDER BY idx");
  if (!query) return std::unexpected(query.error());
  query->BindInt(1, level)
      .BindInt(2, static_cast<int64_t>(start))
      .BindInt(3, static_cast<int64_t>(start + count));
  std::vector<MerkleHash> hashes;
  hashes.reserve(std::min<uint64_t>(count, 4096));
  while (true) {
    Result<bool> row = query->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    if (static_cast<uint64_t>(query->ColumnInt(0)) != start + hashes.size()) break;  // a gap
    Result<MerkleHash> hash = HashColumn(*query, 1);
    if (!hash) return std::unexpected(hash.error());
    hashes.push_back(*hash);
  }
  if (hashes.size() != count) {
    return MakeError(ErrorCode::kInternal, "tree node " + std::to_string(level) + "/" +
                                               std::to_string(start + hashes.size()) +
                                               " is not stored");
  }
  return hashes;
}

Result<std::optional<Bytes>> LogDatabase::FindIssuer(const Sha256Digest& fingerprint) {
  std::lock_guard lock(mutex_);
  Result<SqliteStatement> query = db_.Prepare("SELECT der FROM issuers WHERE fingerprint = ?1");
  if (!query) return std::unexpected(query.error());
  query->BindBlob(1, fingerprint);
  Result<bool> row = query->Step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<Bytes>();
  ByteSpan der = query->ColumnBlob(0);
  return std::optional<Bytes>(Bytes(der.begin(), der.end()));
}

}  // namespace ctkit
