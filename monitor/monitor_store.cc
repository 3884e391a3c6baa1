#include "monitor/monitor_store.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "base/json_text.h"
#include "ct/log_key.h"
#include "ct/tls_codec.h"

namespace ctkit {
namespace {

const std::vector<std::string> kMigrations = {
    R"sql(
CREATE TABLE logs (
  id INTEGER PRIMARY KEY,
  log_id BLOB NOT NULL UNIQUE,
  url TEXT NOT NULL,
  description TEXT NOT NULL,
  verified_size INTEGER NOT NULL DEFAULT 0,
  frontier BLOB NOT NULL DEFAULT x'',
  head_id INTEGER,
  last_success_ms INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  last_error_ms INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE tree_heads (
  id INTEGER PRIMARY KEY,
  log INTEGER NOT NULL REFERENCES logs(id),
  tree_size INTEGER NOT NULL,
  timestamp_ms INTEGER NOT NULL,
  root_hash BLOB NOT NULL,
  signature BLOB NOT NULL,
  received_ms INTEGER NOT NULL,
  rejected TEXT NOT NULL DEFAULT '',
  UNIQUE (log, tree_size, timestamp_ms, root_hash, rejected)
);
CREATE TABLE findings (
  id INTEGER PRIMARY KEY,
  tbs_sha256 TEXT NOT NULL UNIQUE,
  sha256 TEXT NOT NULL,
  names TEXT NOT NULL,
  watch_items TEXT NOT NULL,
  issuer TEXT NOT NULL,
  serial TEXT NOT NULL,
  not_before TEXT NOT NULL,
  not_after TEXT NOT NULL,
  expected INTEGER NOT NULL,
  first_seen_ms INTEGER NOT NULL,
  certificate BLOB NOT NULL
);
CREATE TABLE finding_names (
  finding INTEGER NOT NULL REFERENCES findings(id),
  name TEXT NOT NULL
);
CREATE INDEX finding_names_by_name ON finding_names (name);
CREATE TABLE finding_entries (
  finding INTEGER NOT NULL REFERENCES findings(id),
  log INTEGER NOT NULL REFERENCES logs(id),
  entry_index INTEGER NOT NULL,
  entry_type TEXT NOT NULL,
  timestamp_ms INTEGER NOT NULL,
  PRIMARY KEY (log, entry_index)
);
CREATE INDEX finding_entries_by_finding ON finding_entries (finding);
CREATE TABLE malformed_entries (
  log INTEGER NOT NULL REFERENCES logs(id),
  entry_index INTEGER NOT NULL,
  leaf_input BLOB NOT NULL,
  extra_data BLOB NOT NULL,
  error TEXT NOT NULL,
  PRIMARY KEY (log, entry_index)
);
CREATE TABLE alerts (
  id INTEGER PRIMARY KEY,
  key TEXT NOT NULL UNIQUE,
  event TEXT NOT NULL,
  body TEXT NOT NULL,
  certificate BLOB NOT NULL,
  created_ms INTEGER NOT NULL
);
CREATE TABLE deliveries (
  alert INTEGER NOT NULL REFERENCES alerts(id),
  sink TEXT NOT NULL,
  delivered_ms INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  updated_ms INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (alert, sink)
);
)sql",
    // The leaf hash of each malformed entry: the only identity of one that could not be read.
    // Undelivered alerts by index: health and every delivery pass ask for them, and delivered
    // ones (nearly all) need not be read.
    R"sql(
ALTER TABLE malformed_entries ADD COLUMN leaf_hash BLOB NOT NULL DEFAULT x'';
CREATE INDEX deliveries_undelivered ON deliveries (alert, sink) WHERE delivered_ms = 0;
)sql",
};

Bytes JoinHashes(const std::vector<MerkleHash>& hashes) {
  Bytes out;
  out.reserve(hashes.size() * kMerkleHashSize);
  for (const MerkleHash& hash : hashes) out.insert(out.end(), hash.begin(), hash.end());
  return out;
}

Result<std::vector<MerkleHash>> SplitHashes(ByteSpan bytes) {
  if (bytes.size() % kMerkleHashSize != 0) {
    return MakeError(ErrorCode::kMalformed, "stored frontier is not a whole number of hashes");
  }
  std::vector<MerkleHash> hashes(bytes.size() / kMerkleHashSize);
  for (size_t i = 0; i < hashes.size(); ++i) {
    std::copy_n(bytes.begin() + i * kMerkleHashSize, kMerkleHashSize, hashes[i].begin());
  }
  return hashes;
}

std::vector<std::string> JsonStrings(const std::string& text) {
  std::vector<std::string> out;
  nlohmann::json json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!json.is_array()) return out;
  for (const auto& item : json) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

std::string ToJsonArray(const std::vector<std::string>& strings) {
  return JsonCompact(nlohmann::json(strings));
}

// LIKE pattern escaping for the domain query (names under a domain end with ".domain").
std::string EscapeLike(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

Result<DigitallySigned> DecodeSignature(ByteSpan bytes) {
  TlsReader reader(bytes);
  Result<DigitallySigned> signature = ReadDigitallySigned(reader);
  if (!signature) return signature;
  if (Result<void> empty = reader.ExpectEmpty("stored signature"); !empty) {
    return std::unexpected(empty.error());
  }
  return signature;
}

}  // namespace

Result<std::unique_ptr<MonitorStore>> MonitorStore::Open(const std::string& path) {
  ASSIGN_OR_RETURN(SqliteDatabase db, SqliteDatabase::Open(path));
  if (Result<void> migrated = db.Migrate(kMigrations); !migrated) {
    return std::unexpected(WithContext(migrated.error(), path));
  }
  return std::unique_ptr<MonitorStore>(new MonitorStore(std::move(db)));
}

void MonitorStore::SetSinks(std::vector<std::string> sinks) {
  std::lock_guard lock(mutex_);
  sinks_ = std::move(sinks);
}

Result<int64_t> MonitorStore::UpsertLog(ByteSpan log_id, const std::string& url,
                                        const std::string& description) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(SqliteStatement upsert,
                   db_.Prepare("INSERT INTO logs (log_id, url, description) VALUES (?1, ?2, ?3) "
                               "ON CONFLICT (log_id) DO UPDATE SET url = excluded.url, description "
                               "= excluded.description"));
  upsert.BindBlob(1, log_id).BindText(2, url).BindText(3, description);
  RETURN_IF_ERROR(upsert.Run());
  ASSIGN_OR_RETURN(SqliteStatement select, db_.Prepare("SELECT id FROM logs WHERE log_id = ?1"));
  select.BindBlob(1, log_id);
  ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) return MakeError(ErrorCode::kInternal, "log row vanished after insert");
  return select.ColumnInt(0);
}

