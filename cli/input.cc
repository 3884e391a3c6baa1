#include "cli/input.h"

#include <cstdio>
#include <string>

#include "base/terminal_text.h"

namespace ctkit::cli {

void PrintError(std::string_view message) {
  // Messages quote what logs, certificates and files said: one inert line whatever they hold.
  std::string line = TerminalSafe(message);
  std::fprintf(stderr, "ctkit: %s\n", line.c_str());
}

}  // namespace ctkit::cli
