// `ctkit ca init | issue | inventory`: the mock CA (ca/mock_ca.h), issuing certificates with a
// per-certificate CT-logging choice and submitting precertificates to real logs
// (ca/issue_files.h, ca/log_submitter.h).

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "ca/issue_files.h"
#include "ca/issue_flag_conflict.h"
#include "ca/issue_summary.h"
#include "ca/log_submitter.h"
#include "ca/mock_ca.h"
#include "cli/command.h"

namespace ctkit::cli {
namespace {

struct InitOptions {
  std::string dir;
  CaConfig config{.name = "Example CA"};
  bool force = false;  // replace a CA already in --dir
};

int RunInit(const InitOptions& options) {
  if (Result<void> ok = MockCa::Init(options.dir, options.config, options.force); !ok) {
    PrintError("ca init: " + ok.error().message);
    return kExitUsage;
  }
  std::printf("CA \"%s\" created in %s\n", options.config.name.c_str(), options.dir.c_str());
  std::printf("  root certificate:         %s/root.pem\n", options.dir.c_str());
  std::printf("  intermediate certificate: %s/intermediate.pem\n", options.dir.c_str());
  std::printf(
      "  logs: %zu configured%s\n", options.config.logs.size(),
      options.config.log_list.empty() ? "" : (", keys from " + options.config.log_list).c_str());
  return kExitOk;
}

struct IssueCliOptions {
  IssueFileSettings settings;
  std::string ct_logging = "enabled";
  std::string format = "text";
  std::vector<std::string> log_flags;  // which of --log, --min-logs, --add-chain were given
};

int RunIssue(IssueCliOptions options) {
  options.settings.issue.ct_logging = options.ct_logging == "enabled";
  std::string conflict =
      IssueFlagConflict(options.settings, options.log_flags, options.format == "json");
  if (!conflict.empty()) return Reported(Fail(kExitUsage, conflict), "ca issue");
  Result<IssuedFiles> files = IssueToFiles(options.settings, &SubmitToLog, UnixNowMs());
  if (!files) {
    int code = files.error().code == ErrorCode::kNetwork ? kExitLogFailure : kExitUsage;
    return Reported(Fail(code, files.error().message), "ca issue");
  }
  for (const std::string& warning : IssueWarnings(files->issued)) {
    std::fprintf(stderr, "ctkit: warning: %s\n", warning.c_str());
  }
  if (options.format == "json") {
    PrintJson(nlohmann::ordered_json::parse(InventoryRecordToJson(files->issued.record)),
              JsonStyle::kLine);
  } else {
    std::fputs(IssueSummaryText(*files).c_str(), IssuedToStandardOutput(*files) ? stderr : stdout);
  }
  return kExitOk;
}

int RunInventory(const std::string& dir) {
  Result<MockCa> ca = MockCa::Open(dir);
  Result<std::vector<InventoryRecord>> records =
      ca ? ca->IssuedRecords() : std::unexpected(ca.error());
  if (!records) {
    PrintError("ca inventory: " + records.error().message);
    return kExitUsage;
  }
  for (const InventoryRecord& record : *records) {
    PrintJson(nlohmann::ordered_json::parse(InventoryRecordToJson(record)), JsonStyle::kLine);
  }
  return kExitOk;
}

void AddIssueFlags(CLI::App* issue_command, IssueCliOptions& issue) {
  IssueFileSettings& settings = issue.settings;
  issue_command->add_option("--dir", settings.dir, "The CA's directory")->required();
  issue_command
      ->add_option("--name", settings.issue.names,
                   "DNS name or IP address (repeatable; the first is the CN)")
      ->allow_extra_args(false)  // one value per --name, as every repeatable flag
      ->required();
  issue_command->add_option("--days", settings.issue.days, "Validity in days")
      ->check(CLI::Range(1, 3650))
      ->capture_default_str();
  issue_command
      ->add_option("--ct-logging", issue.ct_logging,
                   "enabled: log a precertificate and embed SCTs; disabled: no CT at all")
      ->check(CLI::IsMember({"enabled", "disabled"}))
      ->capture_default_str();
  CLI::Option* log =
      issue_command
          ->add_option("--log", settings.issue.logs, "Log URL for this certificate (repeatable)")
          ->allow_extra_args(false)
          ->type_name("URL");
  CLI::Option* min_logs =
      issue_command
          ->add_option("--min-logs", settings.issue.min_logs,
                       "How many logs must return a valid SCT (1 makes policy failures on purpose)")
          ->check(CLI::Range(size_t{1}, size_t{16}))
          ->capture_default_str();
  CLI::Option* add_chain =
      issue_command->add_flag("--add-chain", settings.issue.add_final_chain,
                              "Also submit the final certificate with add-chain");
  // Which log flags were given, for IssueFlagConflict (ca/issue_flag_conflict.h).
  issue_command->parse_complete_callback([&issue, log, min_logs, add_chain] {
    issue.log_flags.clear();
    for (const CLI::Option* given : {log, min_logs, add_chain}) {
      if (given->count() > 0) issue.log_flags.push_back(given->get_name());
    }
  });
  issue_command
      ->add_option("--out", settings.out,
                   "PEM output: leaf, then the chain (default NAME.pem; - for stdout); an existing "
                   "file only with --force")
      ->type_name("FILE");
  issue_command
      ->add_option("--key-out", settings.key_out,
                   "The new private key, mode 0600 (default OUT.key); an existing file only with "
                   "--force")
      ->type_name("FILE");
  issue_command->add_flag("--force", settings.force,
                          "Replace existing --out and --key-out files (never through a symbolic "
                          "link)");
  AddFormatFlag(issue_command, issue.format, JsonStyle::kLine);
}

}  // namespace

void AddCaCommand(CLI::App& app, Action& run) {
  CLI::App* ca = app.add_subcommand("ca", "A mock CA with a per-certificate CT-logging opt-out");
  ca->require_subcommand(1);

  auto init = std::make_shared<InitOptions>();
  CLI::App* init_command = ca->add_subcommand("init", "Create a CA (root and intermediate) in DIR");
  init_command->add_option("--dir", init->dir, "Directory for the CA's files")->required();
  init_command->add_option("--name", init->config.name, "CA name")->capture_default_str();
  init_command->add_option("--key-type", init->config.key_type, "CA key type")
      ->check(CLI::IsMember({"ecdsa", "rsa"}))
      ->capture_default_str();
  init_command->add_option("--log", init->config.logs, "Log URL to submit to (repeatable)")
      ->allow_extra_args(false)
      ->type_name("URL");
  init_command->add_option("--log-list", init->config.log_list,
                           "Log list v3 file with the logs' keys and operators");
  init_command->add_flag("--force", init->force,
                         "Replace a CA already in --dir: new keys and certificates (its "
                         "inventory is kept)");
  RunOnParse(init_command, run, init, RunInit);

  auto issue = std::make_shared<IssueCliOptions>();
  CLI::App* issue_command = ca->add_subcommand("issue", "Issue a certificate");
  AddIssueFlags(issue_command, *issue);
  RunOnParse(issue_command, run, issue, RunIssue);

  auto inventory = std::make_shared<std::string>();
  CLI::App* inventory_command =
      ca->add_subcommand("inventory", "Print every issued certificate as JSON Lines");
  inventory_command->add_option("--dir", *inventory, "The CA's directory")->required();
  RunOnParse(inventory_command, run, inventory, RunInventory);
}

}  // namespace ctkit::cli
