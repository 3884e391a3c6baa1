// `ctkit verify`: is this certificate properly logged? Verifies the SCTs of each certificate
// (embedded, and delivered with --sct / --ocsp) against the log list, and judges it against the
// Chrome and Apple CT policies. Exit 0 when every certificate has only valid SCTs and meets the
// chosen policies, 1 when any does not, 2 for unreadable input, 3 when --log-list URL fails.

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "base/terminal_text.h"
#include "audit/check_json.h"
#include "cli/command.h"
#include "cli/input.h"
#include "cli/log_list_source.h"
#include "ct/certificate_verifier.h"
#include "ct/rfc3339.h"
#include "ct/sct_ocsp.h"
#include "x509/pem.h"

namespace ctkit::cli {
namespace {

using json = nlohmann::ordered_json;

struct VerifyOptions {
  std::vector<std::string> cert_files;
  std::string issuer_file;
  std::string log_list;
  std::string policy = "both";
  std::string at;
  std::vector<std::string> sct_files;
  std::vector<std::string> ocsp_files;
  std::string format = "text";
};

struct LoadedCertificate {
  std::string file;
  CertificateView leaf;
  std::vector<CertificateView> others;  // the rest of the file, then --issuer
  std::optional<CertificateView> asserted_issuer;  // the first --issuer certificate
};

// A --sct file: a SignedCertificateTimestampList as in the TLS extension, or one SCT.
std::vector<Bytes> SplitSctFile(const Bytes& data) {
  Result<std::vector<Bytes>> list = ParseSctList(data);
  if (list) return *list;
  return {data};  // judged as a single SCT; malformed if it is not one either
}

json CertificateJson(const LoadedCertificate& loaded, const CertificateCheck& check) {
  const CertificateView& cert = loaded.leaf;
  json out;
  out["file"] = loaded.file;
  out["sha256"] = HexEncode(cert.sha256());
  out["tbs_sha256"] = HexEncode(check.tbs_sha256);
  out["subject"] = cert.subject();
  out["issuer"] = cert.issuer();
  out["serial"] = cert.serial_hex();
  out["names"] = DisplayNames(cert);
  out["not_before"] = FormatRfc3339(cert.not_before() * 1000);
  out["not_after"] = FormatRfc3339(cert.not_after() * 1000);
  out["precertificate"] = check.is_precertificate;
  json scts = json::array();
  for (const SctCheck& sct : check.scts) scts.push_back(SctCheckJson(sct));
  out["scts"] = scts;
  out["policy"] = PoliciesJson(check);
  out["notes"] = check.notes;
  out["verdict"] = check.Passed() ? "pass" : "fail";
  return out;
}

std::string Join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

// Text output: everything a certificate or the log list says goes through TerminalSafe
// (base/terminal_text.h), so it prints as one inert line.
void PrintPolicyText(const PolicyVerdict& verdict) {
  std::printf("  %s policy: %s\n", verdict.policy.c_str(),
              verdict.compliant ? "compliant" : "NOT COMPLIANT");
  for (const std::string& reason : verdict.reasons) {
    std::printf("    %s\n", TerminalSafe(reason).c_str());
  }
}

void PrintCertificateText(const LoadedCertificate& loaded, const CertificateCheck& check) {
  const CertificateView& cert = loaded.leaf;
  std::printf("%s: %s\n", TerminalSafe(loaded.file).c_str(), check.Passed() ? "OK" : "FAILED");
  std::printf("  subject:  %s\n", TerminalSafe(cert.subject()).c_str());
  std::printf("  issuer:   %s\n", TerminalSafe(cert.issuer()).c_str());
  std::printf("  names:    %s\n", TerminalSafe(Join(DisplayNames(cert), ", ")).c_str());
  std::printf("  validity: %s .. %s\n", FormatRfc3339(cert.not_before() * 1000).c_str(),
              FormatRfc3339(cert.not_after() * 1000).c_str());
  std::printf("  sha256:   %s%s\n", HexEncode(cert.sha256()).c_str(),
              check.is_precertificate ? " (precertificate)" : "");
  if (check.scts.empty()) std::printf("  SCTs:     none\n");
  for (size_t i = 0; i < check.scts.size(); ++i) {
    const SctCheck& sct = check.scts[i];
    std::string log = TerminalSafe(SctLogLabel(sct));
    std::string when = sct.sct ? FormatRfc3339(static_cast<int64_t>(sct.sct->timestamp_ms)) : "-";
    std::printf("  SCT #%zu %-9s %-22s %s, %s\n", i, std::string(SctDeliveryName(sct.delivery)).c_str(),
                std::string(SctStatusName(sct.status)).c_str(), log.c_str(), when.c_str());
  }
  for (const std::string& note : check.notes) {
    std::printf("  note: %s\n", TerminalSafe(note).c_str());
  }
  if (check.chrome) PrintPolicyText(*check.chrome);
  if (check.apple) PrintPolicyText(*check.apple);
}

// Reads every certificate file; the first certificate of each is the one checked.
Result<std::vector<LoadedCertificate>> LoadCertificates(const VerifyOptions& options) {
  std::vector<CertificateView> issuers;
  if (!options.issuer_file.empty()) {
    Result<Bytes> data = ReadInputFile(options.issuer_file);
    if (!data) return std::unexpected(data.error());
    Result<std::vector<CertificateView>> parsed = ParseCertificateInput(*data);
    if (!parsed) return std::unexpected(WithContext(parsed.error(), options.issuer_file));
    issuers = std::move(*parsed);
  }
  std::vector<LoadedCertificate> loaded;
  for (const std::string& file : options.cert_files) {
    Result<Bytes> data = ReadInputFile(file);
    if (!data) return std::unexpected(data.error());
    Result<std::vector<CertificateView>> parsed = ParseCertificateInput(*data);
    if (!parsed) return std::unexpected(WithContext(parsed.error(), file));
    LoadedCertificate item{.file = file, .leaf = parsed->front(), .others = {}};
    item.others.assign(parsed->begin() + 1, parsed->end());
    item.others.insert(item.others.end(), issuers.begin(), issuers.end());
    if (!issuers.empty()) item.asserted_issuer = issuers.front();
    loaded.push_back(std::move(item));
  }
  return loaded;
}

// SCTs from --sct (TLS) and --ocsp files, for the first certificate's serial (OCSP).
Result<std::vector<DeliveredSct>> LoadDeliveredScts(const VerifyOptions& options,
                                                    const CertificateView& leaf) {
  std::vector<DeliveredSct> delivered;
  for (const std::string& file : options.sct_files) {
    Result<Bytes> data = ReadInputFile(file);
    if (!data) return std::unexpected(data.error());
    for (Bytes& sct : SplitSctFile(*data)) {
      delivered.push_back({std::move(sct), SctDelivery::kTlsExtension});
    }
  }
  for (const std::string& file : options.ocsp_files) {
    Result<Bytes> data = ReadInputFile(file);
    if (!data) return std::unexpected(data.error());
    Result<std::optional<Bytes>> list = ExtractOcspSctList(*data, leaf.serial());
    if (!list) return std::unexpected(WithContext(list.error(), file));
    if (!*list) continue;  // a response without SCTs adds none
    Result<std::vector<Bytes>> items = ParseSctList(**list);
    if (!items) {
      delivered.push_back({**list, SctDelivery::kOcspResponse});  // reported as malformed
      continue;
    }
    for (Bytes& sct : *items) delivered.push_back({std::move(sct), SctDelivery::kOcspResponse});
  }
  return delivered;
}

int RunVerify(const VerifyOptions& options) {
  int64_t now_ms = UnixNowMs();
  if (!options.at.empty()) {
    Result<int64_t> at = ParseTimeArgument(options.at);
    if (!at) {
      PrintError("verify: --at: " + at.error().message);
      return kExitUsage;
    }
    now_ms = *at;
  }
  Result<LogList> log_list = LoadLogList(options.log_list);
  if (!log_list) {
    PrintError("verify: " + log_list.error().message);
    return LogListLoadExitCode(log_list.error());
  }
  Result<std::vector<LoadedCertificate>> certificates = LoadCertificates(options);
  if (!certificates) {
    PrintError("verify: " + certificates.error().message);
    return kExitUsage;
  }
  if ((!options.sct_files.empty() || !options.ocsp_files.empty()) && certificates->size() > 1) {
    PrintError("verify: --sct and --ocsp apply to one certificate; give only one CERT");
    return kExitUsage;
  }
  std::vector<DeliveredSct> delivered;
  if (!certificates->empty()) {
    Result<std::vector<DeliveredSct>> loaded = LoadDeliveredScts(options, certificates->front().leaf);
    if (!loaded) {
      PrintError("verify: " + loaded.error().message);
      return kExitUsage;
    }
    delivered = std::move(*loaded);
  }
  // Warned only once every input has loaded, so an input error stays one line on stderr.
  std::vector<std::string> warnings;
  if (std::optional<std::string> stale = log_list->StalenessWarning(now_ms)) {
    warnings.push_back(*stale);
    if (options.format == "text") {
      std::fprintf(stderr, "ctkit: warning: %s\n", TerminalSafe(*stale).c_str());
    }
  }

  PolicyChoice policies{.chrome = options.policy == "chrome" || options.policy == "both",
                        .apple = options.policy == "apple" || options.policy == "both"};
  CertificateVerifier verifier(*log_list);
  verifier.set_missing_issuer_hint("use --issuer or append the chain");
  bool all_passed = true;
  bool progress = isatty(STDERR_FILENO) && certificates->size() > 20;
  json results = json::array();
  for (size_t i = 0; i < certificates->size(); ++i) {
    const LoadedCertificate& loaded = (*certificates)[i];
    // With --issuer the user names the issuer: check against it even if its name differs.
    const CertificateView* asserted = loaded.asserted_issuer ? &*loaded.asserted_issuer : nullptr;
    CertificateCheck check =
        verifier.Verify(loaded.leaf, loaded.others, delivered, now_ms, policies, asserted);
    all_passed = all_passed && check.Passed();
    if (options.format == "json") {
      results.push_back(CertificateJson(loaded, check));
    } else {
      if (i > 0) std::printf("\n");
      PrintCertificateText(loaded, check);
    }
    if (progress) std::fprintf(stderr, "\rverified %zu/%zu", i + 1, certificates->size());
  }
  if (progress) std::fprintf(stderr, "\n");
  if (options.format == "json") {
    json out;
    out["checked_at"] = FormatRfc3339(now_ms);
    out["log_list"] = {{"version", log_list->version()},
                       {"timestamp", FormatRfc3339(log_list->timestamp_ms())}};
    out["warnings"] = warnings;
    out["certificates"] = results;
    std::printf("%s\n", out.dump(2).c_str());
  }
  return all_passed ? kExitOk : kExitFailed;
}

}  // namespace

void AddVerifyCommand(CLI::App& app, Action& run) {
  auto options = std::make_shared<VerifyOptions>();
  CLI::App* command = app.add_subcommand(
      "verify", "Verify a certificate's SCTs against the log list and the Chrome/Apple CT policies");
  command->add_option("CERT", options->cert_files,
                      "Certificate files (PEM or DER; a leaf optionally followed by its chain; - "
                      "for stdin)")
      ->required();
  command->add_option("--issuer", options->issuer_file,
                      "Issuer certificate(s), for embedded SCTs (else taken from the CERT file)");
  command->add_option("--log-list", options->log_list,
                      "Log list v3 JSON file or http(s) URL (default: the compiled-in snapshot)");
  command->add_option("--policy", options->policy, "CT policy to judge by")
      ->check(CLI::IsMember({"chrome", "apple", "both", "none"}))
      ->capture_default_str();
  command->add_option("--at", options->at,
                      "Check as of this time: RFC 3339 or Unix seconds (default: now)");
  command->add_option("--sct", options->sct_files,
                      "SCTs delivered in TLS: one binary SCT or a SignedCertificateTimestampList "
                      "(repeatable)");
  command->add_option("--ocsp", options->ocsp_files,
                      "A DER OCSP response whose SCT extension delivers SCTs (repeatable)");
  AddFormatFlag(command, options->format);
  command->footer(
      "Exit 0 when every certificate has only valid SCTs and meets the chosen policies, 1 when "
      "any does not, 2 for unreadable input, 3 when a --log-list URL cannot be fetched. SCT "
      "statuses and the JSON schema: docs/json-output.md.");
  command->callback([options, &run] { run = [options] { return RunVerify(*options); }; });
}

}  // namespace ctkit::cli
