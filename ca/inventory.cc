#include "ca/inventory.h"

namespace ctkit {
namespace {

const std::vector<std::string> kMigrations = {
    R"sql(
CREATE TABLE issued (
  id INTEGER PRIMARY KEY,
  sha256 TEXT NOT NULL UNIQUE,
  record TEXT NOT NULL
);
)sql",
};

}  // namespace

Result<Inventory> Inventory::Open(const std::string& path) {
  ASSIGN_OR_RETURN(SqliteDatabase db, SqliteDatabase::Open(path));
  RETURN_IF_ERROR(db.Migrate(kMigrations));
  return Inventory(std::move(db));
}

Result<void> Inventory::Add(const InventoryRecord& record) {
  ASSIGN_OR_RETURN(SqliteStatement insert,
                   db_.Prepare("INSERT INTO issued (sha256, record) VALUES (?1, ?2)"));
  insert.BindText(1, record.sha256).BindText(2, InventoryRecordToJson(record));
  return insert.Run();
}

Result<std::vector<InventoryRecord>> Inventory::All() {
  ASSIGN_OR_RETURN(SqliteStatement query, db_.Prepare("SELECT record FROM issued ORDER BY id"));
  std::vector<InventoryRecord> records;
  while (true) {
    ASSIGN_OR_RETURN(bool row, query.Step());
    if (!row) break;
    ASSIGN_OR_RETURN(InventoryRecord record, ParseInventoryRecord(query.ColumnText(0)),
                     "stored inventory record");
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace ctkit
