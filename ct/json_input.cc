#include "ct/json_input.h"

namespace ctkit {
namespace {

// Depth of [ and { outside strings; nlohmann's parser is recursive, so check before parsing.
bool NestingWithin(std::string_view text, size_t max_depth) {
  size_t depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return false;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return true;
}

}  // namespace

Result<nlohmann::json> ParseJson(std::string_view text, size_t max_depth) {
  if (!NestingWithin(text, max_depth)) {
    return MakeError(ErrorCode::kMalformed,
                     "JSON nests deeper than " + std::to_string(max_depth) + " levels");
  }
  nlohmann::json value = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) return MakeError(ErrorCode::kMalformed, "not valid JSON");
  return value;
}

Result<uint64_t> JsonUint(const nlohmann::json& object, const std::string& field) {
  if (!object.is_object() || !object.contains(field)) {
    return MakeError(ErrorCode::kMalformed, "missing field \"" + field + "\"");
  }
  const nlohmann::json& value = object[field];
  if (!value.is_number_unsigned()) {
    return MakeError(ErrorCode::kMalformed,
                     "field \"" + field + "\" is not a non-negative integer");
  }
  return value.get<uint64_t>();
}

Result<std::string> JsonString(const nlohmann::json& object, const std::string& field) {
  if (!object.is_object() || !object.contains(field)) {
    return MakeError(ErrorCode::kMalformed, "missing field \"" + field + "\"");
  }
  const nlohmann::json& value = object[field];
  if (!value.is_string()) {
    return MakeError(ErrorCode::kMalformed, "field \"" + field + "\" is not a string");
  }
  return value.get<std::string>();
}

}  // namespace ctkit
