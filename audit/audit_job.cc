#include "audit/audit_job.h"

#include <algorithm>
#include <chrono>
#include <memory>
#include <string_view>
#include <thread>
#include <utility>

#include "audit/audit_runner.h"
#include "audit/inclusion_prover.h"
#include "audit/verify_certificate.h"
#include "base/clock.h"
#include "base/input_file.h"
#include "base/plural.h"
#include "ct/inventory_record.h"
#include "ct/rfc3339.h"
#include "merkle/merkle_hash.h"
#include "x509/certificate_file.h"

namespace ctkit::audit {
namespace {

Result<AuditOptions> ReadAuditOptions(const AuditSettings& settings) {
  AuditOptions options;
  options.now_ms = UnixNowMs();
  if (!settings.at.empty()) {
    ASSIGN_OR_RETURN(options.now_ms, ParseTimeArgument(settings.at), "--at");
  }
  options.policies = PolicyChoiceNamed(settings.policy);
  options.warn_days = settings.warn_days;
  options.require_ct = settings.require_ct;
  if (!settings.expect_issuer.empty()) {
    ASSIGN_OR_RETURN(options.expected_issuers, ReadCertificateFile(settings.expect_issuer));
  }
  if (!settings.expect_spki.empty()) {
    ASSIGN_OR_RETURN(options.expected_issuer_spki, ParseMerkleHash(settings.expect_spki),
                     "--expect-spki");
  }
  return options;
}

Result<std::unique_ptr<InventoryIndex>> ReadInventory(const std::string& path) {
  if (path.empty()) return nullptr;
  ASSIGN_OR_RETURN(Bytes data, ReadInputFile(path));
  ASSIGN_OR_RETURN(
      std::vector<InventoryRecord> records,
      ParseInventory(std::string_view(reinterpret_cast<const char*>(data.data()), data.size())),
      path);
  return std::make_unique<InventoryIndex>(std::move(records));
}

// The report before any result: what was checked, when, against which list.
AuditReport EmptyReport(const AuditSettings& settings, const AuditOptions& options,
                        const LogList& log_list) {
  AuditReport report;
  report.tool_version = settings.tool_version;
  report.checked_at_ms = options.now_ms;
  report.log_list_version = log_list.version();
  report.log_list_timestamp_ms = log_list.timestamp_ms();
  if (options.policies.chrome) report.policies.push_back("chrome");
  if (options.policies.apple) report.policies.push_back("apple");
  report.online = settings.online;
  // The list's age matters to policy verdicts only: not said when no policy judges.
  std::optional<std::string> stale;
  if (options.policies.chrome || options.policies.apple) {
    stale = log_list.StalenessWarning(options.now_ms);
  }
  if (stale) report.warnings.push_back(*stale);
  return report;
}

// An audit asks each log a few questions: fail fast rather than back off for minutes.
std::unique_ptr<InclusionProver> MakeProver(const AuditSettings& settings,
                                            const LogList& log_list) {
  if (!settings.online) return nullptr;
  LogClientOptions client_options;
  client_options.connect_timeout =
      std::chrono::milliseconds(static_cast<int64_t>(settings.timeout_seconds * 1000));
  client_options.total_timeout = client_options.connect_timeout * 3;
  client_options.max_retries = 1;
  return std::make_unique<InclusionProver>(log_list, client_options);
}

AuditRunOptions RunOptions(const AuditSettings& settings) {
  AuditRunOptions run_options;
  run_options.jobs =
      settings.jobs > 0 ? settings.jobs : std::max(1u, std::thread::hardware_concurrency());
  run_options.tls.connect_timeout =
      std::chrono::milliseconds(static_cast<int64_t>(settings.timeout_seconds * 1000));
  run_options.tls.handshake_timeout = run_options.tls.connect_timeout;
  run_options.progress = settings.progress;
  return run_options;
}

// A warning when inventory records matched no audited certificate.
void WarnUnmatched(const InventoryIndex& inventory, AuditReport& report) {
  size_t unmatched = inventory.records().size();
  for (const AuditResult& result : report.results) {
    if (unmatched == 0) return;
    if (result.leaf && inventory.Find(*result.leaf, result.check.tbs_sha256)) --unmatched;
  }
  if (unmatched > 0) {
    report.warnings.push_back(Count(unmatched, "inventory record") +
                              " matched no audited certificate");
  }
}

}  // namespace

Result<AuditReport> RunAuditJob(const AuditSettings& settings) {
  ASSIGN_OR_RETURN(AuditOptions options, ReadAuditOptions(settings));
  ASSIGN_OR_RETURN(std::unique_ptr<InventoryIndex> inventory, ReadInventory(settings.inventory));
  ASSIGN_OR_RETURN(std::vector<AuditTarget> targets, ExpandTargets(settings.targets));
  ASSIGN_OR_RETURN(LogList loaded, settings.load_log_list(settings.log_list));
  auto log_list = std::make_shared<const LogList>(std::move(loaded));
  AuditReport report = EmptyReport(settings, options, *log_list);
  report.log_list = log_list;
  CertificateVerifier verifier(*log_list);
  std::unique_ptr<InclusionProver> prover = MakeProver(settings, *log_list);
  AuditRun run =
      RunAudit(targets, verifier, options, inventory.get(), prover.get(), RunOptions(settings));
  report.results = std::move(run.results);
  report.skipped = run.skipped;
  if (inventory) WarnUnmatched(*inventory, report);
  return report;
}

}  // namespace ctkit::audit
