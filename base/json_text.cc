#include "base/json_text.h"

namespace ctkit {
namespace {

template <typename Json>
std::string Write(const Json& value, JsonStyle style) {
  const int indent = style == JsonStyle::kDocument ? 2 : -1;
  return value.dump(indent, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace

std::string JsonText(const nlohmann::ordered_json& value, JsonStyle style) {
  return Write(value, style);
}

std::string JsonText(const nlohmann::json& value, JsonStyle style) { return Write(value, style); }

std::string JsonCompact(const nlohmann::ordered_json& value) {
  return value.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

std::string JsonCompact(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace ctkit
