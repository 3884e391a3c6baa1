// The monitor's JSON (docs/json-output.md "ctkit monitor"): findings and alerts.
//
// A finding: {"tbs_sha256", "sha256", "names", "watch_items", "issuer", "serial", "not_before",
// "not_after", "expected", "entries": [{"log", "index", "entry_type", "timestamp"}],
// "first_seen"}. An alert: {"event", "summary", ...} with "finding" for certificate events and
// "evidence" for log events. Alerts carry a deduplication key so each is raised once.
//
// A certificate alert made from a log entry (AlertCertificateOf) also carries what hooks and
// emails tell beyond the finding (docs/man/ctkit-hooks.5.scd): "cert_info", certspotter's fields
// computed from the bytes the Merkle tree covers (monitor/certspotter_format.h), and "chain",
// the issuer chain the entry carries (base64 DER, issuer first; "chain_error" when it cannot be
// read).

#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "ct/inventory_record.h"
#include "ct/signed_tree_head.h"
#include "logclient/log_client_json.h"
#include "monitor/entry_certificate.h"
#include "monitor/monitor_store.h"

namespace ctkit {

nlohmann::ordered_json FindingToJson(const Finding& finding);
nlohmann::ordered_json TreeHeadToJson(const SignedTreeHead& head);

// This machine's host name ("" when it cannot be had), for alerts about the monitor itself.
std::string LocalHostName();

// What a certificate alert says beyond its finding: certspotter's fields of the certificate the
// entry is about (cert.view: for a precert_entry the TBS from the leaf, never extra_data's
// precertificate) and the issuer chain in the entry's extra_data.
struct AlertCertificate {
  nlohmann::ordered_json cert_info;  // CertspotterCertInfo (monitor/certspotter_format.h)
  std::vector<Bytes> chain;          // issuer first, as the log entry carries it
  std::string chain_error;           // why the chain could not be read; "" when it could
};
AlertCertificate AlertCertificateOf(const EntryCertificate& cert, const LogEntry& entry);

// A certificate for a watched name that no inventory lists. `certificate` (optional) adds
// "cert_info" and "chain".
NewAlert UnexpectedCertAlert(const Finding& finding, const AlertCertificate* certificate = nullptr);
// A certificate for a watched name that an inventory lists: raised only with --alert-expected
// (certspotter alerts on every certificate it finds), event "expected_cert".
NewAlert ExpectedCertAlert(const Finding& finding, const AlertCertificate* certificate = nullptr);
// An inventory certificate that opted out of CT logging, found in a log.
NewAlert OptOutLoggedAlert(const Finding& finding, const AlertCertificate* certificate = nullptr);
// An entry whose leaf or certificate does not parse; `leaf_hash` is its Merkle leaf hash
// (certspotter's LEAF_HASH).
NewAlert MalformedCertAlert(const std::string& log_url, uint64_t index, const std::string& error,
                            const std::string& leaf_input_b64, const std::string& extra_data_b64,
                            const MerkleHash& leaf_hash);
// An entry that could not be read within the caps (too large even alone),
// got past with its leaf hash learned from the log's proofs (logclient/log_reader.h); `reason` is
// why it did not read. Also event malformed_cert, with "unreadable": true and no certificate.
NewAlert UnreadableEntryAlert(const std::string& log_url, uint64_t index,
                              const MerkleHash& leaf_hash, const std::string& reason);
// A log that broke a promise of RFC 6962: `kind` names it ("inconsistent_tree_heads",
// "entries_not_in_tree", "bad_tree_head_signature"); `evidence` is what proves it; `key_detail`
// makes the alert unique (the heads or range involved).
NewAlert LogMisbehaviourAlert(const std::string& log_url, const std::string& kind,
                              const std::string& summary, nlohmann::ordered_json evidence,
                              const std::string& key_detail);
// An inventory certificate with an SCT from a monitored log whose entry did not appear by the
// log's MMD plus the grace period (RFC 6962 §3).
NewAlert SctPromiseBrokenAlert(const std::string& log_url, const InventoryRecord& record,
                               uint64_t sct_timestamp_ms, const SignedTreeHead& head);

}  // namespace ctkit
