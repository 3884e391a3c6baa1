// The CA's record of what it issued (SQLite), exported in the JSON Lines inventory format of
// ct/inventory_record.h.

#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "ct/inventory_record.h"
#include "storage/sqlite.h"

namespace ctkit {

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
