// `ctkit audit`: is everything we serve and issue properly logged? Audits certificate files,
// directories of them and live TLS endpoints in parallel (audit/audit_job.h), with an inventory
// for the CT opt-out, optionally proving inclusion online, and reports as text, JSON, JUnit or
// SARIF. Exit 0 all pass, 1 any failure, 2 bad usage or unreadable input, 3 an endpoint or log
// could not be reached (and nothing failed): CI may retry a 3, never a 1.

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>

#include "audit/audit_exit_status.h"
#include "audit/audit_job.h"
#include "base/progress_board.h"
#include "cli/command.h"

namespace ctkit::cli {
namespace {

struct AuditCommandOptions {
  audit::AuditSettings settings;
  std::string format = "text";
};

int RunAudit(AuditCommandOptions options) {
  options.settings.tool_version = CTKIT_VERSION;
  options.settings.load_log_list = &LoadLogList;
  // Progress on a terminal, for audits long enough to want it.
  ProgressBoard board(isatty(STDERR_FILENO) == 1);
  options.settings.progress = [&board](size_t done, size_t total) {
    if (total >= 20) board.Update("audit", done, total);
  };
  Result<audit::AuditReport> report = audit::RunAuditJob(options.settings);
  board.Finish();
  if (!report) {
    // Only the log list is fetched before the audit.
    return Reported(Fail(LogListLoadExitCode(report.error()), report.error().message), "audit");
  }
  bool colour = isatty(STDOUT_FILENO) == 1 && std::getenv("NO_COLOR") == nullptr;
  std::string out = audit::FormatReport(*report, options.format, colour);
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fflush(stdout);
  if (std::optional<std::string> nothing = audit::NothingAudited(*report)) {
    PrintError("audit: " + *nothing);
    return kExitUsage;
  }
  return audit::AuditExitStatus(*report);  // audit/audit_exit_status.h
}

}  // namespace

void AddAuditCommand(CLI::App& app, Action& run) {
  auto options = std::make_shared<AuditCommandOptions>();
  audit::AuditSettings& settings = options->settings;
  CLI::App* command = app.add_subcommand(
      "audit",
      "Audit certificate files, directories and TLS endpoints: SCTs, CT policy, validity, "
      "issuer, CT opt-out and (--online) inclusion; a CI check with JUnit/SARIF output");
  command
      ->add_option("TARGET", settings.targets,
                   "Certificate file or directory (PEM/DER, recursive), or HOST:PORT of a TLS "
                   "endpoint")
      ->required();
  command->add_option("--inventory", settings.inventory,
                      "Inventory of issued certificates (JSON Lines, `ctkit ca inventory`): "
                      "ct_logging disabled means not logged by choice");
  command->add_option("--policy", settings.policy, "CT policy to require")
      ->check(CLI::IsMember({"chrome", "apple", "both", "none"}))
      ->capture_default_str();
  command->add_flag("--online", settings.online,
                    "Prove each valid SCT's entry is in its log (fresh verified tree head)");
  command->add_flag("--require-ct", settings.require_ct,
                    "Fail opted-out certificates too (ct_logging disabled in the inventory)");
  command->add_option("--expect-issuer", settings.expect_issuer,
                      "Issuer certificate(s): fail certificates not signed by one of them");
  command->add_option("--expect-spki", settings.expect_spki,
                      "SHA-256 (hex or base64) of the expected issuer's SubjectPublicKeyInfo");
  command
      ->add_option("--warn-days", settings.warn_days,
                   "Warn about certificates expiring within this many days")
      ->check(UnsignedInteger())
      ->capture_default_str();
  command->add_option("--log-list", settings.log_list,
                      "Log list v3 JSON file or http(s) URL (default: the compiled-in snapshot)");
  command->add_option("--format", options->format, "Output format (docs/json-output.md)")
      ->check(CLI::IsMember({"text", "json", "junit", "sarif"}))
      ->each([](const std::string& value) {
        if (value == "json") ExpectJsonOutput(JsonStyle::kDocument);
      })
      ->capture_default_str();
  command->add_option("--jobs", settings.jobs, "Targets audited in parallel (default: CPUs)")
      ->check(UnsignedInteger());
  command->add_option("--at", settings.at,
                      "Audit as of this time: RFC 3339 or Unix seconds (default: now)");
  command
      ->add_option("--timeout", settings.timeout_seconds,
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
