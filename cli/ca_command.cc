// `ctkit ca init | issue | inventory`: the mock CA (ca/mock_ca.h), issuing certificates with a
// per-certificate CT-logging choice and submitting precertificates to real logs.

#include <chrono>
#include <cstdio>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/secret_file.h"
#include "base/terminal_text.h"
#include "ca/certificate_builder.h"
#include "ca/mock_ca.h"
#include "cli/command.h"
#include "cli/input.h"
#include "ct/log_client.h"

namespace ctkit::cli {
namespace {

// The certificate file (public; an existing one is replaced, as before).
Result<void> WriteFile(const std::string& path, std::string_view contents) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) return MakeError(ErrorCode::kIo, path + ": cannot create");
  bool ok = std::fwrite(contents.data(), 1, contents.size(), file) == contents.size();
  ok = std::fclose(file) == 0 && ok;
  if (!ok) return MakeError(ErrorCode::kIo, path + ": write failed");
  return {};
}

// Submits to a real log with the key from the log list; the client checks the SCT too.
Result<SignedCertificateTimestamp> SubmitToLog(const LogInfo& log, const std::vector<Bytes>& chain,
                                               bool precertificate) {
  Result<std::shared_ptr<const LogKey>> key = LogKey::FromSpkiDer(log.key_der);
  if (!key) return std::unexpected(key.error());
  LogClientOptions options;
  options.total_timeout = std::chrono::milliseconds(15000);
  options.max_retries = 2;
  // A static-ct-api log takes submissions at its submission prefix (c2sp.org/static-ct-api).
  const std::string& url = log.api == LogApi::kStaticCtApi ? log.submission_url : log.url;
  Result<LogClient> client = LogClient::Create(url, *key, options);
  if (!client) return std::unexpected(client.error());
  return precertificate ? client->AddPreChain(chain) : client->AddChain(chain);
}

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
  std::printf("  logs: %zu configured%s\n", options.config.logs.size(),
              options.config.log_list.empty() ? "" : (", keys from " + options.config.log_list).c_str());
  return kExitOk;
}

struct IssueCliOptions {
  std::string dir;
  IssueOptions issue;
  std::string ct_logging = "enabled";
  std::string out;
  std::string key_out;
  bool force = false;  // replace an existing --key-out file
  std::string format = "text";
};

int RunIssue(IssueCliOptions options) {
  Result<MockCa> ca = MockCa::Open(options.dir);
  if (!ca) {
    PrintError("ca issue: " + ca.error().message);
    return kExitUsage;
  }
  if (options.issue.names.empty()) {  // --name is required; MockCa::Issue says so too
    PrintError("ca issue: give at least one --name");
    return kExitUsage;
  }
  std::string out = options.out.empty() ? options.issue.names.front() + ".pem" : options.out;
  std::string key_out = options.key_out.empty() ? out + ".key" : options.key_out;
  // A key file that would be refused is refused before anything is issued (and logged).
  if (Result<void> usable = CheckNewFilePath(key_out, options.force); !usable) {
    PrintError("ca issue: " + usable.error().message);
    return kExitUsage;
  }
  options.issue.ct_logging = options.ct_logging == "enabled";
  Result<IssuedCertificate> issued = ca->Issue(options.issue, &SubmitToLog, UnixNowMs());
  if (!issued) {
    PrintError("ca issue: " + issued.error().message);
    return issued.error().code == ErrorCode::kNetwork ? kExitLogFailure : kExitUsage;
  }
  std::string pem = CertificateToPem(issued->certificate);
  for (const Bytes& cert : issued->chain) pem += CertificateToPem(cert);
  // The key first: a certificate is no use without it.
  if (Result<void> ok = WriteNewSecretFile(key_out, issued->private_key_pem, options.force); !ok) {
    PrintError("ca issue: " + ok.error().message);
    return kExitUsage;
  }
  if (Result<void> ok = WriteFile(out, pem); !ok) {
    PrintError("ca issue: " + ok.error().message);
    return kExitUsage;
  }
  for (const std::string& warning : issued->warnings) {
    std::fprintf(stderr, "ctkit: warning: %s\n", TerminalSafe(warning).c_str());
  }
  if (options.format == "json") {
    std::printf("%s\n", InventoryRecordToJson(issued->record).c_str());
  } else {
    std::printf("issued %s (serial %s) -> %s, key %s\n", issued->record.names.front().c_str(),
                issued->record.serial.c_str(), out.c_str(), key_out.c_str());
    std::printf("  CT logging: %s%s\n", issued->record.ct_logging ? "enabled" : "disabled",
                issued->record.ct_logging
                    ? (", " + std::to_string(issued->scts.size()) + " SCTs embedded").c_str()
                    : " (no SCTs, no log contacted)");
  }
  return kExitOk;
}

