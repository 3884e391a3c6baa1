// libFuzzer target: the inventory of expected certificates (ct/inventory_record.h, JSON Lines).
// The monitor and `ctkit audit` read it from a file that other tools (another CA's export) may
// have written, so it is parsed as untrusted. A record that parses survives a round trip through
// InventoryRecordToJson unchanged, and a whole file parses to the records of its lines.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ct/inventory_record.h"
#include "fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using ctkit::fuzz::Check;
  const std::string_view text = ctkit::fuzz::AsText({data, size});

  if (auto record = ctkit::ParseInventoryRecord(text)) {
    auto again = ctkit::ParseInventoryRecord(ctkit::InventoryRecordToJson(*record));
    Check(again.has_value() && *again == *record);
  }
  if (auto records = ctkit::ParseInventory(text)) {
    for (const ctkit::InventoryRecord& record : *records) {
      auto again = ctkit::ParseInventoryRecord(ctkit::InventoryRecordToJson(record));
      Check(again.has_value() && *again == record);
    }
  } else {
    Check(!records.error().message.empty());
  }
  return 0;
}
