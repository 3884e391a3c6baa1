#include "cli/help_formatter.h"

#include <set>
#include <vector>

#include "base/option_placeholder.h"

namespace ctkit::cli {

std::string HelpFormatter::make_option_opts(const CLI::Option* option) const {
  if (!option->get_option_text().empty()) return " " + option->get_option_text();
  std::string out;
  // Several values after one flag (--x A B): "...". A repeatable option that takes one value
  // each time (allow_extra_args(false)) says so in its description.
  const bool many = option->get_expected_max() == CLI::detail::expected_max_vector_size &&
                    (option->get_allow_extra_args() || !option->nonpositional());
  const bool takes_value = option->get_expected_max() != 0;  // not a flag
  if (!option->nonpositional()) {
    if (many) out += "...";  // CERT...: the name is the placeholder
  } else if (takes_value) {
    const std::string long_name = option->get_lnames().empty() ? "" : option->get_lnames().front();
    out += " " + OptionPlaceholder(option->get_type_name(), option->get_description(), long_name) +
           (many ? "..." : "");
  }
  std::vector<std::string> notes;
  if (option->get_required()) notes.push_back("required");
  if (takes_value && !option->get_default_str().empty()) {
    notes.push_back("default " + option->get_default_str());
  }
  auto names = [](const std::set<CLI::Option*>& options) {
    std::string out;
    for (const CLI::Option* other : options) out += (out.empty() ? "" : ", ") + other->get_name();
    return out;
  };
  if (!option->get_excludes().empty()) notes.push_back("excludes " + names(option->get_excludes()));
  if (!option->get_needs().empty()) notes.push_back("needs " + names(option->get_needs()));
  if (!notes.empty()) {
    out += " (";
    for (size_t i = 0; i < notes.size(); ++i) out += (i > 0 ? ", " : "") + notes[i];
    out += ")";
  }
  return out;
}

}  // namespace ctkit::cli
