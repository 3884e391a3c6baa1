#include "monitor/alerts.h"

#include <unistd.h>

#include "base/bytes.h"
#include "base/json_text.h"
#include "ct/inventory_record.h"
#include "ct/rfc3339.h"
#include "monitor/certspotter_format.h"

namespace ctkit {
namespace {

std::string Join(const std::vector<std::string>& names, size_t max) {
  std::string out;
  for (size_t i = 0; i < names.size() && i < max; ++i) out += (i ? ", " : "") + names[i];
  if (names.size() > max) out += ", ... (" + std::to_string(names.size()) + " names)";
  return out;
}

std::string FirstLog(const Finding& finding) {
  if (finding.entries.empty()) return "a log";
  return finding.entries.front().log + " at index " + std::to_string(finding.entries.front().index);
}

// A certificate event's body: event, summary, finding, and what `certificate` adds.
nlohmann::ordered_json CertificateBody(const std::string& event, const std::string& summary,
                                       const Finding& finding,
                                       const AlertCertificate* certificate) {
  nlohmann::ordered_json body = {
      {"event", event}, {"summary", summary}, {"finding", FindingToJson(finding)}};
  if (certificate != nullptr) {
    body["cert_info"] = certificate->cert_info;
    nlohmann::ordered_json chain = nlohmann::ordered_json::array();
    for (const Bytes& der : certificate->chain) chain.push_back(Base64Encode(der));
    body["chain"] = std::move(chain);
    if (!certificate->chain_error.empty()) body["chain_error"] = certificate->chain_error;
  }
  return body;
}

NewAlert CertificateAlert(const std::string& event, const std::string& summary,
                          const Finding& finding, const AlertCertificate* certificate) {
  return {.key = event + ":" + finding.tbs_sha256,
          .event = event,
          .body_json = JsonCompact(CertificateBody(event, summary, finding, certificate)),
          .certificate = finding.certificate};
}

}  // namespace

AlertCertificate AlertCertificateOf(const EntryCertificate& cert, const LogEntry& entry) {
  AlertCertificate out;
  out.cert_info = CertspotterCertInfo(cert.view);
  if (Result<EntryChain> chain = entry.chain(); chain) {
    out.chain = std::move(chain->chain);
  } else {
    out.chain_error = chain.error().message;
  }
  return out;
}

nlohmann::ordered_json FindingToJson(const Finding& finding) {
  nlohmann::ordered_json entries = nlohmann::ordered_json::array();
  for (const FindingEntry& entry : finding.entries) {
    entries.push_back({{"log", entry.log},
                       {"index", entry.index},
                       {"entry_type", entry.entry_type},
                       {"timestamp", entry.timestamp_ms}});
  }
  return {{"tbs_sha256", finding.tbs_sha256},
          {"sha256", finding.sha256},
          {"names", finding.names},
          {"watch_items", finding.watch_items},
          {"issuer", finding.issuer},
          {"serial", finding.serial},
          {"not_before", finding.not_before},
          {"not_after", finding.not_after},
          {"expected", finding.expected},
          {"entries", std::move(entries)},
          {"first_seen", FormatRfc3339(finding.first_seen_ms)}};
}

nlohmann::ordered_json TreeHeadToJson(const SignedTreeHead& head) {
  return {{"tree_size", head.tree_size},
          {"timestamp", head.timestamp_ms},
          {"sha256_root_hash", Base64Encode(head.root_hash)}};
}

std::string LocalHostName() {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0) return "";
  return host;
}

NewAlert UnexpectedCertAlert(const Finding& finding, const AlertCertificate* certificate) {
  return CertificateAlert("unexpected_cert",
                          "UNEXPECTED certificate for " + Join(finding.names, 5) + " issued by " +
                              finding.issuer + ", in " + FirstLog(finding),
                          finding, certificate);
}

NewAlert ExpectedCertAlert(const Finding& finding, const AlertCertificate* certificate) {
  return CertificateAlert("expected_cert",
                          "expected certificate for " + Join(finding.names, 5) + " issued by " +
                              finding.issuer + ", in " + FirstLog(finding),
                          finding, certificate);
}

NewAlert OptOutLoggedAlert(const Finding& finding, const AlertCertificate* certificate) {
  return CertificateAlert("opt_out_logged",
                          "certificate for " + Join(finding.names, 5) +
                              " was issued with CT logging disabled but appeared in " +
                              FirstLog(finding),
                          finding, certificate);
}

NewAlert MalformedCertAlert(const std::string& log_url, uint64_t index, const std::string& error,
                            const std::string& leaf_input_b64, const std::string& extra_data_b64,
                            const MerkleHash& leaf_hash) {
  nlohmann::ordered_json body = {{"event", "malformed_cert"},
                                 {"summary", "entry " + std::to_string(index) + " of " + log_url +
                                                 " does not parse: " + error},
                                 {"log", log_url},
                                 {"index", index},
                                 {"error", error},
                                 {"leaf_hash", Base64Encode(leaf_hash)},
                                 {"leaf_input", leaf_input_b64},
                                 {"extra_data", extra_data_b64}};
  return {.key = "malformed_cert:" + log_url + ":" + std::to_string(index),
          .event = "malformed_cert",
          .body_json = JsonCompact(body)};
}

NewAlert UnreadableEntryAlert(const std::string& log_url, uint64_t index,
                              const MerkleHash& leaf_hash, const std::string& reason) {
  nlohmann::ordered_json body = {
      {"event", "malformed_cert"},
      {"summary", "entry " + std::to_string(index) + " of " + log_url + " could not be read (" +
                      reason + "); got past it by its leaf hash " + HexEncode(leaf_hash) +
                      ", proven in the log's tree"},
      {"log", log_url},
      {"index", index},
      {"unreadable", true},
      {"error", "could not be read: " + reason},
      {"leaf_hash", Base64Encode(leaf_hash)}};
  return {.key = "malformed_cert:" + log_url + ":" + std::to_string(index),
          .event = "malformed_cert",
          .body_json = JsonCompact(body)};
}

NewAlert LogMisbehaviourAlert(const std::string& log_url, const std::string& kind,
                              const std::string& summary, nlohmann::ordered_json evidence,
                              const std::string& key_detail) {
  nlohmann::ordered_json body = {{"event", "log_misbehaviour"},
                                 {"summary", log_url + ": " + summary},
                                 {"log", log_url},
                                 {"kind", kind},
                                 {"evidence", std::move(evidence)}};
  return {.key = "log_misbehaviour:" + log_url + ":" + kind + ":" + key_detail,
          .event = "log_misbehaviour",
          .body_json = JsonCompact(body)};
}

NewAlert SctPromiseBrokenAlert(const std::string& log_url, const InventoryRecord& record,
                               uint64_t sct_timestamp_ms, const SignedTreeHead& head) {
  nlohmann::ordered_json body = {
      {"event", "sct_promise_broken"},
      {"summary", "certificate for " + Join(record.names, 5) + " has an SCT from " + log_url +
                      " dated " + FormatRfc3339(static_cast<int64_t>(sct_timestamp_ms)) +
                      " but the log's tree of size " + std::to_string(head.tree_size) +
                      " does not contain it"},
      {"log", log_url},
      {"sct_timestamp", sct_timestamp_ms},
      {"inventory", nlohmann::ordered_json::parse(InventoryRecordToJson(record))},
      {"evidence", {{"tree_head", TreeHeadToJson(head)}}}};
  return {.key = "sct_promise_broken:" + log_url + ":" + record.tbs_sha256,
          .event = "sct_promise_broken",
          .body_json = JsonCompact(body)};
}

}  // namespace ctkit
