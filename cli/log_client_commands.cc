// `ctkit log sth | entries | consistency | inclusion`: read and verify what an RFC 6962 log
// serves (ct/log_client.h). See cli/log_client_commands.h for the flags and exit codes.

#include "cli/log_client_commands.h"

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "cli/input.h"
#include "cli/log_list_source.h"
#include "ct/log_client.h"
#include "ct/rfc3339.h"
#include "ct/tls_codec.h"
#include "x509/certificate.h"
#include "x509/pem.h"
#include "x509/precert.h"

#ifndef CTKIT_VERSION
#define CTKIT_VERSION "unknown"
#endif

namespace ctkit::cli {
namespace {

using json = nlohmann::ordered_json;

// Which log, and where its key comes from.
struct LogTarget {
  std::string url;
  std::string key_file;
  std::string log_list;
};

// A failure that already knows its exit code.
struct Failure {
  int exit_code;
  std::string message;
};

// The exit code for an error from the log client: the log failed (3) or what it said did not
// hold (1); our own bad request is bad usage (2).
int ExitCodeFor(const Error& error) {
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

std::string WithSlash(std::string url) {
  if (!url.ends_with('/')) url += '/';
  return url;
}

Result<std::shared_ptr<const LogKey>> ReadKeyFile(const std::string& path) {
  Result<Bytes> data = ReadInputFile(path);
  if (!data) return std::unexpected(data.error());
  // A PEM "PUBLIC KEY" block, or the raw DER SubjectPublicKeyInfo of a log list's `key`.
  if (!data->empty() && (*data)[0] == 0x30) {
    Result<std::shared_ptr<const LogKey>> der = LogKey::FromSpkiDer(*data);
    if (der) return der;
  }
  Result<std::shared_ptr<const LogKey>> pem =
      LogKey::FromPem(std::string_view(reinterpret_cast<const char*>(data->data()), data->size()));
  if (!pem) return std::unexpected(WithContext(pem.error(), "--key " + path));
  return pem;
}

// The key for --log, from --key or from the log list (a file, a URL or the snapshot).
std::optional<Failure> ResolveKey(const LogTarget& target, std::shared_ptr<const LogKey>& key) {
  if (!target.key_file.empty()) {
    Result<std::shared_ptr<const LogKey>> loaded = ReadKeyFile(target.key_file);
    if (!loaded) return Failure{kExitUsage, loaded.error().message};
    key = *loaded;
    return std::nullopt;
  }
  Result<LogList> list = LoadLogList(target.log_list);
  if (!list) return Failure{LogListLoadExitCode(list.error()), list.error().message};
  std::string wanted = WithSlash(target.url);
  for (const LogInfo& log : list->logs()) {
    if (log.api != LogApi::kRfc6962 || WithSlash(log.url) != wanted) continue;
    Result<std::shared_ptr<const LogKey>> parsed = LogKey::FromSpkiDer(log.key_der);
    if (!parsed) {
      return Failure{kExitUsage,
                     "log list key of " + log.description + ": " + parsed.error().message};
    }
    key = *parsed;
    return std::nullopt;
  }
  return Failure{kExitUsage, "no RFC 6962 log with url " + wanted + " in the log list" +
                                 (target.log_list.empty() ? " (the compiled-in snapshot); "
                                                            "give --key or --log-list"
                                                          : "")};
}

Result<LogClient> MakeClient(const LogTarget& target, std::shared_ptr<const LogKey> key) {
  LogClientOptions options;
  options.user_agent = "ctkit/" CTKIT_VERSION;
  return LogClient::Create(target.url, std::move(key), options);
}

// A file given as --old-sth / --new-sth: a get-sth response (as `log sth --out` writes it, or
// `log sth --format json` prints it).
Result<SignedTreeHead> ReadSthFile(const std::string& flag, const std::string& path) {
  Result<Bytes> data = ReadInputFile(path);
  if (!data) return std::unexpected(WithContext(data.error(), flag));
  Result<SignedTreeHead> head =
      ParseSthJson(std::string_view(reinterpret_cast<const char*>(data->data()), data->size()));
  if (!head) return std::unexpected(WithContext(head.error(), flag + " " + path));
  return head;
}

json HeadJson(const SignedTreeHead& head) {
  TlsBuilder signature;
  AddDigitallySigned(signature, head.signature);
  Result<Bytes> encoded = std::move(signature).Finish();
  return {{"tree_size", head.tree_size},
          {"timestamp", head.timestamp_ms},
          {"sha256_root_hash", Base64Encode(head.root_hash)},
          {"tree_head_signature", encoded ? Base64Encode(*encoded) : std::string()}};
}

std::string HeadText(const SignedTreeHead& head) {
  return "size " + std::to_string(head.tree_size) + ", root " + Base64Encode(head.root_hash) +
         ", " + FormatRfc3339(static_cast<int64_t>(head.timestamp_ms));
}

std::vector<std::string> Names(const CertificateView& cert) {
  std::vector<std::string> names = cert.dns_names();
  names.insert(names.end(), cert.ip_addresses().begin(), cert.ip_addresses().end());
  if (names.empty()) names = cert.subject_common_names();
  return names;
}

std::string Join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : separator) + item;
  return out;
}

// --- log sth ---

struct SthOptions {
  LogTarget target;
  std::string out;
  std::string format = "text";
};

int RunSth(const SthOptions& options) {
  std::shared_ptr<const LogKey> key;
  if (std::optional<Failure> failed = ResolveKey(options.target, key)) {
    PrintError("log sth: " + failed->message);
    return failed->exit_code;
  }
  Result<LogClient> client = MakeClient(options.target, key);
  if (!client) {
    PrintError("log sth: " + client.error().message);
    return kExitUsage;
  }
  // Fetched unverified, then verified here, so a head with a bad signature can still be shown.
  Result<SignedTreeHead> head = client->GetUnverifiedSth();
  if (!head) {
    PrintError("log sth: " + head.error().message);
    return ExitCodeFor(head.error());
  }
  Result<void> verified = VerifySignedTreeHead(*head, *key);
  if (verified && head->tree_size == 0 && head->root_hash != EmptyTreeRoot()) {
    verified = MakeError(ErrorCode::kVerificationFailed,
                         "tree of size 0 with a root other than the empty tree's (RFC 6962 §2.1)");
  }
  if (options.format == "json") {
    json out = {{"log", client->base_url()}};
    out.update(HeadJson(*head));
    out["timestamp_rfc3339"] = FormatRfc3339(static_cast<int64_t>(head->timestamp_ms));
    out["verified"] = verified.has_value();
    if (!verified) out["error"] = verified.error().message;
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    std::printf("log:        %s\n", client->base_url().c_str());
    std::printf("tree size:  %llu\n", static_cast<unsigned long long>(head->tree_size));
    std::printf("timestamp:  %s (%llu)\n",
                FormatRfc3339(static_cast<int64_t>(head->timestamp_ms)).c_str(),
                static_cast<unsigned long long>(head->timestamp_ms));
    std::printf("root hash:  %s\n", Base64Encode(head->root_hash).c_str());
    std::printf("signature:  %s\n",
                verified ? "verified" : ("INVALID: " + verified.error().message).c_str());
  }
  if (!verified) {
    if (options.format == "text") PrintError("log sth: " + verified.error().message);
    return kExitFailed;
  }
  if (!options.out.empty()) {
    std::FILE* file = std::fopen(options.out.c_str(), "wb");
    std::string text = SthToJson(*head) + "\n";
    bool ok = file != nullptr && std::fwrite(text.data(), 1, text.size(), file) == text.size();
    if (file != nullptr) ok = std::fclose(file) == 0 && ok;
    if (!ok) {
      PrintError("log sth: --out " + options.out + ": cannot write");
      return kExitUsage;
    }
  }
  return kExitOk;
}

// --- log entries ---

struct EntriesOptions {
  std::string url;
  uint64_t start = 0;
  uint64_t end = 0;
  std::string format = "text";
};

// The certificate an entry logs: the leaf of an x509_entry, the precertificate of a
// precert_entry (its TBS alone cannot be parsed as a certificate; extra_data has the whole).
Result<CertificateView> EntryCertificate(const LogEntry& entry) {
  if (entry.entry.signed_entry.type == LogEntryType::kPrecert) {
    return CertificateView::Parse(entry.chain.pre_certificate);
  }
  Result<DecodedSignedEntry> decoded = DecodeSignedEntry(entry.entry.signed_entry);
  if (!decoded) return std::unexpected(decoded.error());
  return CertificateView::Parse(decoded->certificate);
}

void PrintEntry(const LogEntry& entry, const std::string& format) {
  bool precert = entry.entry.signed_entry.type == LogEntryType::kPrecert;
  // Logs hold certificates ctkit's strict parser refuses; they are still entries, so their
  // names are empty and the reason is given rather than the entry dropped.
  Result<CertificateView> cert = EntryCertificate(entry);
  std::vector<std::string> names = cert ? Names(*cert) : std::vector<std::string>();
  if (format == "json") {
    json line;
    line["index"] = entry.index;
    line["timestamp"] = entry.entry.timestamp_ms;
    line["entry_type"] = precert ? "precert" : "x509";
    line["leaf_hash"] = HexEncode(entry.leaf_hash);
    line["names"] = names;
    if (precert) {
      Result<DecodedSignedEntry> decoded = DecodeSignedEntry(entry.entry.signed_entry);
      if (decoded) line["issuer_key_hash"] = HexEncode(decoded->issuer_key_hash);
    }
    line["leaf_input"] = Base64Encode(entry.leaf_input);
    line["extra_data"] = Base64Encode(entry.extra_data);
    if (!cert) line["certificate_error"] = cert.error().message;
    std::printf("%s\n", line.dump().c_str());
  } else {
    std::printf(
        "%llu %s %-7s %s %s\n", static_cast<unsigned long long>(entry.index),
        FormatRfc3339(static_cast<int64_t>(entry.entry.timestamp_ms)).c_str(),
        precert ? "precert" : "x509", HexEncode(entry.leaf_hash).c_str(),
        cert ? Join(names, ",").c_str() : ("(unparsed: " + cert.error().message + ")").c_str());
  }
}

int RunEntries(const EntriesOptions& options) {
  if (options.start > options.end) {
    PrintError("log entries: --start is after --end");
    return kExitUsage;
  }
  Result<LogClient> client = MakeClient({.url = options.url}, nullptr);
  if (!client) {
    PrintError("log entries: " + client.error().message);
    return kExitUsage;
  }
  // Batch by batch (the client aligns them and the log may answer short), printing as entries
  // arrive: memory stays bounded and what was read before a failure is not lost.
  for (uint64_t start = options.start;;) {
    Result<std::vector<LogEntry>> entries = client->GetEntriesBatch(start, options.end);
    if (!entries) {
      std::fflush(stdout);
      PrintError("log entries: " + entries.error().message);
      return ExitCodeFor(entries.error());
    }
    for (const LogEntry& entry : *entries) PrintEntry(entry, options.format);
    uint64_t last = entries->back().index;  // <= options.end, and >= start
    if (last == options.end) break;
    start = last + 1;
  }
  return kExitOk;
}

// --- log consistency ---

struct ConsistencyOptions {
  LogTarget target;
  std::string old_sth;
  std::string new_sth;
  std::string format = "text";
};

int RunConsistency(const ConsistencyOptions& options) {
  Result<SignedTreeHead> old_head = ReadSthFile("--old-sth", options.old_sth);
  if (!old_head) {
    PrintError("log consistency: " + old_head.error().message);
    return kExitUsage;
  }
  std::optional<SignedTreeHead> new_head;
  if (!options.new_sth.empty()) {
    Result<SignedTreeHead> head = ReadSthFile("--new-sth", options.new_sth);
    if (!head) {
      PrintError("log consistency: " + head.error().message);
      return kExitUsage;
    }
    new_head = *head;
  }
  std::shared_ptr<const LogKey> key;
  if (std::optional<Failure> failed = ResolveKey(options.target, key)) {
    PrintError("log consistency: " + failed->message);
    return failed->exit_code;
  }
  Result<LogClient> client = MakeClient(options.target, key);
  if (!client) {
    PrintError("log consistency: " + client.error().message);
    return kExitUsage;
  }
  if (!new_head) {
    Result<SignedTreeHead> head = client->GetSth();
    if (!head) {
      PrintError("log consistency: " + head.error().message);
      return ExitCodeFor(head.error());
    }
    new_head = *head;
  }
  // Checks both heads' signatures, then the proof (ct/log_client.h).
  Result<void> consistent = client->VerifyConsistencyBetween(*old_head, *new_head);
  bool log_failed = !consistent && ExitCodeFor(consistent.error()) == kExitLogFailure;
  if (options.format == "json" && !log_failed) {
    json out = {{"log", client->base_url()},
                {"old", HeadJson(*old_head)},
                {"new", HeadJson(*new_head)},
                {"consistent", consistent.has_value()}};
    if (!consistent) out["error"] = consistent.error().message;
    std::printf("%s\n", out.dump(2).c_str());
  } else if (consistent) {
    std::printf("consistent: %s\n  extends    %s\n", HeadText(*new_head).c_str(),
                HeadText(*old_head).c_str());
  }
  if (!consistent) {
    if (options.format == "text" || log_failed) {
      PrintError("log consistency: " + consistent.error().message);
    }
    return ExitCodeFor(consistent.error());
  }
  return kExitOk;
}

// --- log inclusion ---

struct InclusionOptions {
  LogTarget target;
  std::string cert_file;
  std::string issuer_file;
  std::string format = "text";
};

struct CertificateLeaf {
  SignedCertificateTimestamp sct;
  MerkleHash leaf_hash{};
  bool sct_signature_valid = false;
};

// The leaf a log added for `leaf` (a final certificate with embedded SCTs): the precert_entry
// rebuilt from it and its issuer (RFC 6962 §3.2-3.3) with the timestamp and extensions of the
// log's SCT. Failure exit codes: 2 for input that cannot be used, 1 when there is no SCT from
// this log.
Result<CertificateLeaf> FindLeaf(const CertificateView& leaf,
                                 const std::vector<CertificateView>& others, const LogKey& key,
                                 int& exit_code) {
  exit_code = kExitUsage;
  Result<ByteSpan> list = leaf.EmbeddedSctList();
  if (!list) {
    if (list.error().code == ErrorCode::kNotFound) exit_code = kExitFailed;
    return std::unexpected(WithContext(
        list.error(), leaf.IsPrecertificate()
                          ? "a precertificate carries no SCTs; give the final certificate"
                          : "embedded SCT list"));
  }
  Result<std::vector<Bytes>> serialized = ParseSctList(*list);
  if (!serialized) return std::unexpected(WithContext(serialized.error(), "embedded SCT list"));
  std::vector<SignedCertificateTimestamp> ours;
  for (const Bytes& item : *serialized) {
    Result<SignedCertificateTimestamp> sct = ParseSct(item);
    if (sct && sct->log_id == key.log_id()) ours.push_back(*sct);
  }
  if (ours.empty()) {
    exit_code = kExitFailed;
    return MakeError(ErrorCode::kNotFound,
                     "the certificate has no embedded SCT from this log (log id " +
                         Base64Encode(key.log_id()) + ")");
  }
  // The issuer by name, wherever it is among the other certificates (chains come out of order).
  const CertificateView* issuer = nullptr;
  for (const CertificateView& candidate : others) {
    if (std::ranges::equal(candidate.subject_der(), leaf.issuer_der())) {
      issuer = &candidate;
      break;
    }
  }
  if (issuer == nullptr) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the issuer certificate (" + leaf.issuer() +
                         ") is needed to rebuild the logged entry; give it with --issuer");
  }
  Result<PrecertEntry> precert = BuildPrecertEntry(leaf, std::span(issuer, 1));
  if (!precert) return std::unexpected(WithContext(precert.error(), "precertificate entry"));
  Result<SignedEntry> signed_entry =
      PrecertSignedEntry(precert->issuer_key_hash, precert->tbs_certificate);
  if (!signed_entry) return std::unexpected(signed_entry.error());
  std::optional<CertificateLeaf> found;
  for (const SignedCertificateTimestamp& sct : ours) {
    CertificateLeaf candidate{.sct = sct, .leaf_hash = {}, .sct_signature_valid = false};
    Result<MerkleHash> hash = LeafHashOf(EntryForSct(sct, *signed_entry));
    if (!hash) return std::unexpected(hash.error());
    candidate.leaf_hash = *hash;
    Result<Bytes> input = BuildSctSignatureInput(sct, *signed_entry);
    candidate.sct_signature_valid = input && key.Verify(*input, sct.signature).has_value();
    // Prefer an SCT whose signature holds: only that one promises this very entry.
    if (!found || (!found->sct_signature_valid && candidate.sct_signature_valid)) {
      found = candidate;
    }
  }
  return *found;
}