struct InventoryCliOptions {
  std::string dir;
};

int RunInventory(const InventoryCliOptions& options) {
  Result<MockCa> ca = MockCa::Open(options.dir);
  if (!ca) {
    PrintError("ca inventory: " + ca.error().message);
    return kExitUsage;
  }
  Result<std::vector<InventoryRecord>> records = ca->IssuedRecords();
  if (!records) {
    PrintError("ca inventory: " + records.error().message);
    return kExitUsage;
  }
  for (const InventoryRecord& record : *records) {
    std::printf("%s\n", InventoryRecordToJson(record).c_str());
  }
  return kExitOk;
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
  init_command->add_option("--log", init->config.logs, "Log URL to submit to (repeatable)");
  init_command->add_option("--log-list", init->config.log_list,
                           "Log list v3 file with the logs' keys and operators");
  init_command->add_flag("--force", init->force,
                         "Replace a CA already in --dir: new keys and certificates (its "
                         "inventory is kept)");
  init_command->callback([init, &run] { run = [init] { return RunInit(*init); }; });

  auto issue = std::make_shared<IssueCliOptions>();
  CLI::App* issue_command = ca->add_subcommand("issue", "Issue a certificate");
  issue_command->add_option("--dir", issue->dir, "The CA's directory")->required();
  issue_command->add_option("--name", issue->issue.names, "DNS name (repeatable; the first is the CN)")
      ->required();
  issue_command->add_option("--days", issue->issue.days, "Validity in days")
      ->check(CLI::Range(1, 3650))
      ->capture_default_str();
  issue_command->add_option("--ct-logging", issue->ct_logging,
                            "enabled: log a precertificate and embed SCTs; disabled: no CT at all")
      ->check(CLI::IsMember({"enabled", "disabled"}))
      ->capture_default_str();
  issue_command->add_option("--log", issue->issue.logs, "Log URL for this certificate (repeatable)");
  issue_command->add_option("--min-logs", issue->issue.min_logs,
                            "How many logs must return a valid SCT (1 makes policy failures on purpose)")
      ->check(CLI::Range(size_t{1}, size_t{16}))
      ->capture_default_str();
  issue_command->add_flag("--add-chain", issue->issue.add_final_chain,
                          "Also submit the final certificate with add-chain");
  issue_command->add_option("--out", issue->out, "PEM output: leaf, then the chain (default NAME.pem)");
  issue_command->add_option("--key-out", issue->key_out,
                            "The new private key, mode 0600 (default OUT.key); an existing file "
                            "only with --force");
  issue_command->add_flag("--force", issue->force,
                          "Replace an existing --key-out file (never through a symbolic link)");
  AddFormatFlag(issue_command, issue->format);
  issue_command->callback([issue, &run] { run = [issue] { return RunIssue(*issue); }; });

  auto inventory = std::make_shared<InventoryCliOptions>();
  CLI::App* inventory_command =
      ca->add_subcommand("inventory", "Print every issued certificate as JSON Lines");
  inventory_command->add_option("--dir", inventory->dir, "The CA's directory")->required();
  inventory_command->callback([inventory, &run] { run = [inventory] { return RunInventory(*inventory); }; });
}

}  // namespace ctkit::cli
