// `ctkit audit`: is everything we serve and issue properly logged? Audits certificate files,
// directories of them and live TLS endpoints in parallel (audit/), with an inventory for the
// CT opt-out, optionally proving inclusion online, and reports as text, JSON, JUnit or SARIF.
// Exit 0 all pass, 1 any failure, 2 bad usage or unreadable input, 3 an endpoint or log could
// not be reached (and nothing failed): CI may retry a 3, never a 1.

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "audit/audit_runner.h"
#include "audit/report.h"
#include "base/clock.h"
#include "cli/command.h"
#include "cli/input.h"
#include "cli/log_list_source.h"
#include "cli/progress.h"
#include "ct/inventory_record.h"
#include "ct/rfc3339.h"
#include "x509/pem.h"

#ifndef CTKIT_VERSION
#define CTKIT_VERSION "unknown"
#endif

namespace ctkit::cli {
namespace {

struct AuditCommandOptions {
  std::vector<std::string> targets;
  std::string inventory;
  std::string policy = "both";
  bool online = false;
  bool require_ct = false;
  std::string expect_issuer;
  std::string expect_spki;
  int64_t warn_days = 30;
  std::string log_list;
  std::string format = "text";
  size_t jobs = 0;
  std::string at;
  double timeout_seconds = 10;
};

int Usage(const std::string& message) {
  PrintError("audit: " + message);
  return kExitUsage;
}

int ExitCode(const audit::AuditReport& report) {
  bool failed = false, network = false, input = false;
  for (const audit::AuditResult& result : report.results) {
    failed = failed || result.verdict == audit::Verdict::kFail;
    network = network || result.error_kind == audit::ErrorKind::kNetwork;
    input = input || result.error_kind == audit::ErrorKind::kInput;
  }
  if (failed) return kExitFailed;  // a definite answer; retrying would not change it
  if (network) return kExitLogFailure;
  if (input) return kExitUsage;
  return kExitOk;
}

int RunAudit(const AuditCommandOptions& options) {
  audit::AuditOptions audit_options;
  audit_options.now_ms = UnixNowMs();
  if (!options.at.empty()) {
    Result<int64_t> at = ParseTimeArgument(options.at);
    if (!at) return Usage("--at: " + at.error().message);
    audit_options.now_ms = *at;
  }
  audit_options.policies = {.chrome = options.policy == "chrome" || options.policy == "both",
                            .apple = options.policy == "apple" || options.policy == "both"};
  audit_options.warn_days = options.warn_days;
  audit_options.require_ct = options.require_ct;
  if (!options.expect_issuer.empty()) {
    Result<Bytes> data = ReadInputFile(options.expect_issuer);
    if (!data) return Usage(data.error().message);
    Result<std::vector<CertificateView>> issuers = ParseCertificateInput(*data);
    if (!issuers) return Usage(WithContext(issuers.error(), options.expect_issuer).message);
    audit_options.expected_issuers = std::move(*issuers);
  }
  if (!options.expect_spki.empty()) {
    Result<MerkleHash> spki = ParseHashFlag("--expect-spki", options.expect_spki);
    if (!spki) return Usage(spki.error().message);
    audit_options.expected_issuer_spki = *spki;
  }
  std::unique_ptr<audit::InventoryIndex> inventory;
  if (!options.inventory.empty()) {
    Result<Bytes> data = ReadInputFile(options.inventory);
    if (!data) return Usage(data.error().message);
    Result<std::vector<InventoryRecord>> records = ParseInventory(
        std::string_view(reinterpret_cast<const char*>(data->data()), data->size()));
    if (!records) return Usage(WithContext(records.error(), options.inventory).message);
    inventory = std::make_unique<audit::InventoryIndex>(std::move(*records));
  }
  Result<std::vector<audit::AuditTarget>> targets = audit::ExpandTargets(options.targets);
  if (!targets) return Usage(targets.error().message);
  Result<LogList> log_list = LoadLogList(options.log_list);
  if (!log_list) {
    PrintError("audit: " + log_list.error().message);
    return LogListLoadExitCode(log_list.error());
  }

  audit::AuditReport report;
  report.tool_version = CTKIT_VERSION;
  report.checked_at_ms = audit_options.now_ms;
  report.log_list_version = log_list->version();
  report.log_list_timestamp_ms = log_list->timestamp_ms();
  if (audit_options.policies.chrome) report.policies.push_back("chrome");
  if (audit_options.policies.apple) report.policies.push_back("apple");
  report.online = options.online;
  if (std::optional<std::string> stale = log_list->StalenessWarning(audit_options.now_ms)) {
    report.warnings.push_back(*stale);
  }

  CertificateVerifier verifier(*log_list);
  std::unique_ptr<audit::InclusionProver> prover;
  if (options.online) {
    // An audit asks each log a few questions: fail fast rather than back off for minutes.
    LogClientOptions client_options;
    client_options.connect_timeout =
        std::chrono::milliseconds(static_cast<int64_t>(options.timeout_seconds * 1000));
    client_options.total_timeout = client_options.connect_timeout * 3;
    client_options.max_retries = 1;
    prover = std::make_unique<audit::InclusionProver>(*log_list, client_options);
  }
  audit::AuditRunOptions run_options;
  run_options.jobs = options.jobs > 0 ? options.jobs
                                      : std::max(1u, std::thread::hardware_concurrency());
  run_options.tls.connect_timeout =
      std::chrono::milliseconds(static_cast<int64_t>(options.timeout_seconds * 1000));
  run_options.tls.handshake_timeout = run_options.tls.connect_timeout;
  ProgressBoard board(isatty(STDERR_FILENO) == 1 && targets->size() >= 20);
  if (board.enabled()) {
    run_options.progress = [&board](size_t done, size_t total) { board.Update("audit", done, total); };
  }
  audit::AuditRun run = audit::RunAudit(*targets, verifier, audit_options, inventory.get(),
                                        prover.get(), run_options);
  if (board.enabled()) board.Finish();
  report.results = std::move(run.results);
  report.skipped = run.skipped;
  if (inventory) {
    size_t unmatched = inventory->records().size();
    for (const audit::AuditResult& result : report.results) {
      if (result.leaf && inventory->Find(*result.leaf, result.check.tbs_sha256)) --unmatched;
      if (unmatched == 0) break;
    }
    if (unmatched > 0) {
      report.warnings.push_back(std::to_string(unmatched) +
                                " inventory records matched no audited certificate");
    }
  }

  std::string out;
  if (options.format == "json") {
    out = audit::JsonReport(report);
  } else if (options.format == "junit") {
    out = audit::JunitReport(report);
  } else if (options.format == "sarif") {
    out = audit::SarifReport(report);
  } else {
    bool colour = isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr;
    out = audit::TextReport(report, colour);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  if (report.results.empty()) {
    // A CI gate pointed at the wrong directory, or at one holding only keys and CA certificates,
    // must not pass: having checked nothing is not a pass (docs/ci.md).
    return Usage("nothing to audit: " + std::to_string(report.skipped) +
                 " files skipped, no leaf certificate or precertificate among the targets");
  }
  return ExitCode(report);
}

}  // namespace

void AddAuditCommand(CLI::App& app, Action& run) {
  auto options = std::make_shared<AuditCommandOptions>();
  CLI::App* command = app.add_subcommand(
      "audit",
      "Audit certificate files, directories and TLS endpoints: SCTs, CT policy, validity, "
      "issuer, CT opt-out and (--online) inclusion; a CI check with JUnit/SARIF output");
  command
      ->add_option("TARGET", options->targets,
                   "Certificate file or directory (PEM/DER, recursive), or HOST:PORT of a TLS "
                   "endpoint")
      ->required();
  command->add_option("--inventory", options->inventory,
                      "Inventory of issued certificates (JSON Lines, `ctkit ca inventory`): "
                      "ct_logging disabled means not logged by choice");
  command->add_option("--policy", options->policy, "CT policy to require")
      ->check(CLI::IsMember({"chrome", "apple", "both", "none"}))
      ->capture_default_str();
  command->add_flag("--online", options->online,
                    "Prove each valid SCT's entry is in its log (fresh verified tree head)");
  command->add_flag("--require-ct", options->require_ct,
                    "Fail opted-out certificates too (ct_logging disabled in the inventory)");
  command->add_option("--expect-issuer", options->expect_issuer,
                      "Issuer certificate(s): fail certificates not signed by one of them");
  command->add_option("--expect-spki", options->expect_spki,
                      "SHA-256 (hex or base64) of the expected issuer's SubjectPublicKeyInfo");
  command->add_option("--warn-days", options->warn_days,
                      "Warn about certificates expiring within this many days")
      ->check(UnsignedInteger())
      ->capture_default_str();
  command->add_option("--log-list", options->log_list,
                      "Log list v3 JSON file or http(s) URL (default: the compiled-in snapshot)");
  command->add_option("--format", options->format, "Output format (docs/json-output.md)")
      ->check(CLI::IsMember({"text", "json", "junit", "sarif"}))
      ->capture_default_str();
  command->add_option("--jobs", options->jobs, "Targets audited in parallel (default: CPUs)")
      ->check(UnsignedInteger());
  command->add_option("--at", options->at,
                      "Audit as of this time: RFC 3339 or Unix seconds (default: now)");
  command->add_option("--timeout", options->timeout_seconds,
                      "Seconds to wait for an endpoint or log to connect and answer")
      ->check(CLI::Range(0.1, 600.0))
      ->capture_default_str();
  command->footer(
      "Exit 0 when every certificate passes, 1 when any fails, 2 for bad usage or unreadable "
      "input, 3 when an endpoint or log could not be reached (and nothing failed). Guide: "
      "docs/ci.md; JSON schema: docs/json-output.md.");
  command->callback([options, &run] {
    run = [options] {
      signal(SIGPIPE, SIG_IGN);  // a TLS peer or log that hangs up must not kill the audit
      return RunAudit(*options);
    };
  });
}

}  // namespace ctkit::cli
