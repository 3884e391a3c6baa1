// storage/postgres.h against a real PostgreSQL server (tests/postgres_server.h).

#include "storage/postgres.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>

#include "tests/postgres_server.h"

namespace ctkit {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::PostgresServer;

constexpr char kPassword[] = "s3cretPw";

class PostgresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<PostgresServer*> server = testing::SharedPostgresServer();
    ASSERT_TRUE(server) << server.error().message;
    server_ = *server;
  }

  // A connection to the shared server; tests use tables of their own.
  PostgresConnection Connect() {
    Result<PostgresConnection> db = PostgresConnection::Connect(server_->Uri());
    if (!db) {
      ADD_FAILURE() << db.error().message;
      throw std::runtime_error("no connection");
    }
    return std::move(*db);
  }

  PostgresServer* server_ = nullptr;
};

int64_t Count(PostgresConnection& db, const std::string& table) {
  Result<PostgresResult> rows = db.Query(PostgresQuery("SELECT count(*) FROM " + table));
  if (!rows) {
    ADD_FAILURE() << rows.error().message;
    return -1;
  }
  Result<int64_t> count = rows->GetInt(0, 0);
  return count ? *count : -1;
}

TEST_F(PostgresTest, ConnectsOverTheSocketAndOverTcp) {
  for (const std::string& uri : {server_->Uri(), server_->TcpUri()}) {
    Result<PostgresConnection> db = PostgresConnection::Connect(uri);
    ASSERT_TRUE(db) << uri << ": " << db.error().message;
    EXPECT_TRUE(db->IsConnected());
    Result<PostgresResult> one = db->Query(PostgresQuery("SELECT 1 + $1").BindInt(1, 41));
    ASSERT_TRUE(one) << one.error().message;
    ASSERT_EQ(one->Rows(), 1);
    EXPECT_EQ(one->GetInt(0, 0), 42);
  }
}

