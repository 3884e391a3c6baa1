// The inventory of expected certificates (docs/ctkit.md, "ctkit ca init | issue | inventory"):
// JSON Lines, one issued certificate a line. The mock CA writes it (ca/inventory.h); the monitor
// and `ctkit audit` read it to tell expected certificates from unexpected ones.
//
//   {"sha256": hex, "tbs_sha256": hex, "serial": hex, "issuer": RFC 4514, "names": [...],
//    "ct_logging": "enabled"|"disabled", "not_before": RFC 3339, "not_after": RFC 3339,
//    "scts": [{"log_id": base64, "timestamp": ms}]}         (scts optional)
//
// `tbs_sha256` is the deduplication hash (ct/signed_entry.h DeduplicationTbsHash): the
// same for a precertificate and its final certificate. `scts` lists the SCTs the certificate
// carries, so a monitor can check that each log kept its promise (RFC 6962 §3: merge within MMD).

#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"
#include "ct/log_key.h"

namespace ctkit {

struct InventorySct {
  LogId log_id{};
  uint64_t timestamp_ms = 0;

  bool operator==(const InventorySct&) const = default;
};

struct InventoryRecord {
  std::string sha256;      // hex SHA-256 of the certificate's DER
  std::string tbs_sha256;  // hex SHA-256 of its TBS without the SCT list / poison extension
  std::string serial;      // hex
  std::string issuer;      // RFC 4514
  std::vector<std::string> names;
  bool ct_logging = true;
  std::string not_before;  // RFC 3339
  std::string not_after;
  std::vector<InventorySct> scts;

  bool operator==(const InventoryRecord&) const = default;
};

// One JSON object, no newline.
std::string InventoryRecordToJson(const InventoryRecord& record);
// Parses one line of an inventory file (strict: every field present and typed; `scts` optional;
// other fields ignored, so exports from other CAs may carry more).
Result<InventoryRecord> ParseInventoryRecord(std::string_view line);
// Parses a whole inventory file: blank lines skipped, errors name the line number.
Result<std::vector<InventoryRecord>> ParseInventory(std::string_view text);

}  // namespace ctkit
