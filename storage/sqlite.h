// A thin RAII layer over the SQLite C API, shared by the log server and the monitor.
//
// Conventions (docs/reliability.md, "SQLite settings"): WAL mode, one writer, one transaction per
// batch, the schema version in `PRAGMA user_version` with forward migrations. Every failure is an
// Error naming the SQL and SQLite's message; nothing throws.
//
//   Result<SqliteDatabase> db = SqliteDatabase::Open(path);
//   Result<SqliteStatement> st = db->Prepare("SELECT hash FROM nodes WHERE level = ?1");
//   st->BindInt(1, 3);
//   while (*st->Step()) { ByteSpan hash = st->ColumnBlob(0); ... }

#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"

struct sqlite3;
struct sqlite3_stmt;

namespace ctkit {

class SqliteStatement {
 public:
  SqliteStatement(SqliteStatement&&) noexcept = default;
  SqliteStatement& operator=(SqliteStatement&&) noexcept = default;

  // Parameters are 1-based, as in SQLite. Blobs and text are copied (SQLITE_TRANSIENT).
  SqliteStatement& BindInt(int index, int64_t value);
  SqliteStatement& BindBlob(int index, ByteSpan value);
  SqliteStatement& BindText(int index, std::string_view value);
  SqliteStatement& BindNull(int index);

  // One step: true when a row is available, false when done.
  Result<bool> Step();
  // Runs to completion, expecting no rows.
  Result<void> Run();
  // Clears bindings and rewinds, for reuse.
  void Reset();

  int64_t ColumnInt(int column) const;
  // Valid until the next Step/Reset.
  ByteSpan ColumnBlob(int column) const;
  std::string ColumnText(int column) const;
  bool ColumnIsNull(int column) const;

 private:
  friend class SqliteDatabase;
  struct Finalize {
    void operator()(sqlite3_stmt* statement) const;
  };
  SqliteStatement(sqlite3* db, sqlite3_stmt* statement, std::string sql)
      : db_(db), statement_(statement), sql_(std::move(sql)) {}
  Error MakeSqliteError(const char* what) const;

  sqlite3* db_;
  std::unique_ptr<sqlite3_stmt, Finalize> statement_;
  std::string sql_;
  bool bind_failed_ = false;
  std::string bind_error_;
};

class SqliteDatabase {
 public:
  // Opens (creating if needed) the database at `path`, in WAL mode with foreign keys on and a
  // busy timeout, so a reader never fails because the writer is busy.
  static Result<SqliteDatabase> Open(const std::string& path);

  SqliteDatabase(SqliteDatabase&&) noexcept = default;
  SqliteDatabase& operator=(SqliteDatabase&&) noexcept = default;

  Result<SqliteStatement> Prepare(std::string_view sql);
  // Runs one or more statements without results (schema, pragmas).
  Result<void> Execute(std::string_view sql);

  // Runs `body` in one IMMEDIATE transaction: committed when it succeeds, rolled back when it
  // fails. Not reentrant.
  Result<void> Transaction(const std::function<Result<void>()>& body);

  // Applies `migrations[v]` for each v from the stored `PRAGMA user_version` up, each in its own
  // transaction that also bumps the version: a new database gets them all, an old one the rest.
  // Fails if the stored version is newer than the migrations known (a newer ctkit wrote it).
  Result<void> Migrate(const std::vector<std::string>& migrations);

  int64_t LastInsertRowId() const;

 private:
  struct Close {
    void operator()(sqlite3* db) const;
  };
  explicit SqliteDatabase(sqlite3* db) : db_(db) {}

  std::unique_ptr<sqlite3, Close> db_;
};

}  // namespace ctkit