namespace {

constexpr std::string_view kLogColumns =
    "SELECT l.id, l.log_id, l.url, l.description, l.verified_size, l.frontier, "
    "l.last_success_ms, l.last_error, l.last_error_ms, h.tree_size, h.timestamp_ms, "
    "h.root_hash, h.signature, h.received_ms FROM logs l LEFT JOIN tree_heads h ON h.id = "
    "l.head_id";

Result<MonitoredLog> ReadLog(const SqliteStatement& row) {
  MonitoredLog log;
  log.id = row.ColumnInt(0);
  ByteSpan id = row.ColumnBlob(1);
  log.log_id.assign(id.begin(), id.end());
  log.url = row.ColumnText(2);
  log.description = row.ColumnText(3);
  log.verified_size = static_cast<uint64_t>(row.ColumnInt(4));
  Result<std::vector<MerkleHash>> frontier = SplitHashes(row.ColumnBlob(5));
  if (!frontier) return std::unexpected(frontier.error());
  log.frontier = std::move(*frontier);
  log.last_success_ms = row.ColumnInt(6);
  log.last_error = row.ColumnText(7);
  log.last_error_ms = row.ColumnInt(8);
  if (!row.ColumnIsNull(9)) {
    SignedTreeHead head;
    head.tree_size = static_cast<uint64_t>(row.ColumnInt(9));
    head.timestamp_ms = static_cast<uint64_t>(row.ColumnInt(10));
    ByteSpan root = row.ColumnBlob(11);
    if (root.size() != kMerkleHashSize) {
      return MakeError(ErrorCode::kMalformed, "stored root hash has the wrong size");
    }
    std::copy(root.begin(), root.end(), head.root_hash.begin());
    Result<DigitallySigned> signature = DecodeSignature(row.ColumnBlob(12));
    if (!signature) return std::unexpected(WithContext(signature.error(), "stored head"));
    head.signature = std::move(*signature);
    log.head = head;
    log.head_received_ms = row.ColumnInt(13);
  }
  return log;
}

}  // namespace

