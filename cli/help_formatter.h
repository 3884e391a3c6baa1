// How `ctkit ... --help` shows an option: a placeholder for its value and its default, not
// CLI11's type tags. Set once on the top-level app before any subcommand is added (subcommands
// take their parent's formatter), so every subcommand's help follows it:
//
//   --poll-interval SECONDS (default 60)     not  --poll-interval FLOAT:FLOAT in [0.05 - 86400]=60
//   --format text|json (default text)        not  --format TEXT:{text,json}=text
//   --dir DIR (required)                     not  --dir TEXT REQUIRED
//
// The placeholder is, in order: the option's own type_name when it is not one of CLI11's type
// tags (`->type_name("FILE")`); the members of an IsMember check (`text|json`); for a number, the
// unit its description starts with or names ("Seconds between ...", "... in seconds": SECONDS),
// else N; else the option's long name in capitals (`--db DB`, `--log-list LOG_LIST`).

#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace ctkit::cli {

class HelpFormatter : public CLI::Formatter {
 public:
  std::string make_option_opts(const CLI::Option* option) const override;
};

}  // namespace ctkit::cli
