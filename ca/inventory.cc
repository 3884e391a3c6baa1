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
  Result<SqliteDatabase> db = SqliteDatabase::Open(path);
  if (!db) return std::unexpected(db.error());
  if (Result<void> migrated = db->Migrate(kMigrations); !migrated) return std::unexpected(migrated.error());
  return Inventory(std::move(*db));
}

Result<void> Inventory::Add(const InventoryRecord& record) {
  Result<SqliteStatement> insert = db_.Prepare("INSERT INTO issued (sha256, record) VALUES (?1, ?2)");
  if (!insert) return std::unexpected(insert.error());
  insert->BindText(1, record.sha256).BindText(2, InventoryRecordToJson(record));
  return insert->Run();
}

Result<std::vector<InventoryRecord>> Inventory::All() {
  Result<SqliteStatement> query = db_.Prepare("SELECT record FROM issued ORDER BY id");
  if (!query) return std::unexpected(query.error());
  std::vector<InventoryRecord> records;
  while (true) {
    Result<bool> row = query->Step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    Result<InventoryRecord> record = ParseInventoryRecord(query->ColumnText(0));
    if (!record) return std::unexpected(WithContext(record.error(), "stored inventory record"));
    records.push_back(std::move(*record));
  }
  return records;
}

}  // namespace ctkit