Result<MonitoredLog> MonitorStore::GetLog(int64_t log) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(SqliteStatement select,
                   db_.Prepare(std::string(kLogColumns) + " WHERE l.id = ?1"));
  select.BindInt(1, log);
  ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) return MakeError(ErrorCode::kNotFound, "no log with id " + std::to_string(log));
  return ReadLog(select);
}

Result<std::vector<MonitoredLog>> MonitorStore::AllLogs() {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(SqliteStatement select,
                   db_.Prepare(std::string(kLogColumns) + " ORDER BY l.id"));
  std::vector<MonitoredLog> logs;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    ASSIGN_OR_RETURN(MonitoredLog log, ReadLog(select));
    logs.push_back(std::move(log));
  }
  return logs;
}

namespace {

Result<int64_t> InsertHead(SqliteDatabase& db, int64_t log, const SignedTreeHead& head,
                           int64_t now_ms, const std::string& rejected) {
  ASSIGN_OR_RETURN(Bytes signature, EncodeDigitallySigned(head.signature));
  ASSIGN_OR_RETURN(
      SqliteStatement insert,
      db.Prepare("INSERT INTO tree_heads (log, tree_size, timestamp_ms, root_hash, signature, "
                 "received_ms, "
                 "rejected) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING"));
  insert.BindInt(1, log)
      .BindInt(2, static_cast<int64_t>(head.tree_size))
      .BindInt(3, static_cast<int64_t>(head.timestamp_ms))
      .BindBlob(4, head.root_hash)
      .BindBlob(5, signature)
      .BindInt(6, now_ms)
      .BindText(7, rejected);
  RETURN_IF_ERROR(insert.Run());
  ASSIGN_OR_RETURN(
      SqliteStatement select,
      db.Prepare(
          "SELECT id FROM tree_heads WHERE log = ?1 AND tree_size = ?2 AND timestamp_ms = ?3 AND "
          "root_hash = ?4 AND rejected = ?5"));
  select.BindInt(1, log)
      .BindInt(2, static_cast<int64_t>(head.tree_size))
      .BindInt(3, static_cast<int64_t>(head.timestamp_ms))
      .BindBlob(4, head.root_hash)
      .BindText(5, rejected);
  ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) return MakeError(ErrorCode::kInternal, "tree head row vanished after insert");
  return select.ColumnInt(0);
}

}  // namespace

Result<void> MonitorStore::AddVerifiedHead(int64_t log, const SignedTreeHead& head,
                                           int64_t now_ms) {
  std::lock_guard lock(mutex_);
  return db_.Transaction([&]() -> Result<void> {
    Result<int64_t> id = InsertHead(db_, log, head, now_ms, "");
    if (!id) return std::unexpected(id.error());
    ASSIGN_OR_RETURN(SqliteStatement update,
                     db_.Prepare("UPDATE logs SET head_id = ?2 WHERE id = ?1"));
    update.BindInt(1, log).BindInt(2, *id);
    return update.Run();
  });
}

