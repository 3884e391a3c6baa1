// The word `--help` shows for a command-line option's value, instead of a parser's type tags
// (cli/help_formatter.h applies it to every option of `ctkit`):
//
//   --poll-interval SECONDS     not  --poll-interval FLOAT:FLOAT in [0.05 - 86400]
//   --format text|json          not  --format TEXT:{text,json}
//   --dir DIR                   not  --dir TEXT
//
// The placeholder is, in order: the option's own type name when it is not a type tag ("FILE");
// the members of a set check ("text|json"); for a number, the unit its description starts with or
// names ("Seconds between ...", "... in seconds": SECONDS), else N; else the option's long name
// in capitals ("--log-list": LOG_LIST), or VALUE when it has none.
//
//   OptionPlaceholder("FLOAT:FLOAT in [0.05 - 86400]", "Seconds between checks", "poll-interval")
//       == "SECONDS"

#pragma once

#include <string>

namespace ctkit {

// `type_name`: "BASE[:validator...]", BASE a type tag (TEXT, INT, UINT, FLOAT, BOOLEAN, CHAR,
// ENUM, NUMBER, COMPLEX; "" counts as one) or the option's own name for its value, a validator
// "{a,b}" for a set; `long_name` without dashes, "" when the option has none.
std::string OptionPlaceholder(const std::string& type_name, const std::string& description,
                              const std::string& long_name);

}  // namespace ctkit
