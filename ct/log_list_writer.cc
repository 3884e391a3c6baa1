#include "ct/log_list_writer.h"

#include <nlohmann/json.hpp>

#include "base/sha256.h"
#include "ct/rfc3339.h"

namespace ctkit {

std::string MakeLogListJson(const std::vector<LogListEntry>& logs, int64_t now_ms) {
  using json = nlohmann::ordered_json;
  json operators = json::array();
  std::vector<std::string> names;
  for (const LogListEntry& log : logs) {
    size_t index = 0;
    while (index < names.size() && names[index] != log.operator_name) ++index;
    if (index == names.size()) {
      names.push_back(log.operator_name);
      operators.push_back({{"name", log.operator_name},
                           {"email", json::array({"ct@" + std::string("example.invalid")})},
                           {"logs", json::array()},
                           {"tiled_logs", json::array()}});
    }
    json entry = {{"description", log.description},
                  {"log_id", Base64Encode(Sha256(log.key_der))},
                  {"key", Base64Encode(log.key_der)}};
    if (log.tiled) {
      entry["submission_url"] = log.url;
      entry["monitoring_url"] = log.url;
    } else {
      entry["url"] = log.url;
    }
    entry["mmd"] = log.mmd_seconds;
    entry["state"] = {{"usable", {{"timestamp", FormatRfc3339(now_ms - 86400000)}}}};
    operators[index][log.tiled ? "tiled_logs" : "logs"].push_back(std::move(entry));
  }
  json list = {
      {"version", "1.0"}, {"log_list_timestamp", FormatRfc3339(now_ms)}, {"operators", operators}};
  return list.dump(2) + "\n";
}

}  // namespace ctkit