Result<void> MonitorStore::AddRejectedHead(int64_t log, const SignedTreeHead& head, int64_t now_ms,
                                           const std::string& reason) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(int64_t id,
                   InsertHead(db_, log, head, now_ms, reason.empty() ? "rejected" : reason));
  return {};
}

Result<size_t> MonitorStore::CountHeads(int64_t log) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(SqliteStatement count,
                   db_.Prepare("SELECT COUNT(*) FROM tree_heads WHERE log = ?1"));
  count.BindInt(1, log);
  ASSIGN_OR_RETURN(bool row, count.Step());
  return static_cast<size_t>(count.ColumnInt(0));
}

Result<void> MonitorStore::RecordSuccess(int64_t log, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  Result<SqliteStatement> update =
      db_.Prepare("UPDATE logs SET last_success_ms = ?2, last_error = '' WHERE id = ?1");
  if (!update) return std::unexpected(update.error());
  update->BindInt(1, log).BindInt(2, now_ms);
  return update->Run();
}

Result<void> MonitorStore::RecordError(int64_t log, const std::string& error, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  Result<SqliteStatement> update =
      db_.Prepare("UPDATE logs SET last_error = ?2, last_error_ms = ?3 WHERE id = ?1");
  if (!update) return std::unexpected(update.error());
  update->BindInt(1, log).BindText(2, error).BindInt(3, now_ms);
  return update->Run();
}

Result<void> MonitorStore::InsertAlert(const NewAlert& alert, int64_t now_ms, size_t* inserted) {
  ASSIGN_OR_RETURN(SqliteStatement insert,
                   db_.Prepare("INSERT INTO alerts (key, event, body, certificate, created_ms) "
                               "VALUES (?1, ?2, ?3, ?4, ?5) "
                               "ON CONFLICT (key) DO NOTHING"));
  insert.BindText(1, alert.key)
      .BindText(2, alert.event)
      .BindText(3, alert.body_json)
      .BindBlob(4, alert.certificate)
      .BindInt(5, now_ms);
  RETURN_IF_ERROR(insert.Run());
  ASSIGN_OR_RETURN(SqliteStatement changed, db_.Prepare("SELECT changes()"));
  if (Result<bool> row = changed.Step(); !row) return std::unexpected(row.error());
  if (changed.ColumnInt(0) == 0) return {};  // raised before: never twice
  int64_t id = db_.LastInsertRowId();
  ++*inserted;
  for (const std::string& sink : sinks_) {
    Result<SqliteStatement> delivery =
        db_.Prepare("INSERT INTO deliveries (alert, sink, updated_ms) VALUES (?1, ?2, ?3)");
    if (!delivery) return std::unexpected(delivery.error());
    delivery->BindInt(1, id).BindText(2, sink).BindInt(3, now_ms);
    RETURN_IF_ERROR(delivery->Run());
  }
  return {};
}

Result<size_t> MonitorStore::AddAlerts(const std::vector<NewAlert>& alerts, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  size_t inserted = 0;
  RETURN_IF_ERROR(db_.Transaction([&]() -> Result<void> {
    for (const NewAlert& alert : alerts) {
      if (Result<void> added = InsertAlert(alert, now_ms, &inserted); !added) return added;
    }
    return {};
  }));
  return inserted;
}

