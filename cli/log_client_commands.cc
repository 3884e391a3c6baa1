// `ctkit log sth | entries | consistency | inclusion`: the client subcommands of `ctkit log`,
// which read a log over RFC 6962 (logclient/log_client.h) or static-ct-api
// (logclient/static_log_client.h; logclient/log_target.h opens either):
//
//   log sth          LOG [--out FILE] [--format text|json]
//   log entries      LOG --start N --end N [--format text|json]
//   log consistency  LOG --old-sth FILE [--new-sth FILE] [--format text|json]
//   log inclusion    LOG --cert FILE [--issuer FILE] [--format text|json]
//
// where LOG is --log URL|DESCRIPTION|LOG_ID [--key PEM] [--log-list FILE|URL] [--static]
// [--origin NAME]. --log is a URL, or a log's description or base64 log ID in the log list
// (--log-list, else the compiled-in snapshot). The key comes from --key (PEM or DER
// SubjectPublicKeyInfo, or the private key `log keygen` writes), else from the list entry. A log
// listed under tiled_logs is read over static-ct-api (its monitoring URL; the checkpoint origin
// from its submission URL); --static does the same for any URL. Exit codes follow cli/command.h: 0
// verified, 1 a signature, proof or response did not hold, 2 bad usage or unreadable input, 3 the
// log could not be reached or failed on the wire.

#include <cstdio>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "audit/log_inclusion.h"
#include "audit/log_read_json.h"
#include "base/output_file.h"
#include "cli/command.h"
#include "logclient/entry_range_check.h"
#include "logclient/log_target.h"
#include "logclient/log_target_flags.h"
#include "logclient/tree_head_evidence.h"
#include "logclient/tree_head_json.h"
#include "x509/certificate_file.h"

#ifndef CTKIT_VERSION
#define CTKIT_VERSION "unknown"
#endif

