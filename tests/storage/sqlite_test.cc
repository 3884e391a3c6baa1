#include "storage/sqlite.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <unistd.h>

namespace ctkit {
namespace {

using ::testing::HasSubstr;

class SqliteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/ctkit-sqlite-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    path_ = dir_ + "/test.db";
  }
  void TearDown() override { (void)system(("rm -rf " + dir_).c_str()); }
  std::string dir_, path_;
};

const std::vector<std::string> kMigrations = {
    "CREATE TABLE items (id INTEGER PRIMARY KEY, data BLOB NOT NULL)",
    "ALTER TABLE items ADD COLUMN note TEXT",
};

TEST_F(SqliteTest, MigratesForwardOnlyOnce) {
  {
    Result<SqliteDatabase> db = SqliteDatabase::Open(path_);
    ASSERT_TRUE(db) << db.error().message;
    ASSERT_TRUE(db->Migrate({kMigrations[0]}));
  }
  Result<SqliteDatabase> db = SqliteDatabase::Open(path_);
  ASSERT_TRUE(db);
  ASSERT_TRUE(db->Migrate(kMigrations));  // applies only the second
  ASSERT_TRUE(db->Migrate(kMigrations));  // nothing left to apply
  Result<SqliteStatement> version = db->Prepare("PRAGMA user_version");
  ASSERT_TRUE(version && *version->Step());
  EXPECT_EQ(version->ColumnInt(0), 2);
  // A database from a newer ctkit is refused.
  Result<void> older = db->Migrate({kMigrations[0]});
  ASSERT_FALSE(older);
  EXPECT_THAT(older.error().message, HasSubstr("newer"));
}

TEST_F(SqliteTest, BlobsTextAndNullsRoundTrip) {
  Result<SqliteDatabase> db = SqliteDatabase::Open(path_);
  ASSERT_TRUE(db && db->Migrate(kMigrations));
  Bytes blob = {0, 1, 2, 0, 255};
  Result<SqliteStatement> insert = db->Prepare("INSERT INTO items (data, note) VALUES (?1, ?2)");
  ASSERT_TRUE(insert);
  ASSERT_TRUE(insert->BindBlob(1, blob).BindText(2, "hello").Run());
  insert->Reset();
  ASSERT_TRUE(insert->BindBlob(1, {}).BindNull(2).Run());
  Result<SqliteStatement> select = db->Prepare("SELECT data, note FROM items ORDER BY id");
  ASSERT_TRUE(select);
  ASSERT_TRUE(*select->Step());
  EXPECT_TRUE(std::ranges::equal(select->ColumnBlob(0), blob));
  EXPECT_EQ(select->ColumnText(1), "hello");
  ASSERT_TRUE(*select->Step());
  EXPECT_TRUE(select->ColumnBlob(0).empty());
  EXPECT_FALSE(select->ColumnIsNull(0));  // an empty blob is not NULL (the column is NOT NULL)
  EXPECT_TRUE(select->ColumnIsNull(1));
  EXPECT_FALSE(*select->Step());
}

TEST_F(SqliteTest, FailedTransactionRollsBack) {
  Result<SqliteDatabase> db = SqliteDatabase::Open(path_);
  ASSERT_TRUE(db && db->Migrate(kMigrations));
  Result<void> failed = db->Transaction([&]() -> Result<void> {
    if (Result<void> ok = db->Execute("INSERT INTO items (data) VALUES (x'01')"); !ok) return ok;
    return MakeError(ErrorCode::kInternal, "stop");
  });
  EXPECT_FALSE(failed);
  Result<SqliteStatement> count = db->Prepare("SELECT COUNT(*) FROM items");
  ASSERT_TRUE(count && *count->Step());
  EXPECT_EQ(count->ColumnInt(0), 0);
  EXPECT_TRUE(
      db->Transaction([&] { return db->Execute("INSERT INTO items (data) VALUES (x'01')"); }));
  count->Reset();
  ASSERT_TRUE(*count->Step());
  EXPECT_EQ(count->ColumnInt(0), 1);
}

TEST_F(SqliteTest, ErrorsNameTheStatement) {
  Result<SqliteDatabase> db = SqliteDatabase::Open(path_);
  ASSERT_TRUE(db);
  Result<SqliteStatement> bad = db->Prepare("SELEKT 1");
  ASSERT_FALSE(bad);
  EXPECT_THAT(bad.error().message, HasSubstr("SELEKT"));
  EXPECT_FALSE(SqliteDatabase::Open("/nonexistent-dir/x.db"));
}

}  // namespace
}  // namespace ctkit
