// How `ctkit ... --help` shows an option: a placeholder for its value and its default, not
// CLI11's type tags. Set once on the top-level app before any subcommand is added (subcommands
// take their parent's formatter), so every subcommand's help follows it:
//
//   --poll-interval SECONDS (default 60)     not  --poll-interval FLOAT:FLOAT in [0.05 - 86400]=60
//   --format text|json (default text)        not  --format TEXT:{text,json}=text
//   --dir DIR (required)                     not  --dir TEXT REQUIRED
//
// The placeholder is base/option_placeholder.h's (`->type_name("FILE")` names one).

#pragma once

#include <CLI/CLI.hpp>
#include <string>

namespace ctkit::cli {

class HelpFormatter : public CLI::Formatter {
 public:
  std::string make_option_opts(const CLI::Option* option) const override;
};

}  // namespace ctkit::cli
