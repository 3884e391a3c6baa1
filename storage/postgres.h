// A thin RAII layer over libpq, PostgreSQL's C client, in the shape of storage/sqlite.h: the
// groundwork for keeping the monitor's store on a PostgreSQL server. Its own library,
// ctkit_storage_postgres, so only what uses PostgreSQL links libpq. Tested against a real server
// (tests/postgres_server.h, docs/testing.md "PostgreSQL").
//
//   Result<PostgresConnection> db = PostgresConnection::Connect("postgresql://ctkit@db/ctkit");
//   RETURN_IF_ERROR(db->Execute("CREATE TABLE items (id bigint, data bytea)"));
//   RETURN_IF_ERROR(db->Query(PostgresQuery("INSERT INTO items VALUES ($1, $2)")
//                                 .BindInt(1, 7).BindBytes(2, blob)));
//   ASSIGN_OR_RETURN(PostgresResult rows,
//                    db->Query(PostgresQuery("SELECT data FROM items WHERE id = $1").BindInt(1,
//                    7)));
//   for (int row = 0; row < rows.Rows(); ++row) { ByteSpan data = rows.GetBytes(row, 0); ... }
//
// SQL text is never built from values: every value is a parameter ($1, $2 ...) sent apart from
// the SQL (PQexecParams), so a hostile value cannot change a statement. One statement per call.
//
// Errors. Nothing throws. The code of an Error says what a caller should do:
//   kNetwork          the server cannot be reached or the connection was lost (the server shut
//                     down or restarted, the network failed, the server refused the login): the
//                     statement did not complete; Reconnect() (or Connect again) and retry.
//                     A COMMIT that fails this way may or may not have committed (the answer was
//                     lost): what a transaction writes should be safe to write twice.
//   kIo               the server ran the statement and refused it (syntax, a constraint, a type):
//                     the connection is still usable; retrying the same statement fails again.
//   kInvalidArgument  the URI is not a postgresql:// URI libpq can parse (a '/' or '@' in the
//                     password must be percent-encoded; a port must be a number), a text
//                     parameter holds a NUL byte, or a parameter index or row/column is out of
//                     range.
//   kMalformed        a column holds a type the accessor cannot read (GetInt on text).
// Messages name the server as the URI without its password ("postgresql://ctkit:***@db/ctkit"),
// the first 80 characters of the SQL, and the server's message with its SQLSTATE; a password
// never appears in a message, even when the URI itself is malformed.
//
// A connection is used by one thread at a time (libpq's rule); open one per thread.

#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "base/unique_ptr.h"

struct pg_conn;    // libpq's PGconn
struct pg_result;  // libpq's PGresult

CTKIT_DECLARE_DELETER(pg_conn)    // PQfinish
CTKIT_DECLARE_DELETER(pg_result)  // PQclear

namespace ctkit {

// One statement and its parameters. Parameters are 1-based ($1 is index 1), as in PostgreSQL;
// values are copied. A text value with a NUL byte (which PostgreSQL text cannot hold) makes
// the query fail with kInvalidArgument rather than be cut short. Sent types: BindInt as bigint,
// BindBytes as bytea (binary, any bytes including NUL), BindText as an untyped literal (PostgreSQL
// infers its type from where it is used, as for '...' in SQL; cast in the SQL where it cannot:
// `$1::jsonb`), BindNull as NULL.
class PostgresQuery {
 public:
  explicit PostgresQuery(std::string sql) : sql_(std::move(sql)) {}

  PostgresQuery& BindInt(int index, int64_t value);
  PostgresQuery& BindBytes(int index, ByteSpan value);
  PostgresQuery& BindText(int index, std::string_view value);
  PostgresQuery& BindNull(int index);

  const std::string& sql() const { return sql_; }

 private:
  friend class PostgresConnection;
  struct Param {
    unsigned int type = 0;       // PostgreSQL type OID; 0: inferred by the server
    std::optional<Bytes> value;  // nullopt: NULL
    bool binary = false;
  };
  Param& At(int index);

  std::string sql_;
  std::vector<Param> params_;
  Param discarded_;         // where a Bind* with a bad index writes
  bool bad_index_ = false;  // a Bind* with index < 1 or > 65535: the query fails, naming it
  int nul_in_text_ = 0;     // a BindText value with a NUL byte (its index): the query fails
};

// The rows a statement returned, in PostgreSQL's binary format. Rows and columns are 0-based.
// Integer columns (smallint, integer, bigint) are read with GetInt; bytea with GetBytes; text,
// varchar and name with GetText (or GetBytes). Cast other types in the SQL (`count(*)` is
// already bigint; `::bigint`, `::text`). The views returned live as long as this result.
class PostgresResult {
 public:
  PostgresResult(PostgresResult&&) noexcept = default;
  PostgresResult& operator=(PostgresResult&&) noexcept = default;

