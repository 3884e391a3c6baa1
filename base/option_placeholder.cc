#include "base/option_placeholder.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>
#include <vector>

namespace ctkit {
namespace {

// Type tags: what the option's C++ type is, never what the value means.
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

std::string Upper(std::string text) {
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

// SECONDS for "Seconds between ..." or "... in seconds", and so on; "" when none is named.
std::string UnitOf(const std::string& description) {
  std::string text = description;
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* unit : {"seconds", "minutes", "hours", "days"}) {
    if (text.starts_with(std::string(unit) + " ") ||
        text.find(std::string(" in ") + unit) != std::string::npos) {
      return Upper(unit);
    }
  }
  return "";
}

}  // namespace

std::string OptionPlaceholder(const std::string& type_name, const std::string& description,
                              const std::string& long_name) {
  std::vector<std::string> parts = Split(type_name, ':');
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
    std::string unit = UnitOf(description);
    return unit.empty() ? "N" : unit;
  }
  if (long_name.empty()) return "VALUE";
  std::string name = Upper(long_name);
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
}

}  // namespace ctkit
