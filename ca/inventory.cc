#include "ca/inventory.h"

#include <nlohmann/json.hpp>

#include "ct/json_input.h"

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

std::string InventoryRecordToJson(const InventoryRecord& record) {
  nlohmann::ordered_json json = {{"sha256", record.sha256},
                                 {"tbs_sha256", record.tbs_sha256},
                                 {"serial", record.serial},
                                 {"issuer", record.issuer},
                                 {"names", record.names},
                                 {"ct_logging", record.ct_logging ? "enabled" : "disabled"},
                                 {"not_before", record.not_before},
                                 {"not_after", record.not_after}};
  return json.dump();
}

Result<InventoryRecord> ParseInventoryRecord(std::string_view line) {
  Result<nlohmann::json> json = ParseJson(line);
  if (!json) return std::unexpected(json.error());
  InventoryRecord record;
  for (auto [field, out] : {std::pair{"sha256", &record.sha256}, {"tbs_sha256", &record.tbs_sha256},
                            {"serial", &record.serial}, {"issuer", &record.issuer},
                            {"not_before", &record.not_before}, {"not_after", &record.not_after}}) {
    Result<std::string> value = JsonString(*json, field);
    if (!value) return std::unexpected(value.error());
    *out = std::move(*value);
  }
  Result<std::string> logging = JsonString(*json, "ct_logging");
  if (!logging) return std::unexpected(logging.error());
  if (*logging != "enabled" && *logging != "disabled") {
    return MakeError(ErrorCode::kMalformed, "ct_logging must be \"enabled\" or \"disabled\"");
  }
  record.ct_logging = *logging == "enabled";
  if (!json->contains("names") || !(*json)["names"].is_array()) {
    return MakeError(ErrorCode::kMalformed, "field \"names\" is not an array");
  }
  for (const nlohmann::json& name : (*json)["names"]) {
    if (!name.is_string()) return MakeError(ErrorCode::kMalformed, "names must be strings");
    record.names.push_back(name.get<std::string>());
  }
  for (const std::string* hex : {&record.sha256, &record.tbs_sha256}) {
    Result<Bytes> bytes = HexDecode(*hex);
    if (!bytes || bytes->size() != 32) {
      return MakeError(ErrorCode::kMalformed, "sha256 fields must be 64 hex digits");
    }
  }
  return record;
}

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
