// `ctkit log sth | entries | consistency | inclusion`: read and verify what a log serves, over
// RFC 6962 (ct/log_client.h) or static-ct-api (ct/static_log_client.h). See
// cli/log_client_commands.h for the flags and exit codes.

#include "cli/log_client_commands.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "audit/sct_entry.h"
#include "base/terminal_text.h"
#include "cli/input.h"
#include "cli/log_list_source.h"
#include "ct/checkpoint.h"
#include "ct/log_client.h"
#include "ct/rfc3339.h"
#include "ct/sct.h"
#include "ct/static_log_client.h"
#include "ct/tls_codec.h"
#include "x509/certificate.h"
#include "x509/pem.h"

#ifndef CTKIT_VERSION
#define CTKIT_VERSION "unknown"
#endif

namespace ctkit::cli {
namespace {

using json = nlohmann::ordered_json;

// Which log (--log: a URL, or a log's description or base64 log ID in the log list), which API,
// and where its key comes from.
struct LogTarget {
  std::string log;
  std::string key_file;
  std::string log_list;
  std::string origin;         // --origin: the static-ct-api checkpoint origin
  bool force_static = false;  // --static
};

// The log as resolved from the flags and the log list.
struct ResolvedLog {
  std::string url;  // RFC 6962 base URL, or the static-ct-api monitoring prefix
  bool is_static = false;
  std::shared_ptr<const LogKey> key;  // null only where no key is needed (log entries)
  std::string origin;                 // static only; empty: the checkpoint's own
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

// Resolves --log to a URL, an API and a key: --key wins over the log list's key; a log listed
// under tiled_logs is read over static-ct-api, as is any log with --static.
std::optional<Failure> ResolveLog(const LogTarget& target, bool need_key, ResolvedLog& out) {
  Result<LogList> list = LoadLogList(target.log_list);
  if (!list) return Failure{LogListLoadExitCode(list.error()), list.error().message};
  const std::vector<const LogInfo*> named = list->FindByName(target.log);
  if (named.size() > 1) {
    return Failure{kExitUsage, "--log " + target.log + " names more than one log in the log list (" +
                                   named[0]->description + ", " + named[1]->description +
                                   "); give its URL or log ID"};
  }
  const LogInfo* found = named.empty() ? nullptr : named[0];
  const std::string list_name = target.log_list.empty()
                                    ? "the log list (the compiled-in snapshot; give --log-list)"
                                    : "the log list";
  bool is_url = target.log.find("://") != std::string::npos;
  if (found == nullptr && !is_url) {
    return Failure{kExitUsage, "--log " + target.log +
                                   ": no log with that description or log ID in " + list_name};
  }
  out = ResolvedLog{};
  if (found != nullptr) {
    out.is_static = found->api == LogApi::kStaticCtApi || target.force_static;
    out.url = found->api == LogApi::kStaticCtApi ? found->monitoring_url : found->url;
    // static-ct-api "Checkpoints": the origin is the submission prefix without the scheme.
    if (found->api == LogApi::kStaticCtApi)
      out.origin = OriginFromSubmissionUrl(found->submission_url);
  } else {
    out.is_static = target.force_static;
    out.url = target.log;
  }
  if (!target.origin.empty()) out.origin = target.origin;
  if (!target.key_file.empty()) {
    Result<std::shared_ptr<const LogKey>> loaded = ReadKeyFile(target.key_file);
    if (!loaded) return Failure{kExitUsage, loaded.error().message};
    out.key = *loaded;
  } else if (found != nullptr) {
    Result<std::shared_ptr<const LogKey>> parsed = LogKey::FromSpkiDer(found->key_der);
    if (!parsed) {
      return Failure{kExitUsage,
                     "log list key of " + found->description + ": " + parsed.error().message};
    }
    out.key = *parsed;
  } else if (need_key) {
    return Failure{kExitUsage, "no log with url " + WithSlash(target.log) + " in " + list_name +
                                   (target.log_list.empty() ? "; or give --key" : "")};
  }
  return std::nullopt;
}

// One client of the right API behind the LogReader interface.
struct Reader {
  std::optional<LogClient> rfc6962;
  std::optional<StaticLogClient> tiles;

