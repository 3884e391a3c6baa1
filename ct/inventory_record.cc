#include "ct/inventory_record.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "base/bytes.h"
#include "base/json_text.h"
#include "ct/json_input.h"

namespace ctkit {

std::string InventoryRecordToJson(const InventoryRecord& record) {
  nlohmann::ordered_json json = {
      {"sha256", record.sha256},         {"tbs_sha256", record.tbs_sha256},
      {"serial", record.serial},         {"issuer", record.issuer},
      {"names", record.names},           {"ct_logging", record.ct_logging ? "enabled" : "disabled"},
      {"not_before", record.not_before}, {"not_after", record.not_after}};
  if (!record.scts.empty()) {
    nlohmann::ordered_json scts = nlohmann::ordered_json::array();
    for (const InventorySct& sct : record.scts) {
      scts.push_back({{"log_id", Base64Encode(sct.log_id)}, {"timestamp", sct.timestamp_ms}});
    }
    json["scts"] = std::move(scts);
  }
  return JsonCompact(json);
}

namespace {

Result<std::vector<InventorySct>> ParseScts(const nlohmann::json& json) {
  std::vector<InventorySct> scts;
  if (!json.contains("scts")) return scts;
  const nlohmann::json& list = json["scts"];
  if (!list.is_array()) return MakeError(ErrorCode::kMalformed, "field \"scts\" is not an array");
  for (const nlohmann::json& item : list) {
    if (!item.is_object()) return MakeError(ErrorCode::kMalformed, "scts items must be objects");
    ASSIGN_OR_RETURN(std::string log_id, JsonString(item, "log_id"));
    Result<Bytes> id = Base64Decode(log_id);
    if (!id || id->size() != 32) {
      return MakeError(ErrorCode::kMalformed, "scts log_id must be 32 bytes in base64");
    }
    ASSIGN_OR_RETURN(uint64_t timestamp, JsonUint(item, "timestamp"));
    InventorySct sct;
    std::copy(id->begin(), id->end(), sct.log_id.begin());
    sct.timestamp_ms = timestamp;
    scts.push_back(sct);
  }
  return scts;
}

}  // namespace

Result<InventoryRecord> ParseInventoryRecord(std::string_view line) {
  Result<nlohmann::json> json = ParseJson(line);
  if (!json) return std::unexpected(json.error());
  if (!json->is_object())
    return MakeError(ErrorCode::kMalformed, "an inventory line must be a JSON object");
  InventoryRecord record;
  for (auto [field, out] : {std::pair{"sha256", &record.sha256},
                            {"tbs_sha256", &record.tbs_sha256},
                            {"serial", &record.serial},
                            {"issuer", &record.issuer},
                            {"not_before", &record.not_before},
                            {"not_after", &record.not_after}}) {
    ASSIGN_OR_RETURN(std::string value, JsonString(*json, field));
    *out = std::move(value);
  }
  ASSIGN_OR_RETURN(std::string logging, JsonString(*json, "ct_logging"));
  if (logging != "enabled" && logging != "disabled") {
    return MakeError(ErrorCode::kMalformed, "ct_logging must be \"enabled\" or \"disabled\"");
  }
  record.ct_logging = logging == "enabled";
  if (!json->contains("names") || !(*json)["names"].is_array()) {
    return MakeError(ErrorCode::kMalformed, "field \"names\" is not an array");
  }
  for (const nlohmann::json& name : (*json)["names"]) {
    if (!name.is_string()) return MakeError(ErrorCode::kMalformed, "names must be strings");
    record.names.push_back(name.get<std::string>());
  }
  for (std::string* hex : {&record.sha256, &record.tbs_sha256}) {
    Result<Bytes> bytes = HexDecode(*hex);
    if (!bytes || bytes->size() != 32) {
      return MakeError(ErrorCode::kMalformed, "sha256 fields must be 64 hex digits");
    }
    *hex = HexEncode(*bytes);  // lowercase, so lookups compare equal
  }
  Result<std::vector<InventorySct>> scts = ParseScts(*json);
  if (!scts) return std::unexpected(scts.error());
  record.scts = std::move(*scts);
  return record;
}

Result<std::vector<InventoryRecord>> ParseInventory(std::string_view text) {
  std::vector<InventoryRecord> records;
  size_t line_number = 0;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string_view::npos) continue;
    Result<InventoryRecord> record = ParseInventoryRecord(line);
    if (!record) {
      return std::unexpected(WithContext(record.error(), "line " + std::to_string(line_number)));
    }
    records.push_back(std::move(*record));
  }
  return records;
}

}  // namespace ctkit
