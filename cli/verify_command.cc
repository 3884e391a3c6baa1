// `ctkit verify`: is this certificate properly logged? Verifies the SCTs of each certificate
// (embedded, and delivered with --sct / --ocsp, ct/delivered_scts.h) against the log list, and
// judges it against the Chrome and Apple CT policies (ct/certificate_verifier.h). Exit 0 when
// every certificate has only valid SCTs and meets the chosen policies, 1 when any does not, 2
// for unreadable input, 3 when --log-list URL fails.

#include <unistd.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "audit/check_json.h"
#include "audit/check_text.h"
#include "audit/verify_certificate.h"
#include "audit/verify_inputs.h"
#include "base/clock.h"
#include "base/terminal_text.h"
#include "cli/command.h"
#include "ct/certificate_verifier.h"
#include "ct/rfc3339.h"

namespace ctkit::cli {
namespace {

using json = nlohmann::ordered_json;

struct VerifyOptions {
  audit::VerifyFiles files;  // CERT, --issuer, --sct, --ocsp
  std::string log_list;
  std::string policy = "both";
  std::string at;
  std::string format = "text";
};

// Everything one run checks, loaded.
struct Inputs {
  int64_t now_ms = 0;
  LogList log_list;
  audit::VerifyInputs files;
};

Outcome<Inputs> LoadInputs(const VerifyOptions& options) {
  Inputs inputs{.now_ms = UnixNowMs(), .log_list = {}, .files = {}};
  if (!options.at.empty()) {
    ASSIGN_OR_RETURN(inputs.now_ms, OrExit(ParseTimeArgument(options.at), kExitUsage, "--at"));
  }
  ASSIGN_OR_RETURN(inputs.log_list, OrExit(LoadLogList(options.log_list), LogListLoadExitCode));
  ASSIGN_OR_RETURN(inputs.files, OrExit(audit::LoadVerifyInputs(options.files), kExitUsage));
  return inputs;
}

Outcome<int> RunVerify(const VerifyOptions& options) {
  ASSIGN_OR_RETURN(const Inputs inputs, LoadInputs(options));
  // Warned only once every input has loaded, so an input error stays one line on stderr; once a
  // run, and only when a policy judges (the list's age matters to policy verdicts only).
  std::optional<std::string> stale;
  if (options.policy != "none") stale = inputs.log_list.StalenessWarning(inputs.now_ms);
  if (stale && options.format == "text") {
    std::fprintf(stderr, "ctkit: warning: %s\n", TerminalSafe(*stale).c_str());
  }
  CertificateVerifier verifier(inputs.log_list);
  verifier.set_missing_issuer_hint("use --issuer or append the chain");
  const size_t count = inputs.files.certificates.size();
  bool all_passed = true;
  bool progress = isatty(STDERR_FILENO) && count > 20;
  json results = json::array();
  for (size_t i = 0; i < count; ++i) {
    const audit::LoadedCertificate& loaded = inputs.files.certificates[i];
    CertificateCheck check =
        audit::VerifyLoadedCertificate(verifier, loaded, inputs.files.delivered, inputs.now_ms,
                                       audit::PolicyChoiceNamed(options.policy));
    all_passed = all_passed && check.Passed();
    if (options.format == "json") {
      results.push_back(CertificateJson(loaded.file, loaded.leaf, check));
    } else {
      if (i > 0) std::printf("\n");
      std::printf("%s", CertificateCheckText(loaded.file, loaded.leaf, check).c_str());
    }
    if (progress) std::fprintf(stderr, "\rverified %zu/%zu", i + 1, count);
  }
  if (progress) std::fprintf(stderr, "\n");
  if (options.format == "json") {
    PrintJson({{"checked_at", FormatRfc3339(inputs.now_ms)},
               {"log_list",
                {{"version", inputs.log_list.version()},
                 {"timestamp", FormatRfc3339(inputs.log_list.timestamp_ms())}}},
               {"warnings", stale ? std::vector<std::string>{*stale} : std::vector<std::string>{}},
               {"certificates", results}},
              JsonStyle::kDocument);
  }
  return all_passed ? kExitOk : kExitFailed;
}

}  // namespace

void AddVerifyCommand(CLI::App& app, Action& run) {
  auto options = std::make_shared<VerifyOptions>();
  CLI::App* command = app.add_subcommand(
      "verify",
      "Verify a certificate's SCTs against the log list and the Chrome/Apple CT policies");
  command
      ->add_option("CERT", options->files.cert_files,
                   "Certificate files (PEM or DER; a leaf optionally followed by its chain; - "
                   "for stdin)")
      ->required();
  command->add_option("--issuer", options->files.issuer_file,
                      "Issuer certificate(s), for embedded SCTs (else taken from the CERT file)");
  command->add_option("--log-list", options->log_list,
                      "Log list JSON file (Google v3 or Apple's) or http(s) URL, whose .sig is "
                      "checked (default: the compiled-in lists; docs/ctkit.md, Log lists)");
  command->add_option("--policy", options->policy, "CT policy to judge by")
      ->check(CLI::IsMember({"chrome", "apple", "both", "none"}))
      ->capture_default_str();
  command->add_option("--at", options->at,
                      "Check as of this time: RFC 3339 or Unix seconds (default: now)");
  // One FILE per --sct / --ocsp, so that the CERT after one stays a CERT.
  command
      ->add_option("--sct", options->files.sct_files,
                   "SCTs delivered in TLS: one binary SCT or a SignedCertificateTimestampList "
                   "(repeatable)")
      ->allow_extra_args(false)
      ->type_name("FILE");
  command
      ->add_option("--ocsp", options->files.ocsp_files,
                   "A DER OCSP response whose SCT extension delivers SCTs (repeatable)")
      ->allow_extra_args(false)
      ->type_name("FILE");
  AddFormatFlag(command, options->format);
  command->footer(
      "Exit 0 when every certificate has only valid SCTs and meets the chosen policies, 1 when "
      "any does not, 2 for unreadable input, 3 when a --log-list URL cannot be fetched. SCT "
      "statuses and the JSON schema: docs/json-output.md.");
  RunOnParse(command, run, options,
             [](const VerifyOptions& parsed) { return Reported(RunVerify(parsed), "verify"); });
}

}  // namespace ctkit::cli
