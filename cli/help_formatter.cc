#include "cli/help_formatter.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <string_view>
#include <vector>

namespace ctkit::cli {
namespace {

// CLI11's own type tags: what the option's C++ type is, never what the value means.
bool IsTypeTag(std::string_view name) {
  static constexpr std::array<std::string_view, 9> kTags = {
      "TEXT", "INT", "UINT", "FLOAT", "BOOLEAN", "CHAR", "ENUM", "NUMBER", "COMPLEX"};
  return name.empty() || std::find(kTags.begin(), kTags.end(), name) != kTags.end();
}

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t at; (at = text.find(separator, start)) != std::string::npos; start = at + 1) {
    parts.push_back(text.substr(start, at - start));
  }
  parts.push_back(text.substr(start));
  return parts;
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// SECONDS for "Seconds between ..." or "... in seconds", and so on; "" when none is named.
std::string UnitOf(const std::string& description) {
  const std::string text = Lower(description);
  for (const char* unit : {"seconds", "minutes", "hours", "days"}) {
    if (text.starts_with(std::string(unit) + " ") ||
        text.find(std::string(" in ") + unit) != std::string::npos) {
      std::string upper = unit;
      for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      return upper;
    }
  }
  return "";
}

// The word that stands for the option's value (help_formatter.h).
std::string Placeholder(const CLI::Option* option) {
  // "BASE:validator:validator", e.g. "FLOAT:FLOAT in [0.05 - 86400]" or "TEXT:{text,json}".
  std::vector<std::string> parts = Split(option->get_type_name(), ':');
  const std::string& base = parts.front();
  if (!IsTypeTag(base)) return base;
  for (size_t i = 1; i < parts.size(); ++i) {
    const std::string& part = parts[i];
    if (part.size() >= 2 && part.front() == '{' && part.back() == '}') {
      std::string members = part.substr(1, part.size() - 2);
      std::replace(members.begin(), members.end(), ',', '|');
      return members;
    }
  }
  if (base == "INT" || base == "UINT" || base == "FLOAT" || base == "NUMBER") {
    std::string unit = UnitOf(option->get_description());
    return unit.empty() ? "N" : unit;
  }
  if (option->get_lnames().empty()) return "VALUE";
  std::string name = option->get_lnames().front();
  for (char& c : name) {
    c = c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return name;
}

}  // namespace

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
    out += " " + Placeholder(option) + (many ? "..." : "");
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
