#include "audit/log_read_json.h"

#include <vector>

#include "audit/check_json.h"
#include "base/bytes.h"
#include "base/terminal_text.h"
#include "ct/rfc3339.h"
#include "logclient/tree_head_json.h"

namespace ctkit::audit {
namespace {

using json = nlohmann::ordered_json;

bool IsPrecert(const LogEntry& entry) {
  return entry.entry.signed_entry.type == LogEntryType::kPrecert;
}

}  // namespace

Result<CertificateView> EntryCertificate(const LogEntry& entry) {
  if (IsPrecert(entry)) return CertificateView::Parse(entry.pre_certificate());
  return CertificateView::Parse(entry.entry.signed_entry.SharedDer());
}

json EntryJson(const LogEntry& entry, const Result<CertificateView>& cert) {
  const bool precert = IsPrecert(entry);
  json line;
  line["index"] = entry.index;
  line["timestamp"] = entry.entry.timestamp_ms;
  line["entry_type"] = precert ? "precert" : "x509";
  line["leaf_hash"] = HexEncode(entry.leaf_hash);
  line["names"] = cert ? DisplayNames(*cert) : std::vector<std::string>();
  if (precert) line["issuer_key_hash"] = HexEncode(entry.entry.signed_entry.issuer_key_hash);
  line["leaf_input"] = Base64Encode(entry.leaf_input);
  line["extra_data"] = Base64Encode(entry.extra_data);
  if (!cert) line["certificate_error"] = cert.error().message;
  return line;
}

std::string EntryLine(const LogEntry& entry, const Result<CertificateView>& cert) {
  std::string names;
  if (cert) {
    for (const std::string& name : DisplayNames(*cert)) names += (names.empty() ? "" : ",") + name;
  } else {
    names = "(unparsed: " + cert.error().message + ")";
  }
  std::string type = IsPrecert(entry) ? "precert" : "x509   ";
  // Names are whatever the certificate's issuer wrote: one inert line.
  return std::to_string(entry.index) + " " +
         FormatRfc3339(static_cast<int64_t>(entry.entry.timestamp_ms)) + " " + type + " " +
         HexEncode(entry.leaf_hash) + " " + TerminalSafe(names);
}

json InclusionJson(json out, const std::string& cert_file, const PromisedLeaf& leaf,
                   const SignedTreeHead& sth, const Result<uint64_t>& index) {
  out["certificate"] = cert_file;
  out["leaf_hash"] = HexEncode(leaf.leaf_hash);
  out["sct_timestamp"] = leaf.sct.timestamp_ms;
  out["sct_signature"] = leaf.sct_signature_valid ? "valid" : "invalid";
  out["tree_size"] = sth.tree_size;
  out["root_hash"] = HexEncode(sth.root_hash);
  out["included"] = index.has_value();
  if (index) out["leaf_index"] = *index;
  if (!index) out["reason"] = index.error().message;
  return out;
}

std::string InclusionText(const std::string& log, const std::string& cert_file,
                          const PromisedLeaf& leaf, const SignedTreeHead& sth, uint64_t index) {
  return TerminalSafe(cert_file) + ": included in " + TerminalSafe(log) + "\n" +
         "  leaf index: " + std::to_string(index) + "\n" +
         "  leaf hash:  " + HexEncode(leaf.leaf_hash) + "\n" +
         "  SCT:        " + FormatRfc3339(static_cast<int64_t>(leaf.sct.timestamp_ms)) +
         ", signature " + (leaf.sct_signature_valid ? "valid" : "INVALID") + "\n" +
         "  tree head:  " + TreeHeadSummary(sth) + " (signature verified)\n";
}

}  // namespace ctkit::audit
