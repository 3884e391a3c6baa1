// ctkit: the command-line entry point. Parses flags with CLI11 and runs one subcommand.

#include <openssl/crypto.h>

#include <cstdio>
#include <exception>
#include <string>

#include "base/malloc_info.h"
#include "cli/command.h"
#include "cli/log_client_commands.h"

#ifndef CTKIT_VERSION
#define CTKIT_VERSION "unknown"
#endif

int main(int argc, char** argv) {
  using namespace ctkit::cli;
  CLI::App app{
      "ctkit - Certificate Transparency toolkit: verify SCTs and Merkle proofs, monitor logs "
      "for your domains, audit issued certificates.",
      "ctkit"};
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
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
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
    std::fprintf(stderr, "ctkit: internal error: %s\n", e.what());
    return kExitUsage;
  }
}
