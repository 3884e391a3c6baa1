#include "monitor/monitor_config.h"

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <vector>

#include "base/bytes.h"
#include "ct/json_input.h"

namespace ctkit {
namespace {

Result<LogOverrides> ParseOverrides(const nlohmann::json& json, const std::string& where) {
  if (!json.is_object()) return MakeError(ErrorCode::kMalformed, where + ": not an object");
  LogOverrides overrides;
  for (const auto& [key, value] : json.items()) {
    if (key == "batch_size") {
      if (!value.is_number_unsigned() || value.get<uint64_t>() == 0 ||
          value.get<uint64_t>() > 100000) {
        return MakeError(ErrorCode::kMalformed, where + ".batch_size: an integer in 1..100000");
      }
      overrides.batch_size = value.get<uint64_t>();
    } else if (key == "parallel_downloads") {
      if (!value.is_number_unsigned() || value.get<uint64_t>() == 0 ||
          value.get<uint64_t>() > kMaxParallelDownloads) {
        return MakeError(ErrorCode::kMalformed, where + ".parallel_downloads: an integer in 1.." +
                                                    std::to_string(kMaxParallelDownloads));
      }
      overrides.parallel_downloads = static_cast<unsigned>(value.get<uint64_t>());
    } else if (key == "requests_per_second") {
      if (!value.is_number() || value.get<double>() < 0) {
        return MakeError(ErrorCode::kMalformed, where + ".requests_per_second: a number >= 0");
      }
      overrides.requests_per_second = value.get<double>();
    } else if (key == "max_retries") {
      if (!value.is_number_unsigned() || value.get<uint64_t>() > 10) {
        return MakeError(ErrorCode::kMalformed, where + ".max_retries: an integer in 0..10");
      }
      overrides.max_retries = static_cast<int>(value.get<uint64_t>());
    } else if (key == "timeout_seconds") {
      if (!value.is_number() || !(value.get<double>() > 0) || value.get<double>() > 86400) {
        return MakeError(ErrorCode::kMalformed, where + ".timeout_seconds: a number in (0, 86400]");
      }
      overrides.timeout_seconds = value.get<double>();
    } else {
      return MakeError(ErrorCode::kMalformed, where + ": unknown setting \"" + key + "\"");
    }
  }
  return overrides;
}

void Merge(LogOverrides& into, const LogOverrides& from) {
  if (from.batch_size) into.batch_size = from.batch_size;
  if (from.requests_per_second) into.requests_per_second = from.requests_per_second;
  if (from.parallel_downloads) into.parallel_downloads = from.parallel_downloads;
  if (from.max_retries) into.max_retries = from.max_retries;
  if (from.timeout_seconds) into.timeout_seconds = from.timeout_seconds;
}

}  // namespace

Result<MonitorConfig> MonitorConfig::Parse(std::string_view text) {
  Result<nlohmann::json> json = ParseJson(text);
  if (!json) return std::unexpected(json.error());
  if (!json->is_object()) return MakeError(ErrorCode::kMalformed, "config: not a JSON object");
  MonitorConfig config;
  for (const auto& [key, value] : json->items()) {
    if (key == "defaults") {
      ASSIGN_OR_RETURN(LogOverrides defaults, ParseOverrides(value, "defaults"));
      config.defaults_ = defaults;
    } else if (key == "logs") {
      if (!value.is_object()) return MakeError(ErrorCode::kMalformed, "logs: not an object");
      for (const auto& [name, settings] : value.items()) {
        ASSIGN_OR_RETURN(LogOverrides overrides,
                         ParseOverrides(settings, "logs[\"" + name + "\"]"));
        config.logs_[name] = overrides;
      }
    } else {
      return MakeError(ErrorCode::kMalformed, "config: unknown key \"" + key + "\"");
    }
  }
  return config;
}

Result<MonitorConfig> MonitorConfig::Load(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return MakeError(ErrorCode::kNotFound, path + ": cannot open config");
  std::stringstream text;
  text << in.rdbuf();
  ASSIGN_OR_RETURN(MonitorConfig config, Parse(text.str()), path);
  return config;
}

LogOverrides MonitorConfig::For(const LogInfo& log) const {
  LogOverrides result = defaults_;
  const LogOverrides* best = nullptr;
  LogNameMatch best_match = LogNameMatch::kNone;
  for (const auto& [name, overrides] : logs_) {
    const LogNameMatch match = MatchLogName(log, name);
    if (match > best_match) best = &overrides, best_match = match;
  }
  if (best != nullptr) Merge(result, *best);
  return result;
}

std::vector<std::string> MonitorConfig::UnknownLogs(std::span<const LogInfo> known) const {
  std::vector<std::string> unknown;
  for (const auto& [name, overrides] : logs_) {
    if (std::none_of(known.begin(), known.end(), [&name](const LogInfo& log) {
          return MatchLogName(log, name) != LogNameMatch::kNone;
        })) {
      unknown.push_back(name);
    }
  }
  return unknown;
}

}  // namespace ctkit