Result<void> MonitorStore::MergeFinding(const Finding& finding, int64_t log) {
  ASSIGN_OR_RETURN(SqliteStatement insert,
                   db_.Prepare("INSERT INTO findings (tbs_sha256, sha256, names, watch_items, "
                               "issuer, serial, not_before, "
                               "not_after, expected, first_seen_ms, certificate) VALUES (?1, ?2, "
                               "?3, ?4, ?5, ?6, ?7, ?8, "
                               "?9, ?10, ?11) ON CONFLICT (tbs_sha256) DO NOTHING"));
  insert.BindText(1, finding.tbs_sha256)
      .BindText(2, finding.sha256)
      .BindText(3, ToJsonArray(finding.names))
      .BindText(4, ToJsonArray(finding.watch_items))
      .BindText(5, finding.issuer)
      .BindText(6, finding.serial)
      .BindText(7, finding.not_before)
      .BindText(8, finding.not_after)
      .BindInt(9, finding.expected ? 1 : 0)
      .BindInt(10, finding.first_seen_ms)
      .BindBlob(11, finding.certificate);
  RETURN_IF_ERROR(insert.Run());
  ASSIGN_OR_RETURN(SqliteStatement changed, db_.Prepare("SELECT changes()"));
  if (Result<bool> row = changed.Step(); !row) return std::unexpected(row.error());
  bool is_new = changed.ColumnInt(0) != 0;

  ASSIGN_OR_RETURN(SqliteStatement select,
                   db_.Prepare("SELECT id FROM findings WHERE tbs_sha256 = ?1"));
  select.BindText(1, finding.tbs_sha256);
  ASSIGN_OR_RETURN(bool row, select.Step());
  if (!row) return MakeError(ErrorCode::kInternal, "finding row vanished after insert");
  int64_t id = select.ColumnInt(0);
  if (is_new) {
    for (const std::string& name : finding.names) {
      Result<SqliteStatement> insert_name =
          db_.Prepare("INSERT INTO finding_names (finding, name) VALUES (?1, ?2)");
      if (!insert_name) return std::unexpected(insert_name.error());
      insert_name->BindInt(1, id).BindText(2, name);
      RETURN_IF_ERROR(insert_name->Run());
    }
  }
  for (const FindingEntry& entry : finding.entries) {
    ASSIGN_OR_RETURN(
        SqliteStatement insert_entry,
        db_.Prepare(
            "INSERT INTO finding_entries (finding, log, entry_index, entry_type, timestamp_ms) "
            "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING"));
    insert_entry.BindInt(1, id)
        .BindInt(2, log)
        .BindInt(3, static_cast<int64_t>(entry.index))
        .BindText(4, entry.entry_type)
        .BindInt(5, static_cast<int64_t>(entry.timestamp_ms));
    RETURN_IF_ERROR(insert_entry.Run());
  }
  return {};
}

Result<size_t> MonitorStore::CommitChunk(const ChunkCommit& chunk, uint64_t expected_verified_size,
                                         int64_t now_ms) {
  std::lock_guard lock(mutex_);
  size_t inserted = 0;
  Result<void> done = db_.Transaction([&]() -> Result<void> {
    Result<SqliteStatement> position = db_.Prepare("SELECT verified_size FROM logs WHERE id = ?1");
    if (!position) return std::unexpected(position.error());
    position->BindInt(1, chunk.log);
    ASSIGN_OR_RETURN(bool row, position->Step());
    if (!row) return MakeError(ErrorCode::kNotFound, "no log with id " + std::to_string(chunk.log));
    if (static_cast<uint64_t>(position->ColumnInt(0)) != expected_verified_size) {
      return MakeError(ErrorCode::kInternal, "log position moved underneath the chunk");
    }
    for (const Finding& finding : chunk.findings) {
      if (Result<void> merged = MergeFinding(finding, chunk.log); !merged) return merged;
    }
    for (const MalformedEntry& entry : chunk.malformed) {
      ASSIGN_OR_RETURN(
          SqliteStatement insert,
          db_.Prepare(
              "INSERT INTO malformed_entries (log, entry_index, leaf_input, extra_data, error, "
              "leaf_hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING"));
      insert.BindInt(1, chunk.log)
          .BindInt(2, static_cast<int64_t>(entry.index))
          .BindBlob(3, entry.leaf_input)
          .BindBlob(4, entry.extra_data)
          .BindText(5, entry.error)
          .BindBlob(6, entry.leaf_hash);
      if (Result<void> ran = insert.Run(); !ran) return ran;
    }
    for (const NewAlert& alert : chunk.alerts) {
      if (Result<void> added = InsertAlert(alert, now_ms, &inserted); !added) return added;
    }
    Result<SqliteStatement> update =
        db_.Prepare("UPDATE logs SET verified_size = ?2, frontier = ?3 WHERE id = ?1");
    if (!update) return std::unexpected(update.error());
    update->BindInt(1, chunk.log)
        .BindInt(2, static_cast<int64_t>(chunk.new_verified_size))
        .BindBlob(3, JoinHashes(chunk.new_frontier));
    return update->Run();
  });
  if (!done) return std::unexpected(done.error());
  return inserted;
}

