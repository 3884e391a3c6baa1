#include "storage/postgres.h"

#include <libpq-fe.h>

#include <algorithm>
#include <charconv>
#include <cstring>

CTKIT_DEFINE_DELETER(pg_conn, PQfinish)
CTKIT_DEFINE_DELETER(pg_result, PQclear)

namespace ctkit {
namespace {

// The OIDs of the built-in types used here; fixed in every PostgreSQL release (the pg_type
// catalog, src/include/catalog/pg_type.dat).
constexpr Oid kByteaOid = 17;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;

constexpr int kMaxParams = 65535;  // the protocol's limit (a 16-bit count)
constexpr int kBinaryFormat = 1;

// libpq's multi-line messages ("...failed: Connection refused\n\tIs the server running...") as
// one inert line: whitespace runs become one space, the rest goes through TerminalSafe. Every
// occurrence of `password` (when not empty) becomes "***", whatever libpq or the server echoed.
std::string OneLine(std::string_view text, std::string_view password = {}) {
  std::string scrubbed(text);  // before whitespace changes, which a password may hold
  if (!password.empty()) {
    for (size_t at = scrubbed.find(password); at != std::string::npos;
         at = scrubbed.find(password, at + 3)) {
      scrubbed.replace(at, password.size(), "***");
    }
  }
  std::string line;
  bool space = false;
  for (char c : scrubbed) {
    if (c == '\n' || c == '\t' || c == '\r' || c == ' ') {
      space = !line.empty();
      continue;
    }
    if (space) line += ' ';
    space = false;
    line += c;
  }
  return TerminalSafe(line);
}

// "running "INSERT INTO items ..."": the first 80 bytes of the SQL, as storage/sqlite.cc does.
std::string RunningSql(std::string_view sql) {
  return "running \"" + OneLine(sql.substr(0, 80)) + (sql.size() > 80 ? "...\"" : "\"");
}

// The target of `options` (from PQconninfoParse or PQconninfo) as a URI without the password:
// "postgresql://user@host:port/dbname", a socket directory as "?host=/dir".
std::string DescribeTarget(const PQconninfoOption* options) {
  std::string user, host, port, dbname;
  for (const PQconninfoOption* option = options; option && option->keyword; ++option) {
    if (option->val == nullptr) continue;
    std::string_view keyword = option->keyword;
    if (keyword == "user") user = option->val;
    if (keyword == "host") host = option->val;
    if (keyword == "port") port = option->val;
    if (keyword == "dbname") dbname = option->val;
  }
  std::string uri = "postgresql://";
  if (!user.empty()) uri += user + "@";
  const bool socket = !host.empty() && host.front() == '/';
  if (!socket) uri += host;
  if (!port.empty()) uri += ":" + port;
  uri += "/" + dbname;
  if (socket) uri += "?host=" + host;
  return OneLine(uri);
}

struct FreeOptions {
  void operator()(PQconninfoOption* options) const { PQconninfoFree(options); }
};
using Options = std::unique_ptr<PQconninfoOption, FreeOptions>;

// True when the error means the connection is gone rather than that the statement was refused:
// libpq saw the connection fail, or the server sent SQLSTATE class 08 (connection exception) or
// 57P01..57P03 (admin shutdown, crash shutdown, cannot connect now) (PostgreSQL documentation,
// "Appendix A. PostgreSQL Error Codes").
bool IsConnectionLoss(const pg_conn* connection, std::string_view sqlstate) {
  if (PQstatus(connection) != CONNECTION_OK) return true;
  return sqlstate.starts_with("08") || sqlstate == "57P01" || sqlstate == "57P02" ||
         sqlstate == "57P03";
}

void IgnoreNotice(void*, const char*) {}

// libpq takes the user name and password from before the first '@', looking no further than the
// first '/' (its conninfo_uri_parse_options); a raw '/' or a second '@' in a password would make
// the rest of it host, port or database name, which messages show. So before any '?', there may
// be no '@', or one before the first '/'.
bool UserInfoIsWellFormed(std::string_view uri) {
  std::string_view rest = uri.substr(uri.find("://") + 3);
  rest = rest.substr(0, rest.find('?'));
  const size_t at = rest.find('@');
  if (at == std::string_view::npos) return true;
  return rest.find('@', at + 1) == std::string_view::npos && at < rest.find('/');
}

}  // namespace

// ---- PostgresQuery ----

PostgresQuery::Param& PostgresQuery::At(int index) {
  if (index < 1 || index > kMaxParams) {
    bad_index_ = true;
    return discarded_ = Param{};
  }
  if (params_.size() < static_cast<size_t>(index)) params_.resize(static_cast<size_t>(index));
  return params_[static_cast<size_t>(index) - 1];
}

PostgresQuery& PostgresQuery::BindInt(int index, int64_t value) {
  std::string text = std::to_string(value);
  Param& param = At(index);
  param = Param{.type = kInt8Oid, .value = Bytes(text.begin(), text.end())};
  param.value->push_back(0);  // text-format values are C strings
  return *this;
}

PostgresQuery& PostgresQuery::BindBytes(int index, ByteSpan value) {
  At(index) = Param{.type = kByteaOid, .value = Bytes(value.begin(), value.end()), .binary = true};
  return *this;
}

PostgresQuery& PostgresQuery::BindText(int index, std::string_view value) {
  Param& param = At(index);
  param = Param{.type = 0, .value = Bytes(value.begin(), value.end())};
  // libpq sends a text value up to its first NUL; PostgreSQL text cannot hold one anyway. A
  // value that would be cut short is refused rather than stored changed.
  if (value.find('\0') != std::string_view::npos) nul_in_text_ = index;
  param.value->push_back(0);
  return *this;
}

PostgresQuery& PostgresQuery::BindNull(int index) {
  At(index) = Param{};
  return *this;
}

// ---- PostgresResult ----

int PostgresResult::Rows() const { return PQntuples(result_.get()); }

int PostgresResult::Columns() const { return PQnfields(result_.get()); }

int64_t PostgresResult::AffectedRows() const {
  const char* text = PQcmdTuples(result_.get());
  int64_t count = 0;
  std::from_chars(text, text + std::strlen(text), count);
  return count;
}

Result<int> PostgresResult::Column(std::string_view name) const {
  // Quoted, so PQfnumber matches the name exactly instead of folding it to lower case.
  std::string quoted = "\"";
  for (char c : name) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  quoted += '"';
  int column = PQfnumber(result_.get(), quoted.c_str());
  if (column < 0) return MakeError(ErrorCode::kNotFound, "no column " + QuoteUntrusted(name));
  return column;
}

bool PostgresResult::InRange(int row, int column) const {
  return row >= 0 && row < Rows() && column >= 0 && column < Columns();
}

bool PostgresResult::IsNull(int row, int column) const {
  return !InRange(row, column) || PQgetisnull(result_.get(), row, column);
}

Result<int64_t> PostgresResult::GetInt(int row, int column) const {
  if (!InRange(row, column)) {
    return MakeError(ErrorCode::kInvalidArgument, "row " + std::to_string(row) + ", column " +
                                                      std::to_string(column) + " out of range");
  }
  if (PQgetisnull(result_.get(), row, column)) {
    return MakeError(ErrorCode::kMalformed, "column " + std::to_string(column) + " is NULL");
  }
  const Oid type = PQftype(result_.get(), column);
  size_t expected = type == kInt8Oid ? 8 : type == kInt4Oid ? 4 : type == kInt2Oid ? 2 : 0;
  ByteSpan value = GetBytes(row, column);
  if (expected == 0 || value.size() != expected) {
    return MakeError(ErrorCode::kMalformed, "column " + std::to_string(column) +
                                                " is not a smallint, integer or bigint (type " +
                                                std::to_string(type) + ")");
  }
  // Binary format: big-endian two's complement (PostgreSQL's int2send/int4send/int8send).
  uint64_t bits = value[0] & 0x80 ? ~uint64_t{0} : 0;
  for (uint8_t byte : value) bits = (bits << 8) | byte;
  return static_cast<int64_t>(bits);
}

ByteSpan PostgresResult::GetBytes(int row, int column) const {
  if (IsNull(row, column)) return {};
  const char* data = PQgetvalue(result_.get(), row, column);
  int size = PQgetlength(result_.get(), row, column);
  if (data == nullptr || size <= 0) return {};
  return {reinterpret_cast<const uint8_t*>(data), static_cast<size_t>(size)};
}

std::string_view PostgresResult::GetText(int row, int column) const {
  ByteSpan bytes = GetBytes(row, column);
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

// ---- PostgresTransaction ----

PostgresTransaction::PostgresTransaction(PostgresTransaction&& other) noexcept
    : connection_(std::exchange(other.connection_, nullptr)) {}

PostgresTransaction::~PostgresTransaction() {
  // A lost connection needs no ROLLBACK: the server ends the transaction with the session.
  if (connection_ != nullptr && connection_->IsConnected()) (void)connection_->Execute("ROLLBACK");
}

Result<void> PostgresTransaction::Commit() {
  PostgresConnection* connection = std::exchange(connection_, nullptr);
  if (connection == nullptr) return MakeError(ErrorCode::kInternal, "transaction already ended");
  UniquePtr<pg_result> result(PQexecParams(connection->connection_.get(), "COMMIT", 0, nullptr,
                                           nullptr, nullptr, nullptr, kBinaryFormat));
  if (PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    return std::unexpected(connection->StatementError("COMMIT", result.get()));
  }
  // COMMIT of a transaction in which a statement failed succeeds with the tag ROLLBACK.
  if (std::string_view(PQcmdStatus(result.get())) != "COMMIT") {
    return MakeError(ErrorCode::kIo,
                     "COMMIT rolled the transaction back: a statement in it had failed");
  }
  return {};
}

// ---- PostgresConnection ----

Result<PostgresConnection> PostgresConnection::Connect(std::string_view uri,
                                                       std::chrono::seconds connect_timeout) {
  if (!uri.starts_with("postgresql://") && !uri.starts_with("postgres://")) {
    // Not echoed: a key=value string or a typo may hold a password.
    return MakeError(ErrorCode::kInvalidArgument,
                     "not a PostgreSQL URI (postgresql://user@host:port/dbname)");
  }
  const std::string text(uri);
  if (text.find('\0') != std::string::npos) {
    return MakeError(ErrorCode::kInvalidArgument, "PostgreSQL URI holds a NUL byte");
  }
  if (!UserInfoIsWellFormed(text)) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "malformed PostgreSQL URI: a '/' or '@' in the user name or password must be "
                     "percent-encoded (%2F, %40)");
  }
  char* parse_error = nullptr;
  Options options(PQconninfoParse(text.c_str(), &parse_error));
  if (!options) {
    std::string reason = parse_error ? parse_error : "out of memory";
    PQfreemem(parse_error);
    // libpq quotes the part it could not parse, which may be (part of) a password: its reason is
    // shown only for a URI that cannot hold one.
    const bool may_hold_password =
        text.find('@') != std::string::npos || text.find("password") != std::string::npos;
    return MakeError(ErrorCode::kInvalidArgument,
                     "malformed PostgreSQL URI: " +
                         (may_hold_password ? std::string("(libpq's reason withheld: the URI may "
                                                          "hold a password)")
                                            : OneLine(reason)));
  }
  std::string password;
  for (const PQconninfoOption* option = options.get(); option->keyword; ++option) {
    if (option->val && std::string_view(option->keyword) == "password") password = option->val;
  }
  for (const PQconninfoOption* option = options.get(); option->keyword; ++option) {
    // libpq finds a bad port only when connecting, which would make it a kNetwork error.
    if (option->val && std::string_view(option->keyword) == "port" &&
        std::string_view(option->val).find_first_not_of("0123456789,") != std::string::npos) {
      return MakeError(ErrorCode::kInvalidArgument, "malformed PostgreSQL URI: port not a number");
    }
  }
  const std::string target = DescribeTarget(options.get());

