#include "cli/json_output.h"

#include <cstdio>

#include "base/json_error.h"

namespace ctkit::cli {
namespace {

// A CLI run is one command: what it was asked for and what it printed, for its error report.
std::optional<JsonStyle> g_expected;
bool g_document_printed = false;

}  // namespace

void ExpectJsonOutput(JsonStyle style) { g_expected = style; }

void PrintJson(const nlohmann::ordered_json& value, JsonStyle style) {
  std::string text = JsonText(value, style);
  std::fwrite(text.data(), 1, text.size(), stdout);
  if (style == JsonStyle::kDocument) g_document_printed = true;
}

void PrintJsonError(int exit_code, std::string_view message) {
  if (!g_expected || g_document_printed) return;
  PrintJson(JsonErrorObject(exit_code, message), *g_expected);
}

}  // namespace ctkit::cli
