// How `ctkit` writes JSON on standard output (docs/json-output.md): PrintJson is the one function
// that does, in the form of base/json_text.h (a document pretty-printed, a line of JSON Lines
// compact). A command asked for `--format json` that fails prints the error object
//
//   {"error": {"code": 3, "kind": "network", "message": "log sth: ..."}}
//
// on standard output, in its own form, beside the one "ctkit: ..." line on stderr (Reported,
// cli/command.h), so a script always reads JSON. A command that has already printed its document
// prints no second one (the exit code and stderr say what failed after it); a JSON Lines command
// ends its lines with the error object.
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
// The style recorded by ExpectJsonOutput; nullopt when no JSON was asked for.
std::optional<JsonStyle> ExpectedJsonOutput();

// Writes `value` on standard output as JsonText(value, style) does.
void PrintJson(const nlohmann::ordered_json& value, JsonStyle style);

// The "kind" of the error object for an exit code (cli/command.h): 1 "verification", 2 "usage"
// (bad usage or unreadable input), 3 "network" (a log or the network failed), else "internal".
std::string_view ErrorKind(int exit_code);

// {"error": {"code": exit_code, "kind": ErrorKind(exit_code), "message": message}}.
nlohmann::ordered_json ErrorJson(int exit_code, std::string_view message);

// When JSON was asked for (ExpectedJsonOutput), prints ErrorJson in that style, unless a
// document has already been printed; otherwise does nothing.
void PrintJsonError(int exit_code, std::string_view message);

}  // namespace ctkit::cli
