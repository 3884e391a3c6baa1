// How subcommands plug into `ctkit`: each cli/<name>_command.cc defines one Add...Command that
// registers its CLI11 subcommand(s). When a subcommand's flags parse, its callback stores the
// action to run in `run`; main() runs it and exits with the code it returns.

#pragma once

#include <CLI/CLI.hpp>
#include <cstdio>
#include <expected>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "base/error.h"
#include "base/input_file.h"
#include "base/terminal_text.h"
#include "cli/json_output.h"
#include "logclient/log_list_source.h"

namespace ctkit::cli {

// Exit codes of ctkit, documented in docs/ctkit.md ("EXIT STATUS").
inline constexpr int kExitOk = 0;          // all good
inline constexpr int kExitFailed = 1;      // a verification failed, a policy was violated, an alert
inline constexpr int kExitUsage = 2;       // bad usage or unreadable input
inline constexpr int kExitLogFailure = 3;  // a log or the network failed

// The exit code for a failure to load a log list (logclient/log_list_source.h): 3 when fetching
// failed on the way (kNetwork) or brought more than a log list (kTooLarge), else 2.
inline int LogListLoadExitCode(const Error& error) {
  const bool fetch_failed = error.code == ErrorCode::kNetwork || error.code == ErrorCode::kTooLarge;
  return fetch_failed ? kExitLogFailure : kExitUsage;
}

using Action = std::function<int()>;

// Prints "ctkit: <message>" on stderr as one inert line, whatever the logs, certificates and
// files it quotes hold (base/terminal_text.h TerminalSafe).
inline void PrintError(std::string_view message) {
  std::fprintf(stderr, "ctkit: %s\n", TerminalSafe(message).c_str());
}

// When `command`'s flags parse, sets `run` to call `body` with the options they filled.
template <typename Options, typename Body>
void RunOnParse(CLI::App* command, Action& run, std::shared_ptr<Options> options, Body body) {
  command->callback([options, body, &run] { run = [options, body] { return body(*options); }; });
}

// What a step of a command returns: its value, or a Failure that the command prints once
// (Reported) and ends with.
struct Failure;
template <typename T>
using Outcome = std::expected<T, Failure>;

// A step that failed, with the exit code the command ends with.
struct Failure {
  int exit_code;
  std::string message;
};
inline std::unexpected<Failure> Fail(int exit_code, std::string message) {
  return std::unexpected(Failure{exit_code, std::move(message)});
}

// A library Result as an Outcome: an error fails with the exit code `code` (an int, or a
// function of the error), its message after `context` as WithContext puts it when given.
template <typename T, typename Code>
Outcome<T> OrExit(Result<T> result, Code code, std::string_view context = "") {
  if (!result) {
    int exit_code = 0;
    if constexpr (std::is_invocable_r_v<int, Code, const Error&>) {
      exit_code = code(result.error());
    } else {
      exit_code = code;
    }
    std::string prefix = context.empty() ? "" : std::string(context) + ": ";
    return Fail(exit_code, prefix + result.error().message);
  }
  if constexpr (std::is_void_v<T>) {
    return {};
  } else {
    return std::move(*result);
  }
}

// The exit code a command ends with; a failure is first printed as "ctkit: <command>: <message>"
// (PrintError; "ctkit: <message>" without a command), after what went to standard output, and,
// when the command was asked for JSON, as the error object on standard output
// (cli/json_output.h PrintJsonError).
inline int Reported(const Outcome<int>& outcome, std::string_view command = "") {
  if (outcome) return *outcome;
  std::string prefix = command.empty() ? "" : std::string(command) + ": ";
  PrintJsonError(outcome.error().exit_code, prefix + outcome.error().message);
  std::fflush(stdout);
  PrintError(prefix + outcome.error().message);
  return outcome.error().exit_code;
}

// "a, b, c" for Join(items, ", ").
inline std::string Join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

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
// `style`: the command's JSON form, one document or JSON Lines (cli/json_output.h).
inline void AddFormatFlag(CLI::App* command, std::string& format,
                          JsonStyle style = JsonStyle::kDocument) {
  const char* help = style == JsonStyle::kDocument
                         ? "Output format: text or json (one document; docs/json-output.md)"
                         : "Output format: text or json (JSON Lines; docs/json-output.md)";
  command->add_option("--format", format, help)
      ->check(CLI::IsMember({"text", "json"}))
      ->each([style](const std::string& value) {
        if (value == "json") ExpectJsonOutput(style);
      })
      ->capture_default_str();
}

void AddProofCommand(CLI::App& app, Action& run);
void AddTreeCommand(CLI::App& app, Action& run);
void AddVerifyCommand(CLI::App& app, Action& run);
// Returns the `log` command so the client subcommands can join it.
CLI::App* AddLogCommand(CLI::App& app, Action& run);
void AddCaCommand(CLI::App& app, Action& run);
void AddLogListCommand(CLI::App& log, Action& run);
// sth, entries, consistency and inclusion under `log` (cli/log_client_commands.cc).
void AddLogClientCommands(CLI::App* log_command, Action& run);
void AddMonitorCommand(CLI::App& app, Action& run);
void AddAuditCommand(CLI::App& app, Action& run);

}  // namespace ctkit::cli
