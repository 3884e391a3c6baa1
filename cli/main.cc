// ctkit: the command-line entry point. Parses flags with CLI11 and runs one subcommand.

#include <openssl/crypto.h>

#include <cstdio>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/malloc_info.h"
#include "cli/command.h"
#include "cli/help_formatter.h"

#ifndef CTKIT_VERSION
#define CTKIT_VERSION "unknown"
#endif

namespace {

// `ctkit bogus`, `ctkit log bogus`, `ctkit log`: CLI11 would only say that a subcommand is
// required. The message naming the word that is no command, or the command that needs one,
// when argv has no command where one must be.
std::optional<std::string> UnknownCommand(const CLI::App& app, int argc, char** argv) {
  const CLI::App* current = &app;
  std::string path = "ctkit";
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word.starts_with("-")) return std::nullopt;  // an option: CLI11's message says it
    auto named =
        current->get_subcommands([&word](const CLI::App* sub) { return sub->check_name(word); });
    if (named.empty()) {
      if (current->get_require_subcommand_min() == 0) return std::nullopt;
      std::string words = path == "ctkit" ? "" : path.substr(6) + " ";  // "log " for "ctkit log"
      return "unknown command \"" + words + word + "\" (see " + path + " --help)";
    }
    current = named.front();
    path += " " + word;
  }
  if (current->get_require_subcommand_min() == 0) return std::nullopt;
  std::string commands;
  for (const CLI::App* sub : current->get_subcommands([](const CLI::App*) { return true; })) {
    commands += (commands.empty() ? "" : ", ") + sub->get_name();
  }
  return "missing command after \"" + path + "\": one of " + commands + " (see " + path +
         " --help)";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace ctkit::cli;
  CLI::App app{
      "ctkit - Certificate Transparency toolkit: verify SCTs and Merkle proofs, monitor logs "
      "for your domains, audit issued certificates.",
      "ctkit"};
  // Before any subcommand is added: each takes its parent's formatter.
  app.formatter(std::make_shared<HelpFormatter>());
  // The libraries' versions too: what a bug report or a benchmark result needs to be reproduced.
  app.set_version_flag("--version", [] {
    ctkit::MallocInfo malloc = ctkit::CurrentMalloc();
    return std::string("ctkit " CTKIT_VERSION "\n") + OpenSSL_version(OPENSSL_VERSION) +
           "\nmalloc: " + malloc.name + " " + malloc.version;
  });
  app.require_subcommand(1);
  app.footer(
      "Exit codes: 0 all good; 1 a verification failed, a policy was violated or an alert was "
      "raised; 2 bad usage or unreadable input; 3 a log or the network failed.\n"
      "Run 'ctkit SUBCOMMAND --help' for the flags of each subcommand.");

  Action run;
  AddProofCommand(app, run);
  AddTreeCommand(app, run);
  AddVerifyCommand(app, run);
  CLI::App* log = AddLogCommand(app, run);
  AddLogListCommand(*log, run);
  AddLogClientCommands(log, run);
  AddCaCommand(app, run);
  AddMonitorCommand(app, run);
  AddAuditCommand(app, run);

  try {
    app.parse(argc, argv);
  } catch (const CLI::Success& e) {  // --help, --help-all, --version
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (std::optional<std::string> unknown = UnknownCommand(app, argc, argv)) {
      PrintError(*unknown);
      return kExitUsage;
    }
    PrintJsonError(kExitUsage, e.what());  // when --format json had parsed (cli/json_output.h)
    std::fprintf(stderr, "ctkit: %s (see --help)\n", e.what());
    return kExitUsage;
  }
  if (!run) {
    std::fprintf(stderr, "ctkit: no subcommand given (see --help)\n");
    return kExitUsage;
  }
  try {
    return run();
  } catch (const std::exception& e) {
    // Subcommands report expected failures themselves; this is a last line of defence so that
    // even a bug ends with one clear line rather than an abort.
    PrintJsonError(kExitUsage, std::string("internal error: ") + e.what());
    std::fprintf(stderr, "ctkit: internal error: %s\n", e.what());
    return kExitUsage;
  }
}