TEST_F(PostgresTest, TextIntegersAndByteaRoundTrip) {
  PostgresConnection db = Connect();
  ASSERT_TRUE(
      db.Execute("CREATE TABLE roundtrip (id bigint PRIMARY KEY, small integer, "
                 "name text, data bytea, note text)"));
  Bytes every_byte(256);
  for (int i = 0; i < 256; ++i) every_byte[i] = static_cast<uint8_t>(i);
  const Bytes nuls = {0, 0, 'a', 0, 0xff, 0};
  // Values that would break SQL built as text are only data as parameters.
  const std::string hostile = "it's'); DROP TABLE roundtrip; -- \xc3\xa9\xe2\x82\xac";
  const int64_t kMin = std::numeric_limits<int64_t>::min();
  const int64_t kMax = std::numeric_limits<int64_t>::max();

  PostgresQuery insert(
      "INSERT INTO roundtrip (id, small, name, data, note) "
      "VALUES ($1, $2, $3, $4, $5)");
  insert.BindInt(1, kMin).BindInt(2, -7).BindText(3, hostile).BindBytes(4, nuls).BindNull(5);
  Result<PostgresResult> inserted = db.Query(insert);
  ASSERT_TRUE(inserted) << inserted.error().message;
  EXPECT_EQ(inserted->AffectedRows(), 1);
  ASSERT_TRUE(db.Query(PostgresQuery("INSERT INTO roundtrip VALUES ($1, $2, $3, $4, $5)")
                           .BindInt(1, kMax)
                           .BindInt(2, 2147483647)
                           .BindText(3, "")
                           .BindBytes(4, every_byte)
                           .BindText(5, "note")));
  ASSERT_TRUE(db.Query(PostgresQuery("INSERT INTO roundtrip (id, data) VALUES ($1, $2)")
                           .BindInt(1, 0)
                           .BindBytes(2, {})));

  Result<PostgresResult> rows = db.Query(
      PostgresQuery("SELECT id, small, name, data, note FROM roundtrip WHERE id <> $1 ORDER BY id")
          .BindInt(1, 12345));
  ASSERT_TRUE(rows) << rows.error().message;
  ASSERT_EQ(rows->Rows(), 3);
  ASSERT_EQ(rows->Columns(), 5);
  EXPECT_EQ(rows->GetInt(0, 0), kMin);
  EXPECT_EQ(rows->GetInt(0, 1), -7);
  EXPECT_EQ(rows->GetText(0, 2), hostile);
  EXPECT_TRUE(std::ranges::equal(rows->GetBytes(0, 3), nuls));
  EXPECT_TRUE(rows->IsNull(0, 4));
  EXPECT_EQ(rows->GetInt(1, 0), 0);
  EXPECT_TRUE(rows->GetBytes(1, 3).empty());
  EXPECT_FALSE(rows->IsNull(1, 3));  // an empty bytea is not NULL
  EXPECT_TRUE(rows->IsNull(1, 1));
  EXPECT_EQ(rows->GetInt(2, 0), kMax);
  EXPECT_EQ(rows->GetInt(2, 1), 2147483647);
  EXPECT_EQ(rows->GetText(2, 2), "");
  EXPECT_FALSE(rows->IsNull(2, 2));
  EXPECT_TRUE(std::ranges::equal(rows->GetBytes(2, 3), every_byte));
  EXPECT_EQ(rows->GetText(2, 4), "note");

  // Columns by name; reading a column as the wrong type is an error, not a guess.
  Result<int> data = rows->Column("data");
  ASSERT_TRUE(data);
  EXPECT_EQ(*data, 3);
  EXPECT_EQ(rows->Column("missing").error().code, ErrorCode::kNotFound);
  EXPECT_EQ(rows->Column("DATA").error().code, ErrorCode::kNotFound);  // names are exact
  EXPECT_EQ(rows->GetInt(0, 2).error().code, ErrorCode::kMalformed);   // text
  EXPECT_EQ(rows->GetInt(1, 1).error().code, ErrorCode::kMalformed);   // NULL
  EXPECT_EQ(rows->GetInt(3, 0).error().code, ErrorCode::kInvalidArgument);
  EXPECT_TRUE(rows->IsNull(0, 5));
  EXPECT_TRUE(rows->GetBytes(-1, 0).empty());

  // The hostile text found by value; the table is still there.
  Result<PostgresResult> found =
      db.Query(PostgresQuery("SELECT id FROM roundtrip WHERE name = $1").BindText(1, hostile));
  ASSERT_TRUE(found) << found.error().message;
  ASSERT_EQ(found->Rows(), 1);
  EXPECT_EQ(found->GetInt(0, 0), kMin);
  EXPECT_EQ(Count(db, "roundtrip"), 3);
}

TEST_F(PostgresTest, TextWithANulByteIsRefusedNotCut) {
  PostgresConnection db = Connect();
  Result<PostgresResult> result =
      db.Query(PostgresQuery("SELECT $1::text").BindText(1, std::string("ab\0cd", 5)));
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(result.error().message, HasSubstr("$1"));
  Result<PostgresResult> bad_index = db.Query(PostgresQuery("SELECT 1").BindInt(0, 1));
  ASSERT_FALSE(bad_index);
  EXPECT_EQ(bad_index.error().code, ErrorCode::kInvalidArgument);
}

