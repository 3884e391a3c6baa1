// Parsing JSON from untrusted sources (log responses, files) without exceptions and with a
// bounded nesting depth, so hostile input can neither throw through callers nor exhaust the stack.

#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "base/error.h"

namespace ctkit {

inline constexpr size_t kMaxJsonDepth = 64;

Result<nlohmann::json> ParseJson(std::string_view text, size_t max_depth = kMaxJsonDepth);

// Typed field access with one-line errors naming the field. Missing and wrongly typed fields are
// errors.
Result<uint64_t> JsonUint(const nlohmann::json& object, const std::string& field);
Result<std::string> JsonString(const nlohmann::json& object, const std::string& field);

}  // namespace ctkit