namespace ctkit::cli {
namespace {

using json = nlohmann::ordered_json;

// The exit code for an error from a log: the log failed (3) or what it said did not hold (1);
// our own bad request is bad usage (2).
int LogExitCode(const Error& error) {
  switch (error.code) {
    case ErrorCode::kNetwork:
    case ErrorCode::kNotFound:
      return kExitLogFailure;
    case ErrorCode::kInvalidArgument:
    case ErrorCode::kIo:
      return kExitUsage;
    default:
      return kExitFailed;
  }
}

// The log the flags name (logclient/log_target_flags.h); with `need_key`, one whose key is known.
Outcome<LogEndpoint> Resolve(const LogTargetFlags& flags, bool need_key) {
  ASSIGN_OR_RETURN(LogList list, OrExit(LoadLogList(flags.log_list), LogListLoadExitCode));
  return OrExit(ResolveLogFlags(list, flags, need_key), kExitUsage);
}

Outcome<std::unique_ptr<LogReader>> Open(const LogEndpoint& endpoint) {
  LogClientOptions http;
  http.user_agent = "ctkit/" CTKIT_VERSION;
  return OrExit(OpenLogReader(endpoint, http), kExitUsage);
}

// "log" and "api", which every JSON output of these commands starts with.
json LogJson(const LogReader& reader, const LogEndpoint& endpoint) {
  return {{"log", reader.base_url()}, {"api", LogApiName(endpoint.api)}};
}

// --- log sth ---

struct SthOptions {
  LogTargetFlags target;
  std::string out;
  std::string format = "text";
};

Outcome<int> RunSth(const SthOptions& options) {
  // --out - puts the saved head on standard output; the text summary then goes to stderr.
  const bool head_on_stdout = IsStandardOutput(options.out);
  if (head_on_stdout && options.format == "json") {
    return Fail(kExitUsage, "--format json and --out - both want standard output");
  }
  ASSIGN_OR_RETURN(LogEndpoint endpoint, Resolve(options.target, true));
  ASSIGN_OR_RETURN(std::unique_ptr<LogReader> reader, Open(endpoint));
  ASSIGN_OR_RETURN(FetchedHead fetched, OrExit(FetchHead(*reader, endpoint), LogExitCode));
  std::string origin = fetched.checkpoint ? fetched.checkpoint->origin : endpoint.origin;
  bool tiles = endpoint.api == LogApi::kStaticCtApi;
  if (options.format == "json") {
    PrintJson(FetchedHeadJson(LogJson(*reader, endpoint), fetched, tiles, origin),
              JsonStyle::kDocument);
  } else {
    std::fprintf(head_on_stdout ? stderr : stdout, "%s",
                 FetchedHeadText(reader->base_url(), fetched, tiles, origin).c_str());
  }
  if (!fetched.verified) {
    if (options.format == "text") PrintError("log sth: " + fetched.verified.error().message);
    return kExitFailed;
  }
  // A static log's head is saved as the checkpoint it served, an RFC 6962 head as get-sth JSON;
  // `log consistency --old-sth` reads both.
  if (!options.out.empty() && !WriteOutputFile(options.out, SavedHeadText(fetched))) {
    return Fail(kExitUsage, "--out " + options.out + ": cannot write");
  }
  return kExitOk;
}

// --- log entries ---

struct EntriesOptions {
  LogTargetFlags target;
  uint64_t start = 0;
  uint64_t end = 0;
  std::string format = "text";
};

void PrintEntry(const LogEntry& entry, const std::string& format) {
  // Logs hold certificates ctkit's strict parser refuses; they are still entries, so their
  // names are empty and the reason is given rather than the entry dropped.
  Result<CertificateView> cert = audit::EntryCertificate(entry);
  if (format == "json") {
    PrintJson(audit::EntryJson(entry, cert), JsonStyle::kLine);
  } else {
    std::printf("%s\n", audit::EntryLine(entry, cert).c_str());
  }
}

Outcome<int> RunEntries(const EntriesOptions& options) {
  if (options.start > options.end) return Fail(kExitUsage, "--start is after --end");
  // No key is needed to read entries (they are not proven here); one from --key or the list is
  // used to verify the checkpoint a static log's tile widths are chosen from.
  ASSIGN_OR_RETURN(LogEndpoint endpoint, Resolve(options.target, false));
  ASSIGN_OR_RETURN(std::unique_ptr<LogReader> reader, Open(endpoint));
  // Past the tree is bad usage (2), checked against the head first (logclient/entry_range_check.h).
  RETURN_IF_ERROR(OrExit(CheckEntryRange(*reader, endpoint, options.end), LogExitCode));
  // Batch by batch (the client aligns them and the log may answer short), printing as entries
  // arrive: memory stays bounded and what was read before a failure is not lost.
  for (uint64_t start = options.start;;) {
    ASSIGN_OR_RETURN(std::vector<LogEntry> entries,
                     OrExit(reader->GetEntriesBatch(start, options.end), LogExitCode));
    for (const LogEntry& entry : entries) PrintEntry(entry, options.format);
    uint64_t last = entries.back().index;  // <= options.end, and >= start
    if (last == options.end) return kExitOk;
    start = last + 1;
  }
}

// --- log consistency ---

struct ConsistencyOptions {
  LogTargetFlags target;
  std::string old_sth;
  std::string new_sth;
  std::string format = "text";
};

// A head file (logclient/tree_head_evidence.h ReadSavedHead). Unreadable or malformed is bad input
// (2), a checkpoint whose signature fails a failed verification (1).
Outcome<SignedTreeHead> ReadHeadFile(const std::string& flag, const std::string& path,
                                     const LogEndpoint& endpoint) {
  return OrExit(ReadSavedHead(flag, path, endpoint), [](const Error& error) {
    return error.code == ErrorCode::kVerificationFailed ? kExitFailed : kExitUsage;
  });
}

Outcome<int> RunConsistency(const ConsistencyOptions& options) {
  ASSIGN_OR_RETURN(LogEndpoint endpoint, Resolve(options.target, true));
  ASSIGN_OR_RETURN(SignedTreeHead old_head, ReadHeadFile("--old-sth", options.old_sth, endpoint));
  std::optional<SignedTreeHead> new_head;
  if (!options.new_sth.empty()) {
    ASSIGN_OR_RETURN(new_head, ReadHeadFile("--new-sth", options.new_sth, endpoint));
  }
  ASSIGN_OR_RETURN(std::unique_ptr<LogReader> reader, Open(endpoint));
  if (!new_head) {
    ASSIGN_OR_RETURN(new_head, OrExit(reader->GetSth(), LogExitCode));
  }
  // Checks both heads' signatures, then the proof (get-sth-consistency, or hash tiles).
  Result<void> consistent = reader->VerifyConsistencyBetween(old_head, *new_head);
  int code = consistent ? kExitOk : LogExitCode(consistent.error());
  if (options.format == "json" && code != kExitLogFailure) {
    json out = LogJson(*reader, endpoint);
    out["old"] = TreeHeadJson(old_head);
    out["new"] = TreeHeadJson(*new_head);
    out["consistent"] = consistent.has_value();
    if (!consistent) out["reason"] = consistent.error().message;
    PrintJson(out, JsonStyle::kDocument);
    return code;
  }
  if (!consistent) return Fail(code, consistent.error().message);
  std::printf("consistent: %s\n  extends    %s\n", TreeHeadSummary(*new_head).c_str(),
              TreeHeadSummary(old_head).c_str());
  return kExitOk;
}

// --- log inclusion ---

struct InclusionOptions {
  LogTargetFlags target;
  std::string cert_file;
  std::string issuer_file;
  std::string format = "text";
};

// The certificate and its issuer (audit/log_inclusion.h PromisedLeafOf), from --cert and
// --issuer.
Outcome<audit::PromisedLeaf> LeafFromFlags(const InclusionOptions& options, const LogKey& key,
                                           const std::vector<CertificateView>& certs) {
  std::span<const CertificateView> others(certs.begin() + 1, certs.end());
  Result<audit::PromisedLeaf> leaf =
      audit::PromisedLeafOf(certs.front(), others, key, "give it with --issuer");
  if (leaf) return *leaf;
  int code = leaf.error().code == ErrorCode::kNotFound ? kExitFailed : kExitUsage;
  return Fail(code, options.cert_file + ": " + leaf.error().message);
}

Outcome<int> RunInclusion(const InclusionOptions& options) {
  ASSIGN_OR_RETURN(
      std::vector<CertificateView> certs,
      OrExit(ReadCertificateFiles({options.cert_file, options.issuer_file}), kExitUsage));
  ASSIGN_OR_RETURN(LogEndpoint endpoint, Resolve(options.target, true));
  ASSIGN_OR_RETURN(audit::PromisedLeaf leaf, LeafFromFlags(options, *endpoint.key, certs));
  ASSIGN_OR_RETURN(std::unique_ptr<LogReader> reader, Open(endpoint));
  ASSIGN_OR_RETURN(SignedTreeHead sth, OrExit(reader->GetSth(), LogExitCode));
  Result<uint64_t> index = audit::ProveLeafInHead(*reader, leaf, sth);
  int code = index ? kExitOk : LogExitCode(index.error());
  if (options.format == "json" && code != kExitLogFailure) {
    PrintJson(audit::InclusionJson(LogJson(*reader, endpoint), options.cert_file, leaf, sth, index),
              JsonStyle::kDocument);
  } else if (!index) {
    return Fail(code, index.error().message);
  } else {
    std::printf(
        "%s",
        audit::InclusionText(reader->base_url(), options.cert_file, leaf, sth, *index).c_str());
  }
  // Included, but under an SCT whose signature fails: the log never promised this entry.
  if (index && !leaf.sct_signature_valid) {
    if (options.format == "text") PrintError("log inclusion: the SCT's signature does not verify");
    return kExitFailed;
  }
  return code;
}

// --- registration ---

void AddTargetFlags(CLI::App* command, LogTargetFlags& target) {
  command
      ->add_option("--log", target.log,
                   "The log: its URL (RFC 6962 URL, or a tiled log's monitoring URL), or its "
                   "description or base64 log ID in the log list")
      ->required();
  command->add_option("--key", target.key_file,
                      "The log's public key: PEM or DER SubjectPublicKeyInfo, or its private key "
                      "from `ctkit log keygen` (default: from the log list)");
  command->add_option("--log-list", target.log_list,
                      "Log list v3 (file or http(s) URL) to find --log and its key in; default "
                      "the compiled-in snapshot");
  command->add_flag("--static", target.force_static,
                    "Read the log over static-ct-api (checkpoint, tiles); automatic for logs "
                    "listed under tiled_logs");
  command->add_option("--origin", target.origin,
                      "static-ct-api checkpoint origin (default: from the log list's "
                      "submission_url, else the one the checkpoint names)");
}

// A client subcommand of `ctkit log` with the --log flags and --format; `body` runs it.
template <typename Options>
CLI::App* AddClientCommand(CLI::App* log_command, Action& run, const char* name,
                           const char* description, std::shared_ptr<Options> options,
                           Outcome<int> (*body)(const Options&)) {
  CLI::App* command = log_command->add_subcommand(name, description);
  AddTargetFlags(command, options->target);
  std::string label = std::string("log ") + name;
  RunOnParse(command, run, options,
             [label, body](const Options& parsed) { return Reported(body(parsed), label); });
  return command;
}

void AddSthCommand(CLI::App* log_command, Action& run) {
  auto sth = std::make_shared<SthOptions>();
  CLI::App* command = AddClientCommand(
      log_command, run, "sth",
      "Fetch a log's signed tree head (RFC 6962 get-sth, or a static-ct-api checkpoint) and "
      "verify its signature",
      sth, RunSth);
  command
      ->add_option("--out", sth->out,
                   "Also write the verified head to this file (replaced if it exists; - for "
                   "stdout), for `log consistency --old-sth`: get-sth JSON, or for a static log "
                   "the checkpoint")
      ->type_name("FILE");
  AddFormatFlag(command, sth->format);
  command->footer(
      "Exit 0 when the signature verifies, 1 when it does not or the head is malformed, 2 for "
      "bad usage, 3 when the log cannot be reached.");
}

void AddEntriesCommand(CLI::App* log_command, Action& run) {
  auto entries = std::make_shared<EntriesOptions>();
  CLI::App* command = AddClientCommand(
      log_command, run, "entries",
      "Print log entries START..END (END inclusive; RFC 6962 get-entries or data tiles)", entries,
      RunEntries);
  command->add_option("--start", entries->start, "First entry index")
      ->check(UnsignedInteger())
      ->required();
  command->add_option("--end", entries->end, "Last entry index (inclusive)")
      ->check(UnsignedInteger())
      ->required();
  AddFormatFlag(command, entries->format, JsonStyle::kLine);
  command->footer(
      "--format json prints JSON Lines, one entry a line: index, timestamp (ms), entry_type "
      "(x509|precert), leaf_hash (hex), names, issuer_key_hash (hex, precert only), leaf_input "
      "and extra_data (base64); certificate_error when the certificate does not parse. Entries "
      "are not proven against a tree head here; no key is needed (a static log's checkpoint, "
      "read for tile widths, is verified when one is known). Exit 0, 1 for a malformed "
      "response, 2 for bad usage (or an END at or past the log's tree size, checked against its "
      "head first), 3 when the log cannot be reached.");
}

void AddConsistencyCommand(CLI::App* log_command, Action& run) {
  auto consistency = std::make_shared<ConsistencyOptions>();
  CLI::App* command = AddClientCommand(
      log_command, run, "consistency",
      "Prove that a log's current (or a given newer) tree head extends an older one", consistency,
      RunConsistency);
  command
      ->add_option("--old-sth", consistency->old_sth,
                   "The older head: get-sth JSON or a static-ct-api checkpoint (e.g. from "
                   "`log sth --out`)")
      ->required();
  command->add_option("--new-sth", consistency->new_sth,
                      "The newer head (default: fetch and verify the current one)");
  AddFormatFlag(command, consistency->format);
  command->footer(
      "Static-ct-api logs: the proof is built from hash tiles. Exit 0 when consistent, 1 when "
      "not (or a signature fails), 2 for unreadable input, 3 when the log cannot be reached.");
}

void AddInclusionCommand(CLI::App* log_command, Action& run) {
  auto inclusion = std::make_shared<InclusionOptions>();
  CLI::App* command = AddClientCommand(
      log_command, run, "inclusion",
      "Prove that a certificate with an embedded SCT from the log is in the log's current tree",
      inclusion, RunInclusion);
  command
      ->add_option("--cert", inclusion->cert_file,
                   "The certificate (PEM or DER; may be followed by its chain; - for stdin)")
      ->required();
  command->add_option("--issuer", inclusion->issuer_file,
                      "The issuer certificate, if not in the --cert file");
  AddFormatFlag(command, inclusion->format);
  command->footer(
      "Finds the leaf from the certificate's embedded SCT from this log, fetches a fresh verified "
      "tree head and verifies the inclusion proof (static-ct-api: at the SCT's leaf_index, from "
      "hash tiles). Exit 0 when included, 1 when not (or no SCT "
      "from this log, or a bad signature or proof), 2 for unreadable input, 3 when the log "
      "cannot be reached.");
}

}  // namespace

void AddLogClientCommands(CLI::App* log_command, Action& run) {
  AddSthCommand(log_command, run);
  AddEntriesCommand(log_command, run);
  AddConsistencyCommand(log_command, run);
  AddInclusionCommand(log_command, run);
}

}  // namespace ctkit::cli