TEST_F(PostgresTest, RolledBackTransactionLeavesNothing) {
  PostgresConnection db = Connect();
  ASSERT_TRUE(db.Execute("CREATE TABLE rollback_items (id bigint PRIMARY KEY)"));
  auto insert = [&](int64_t id) {
    return db.Query(PostgresQuery("INSERT INTO rollback_items VALUES ($1)").BindInt(1, id));
  };
  {  // The guard goes out of scope without Commit.
    Result<PostgresTransaction> transaction = db.Begin();
    ASSERT_TRUE(transaction) << transaction.error().message;
    ASSERT_TRUE(insert(1));
    EXPECT_EQ(Count(db, "rollback_items"), 1);  // visible inside
  }
  EXPECT_EQ(Count(db, "rollback_items"), 0);

  // A body that fails: its error comes back as it is, and nothing is kept.
  Result<void> failed = db.Transaction([&]() -> Result<void> {
    RETURN_IF_ERROR(insert(2));
    return MakeError(ErrorCode::kInternal, "stop here");
  });
  ASSERT_FALSE(failed);
  EXPECT_EQ(failed.error().message, "stop here");
  EXPECT_EQ(Count(db, "rollback_items"), 0);

  // A statement that fails inside makes COMMIT an error, not a silent rollback.
  Result<PostgresTransaction> transaction = db.Begin();
  ASSERT_TRUE(transaction);
  ASSERT_TRUE(insert(3));
  Result<PostgresResult> duplicate = insert(3);
  ASSERT_FALSE(duplicate);
  EXPECT_EQ(duplicate.error().code, ErrorCode::kIo);
  Result<void> commit = transaction->Commit();
  ASSERT_FALSE(commit);
  EXPECT_THAT(commit.error().message, HasSubstr("rolled the transaction back"));
  EXPECT_EQ(Count(db, "rollback_items"), 0);

  // And one that succeeds is kept.
  ASSERT_TRUE(db.Transaction([&]() -> Result<void> {
    RETURN_IF_ERROR(insert(4));
    RETURN_IF_ERROR(insert(5));
    return {};
  }));
  EXPECT_EQ(Count(db, "rollback_items"), 2);
}

TEST_F(PostgresTest, StatementErrorsNameTheStatementAndKeepTheConnection) {
  PostgresConnection db = Connect();
  Result<void> bad = db.Execute("SELEKT 1");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().code, ErrorCode::kIo);  // not kNetwork: reconnecting would not help
  EXPECT_THAT(bad.error().message, HasSubstr("SELEKT"));
  EXPECT_THAT(bad.error().message, HasSubstr("SQLSTATE 42601"));
  EXPECT_TRUE(db.IsConnected());
  Result<PostgresResult> missing = db.Query(PostgresQuery("SELECT * FROM no_such_table"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.error().code, ErrorCode::kIo);
  EXPECT_THAT(missing.error().message, HasSubstr("42P01"));
  EXPECT_TRUE(db.Execute("SELECT 1"));
}

TEST_F(PostgresTest, BadUrisAndWrongPortsAreCleanErrorsWithoutThePassword) {
  // The server trusts every local login, so a password in the URI is accepted and ignored; it
  // must still never be shown.
  const std::string with_password = "postgresql://ctkit:" + std::string(kPassword) +
                                    "@127.0.0.1:" + std::to_string(server_->port()) + "/ctkit";
  Result<PostgresConnection> ok = PostgresConnection::Connect(with_password);
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_THAT(ok->RedactedUri(), Not(HasSubstr(kPassword)));
  EXPECT_THAT(ok->RedactedUri(), HasSubstr("127.0.0.1"));
  // The server echoes a value it cannot read; the message still does not carry the password.
  Result<PostgresResult> echoed =
      ok->Query(PostgresQuery("SELECT $1::integer").BindText(1, kPassword));
  ASSERT_FALSE(echoed);
  EXPECT_EQ(echoed.error().code, ErrorCode::kIo);
  EXPECT_THAT(echoed.error().message, Not(HasSubstr(kPassword)));
  EXPECT_THAT(echoed.error().message, HasSubstr("***"));

  // A port nothing listens on (the server's directory has no socket for it, and 127.0.0.1
  // refuses): kNetwork, naming where, not the password.
  const int closed_port = server_->port() == 1 ? 2 : 1;
  for (const std::string& uri :
       {"postgresql://ctkit:" + std::string(kPassword) +
            "@127.0.0.1:" + std::to_string(closed_port) + "/ctkit",
        "postgresql://ctkit:" + std::string(kPassword) + "@/ctkit?host=" + server_->dir() +
            "&port=" + std::to_string(server_->port() + 1)}) {
    Result<PostgresConnection> refused = PostgresConnection::Connect(uri, std::chrono::seconds(2));
    ASSERT_FALSE(refused) << uri;
    EXPECT_EQ(refused.error().code, ErrorCode::kNetwork) << refused.error().message;
    EXPECT_THAT(refused.error().message, Not(HasSubstr(kPassword)));
    EXPECT_THAT(refused.error().message, HasSubstr("connecting to postgresql://ctkit@"));
  }

  // Malformed URIs: kInvalidArgument; libpq would quote the bad part, here the password.
  for (const std::string& uri : {
           "postgresql://ctkit:" + std::string(kPassword) + "%zz@127.0.0.1/ctkit",
           "postgresql://ctkit@127.0.0.1:notaport/ctkit?password=" + std::string(kPassword),
           "host=127.0.0.1 password=" + std::string(kPassword),
           std::string("mysql://ctkit:") + kPassword + "@127.0.0.1/ctkit",
           // Not percent-encoded: libpq would read the rest as host, port or database name.
           std::string("postgresql://ctkit:s3cr/etPw@127.0.0.1/ctkit"),
           std::string("postgresql://ctkit:s3cr@etPw@127.0.0.1/ctkit"),
       }) {
    Result<PostgresConnection> bad = PostgresConnection::Connect(uri);
    ASSERT_FALSE(bad) << uri;
    EXPECT_EQ(bad.error().code, ErrorCode::kInvalidArgument) << bad.error().message;
    EXPECT_THAT(bad.error().message, Not(HasSubstr("s3cr")));
    EXPECT_THAT(bad.error().message, Not(HasSubstr("etPw")));
  }
  // Without a password, libpq's reason is shown.
  Result<PostgresConnection> no_password =
      PostgresConnection::Connect("postgresql://127.0.0.1/ctkit?nosuchoption=1");
  ASSERT_FALSE(no_password);
  EXPECT_EQ(no_password.error().code, ErrorCode::kInvalidArgument);
  EXPECT_THAT(no_password.error().message, HasSubstr("nosuchoption"));
}

