// How `ctkit` writes JSON on standard output (docs/json-output.md): PrintJson is the one function
// that does, in the form of base/json_text.h (a document pretty-printed, a line of JSON Lines
// compact). A command asked for `--format json` that fails prints the error object
// (base/json_error.h) on standard output, in its own form, beside the one "ctkit: ..." line on
// stderr (Reported, cli/command.h), so a script always reads JSON. A command that has already
// printed its document prints no second one (the exit code and stderr say what failed after it); a
// JSON Lines command ends its lines with the error object.
//
//   AddFormatFlag(command, options->format, JsonStyle::kLine);   // cli/command.h
//   PrintJson(EntryJson(entry, cert), JsonStyle::kLine);

#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "base/json_text.h"

namespace ctkit::cli {

// Records that this run's command was asked for JSON, in `style` (the --format flag calls it
// when it parses "json"; AddFormatFlag).
void ExpectJsonOutput(JsonStyle style);

// Writes `value` on standard output as JsonText(value, style) does.
void PrintJson(const nlohmann::ordered_json& value, JsonStyle style);

// When JSON was asked for (ExpectJsonOutput), prints the error object (base/json_error.h
// JsonErrorObject) in that style, unless a
// document has already been printed; otherwise does nothing.
void PrintJsonError(int exit_code, std::string_view message);

}  // namespace ctkit::cli
