// ctkit's one way to write JSON text (docs/json-output.md, "Form"): every `--format json` output,
// the audit report and the monitor's query and status go through JsonText, so they look alike.
//
//   kDocument  a command that prints one JSON document: pretty-printed, two spaces an indent
//   kLine      one line of JSON Lines (`log entries`, `monitor query`, `ca inventory`): compact
//
// Both end in one newline. Strings are written as they are (non-ASCII as UTF-8, control
// characters JSON-escaped); invalid UTF-8, which hostile certificates and logs may carry, is
// replaced by U+FFFD instead of throwing.
//
//   std::fputs(JsonText(document, JsonStyle::kDocument).c_str(), stdout);

#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace ctkit {

enum class JsonStyle {
  kDocument,  // one JSON document: pretty-printed with 2 spaces
  kLine,      // one line of JSON Lines: compact
};

std::string JsonText(const nlohmann::ordered_json& value, JsonStyle style);
std::string JsonText(const nlohmann::json& value, JsonStyle style);

// The same compact text without the newline: a JSON value stored or embedded in something else
// (an alert body, a database column, a request).
std::string JsonCompact(const nlohmann::ordered_json& value);
std::string JsonCompact(const nlohmann::json& value);

}  // namespace ctkit
