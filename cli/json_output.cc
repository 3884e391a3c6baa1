#include "cli/json_output.h"

#include <cstdio>

#include "cli/command.h"

namespace ctkit::cli {
namespace {

// A CLI run is one command: what it was asked for and what it printed, for its error report.
std::optional<JsonStyle> g_expected;
bool g_document_printed = false;

}  // namespace

void ExpectJsonOutput(JsonStyle style) { g_expected = style; }

std::optional<JsonStyle> ExpectedJsonOutput() { return g_expected; }

void PrintJson(const nlohmann::ordered_json& value, JsonStyle style) {
  std::string text = JsonText(value, style);
  std::fwrite(text.data(), 1, text.size(), stdout);
  if (style == JsonStyle::kDocument) g_document_printed = true;
}

std::string_view ErrorKind(int exit_code) {
  switch (exit_code) {
    case kExitFailed:
      return "verification";
    case kExitUsage:
      return "usage";
    case kExitLogFailure:
      return "network";
    default:
      return "internal";
  }
}

nlohmann::ordered_json ErrorJson(int exit_code, std::string_view message) {
  return {
      {"error",
       {{"code", exit_code}, {"kind", ErrorKind(exit_code)}, {"message", std::string(message)}}}};
}

void PrintJsonError(int exit_code, std::string_view message) {
  if (!g_expected || g_document_printed) return;
  PrintJson(ErrorJson(exit_code, message), *g_expected);
}

}  // namespace ctkit::cli