int RunInclusion(const InclusionOptions& options) {
  std::vector<CertificateView> certs;
  for (const std::string* file : {&options.cert_file, &options.issuer_file}) {
    if (file->empty()) continue;
    Result<Bytes> data = ReadInputFile(*file);
    Result<std::vector<CertificateView>> parsed =
        data ? ParseCertificateInput(*data)
             : Result<std::vector<CertificateView>>(std::unexpected(data.error()));
    if (!parsed) {
      PrintError("log inclusion: " + WithContext(parsed.error(), *file).message);
      return kExitUsage;
    }
    certs.insert(certs.end(), parsed->begin(), parsed->end());
  }
  std::vector<CertificateView> others(certs.begin() + 1, certs.end());
  std::shared_ptr<const LogKey> key;
  if (std::optional<Failure> failed = ResolveKey(options.target, key)) {
    PrintError("log inclusion: " + failed->message);
    return failed->exit_code;
  }
  int exit_code = kExitUsage;
  Result<CertificateLeaf> leaf = FindLeaf(certs.front(), others, *key, exit_code);
  if (!leaf) {
    PrintError("log inclusion: " + options.cert_file + ": " + leaf.error().message);
    return exit_code;
  }
  Result<LogClient> client = MakeClient(options.target, key);
  if (!client) {
    PrintError("log inclusion: " + client.error().message);
    return kExitUsage;
  }
  Result<SignedTreeHead> sth = client->GetSth();
  if (!sth) {
    PrintError("log inclusion: " + sth.error().message);
    return ExitCodeFor(sth.error());
  }
  Result<uint64_t> index = client->ProveInclusion(leaf->leaf_hash, *sth);
  int code = index ? kExitOk : ExitCodeFor(index.error());
  std::string reason;
  if (!index) {
    reason = index.error().message;
    if (index.error().code == ErrorCode::kNotFound) {
      // RFC 6962 §3: a log incorporates an entry within its maximum merge delay of the SCT.
      code = kExitFailed;
      reason = "the log's tree of size " + std::to_string(sth->tree_size) +
               " does not contain the certificate's leaf";
      if (leaf->sct.timestamp_ms > sth->timestamp_ms) {
        reason += " (the SCT is newer than the tree head: within the log's merge delay)";
      }
    }
  }
  if (options.format == "json" && code != kExitLogFailure) {
    json out = {{"log", client->base_url()},
                {"certificate", options.cert_file},
                {"leaf_hash", HexEncode(leaf->leaf_hash)},
                {"sct_timestamp", leaf->sct.timestamp_ms},
                {"sct_signature", leaf->sct_signature_valid ? "valid" : "invalid"},
                {"tree_size", sth->tree_size},
                {"sha256_root_hash", Base64Encode(sth->root_hash)},
                {"included", index.has_value()}};
    if (index) out["leaf_index"] = *index;
    if (!index) out["error"] = reason;
    std::printf("%s\n", out.dump(2).c_str());
  } else if (index) {
    std::printf("%s: included in %s\n", options.cert_file.c_str(), client->base_url().c_str());
    std::printf("  leaf index: %llu\n", static_cast<unsigned long long>(*index));
    std::printf("  leaf hash:  %s\n", HexEncode(leaf->leaf_hash).c_str());
    std::printf("  SCT:        %s, signature %s\n",
                FormatRfc3339(static_cast<int64_t>(leaf->sct.timestamp_ms)).c_str(),
                leaf->sct_signature_valid ? "valid" : "INVALID");
    std::printf("  tree head:  %s (signature verified)\n", HeadText(*sth).c_str());
  }
  if (!index && (options.format == "text" || code == kExitLogFailure)) {
    PrintError("log inclusion: " + reason);
  }
  // Included, but under an SCT whose signature fails: the log never promised this entry.
  if (index && !leaf->sct_signature_valid) {
    if (options.format == "text") PrintError("log inclusion: the SCT's signature does not verify");
    return kExitFailed;
  }
  return code;
}

