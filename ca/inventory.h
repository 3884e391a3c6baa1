// The CA's record of what it issued (SQLite), exported as the JSON Lines inventory format of
// DESIGN.md: one issued certificate a line, with `sha256`, `tbs_sha256`, `serial`, `issuer`,
// `names`, `ct_logging` (enabled|disabled), `not_before`, `not_after` (RFC 3339). The monitor and
// `ctkit audit` read the same format to tell expected certificates from unexpected ones.

#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "storage/sqlite.h"

namespace ctkit {

struct InventoryRecord {
  std::string sha256;      // hex SHA-256 of the certificate's DER
  std::string tbs_sha256;  // hex SHA-256 of its TBS without the SCT list / poison extension
  std::string serial;      // hex
  std::string issuer;      // RFC 4514
  std::vector<std::string> names;
  bool ct_logging = true;
  std::string not_before;  // RFC 3339
  std::string not_after;

  bool operator==(const InventoryRecord&) const = default;
};

// One JSON object, no newline.
std::string InventoryRecordToJson(const InventoryRecord& record);
// Parses one line of an inventory file (strict: every field present and typed).
Result<InventoryRecord> ParseInventoryRecord(std::string_view line);

class Inventory {
 public:
  static Result<Inventory> Open(const std::string& path);
  Result<void> Add(const InventoryRecord& record);
  Result<std::vector<InventoryRecord>> All();

 private:
  explicit Inventory(SqliteDatabase db) : db_(std::move(db)) {}
  SqliteDatabase db_;
};

}  // namespace ctkit