  LogReader& get() {
    if (rfc6962) return *rfc6962;
    return *tiles;
  }
  const char* api() const { return tiles ? "static-ct-api" : "rfc6962"; }
};

std::optional<Failure> MakeReader(const ResolvedLog& log, Reader& reader) {
  LogClientOptions http;
  http.user_agent = "ctkit/" CTKIT_VERSION;
  if (log.is_static) {
    Result<StaticLogClient> client =
        StaticLogClient::Create(log.url, log.key, {.http = http, .origin = log.origin});
    if (!client) return Failure{kExitUsage, client.error().message};
    reader.tiles.emplace(std::move(*client));
  } else {
    Result<LogClient> client = LogClient::Create(log.url, log.key, http);
    if (!client) return Failure{kExitUsage, client.error().message};
    reader.rfc6962.emplace(std::move(*client));
  }
  return std::nullopt;
}

std::string_view AsText(const Bytes& bytes) {
  return std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

// The origin line of a note, if it parses as a checkpoint.
std::optional<Checkpoint> CheckpointOf(std::string_view note) {
  Result<SignedNote> parsed = ParseSignedNote(note);
  if (!parsed) return std::nullopt;
  Result<Checkpoint> checkpoint = ParseCheckpointText(parsed->text);
  if (!checkpoint) return std::nullopt;
  return *checkpoint;
}

// A static-ct-api checkpoint verified under the log's key and origin (the expected one, else
// the one it names).
Result<SignedTreeHead> VerifyCheckpointNote(std::string_view note, const ResolvedLog& log) {
  std::string origin = log.origin;
  if (origin.empty()) {
    std::optional<Checkpoint> checkpoint = CheckpointOf(note);
    if (checkpoint) origin = checkpoint->origin;
  }
  return VerifyCheckpoint(note, origin, *log.key);
}

// A file given as --old-sth / --new-sth: a get-sth response (as `log sth --out` writes it for
// an RFC 6962 log, or `log sth --format json` prints it), or a static-ct-api checkpoint (as
// `log sth --out` writes it for a static log), verified here under the log's key.
Result<SignedTreeHead> ReadHeadFile(const std::string& flag, const std::string& path,
                                    const ResolvedLog& log) {
  Result<Bytes> data = ReadInputFile(path);
  if (!data) return std::unexpected(WithContext(data.error(), flag));
  std::string_view text = AsText(*data);
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '{') {
    Result<SignedTreeHead> head = ParseSthJson(text);
    if (!head) return std::unexpected(WithContext(head.error(), flag + " " + path));
    return head;
  }
  Result<SignedTreeHead> head = VerifyCheckpointNote(text, log);
  if (!head) return std::unexpected(WithContext(head.error(), flag + " " + path + " (checkpoint)"));
  return head;
}

// Exit code for a head file that could not be used: unreadable or malformed is bad input (2),
// a checkpoint whose signature fails is a failed verification (1).
int HeadFileExitCode(const Error& error) {
  return error.code == ErrorCode::kVerificationFailed ? kExitFailed : kExitUsage;
}

// The get-sth JSON of `head` (ct/signed_tree_head.h SthToJson), as a value.
json HeadJson(const SignedTreeHead& head) { return json::parse(SthToJson(head)); }

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

bool WriteFile(const std::string& path, const std::string& text) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  bool ok = file != nullptr && std::fwrite(text.data(), 1, text.size(), file) == text.size();
  if (file != nullptr) ok = std::fclose(file) == 0 && ok;
  return ok;
}

// What `log sth` fetched: the head (parsed, maybe not verified) and for a static log the
// checkpoint as served.
struct FetchedHead {
  std::optional<SignedTreeHead> head;  // absent when a checkpoint's signature cannot be read
  std::optional<Checkpoint> checkpoint;
  std::string note;
  Result<void> verified;
};

Result<FetchedHead> FetchHead(Reader& reader, const ResolvedLog& log) {
  FetchedHead fetched;
  if (reader.rfc6962) {
    // Fetched unverified, then verified here, so a head with a bad signature can still be shown.
    Result<SignedTreeHead> head = reader.rfc6962->GetUnverifiedSth();
    if (!head) return std::unexpected(head.error());
    fetched.head = *head;
    fetched.verified = VerifySignedTreeHead(*head, *log.key);
    return fetched;
  }
  Result<std::string> note = reader.tiles->GetCheckpointNote();
  if (!note) return std::unexpected(note.error());
  fetched.note = std::move(*note);
  fetched.checkpoint = CheckpointOf(fetched.note);
  Result<SignedTreeHead> head = VerifyCheckpointNote(fetched.note, log);
  if (head) {
    fetched.head = *head;
    fetched.verified = {};
  } else {
    fetched.verified =
        std::unexpected(WithContext(head.error(), "log " + reader.get().base_url() + "checkpoint"));
  }
  return fetched;
}

int RunSth(const SthOptions& options) {
  ResolvedLog log;
  if (std::optional<Failure> failed = ResolveLog(options.target, true, log)) {
    PrintError("log sth: " + failed->message);
    return failed->exit_code;
  }
  Reader reader;
  if (std::optional<Failure> failed = MakeReader(log, reader)) {
    PrintError("log sth: " + failed->message);
    return failed->exit_code;
  }
  Result<FetchedHead> fetched = FetchHead(reader, log);
  if (!fetched) {
    PrintError("log sth: " + fetched.error().message);
    return ExitCodeFor(fetched.error());
  }
  const Result<void>& verified = fetched->verified;
  const std::string& url = reader.get().base_url();
  std::string origin = fetched->checkpoint ? fetched->checkpoint->origin : log.origin;
  if (options.format == "json") {
    json out = {{"log", url}, {"api", reader.api()}};
    if (fetched->head) {
      out.update(HeadJson(*fetched->head));
      out["timestamp_rfc3339"] = FormatRfc3339(static_cast<int64_t>(fetched->head->timestamp_ms));
    } else if (fetched->checkpoint) {
      out["tree_size"] = fetched->checkpoint->tree_size;
      out["sha256_root_hash"] = Base64Encode(fetched->checkpoint->root_hash);
    }
    if (reader.tiles) {
      out["origin"] = origin;
      out["checkpoint"] = fetched->note;
    }
    out["verified"] = verified.has_value();
    if (!verified) out["error"] = verified.error().message;
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    std::printf("log:        %s\n", TerminalSafe(url).c_str());
    if (reader.tiles) {
      std::printf("api:        static-ct-api (origin %s)\n", TerminalSafe(origin).c_str());
    }
    if (fetched->head) {
      const SignedTreeHead& head = *fetched->head;
      std::printf("tree size:  %llu\n", static_cast<unsigned long long>(head.tree_size));
      std::printf("timestamp:  %s (%llu)\n",
                  FormatRfc3339(static_cast<int64_t>(head.timestamp_ms)).c_str(),
                  static_cast<unsigned long long>(head.timestamp_ms));
      std::printf("root hash:  %s\n", Base64Encode(head.root_hash).c_str());
    } else if (fetched->checkpoint) {
      std::printf("tree size:  %llu\n",
                  static_cast<unsigned long long>(fetched->checkpoint->tree_size));
      std::printf("root hash:  %s\n", Base64Encode(fetched->checkpoint->root_hash).c_str());
    }
    std::string signature = verified ? "verified" : "INVALID: " + verified.error().message;
    std::printf("signature:  %s\n", TerminalSafe(signature).c_str());
  }
  if (!verified) {
    if (options.format == "text") PrintError("log sth: " + verified.error().message);
    return kExitFailed;
  }
  if (!options.out.empty()) {
    // A static log's head is saved as the checkpoint it served (its own evidence format); an
    // RFC 6962 head as get-sth JSON. `log consistency --old-sth` reads both.
    std::string text = reader.tiles ? fetched->note : SthToJson(*fetched->head) + "\n";
    if (!WriteFile(options.out, text)) {
      PrintError("log sth: --out " + options.out + ": cannot write");
      return kExitUsage;
    }
  }
  return kExitOk;
}

// --- log entries ---

struct EntriesOptions {
  LogTarget target;
  uint64_t start = 0;
  uint64_t end = 0;
  std::string format = "text";
};

// The certificate an entry logs: the leaf of an x509_entry, the precertificate of a
// precert_entry (its TBS alone cannot be parsed as a certificate; extra_data has the whole).
Result<CertificateView> EntryCertificate(const LogEntry& entry) {
  if (entry.entry.signed_entry.type == LogEntryType::kPrecert) {
    return CertificateView::Parse(entry.pre_certificate());
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
    // Names are whatever the certificate's issuer wrote: one inert line (base/terminal_text.h).
    std::string shown =
        TerminalSafe(cert ? Join(names, ",") : "(unparsed: " + cert.error().message + ")");
    std::printf("%llu %s %-7s %s %s\n", static_cast<unsigned long long>(entry.index),
                FormatRfc3339(static_cast<int64_t>(entry.entry.timestamp_ms)).c_str(),
                precert ? "precert" : "x509", HexEncode(entry.leaf_hash).c_str(), shown.c_str());
  }
}

int RunEntries(const EntriesOptions& options) {
  if (options.start > options.end) {
    PrintError("log entries: --start is after --end");
    return kExitUsage;
  }
  // No key is needed to read entries (they are not proven here); one from --key or the list is
  // used to verify the checkpoint a static log's tile widths are chosen from.
  ResolvedLog log;
  if (std::optional<Failure> failed = ResolveLog(options.target, false, log)) {
    PrintError("log entries: " + failed->message);
    return failed->exit_code;
  }
  Reader reader;
  if (std::optional<Failure> failed = MakeReader(log, reader)) {
    PrintError("log entries: " + failed->message);
    return failed->exit_code;
  }
  // Batch by batch (the client aligns them and the log may answer short), printing as entries
  // arrive: memory stays bounded and what was read before a failure is not lost.
  for (uint64_t start = options.start;;) {
    Result<std::vector<LogEntry>> entries = reader.get().GetEntriesBatch(start, options.end);
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
  ResolvedLog log;
  if (std::optional<Failure> failed = ResolveLog(options.target, true, log)) {
    PrintError("log consistency: " + failed->message);
    return failed->exit_code;
  }
  Result<SignedTreeHead> old_head = ReadHeadFile("--old-sth", options.old_sth, log);
  if (!old_head) {
    PrintError("log consistency: " + old_head.error().message);
    return HeadFileExitCode(old_head.error());
  }
  std::optional<SignedTreeHead> new_head;
  if (!options.new_sth.empty()) {
    Result<SignedTreeHead> head = ReadHeadFile("--new-sth", options.new_sth, log);
    if (!head) {
      PrintError("log consistency: " + head.error().message);
      return HeadFileExitCode(head.error());
    }
    new_head = *head;
  }
  Reader reader;
  if (std::optional<Failure> failed = MakeReader(log, reader)) {
    PrintError("log consistency: " + failed->message);
    return failed->exit_code;
  }
  if (!new_head) {
    Result<SignedTreeHead> head = reader.get().GetSth();
    if (!head) {
      PrintError("log consistency: " + head.error().message);
      return ExitCodeFor(head.error());
    }
    new_head = *head;
  }
  // Checks both heads' signatures, then the proof (get-sth-consistency, or hash tiles).
  Result<void> consistent = reader.get().VerifyConsistencyBetween(*old_head, *new_head);
  bool log_failed = !consistent && ExitCodeFor(consistent.error()) == kExitLogFailure;
  if (options.format == "json" && !log_failed) {
    json out = {{"log", reader.get().base_url()},
                {"api", reader.api()},
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
  // The entry the SCTs signed, rebuilt where every caller rebuilds it (audit/sct_entry.h: the
  // issuer by name and key among the others, in any order, through a Precertificate Signing
  // Certificate when there is one).
  Result<SignedEntry> signed_entry =
      audit::SignedEntryForSct(leaf, others, SctDelivery::kEmbedded);
  if (!signed_entry && signed_entry.error().code == ErrorCode::kNotFound) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "the issuer certificate (" + leaf.issuer() +
                         ") is needed to rebuild the logged entry; give it with --issuer");
  }
  if (!signed_entry) {
    return std::unexpected(WithContext(signed_entry.error(), "precertificate entry"));
  }
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

// Proves the leaf is in the tree of `sth`; returns its index. An RFC 6962 log finds the leaf by
// hash (get-proof-by-hash). A static-ct-api log has no such lookup: the SCT's leaf_index
// extension (static-ct-api "SCT Extension") says where it is, and the proof comes from tiles.
// kNotFound when the tree does not (yet) hold the leaf.
Result<uint64_t> ProveLeaf(Reader& reader, const CertificateLeaf& leaf, const SignedTreeHead& sth) {
  if (reader.rfc6962) return reader.rfc6962->ProveInclusion(leaf.leaf_hash, sth);
  Result<SctExtensions> extensions = ParseSctExtensions(leaf.sct.extensions);
  if (!extensions || !extensions->leaf_index) {
    return MakeError(ErrorCode::kVerificationFailed,
                     "the log's SCT carries no leaf_index extension, which every SCT of a "
                     "static-ct-api log must (static-ct-api \"SCT Extension\")");
  }
  uint64_t index = *extensions->leaf_index;
  if (index >= sth.tree_size) return MakeError(ErrorCode::kNotFound, "not in the tree yet");
  Result<void> proven = reader.tiles->ProveInclusionAt(leaf.leaf_hash, index, sth);
  if (!proven) return std::unexpected(proven.error());
  return index;
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
  ResolvedLog log;
  if (std::optional<Failure> failed = ResolveLog(options.target, true, log)) {
    PrintError("log inclusion: " + failed->message);
    return failed->exit_code;
  }
  int exit_code = kExitUsage;
  Result<CertificateLeaf> leaf = FindLeaf(certs.front(), others, *log.key, exit_code);
  if (!leaf) {
    PrintError("log inclusion: " + options.cert_file + ": " + leaf.error().message);
    return exit_code;
  }
  Reader reader;
  if (std::optional<Failure> failed = MakeReader(log, reader)) {
    PrintError("log inclusion: " + failed->message);
    return failed->exit_code;
  }
  Result<SignedTreeHead> sth = reader.get().GetSth();
  if (!sth) {
    PrintError("log inclusion: " + sth.error().message);
    return ExitCodeFor(sth.error());
  }
  Result<uint64_t> index = ProveLeaf(reader, *leaf, *sth);
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
    json out = {{"log", reader.get().base_url()},
                {"api", reader.api()},
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
    std::printf("%s: included in %s\n", TerminalSafe(options.cert_file).c_str(),
                TerminalSafe(reader.get().base_url()).c_str());
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

void AddTargetFlags(CLI::App* command, LogTarget& target) {
  command
      ->add_option("--log", target.log,
                   "The log: its URL (RFC 6962 URL, or a tiled log's monitoring URL), or its "
                   "description or base64 log ID in the log list")
      ->required();
  command->add_option("--key", target.key_file,
                      "The log's public key: PEM or DER SubjectPublicKeyInfo (default: from the "
                      "log list)");
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

}  // namespace

void AddLogClientCommands(CLI::App* log_command, Action& run) {
  auto sth = std::make_shared<SthOptions>();
  CLI::App* sth_command = log_command->add_subcommand(
      "sth",
      "Fetch a log's signed tree head (RFC 6962 get-sth, or a static-ct-api checkpoint) and "
      "verify its signature");
  AddTargetFlags(sth_command, sth->target);
  sth_command->add_option("--out", sth->out,
                          "Also write the verified head to this file, for `log consistency "
                          "--old-sth`: get-sth JSON, or for a static log the checkpoint");
  AddFormatFlag(sth_command, sth->format);
  sth_command->footer(
      "Exit 0 when the signature verifies, 1 when it does not or the head is malformed, 2 for "
      "bad usage, 3 when the log cannot be reached.");
  sth_command->callback([sth, &run] { run = [sth] { return RunSth(*sth); }; });

  auto entries = std::make_shared<EntriesOptions>();
  CLI::App* entries_command = log_command->add_subcommand(
      "entries",
      "Print log entries START..END (END inclusive; RFC 6962 get-entries or data tiles)");
  AddTargetFlags(entries_command, entries->target);
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
      "are not proven against a tree head here; no key is needed (a static log's checkpoint, "
      "read for tile widths, is verified when one is known). Exit 0, 1 for a malformed "
      "response, 2 for bad usage (or an END beyond a static log's checkpoint), 3 when the log "
      "cannot be reached.");
  entries_command->callback([entries, &run] { run = [entries] { return RunEntries(*entries); }; });

  auto consistency = std::make_shared<ConsistencyOptions>();
  CLI::App* consistency_command = log_command->add_subcommand(
      "consistency",
      "Prove that a log's current (or a given newer) tree head extends an older one");
  AddTargetFlags(consistency_command, consistency->target);
  consistency_command
      ->add_option("--old-sth", consistency->old_sth,
                   "The older head: get-sth JSON or a static-ct-api checkpoint (e.g. from "
                   "`log sth --out`)")
      ->required();
  consistency_command->add_option("--new-sth", consistency->new_sth,
                                  "The newer head (default: fetch and verify the current one)");
  AddFormatFlag(consistency_command, consistency->format);
  consistency_command->footer(
      "Static-ct-api logs: the proof is built from hash tiles. Exit 0 when consistent, 1 when "
      "not (or a signature fails), 2 for unreadable input, 3 when the log cannot be reached.");
  consistency_command->callback(
      [consistency, &run] { run = [consistency] { return RunConsistency(*consistency); }; });

  auto inclusion = std::make_shared<InclusionOptions>();
  CLI::App* inclusion_command = log_command->add_subcommand(
      "inclusion",
      "Prove that a certificate with an embedded SCT from the log is in the log's current tree");
  AddTargetFlags(inclusion_command, inclusion->target);
  inclusion_command
      ->add_option("--cert", inclusion->cert_file,
                   "The certificate (PEM or DER; may be followed by its chain; - for stdin)")
      ->required();
  inclusion_command->add_option("--issuer", inclusion->issuer_file,
                                "The issuer certificate, if not in the --cert file");
  AddFormatFlag(inclusion_command, inclusion->format);
  inclusion_command->footer(
      "Finds the leaf from the certificate's embedded SCT from this log, fetches a fresh verified "
      "tree head and verifies the inclusion proof (static-ct-api: at the SCT's leaf_index, from "
      "hash tiles). Exit 0 when included, 1 when not (or no SCT "
      "from this log, or a bad signature or proof), 2 for unreadable input, 3 when the log "
      "cannot be reached.");
  inclusion_command->callback(
      [inclusion, &run] { run = [inclusion] { return RunInclusion(*inclusion); }; });
}

}  // namespace ctkit::cli