  // Keywords after "dbname" (the URI, expanded in place) override what it says.
  const std::string timeout = std::to_string(std::max<int64_t>(connect_timeout.count(), 1));
  const char* const keywords[] = {"dbname", "connect_timeout", nullptr};
  const char* const values[] = {text.c_str(), timeout.c_str(), nullptr};
  PostgresConnection connection(PQconnectdbParams(keywords, values, /*expand_dbname=*/1), target);
  if (!connection.connection_) {
    return MakeError(ErrorCode::kNetwork, "connecting to " + target + ": out of memory");
  }
  if (PQstatus(connection.connection_.get()) != CONNECTION_OK) {
    return MakeError(ErrorCode::kNetwork,
                     "connecting to " + target + ": " +
                         OneLine(PQerrorMessage(connection.connection_.get()), password));
  }
  // Server notices (and libpq's own warnings) would go to stderr.
  PQsetNoticeProcessor(connection.connection_.get(), IgnoreNotice, nullptr);
  return connection;
}

Error PostgresConnection::StatementError(std::string_view sql, const pg_result* result) const {
  pg_conn* connection = connection_.get();
  const char* password = PQpass(connection);
  const std::string_view secret = password ? password : "";
  const char* sqlstate = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  std::string message;
  if (primary != nullptr) {
    message = OneLine(primary, secret);
  } else if (result != nullptr && *PQresultErrorMessage(result) != '\0') {
    message = OneLine(PQresultErrorMessage(result), secret);
  } else {
    message = OneLine(PQerrorMessage(connection), secret);
  }
  if (message.empty()) {
    message = std::string("unexpected result ") +
              PQresStatus(result ? PQresultStatus(result) : PGRES_FATAL_ERROR);
  }
  if (sqlstate != nullptr) message += std::string(" (SQLSTATE ") + OneLine(sqlstate) + ")";
  if (IsConnectionLoss(connection, sqlstate ? sqlstate : "")) {
    return Error{ErrorCode::kNetwork,
                 "connection to " + redacted_uri_ + " lost " + RunningSql(sql) + ": " + message};
  }
  return Error{ErrorCode::kIo, RunningSql(sql) + ": " + message};
}