// --- registration ---

void AddTargetFlags(CLI::App* command, LogTarget& target, bool with_key) {
  command->add_option("--log", target.url, "The log's URL, as in the log list (https://.../)")
      ->required();
  if (!with_key) return;
  CLI::Option* key = command->add_option("--key", target.key_file,
                                         "The log's public key: PEM or DER SubjectPublicKeyInfo");
  CLI::Option* list = command->add_option(
      "--log-list", target.log_list,
      "Take the key from this log list v3 (file or http(s) URL) by --log; without --key or "
      "--log-list, the compiled-in snapshot");
  key->excludes(list);
}

}  // namespace

void AddLogClientCommands(CLI::App* log_command, Action& run) {
  auto sth = std::make_shared<SthOptions>();
  CLI::App* sth_command = log_command->add_subcommand(
      "sth", "Fetch a log's signed tree head (RFC 6962 get-sth) and verify its signature");
  AddTargetFlags(sth_command, sth->target, true);
  sth_command->add_option("--out", sth->out,
                          "Also write the verified head, as get-sth JSON, to this file (for "
                          "`log consistency --old-sth`)");
  AddFormatFlag(sth_command, sth->format);
  sth_command->footer(
      "Exit 0 when the signature verifies, 1 when it does not or the head is malformed, 2 for "
      "bad usage, 3 when the log cannot be reached.");
  sth_command->callback([sth, &run] { run = [sth] { return RunSth(*sth); }; });

  auto entries = std::make_shared<EntriesOptions>();
  CLI::App* entries_command = log_command->add_subcommand(
      "entries", "Print log entries START..END (RFC 6962 get-entries, END inclusive)");
  entries_command->add_option("--log", entries->url, "The log's URL (https://.../)")->required();
  entries_command->add_option("--start", entries->start, "First entry index")
      ->check(UnsignedInteger())
      ->required();
  entries_command->add_option("--end", entries->end, "Last entry index (inclusive)")
      ->check(UnsignedInteger())
      ->required();
  AddFormatFlag(entries_command, entries->format);
  entries_command->footer(
      "--format json prints JSON Lines, one entry a line: index, timestamp (ms), entry_type "
      "(x509|precert), leaf_hash (hex), names, issuer_key_hash (hex, precert only), leaf_input "
      "and extra_data (base64); certificate_error when the certificate does not parse. Entries "
      "are not proven against a tree head here. Exit 0, 1 for a malformed response, 3 when the "
      "log cannot be reached.");
  entries_command->callback([entries, &run] { run = [entries] { return RunEntries(*entries); }; });

  auto consistency = std::make_shared<ConsistencyOptions>();
  CLI::App* consistency_command = log_command->add_subcommand(
      "consistency",
      "Prove that a log's current (or a given newer) tree head extends an older one");
  AddTargetFlags(consistency_command, consistency->target, true);
  consistency_command
      ->add_option("--old-sth", consistency->old_sth,
                   "The older head: get-sth JSON (e.g. from `log sth --out`)")
      ->required();
  consistency_command->add_option("--new-sth", consistency->new_sth,
                                  "The newer head (default: fetch and verify the current one)");
  AddFormatFlag(consistency_command, consistency->format);
  consistency_command->footer(
      "Exit 0 when consistent, 1 when not (or a signature fails), 2 for unreadable input, 3 "
      "when the log cannot be reached.");
  consistency_command->callback(
      [consistency, &run] { run = [consistency] { return RunConsistency(*consistency); }; });

  auto inclusion = std::make_shared<InclusionOptions>();
  CLI::App* inclusion_command = log_command->add_subcommand(
      "inclusion",
      "Prove that a certificate with an embedded SCT from the log is in the log's current tree");
  AddTargetFlags(inclusion_command, inclusion->target, true);
  inclusion_command
      ->add_option("--cert", inclusion->cert_file,
                   "The certificate (PEM or DER; may be followed by its chain; - for stdin)")
      ->required();
  inclusion_command->add_option("--issuer", inclusion->issuer_file,
                                "The issuer certificate, if not in the --cert file");
  AddFormatFlag(inclusion_command, inclusion->format);
  inclusion_command->footer(
      "Finds the leaf from the certificate's embedded SCT from this log, fetches a fresh verified "
      "tree head and verifies the inclusion proof. Exit 0 when included, 1 when not (or no SCT "
      "from this log, or a bad signature or proof), 2 for unreadable input, 3 when the log "
      "cannot be reached.");
  inclusion_command->callback(
      [inclusion, &run] { run = [inclusion] { return RunInclusion(*inclusion); }; });
}

}  // namespace ctkit::cli