  int Rows() const;
  int Columns() const;
  // Rows an INSERT, UPDATE or DELETE changed (0 for other statements).
  int64_t AffectedRows() const;
  // The index of the column named `name` (as in the SELECT list), or kNotFound.
  Result<int> Column(std::string_view name) const;

  // True for NULL, and for a row or column out of range.
  bool IsNull(int row, int column) const;
  // A smallint, integer or bigint value. kMalformed for NULL or any other type, kInvalidArgument
  // for a row or column out of range.
  Result<int64_t> GetInt(int row, int column) const;
  // The value's bytes as the server sent them: a bytea's bytes, a text's UTF-8. Empty for NULL
  // and out of range.
  ByteSpan GetBytes(int row, int column) const;
  std::string_view GetText(int row, int column) const;

 private:
  friend class PostgresConnection;
  explicit PostgresResult(pg_result* result) : result_(result) {}
  bool InRange(int row, int column) const;

  UniquePtr<pg_result> result_;
};

class PostgresConnection;

// An open transaction: BEGIN when made (PostgresConnection::Begin), ROLLBACK when it goes out of
// scope without Commit(). Not nested; while it lives, statements go through its connection, which
// must not be moved or destroyed before it.
class PostgresTransaction {
 public:
  PostgresTransaction(PostgresTransaction&& other) noexcept;
  PostgresTransaction& operator=(PostgresTransaction&&) = delete;
  ~PostgresTransaction();

  // COMMIT. On kNetwork the outcome is unknown (see the top of this file); on any error the
  // transaction is over (the server rolled it back) and the destructor does nothing more.
  Result<void> Commit();

 private:
  friend class PostgresConnection;
  explicit PostgresTransaction(PostgresConnection* connection) : connection_(connection) {}

  PostgresConnection* connection_;  // null once committed or rolled back
};

class PostgresConnection {
 public:
  // Connects to the server a libpq URI names, "postgresql://[user[:password]@][host][:port]
  // [/dbname][?param=value...]" (also "postgres://"; a Unix socket as ?host=/dir). Gives up
  // after `connect_timeout` per address tried (libpq rounds 1 s up to 2 s), overriding any
  // connect_timeout in the URI. kInvalidArgument when the URI cannot be parsed, kNetwork when
  // the server cannot be reached or refuses the login. As for psql, libpq's environment
  // variables (PGHOST, PGPASSWORD ...) and ~/.pgpass fill in what the URI leaves out.
  static Result<PostgresConnection> Connect(
      std::string_view uri, std::chrono::seconds connect_timeout = std::chrono::seconds(10));

  PostgresConnection(PostgresConnection&&) noexcept = default;
  PostgresConnection& operator=(PostgresConnection&&) noexcept = default;

  // Runs one statement with its parameters and returns its rows (none for INSERT without
  // RETURNING, DDL ...).
  Result<PostgresResult> Query(const PostgresQuery& query);
  // Runs one statement that has no parameters and returns no rows (schema, SET ...).
  Result<void> Execute(std::string_view sql);

  // BEGIN: the transaction lives until it is committed or destroyed (rolled back).
  Result<PostgresTransaction> Begin();
  // Runs `body` in one transaction: committed when it succeeds, rolled back when it fails (its
  // error returned as it is). Not reentrant.
  Result<void> Transaction(const std::function<Result<void>()>& body);

  // False once the connection is lost (any kNetwork error), until Reconnect succeeds.
  bool IsConnected() const;
  // Connects again with the same URI and timeout (after a kNetwork error). An open transaction
  // is gone: its writes were rolled back by the server.
  Result<void> Reconnect();

  // The URI with its password replaced by "***", as it appears in error messages.
  const std::string& RedactedUri() const { return redacted_uri_; }

 private:
  friend class PostgresTransaction;
  PostgresConnection(pg_conn* connection, std::string redacted_uri)
      : connection_(connection), redacted_uri_(std::move(redacted_uri)) {}
  // The Error for a failed statement: kNetwork when the connection is gone, else kIo.
  Error StatementError(std::string_view sql, const pg_result* result) const;

  UniquePtr<pg_conn> connection_;
  std::string redacted_uri_;
};

}  // namespace ctkit