// A server of its own: this test stops and restarts it.
TEST(PostgresRestartTest, StoppedServerIsConnectionLostAndReconnectWorks) {
  Result<std::unique_ptr<PostgresServer>> started = PostgresServer::Start();
  ASSERT_TRUE(started) << started.error().message;
  PostgresServer& server = **started;
  Result<PostgresConnection> db = PostgresConnection::Connect(server.Uri());
  ASSERT_TRUE(db) << db.error().message;
  ASSERT_TRUE(db->Execute("CREATE TABLE kept (id bigint)"));
  ASSERT_TRUE(db->Query(PostgresQuery("INSERT INTO kept VALUES ($1)").BindInt(1, 1)));
  // A transaction open when the server goes away.
  Result<PostgresTransaction> transaction = db->Begin();
  ASSERT_TRUE(transaction);
  ASSERT_TRUE(db->Query(PostgresQuery("INSERT INTO kept VALUES ($1)").BindInt(1, 2)));

  ASSERT_TRUE(server.Stop());
  Result<PostgresResult> lost = db->Query(PostgresQuery("SELECT count(*) FROM kept"));
  ASSERT_FALSE(lost);
  EXPECT_EQ(lost.error().code, ErrorCode::kNetwork) << lost.error().message;
  EXPECT_THAT(lost.error().message, HasSubstr("lost"));
  EXPECT_FALSE(db->IsConnected());
  Result<void> commit = transaction->Commit();
  ASSERT_FALSE(commit);
  EXPECT_EQ(commit.error().code, ErrorCode::kNetwork);
  // While the server is down, reconnecting fails the same way.
  Result<void> down = db->Reconnect();
  ASSERT_FALSE(down);
  EXPECT_EQ(down.error().code, ErrorCode::kNetwork);
  EXPECT_FALSE(PostgresConnection::Connect(server.Uri(), std::chrono::seconds(2)));

  ASSERT_TRUE(server.Restart());
  Result<void> back = db->Reconnect();
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_TRUE(db->IsConnected());
  // The committed row survived; the open transaction's did not.
  EXPECT_EQ(Count(*db, "kept"), 1);
  Result<PostgresConnection> fresh = PostgresConnection::Connect(server.TcpUri());
  ASSERT_TRUE(fresh) << fresh.error().message;
  EXPECT_EQ(Count(*fresh, "kept"), 1);
}

}  // namespace
}  // namespace ctkit
