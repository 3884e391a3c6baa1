// `ctkit log make-list`: a log list v3 for logs you run (ct/log_list_spec.h), so local logs are
// trusted through a list like public ones.

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/output_file.h"
#include "cli/command.h"
#include "ct/log_list_spec.h"

namespace ctkit::cli {
namespace {

struct MakeListOptions {
  std::vector<std::string> logs;
  std::string out;
};

int RunMakeList(const MakeListOptions& options) {
  Result<std::string> json = MakeLogListFromSpecs(options.logs, UnixNowMs());
  Result<void> written;
  if (!json) {
    written = std::unexpected(json.error());
  } else if (options.out == "-") {
    std::fwrite(json->data(), 1, json->size(), stdout);
  } else {
    written = WriteOutputFile(options.out, *json);
  }
  if (!written) {
    PrintError("log make-list: " + written.error().message);
    return kExitUsage;
  }
  return kExitOk;
}

}  // namespace

void AddLogListCommand(CLI::App& log, Action& run) {
  auto options = std::make_shared<MakeListOptions>();
  CLI::App* command = log.add_subcommand(
      "make-list", "Write a log list (v3 JSON) naming logs you run, for --log-list options");
  command
      ->add_option("--log", options->logs,
                   "operator=NAME,url=URL,key=KEY_FILE[,description=TEXT][,mmd=SECONDS][,api="
                   "rfc6962|static] (repeatable; any other key is an error; the description "
                   "defaults to \"log at HOST[:PORT]\")")
      ->required();
  command->add_option("--out", options->out, "Output file, - for stdout")->required();
  RunOnParse(command, run, options, RunMakeList);
}

}  // namespace ctkit::cli
