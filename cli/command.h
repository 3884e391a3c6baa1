// How subcommands plug into `ctkit`: each cli/<name>_command.cc defines one Add...Command that
// registers its CLI11 subcommand(s). When a subcommand's flags parse, its callback stores the
// action to run in `run`; main() runs it and exits with the code it returns.

#pragma once

#include <functional>
#include <string>

#include <CLI/CLI.hpp>

namespace ctkit::cli {

// Exit codes of ctkit, documented in docs/ctkit.md ("EXIT STATUS").
inline constexpr int kExitOk = 0;           // all good
inline constexpr int kExitFailed = 1;       // a verification failed, a policy was violated, an alert
inline constexpr int kExitUsage = 2;        // bad usage or unreadable input
inline constexpr int kExitLogFailure = 3;   // a log or the network failed

using Action = std::function<int()>;

// CLI11 would accept "-1" for an unsigned option and wrap it around; sizes and indices must be
// plain decimal digits.
inline CLI::Validator UnsignedInteger() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        if (value.empty() || value.size() > 20 ||
            value.find_first_not_of("0123456789") != std::string::npos) {
          return "'" + value + "' is not a non-negative integer";
        }
        return "";
      },
      "UINT");
}

// The --format flag every subcommand takes; "json" output schemas are in docs/json-output.md.
inline void AddFormatFlag(CLI::App* command, std::string& format) {
  command->add_option("--format", format, "Output format: text or json (docs/json-output.md)")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
}

void AddProofCommand(CLI::App& app, Action& run);
void AddTreeCommand(CLI::App& app, Action& run);
void AddVerifyCommand(CLI::App& app, Action& run);
// Returns the `log` command so the client subcommands can join it.
CLI::App* AddLogCommand(CLI::App& app, Action& run);
void AddCaCommand(CLI::App& app, Action& run);
void AddLogListCommand(CLI::App& log, Action& run);
void AddMonitorCommand(CLI::App& app, Action& run);
void AddAuditCommand(CLI::App& app, Action& run);

}  // namespace ctkit::cli