Result<std::vector<PendingDelivery>> MonitorStore::PendingDeliveries(int max_attempts, size_t limit,
                                                                     const DeliveryCursor& after) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(
      SqliteStatement select,
      db_.Prepare(
          "SELECT d.alert, d.sink, a.body, a.certificate, d.attempts, d.updated_ms FROM deliveries "
          "d "
          "JOIN alerts a "
          "ON a.id = d.alert WHERE d.delivered_ms = 0 AND d.attempts < ?1 AND (d.alert, d.sink) > "
          "(?2, ?3) ORDER BY d.alert, d.sink LIMIT ?4"));
  select.BindInt(1, max_attempts)
      .BindInt(2, after.alert_id)
      .BindText(3, after.sink)
      .BindInt(4, static_cast<int64_t>(std::max<size_t>(limit, 1)));
  std::vector<PendingDelivery> pending;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    ByteSpan certificate = select.ColumnBlob(3);
    pending.push_back({.alert_id = select.ColumnInt(0),
                       .sink = select.ColumnText(1),
                       .body_json = select.ColumnText(2),
                       .certificate = Bytes(certificate.begin(), certificate.end()),
                       .attempts = static_cast<int>(select.ColumnInt(4)),
                       .updated_ms = select.ColumnInt(5)});
  }
  return pending;
}

Result<void> MonitorStore::MarkDelivered(int64_t alert_id, const std::string& sink,
                                         int64_t now_ms) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(
      SqliteStatement update,
      db_.Prepare(
          "UPDATE deliveries SET delivered_ms = ?3, attempts = attempts + 1, last_error = '', "
          "updated_ms = ?3 WHERE alert = ?1 AND sink = ?2"));
  update.BindInt(1, alert_id).BindText(2, sink).BindInt(3, now_ms);
  return update.Run();
}

Result<void> MonitorStore::MarkDeliveryFailed(int64_t alert_id, const std::string& sink,
                                              const std::string& error, int64_t now_ms) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(
      SqliteStatement update,
      db_.Prepare("UPDATE deliveries SET attempts = attempts + 1, last_error = ?3, updated_ms = ?4 "
                  "WHERE alert = ?1 AND sink = ?2"));
  update.BindInt(1, alert_id).BindText(2, sink).BindText(3, error).BindInt(4, now_ms);
  return update.Run();
}

Result<std::pair<int64_t, int64_t>> MonitorStore::DeliveryCounts(int max_attempts) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(
      SqliteStatement select,
      db_.Prepare("SELECT COALESCE(SUM(attempts < ?1), 0), COALESCE(SUM(attempts >= ?1), 0) "
                  "FROM deliveries WHERE delivered_ms = 0"));
  select.BindInt(1, max_attempts);
  ASSIGN_OR_RETURN(bool row, select.Step());
  return std::pair{select.ColumnInt(0), select.ColumnInt(1)};
}

