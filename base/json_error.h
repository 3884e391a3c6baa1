// The error object a `ctkit` command asked for `--format json` prints on standard output when it
// fails (docs/json-output.md), beside its one "ctkit: ..." line on stderr:
//
//   {"error": {"code": 3, "kind": "network", "message": "log sth: ..."}}
//
// `code` is the command's exit status (README.md: 1 a verification failed, 2 bad usage or
// unreadable input, 3 a log or the network failed); `kind` names it. Printed by
// cli/json_output.h PrintJsonError, in the command's JSON style (base/json_text.h).

#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

namespace ctkit {

// The "kind" for an exit status: 1 "verification", 2 "usage", 3 "network", else "internal".
std::string_view JsonErrorKind(int exit_code);

// {"error": {"code": exit_code, "kind": JsonErrorKind(exit_code), "message": message}}.
nlohmann::ordered_json JsonErrorObject(int exit_code, std::string_view message);

}  // namespace ctkit