Result<PostgresResult> PostgresConnection::Query(const PostgresQuery& query) {
  if (query.bad_index_) {
    return MakeError(ErrorCode::kInvalidArgument, "parameter index out of 1.." +
                                                      std::to_string(kMaxParams) + " in " +
                                                      RunningSql(query.sql_));
  }
  if (query.nul_in_text_ != 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "text parameter $" + std::to_string(query.nul_in_text_) +
                         " holds a NUL byte (bind bytes as BindBytes) in " +
                         RunningSql(query.sql_));
  }
  if (query.sql_.find('\0') != std::string::npos) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "SQL holds a NUL byte: " + RunningSql(query.sql_));
  }
  static const char kEmpty = 0;  // a zero-length bytea must not be a null pointer (NULL)
  const size_t count = query.params_.size();
  std::vector<Oid> types(count);
  std::vector<const char*> values(count);
  std::vector<int> lengths(count), formats(count);
  for (size_t i = 0; i < count; ++i) {
    const PostgresQuery::Param& param = query.params_[i];
    types[i] = param.type;
    if (param.value) {
      values[i] =
          param.value->empty() ? &kEmpty : reinterpret_cast<const char*>(param.value->data());
      lengths[i] = static_cast<int>(param.value->size());
    }
    formats[i] = param.binary ? kBinaryFormat : 0;
  }
  UniquePtr<pg_result> result(PQexecParams(connection_.get(), query.sql_.c_str(),
                                           static_cast<int>(count), types.data(), values.data(),
                                           lengths.data(), formats.data(), kBinaryFormat));
  const ExecStatusType status = PQresultStatus(result.get());
  if (!result || (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)) {
    return std::unexpected(StatementError(query.sql_, result.get()));
  }
  return PostgresResult(result.release());
}

Result<void> PostgresConnection::Execute(std::string_view sql) {
  ASSIGN_OR_RETURN(PostgresResult result, Query(PostgresQuery(std::string(sql))));
  return {};
}

Result<PostgresTransaction> PostgresConnection::Begin() {
  RETURN_IF_ERROR(Execute("BEGIN"));
  return PostgresTransaction(this);
}

Result<void> PostgresConnection::Transaction(const std::function<Result<void>()>& body) {
  ASSIGN_OR_RETURN(PostgresTransaction transaction, Begin());
  RETURN_IF_ERROR(body());  // the transaction's destructor rolls back
  return transaction.Commit();
}

bool PostgresConnection::IsConnected() const {
  return connection_ && PQstatus(connection_.get()) == CONNECTION_OK;
}

Result<void> PostgresConnection::Reconnect() {
  PQreset(connection_.get());
  if (PQstatus(connection_.get()) != CONNECTION_OK) {
    const char* password = PQpass(connection_.get());
    return MakeError(ErrorCode::kNetwork,
                     "reconnecting to " + redacted_uri_ + ": " +
                         OneLine(PQerrorMessage(connection_.get()), password ? password : ""));
  }
  return {};
}

}  // namespace ctkit