Result<std::vector<SinkDeliveries>> MonitorStore::UndeliveredBySink(int max_attempts) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(SqliteStatement select,
                   db_.Prepare("SELECT sink, SUM(attempts < ?1), SUM(attempts > 0 AND attempts < "
                               "?1), SUM(attempts >= ?1) "
                               "FROM deliveries "
                               "WHERE delivered_ms = 0 GROUP BY sink ORDER BY sink"));
  select.BindInt(1, max_attempts);
  std::vector<SinkDeliveries> counts;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    counts.push_back({.sink = select.ColumnText(0),
                      .pending = select.ColumnInt(1),
                      .retrying = select.ColumnInt(2),
                      .failed = select.ColumnInt(3)});
  }
  return counts;
}

namespace {

constexpr std::string_view kFindingColumns =
    "SELECT f.id, f.tbs_sha256, f.sha256, f.names, f.watch_items, f.issuer, f.serial, "
    "f.not_before, f.not_after, f.expected, f.first_seen_ms, f.certificate FROM findings f";

}  // namespace

Result<std::vector<Finding>> MonitorStore::LoadFindings(SqliteStatement& select) {
  std::vector<std::pair<int64_t, Finding>> rows;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    Finding finding;
    finding.tbs_sha256 = select.ColumnText(1);
    finding.sha256 = select.ColumnText(2);
    finding.names = JsonStrings(select.ColumnText(3));
    finding.watch_items = JsonStrings(select.ColumnText(4));
    finding.issuer = select.ColumnText(5);
    finding.serial = select.ColumnText(6);
    finding.not_before = select.ColumnText(7);
    finding.not_after = select.ColumnText(8);
    finding.expected = select.ColumnInt(9) != 0;
    finding.first_seen_ms = select.ColumnInt(10);
    ByteSpan certificate = select.ColumnBlob(11);
    finding.certificate.assign(certificate.begin(), certificate.end());
    rows.emplace_back(select.ColumnInt(0), std::move(finding));
  }
  ASSIGN_OR_RETURN(
      SqliteStatement entries,
      db_.Prepare("SELECT l.url, e.entry_index, e.entry_type, e.timestamp_ms FROM finding_entries "
                  "e JOIN logs "
                  "l ON l.id = e.log WHERE e.finding = ?1 ORDER BY l.url, e.entry_index"));
  std::vector<Finding> findings;
  for (auto& [id, finding] : rows) {
    entries.Reset();
    entries.BindInt(1, id);
    while (true) {
      ASSIGN_OR_RETURN(bool row, entries.Step());
      if (!row) break;
      finding.entries.push_back({.log = entries.ColumnText(0),
                                 .index = static_cast<uint64_t>(entries.ColumnInt(1)),
                                 .entry_type = entries.ColumnText(2),
                                 .timestamp_ms = static_cast<uint64_t>(entries.ColumnInt(3))});
    }
    findings.push_back(std::move(finding));
  }
  return findings;
}

Result<std::vector<Finding>> MonitorStore::QueryFindings(const FindingQuery& query) {
  std::lock_guard lock(mutex_);
  std::string sql(kFindingColumns);
  std::vector<std::string> where;
  if (!query.domain.empty()) {
    where.push_back(
        "EXISTS (SELECT 1 FROM finding_names n WHERE n.finding = f.id AND (n.name = ?1 OR "
        "n.name LIKE ?2 ESCAPE '\\'))");
  }
  if (query.unexpected_only) where.push_back("f.expected = 0");
  for (size_t i = 0; i < where.size(); ++i) sql += (i == 0 ? " WHERE " : " AND ") + where[i];
  sql += " ORDER BY f.first_seen_ms, f.id";
  if (query.limit > 0) sql += " LIMIT " + std::to_string(query.limit);
  ASSIGN_OR_RETURN(SqliteStatement select, db_.Prepare(sql));
  if (!query.domain.empty()) {
    select.BindText(1, query.domain).BindText(2, "%." + EscapeLike(query.domain));
  }
  return LoadFindings(select);
}

