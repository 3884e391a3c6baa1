#include "storage/sqlite.h"

#include <sqlite3.h>

namespace ctkit {

void SqliteStatement::Finalize::operator()(sqlite3_stmt* statement) const {
  sqlite3_finalize(statement);
}

void SqliteDatabase::Close::operator()(sqlite3* db) const { sqlite3_close_v2(db); }

Error SqliteStatement::MakeSqliteError(const char* what) const {
  return Error{ErrorCode::kIo,
               std::string(what) + " \"" + sql_.substr(0, 80) + "\": " + sqlite3_errmsg(db_)};
}

SqliteStatement& SqliteStatement::BindInt(int index, int64_t value) {
  if (sqlite3_bind_int64(statement_.get(), index, value) != SQLITE_OK) bind_failed_ = true;
  return *this;
}

SqliteStatement& SqliteStatement::BindBlob(int index, ByteSpan value) {
  // A zero-length blob must still be a blob, not NULL: sqlite3_bind_blob with a null pointer
  // binds NULL, so point at something.
  static const uint8_t kEmpty = 0;
  const void* data = value.empty() ? &kEmpty : value.data();
  if (sqlite3_bind_blob64(statement_.get(), index, data, value.size(), SQLITE_TRANSIENT) !=
      SQLITE_OK) {
    bind_failed_ = true;
  }
  return *this;
}

SqliteStatement& SqliteStatement::BindText(int index, std::string_view value) {
  if (sqlite3_bind_text64(statement_.get(), index, value.data(), value.size(), SQLITE_TRANSIENT,
                          SQLITE_UTF8) != SQLITE_OK) {
    bind_failed_ = true;
  }
  return *this;
}

SqliteStatement& SqliteStatement::BindNull(int index) {
  if (sqlite3_bind_null(statement_.get(), index) != SQLITE_OK) bind_failed_ = true;
  return *this;
}

Result<bool> SqliteStatement::Step() {
  if (bind_failed_) return std::unexpected(MakeSqliteError("binding parameters of"));
  int rc = sqlite3_step(statement_.get());
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return std::unexpected(MakeSqliteError("running"));
}

Result<void> SqliteStatement::Run() {
  ASSIGN_OR_RETURN(bool row, Step());
  return {};
}

void SqliteStatement::Reset() {
  sqlite3_reset(statement_.get());
  sqlite3_clear_bindings(statement_.get());
  bind_failed_ = false;
}

int64_t SqliteStatement::ColumnInt(int column) const {
  return sqlite3_column_int64(statement_.get(), column);
}

ByteSpan SqliteStatement::ColumnBlob(int column) const {
  const void* data = sqlite3_column_blob(statement_.get(), column);
  int size = sqlite3_column_bytes(statement_.get(), column);
  if (data == nullptr || size <= 0) return {};
  return {static_cast<const uint8_t*>(data), static_cast<size_t>(size)};
}

std::string SqliteStatement::ColumnText(int column) const {
  const unsigned char* text = sqlite3_column_text(statement_.get(), column);
  int size = sqlite3_column_bytes(statement_.get(), column);
  if (text == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(size));
}

bool SqliteStatement::ColumnIsNull(int column) const {
  return sqlite3_column_type(statement_.get(), column) == SQLITE_NULL;
}

Result<SqliteDatabase> SqliteDatabase::Open(const std::string& path) {
  sqlite3* raw = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &raw,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  SqliteDatabase db(raw);
  if (rc != SQLITE_OK) {
    return MakeError(ErrorCode::kIo, path + ": " + (raw ? sqlite3_errmsg(raw) : "cannot open"));
  }
  sqlite3_busy_timeout(raw, 10000);
  // synchronous=FULL: a commit is on disk before it returns, which the log relies on (an SCT is
  // only handed out for an entry that survives a crash).
  RETURN_IF_ERROR(
      db.Execute("PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"),
      path);
  return db;
}

Result<SqliteStatement> SqliteDatabase::Prepare(std::string_view sql) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db_.get(), sql.data(), static_cast<int>(sql.size()), &statement,
                         nullptr) != SQLITE_OK) {
    return MakeError(ErrorCode::kIo, "preparing \"" + std::string(sql.substr(0, 80)) +
                                         "\": " + sqlite3_errmsg(db_.get()));
  }
  return SqliteStatement(db_.get(), statement, std::string(sql));
}

Result<void> SqliteDatabase::Execute(std::string_view sql) {
  char* message = nullptr;
  std::string text(sql);
  if (sqlite3_exec(db_.get(), text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    std::string error = message ? message : sqlite3_errmsg(db_.get());
    sqlite3_free(message);
    return MakeError(ErrorCode::kIo, "executing \"" + text.substr(0, 80) + "\": " + error);
  }
  return {};
}

Result<void> SqliteDatabase::Transaction(const std::function<Result<void>()>& body) {
  if (Result<void> begin = Execute("BEGIN IMMEDIATE"); !begin) return begin;
  Result<void> result = body();
  if (!result) {
    (void)Execute("ROLLBACK");
    return result;
  }
  if (Result<void> commit = Execute("COMMIT"); !commit) {
    (void)Execute("ROLLBACK");
    return commit;
  }
  return {};
}

Result<void> SqliteDatabase::Migrate(const std::vector<std::string>& migrations) {
  ASSIGN_OR_RETURN(SqliteStatement query, Prepare("PRAGMA user_version"));
  ASSIGN_OR_RETURN(bool row, query.Step());
  int64_t version = row ? query.ColumnInt(0) : 0;
  if (version > static_cast<int64_t>(migrations.size())) {
    return MakeError(ErrorCode::kUnsupported, "database schema version " + std::to_string(version) +
                                                  " is newer than this ctkit knows (" +
                                                  std::to_string(migrations.size()) + ")");
  }
  for (size_t v = static_cast<size_t>(version); v < migrations.size(); ++v) {
    Result<void> step = Transaction([&]() -> Result<void> {
      if (Result<void> ok = Execute(migrations[v]); !ok) return ok;
      return Execute("PRAGMA user_version = " + std::to_string(v + 1));
    });
    if (!step) return step;
  }
  return {};
}

int64_t SqliteDatabase::LastInsertRowId() const { return sqlite3_last_insert_rowid(db_.get()); }

}  // namespace ctkit