Result<std::optional<Finding>> MonitorStore::FindingByTbs(const std::string& tbs_sha256) {
  std::lock_guard lock(mutex_);
  Result<SqliteStatement> select =
      db_.Prepare(std::string(kFindingColumns) + " WHERE f.tbs_sha256 = ?1");
  if (!select) return std::unexpected(select.error());
  select->BindText(1, tbs_sha256);
  ASSIGN_OR_RETURN(std::vector<Finding> findings, LoadFindings(*select));
  if (findings.empty()) return std::optional<Finding>();
  return std::optional<Finding>(std::move(findings.front()));
}

Result<bool> MonitorStore::SeenInLog(const std::string& tbs_sha256, int64_t log) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(
      SqliteStatement select,
      db_.Prepare("SELECT 1 FROM finding_entries e JOIN findings f ON f.id = e.finding WHERE "
                  "f.tbs_sha256 = ?1 AND e.log = ?2 LIMIT 1"));
  select.BindText(1, tbs_sha256).BindInt(2, log);
  return select.Step();
}

Result<std::vector<StoredAlert>> MonitorStore::Alerts(size_t limit) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(
      SqliteStatement select,
      db_.Prepare("SELECT id, event, body, created_ms FROM alerts ORDER BY id DESC LIMIT ?1"));
  select.BindInt(1, limit == 0 ? INT64_MAX : static_cast<int64_t>(limit));
  std::vector<StoredAlert> alerts;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select.Step());
    if (!row) break;
    alerts.push_back({.id = select.ColumnInt(0),
                      .event = select.ColumnText(1),
                      .body_json = select.ColumnText(2),
                      .created_ms = select.ColumnInt(3)});
  }
  return alerts;
}

Result<size_t> MonitorStore::CountMalformed(int64_t log) {
  std::lock_guard lock(mutex_);
  Result<SqliteStatement> count =
      db_.Prepare("SELECT COUNT(*) FROM malformed_entries WHERE log = ?1");
  if (!count) return std::unexpected(count.error());
  count->BindInt(1, log);
  ASSIGN_OR_RETURN(bool row, count->Step());
  return static_cast<size_t>(count->ColumnInt(0));
}

Result<FindingCounts> MonitorStore::CountFindings() {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(
      SqliteStatement select,
      db_.Prepare(
          "SELECT COALESCE(SUM(expected != 0), 0), COALESCE(SUM(expected = 0), 0) FROM findings"));
  ASSIGN_OR_RETURN(bool row, select.Step());
  return FindingCounts{.expected = select.ColumnInt(0), .unexpected = select.ColumnInt(1)};
}

Result<std::vector<std::pair<std::string, int64_t>>> MonitorStore::CountAlertsByEvent() {
  std::lock_guard lock(mutex_);
  Result<SqliteStatement> select =
      db_.Prepare("SELECT event, COUNT(*) FROM alerts GROUP BY event ORDER BY event");
  if (!select) return std::unexpected(select.error());
  std::vector<std::pair<std::string, int64_t>> counts;
  while (true) {
    ASSIGN_OR_RETURN(bool row, select->Step());
    if (!row) break;
    counts.emplace_back(select->ColumnText(0), select->ColumnInt(1));
  }
  return counts;
}

Result<HeadCoverage> MonitorStore::CoverageOf(int64_t log, uint64_t position) {
  std::lock_guard lock(mutex_);
  ASSIGN_OR_RETURN(
      SqliteStatement select,
      db_.Prepare(
          "SELECT COALESCE(MAX(CASE WHEN tree_size <= ?2 THEN timestamp_ms END), 0), "
          "COALESCE(MIN(received_ms), 0) FROM tree_heads WHERE log = ?1 AND rejected = ''"));
  select.BindInt(1, log).BindInt(2, static_cast<int64_t>(position));
  ASSIGN_OR_RETURN(bool row, select.Step());
  return HeadCoverage{.reached_timestamp_ms = select.ColumnInt(0),
                      .first_received_ms = select.ColumnInt(1)};
}

}  // namespace ctkit
