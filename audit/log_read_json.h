// How `ctkit log entries` and `ctkit log inclusion` show what they read (docs/json-output.md,
// "log entries", "log inclusion"): a log entry (logclient/log_client_json.h LogEntry) with the
// names of the certificate it logs, and a certificate's leaf proven in a tree head
// (audit/log_inclusion.h), as JSON or as text. Text goes through TerminalSafe
// (base/terminal_text.h) where a log, a certificate or a user wrote it.
//
//   Result<CertificateView> cert = EntryCertificate(entry);
//   PrintJson(EntryJson(entry, cert), JsonStyle::kLine);  // cli/json_output.h

#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "audit/log_inclusion.h"
#include "base/error.h"
#include "ct/signed_tree_head.h"
#include "logclient/log_client_json.h"
#include "x509/certificate.h"

namespace ctkit::audit {

// The certificate an entry logs: the leaf of an x509_entry, the precertificate of a
// precert_entry (its TBS alone cannot be parsed as a certificate; extra_data has the whole).
// Errors: CertificateView::Parse's (kMalformed, kUnsupported, ...).
Result<CertificateView> EntryCertificate(const LogEntry& entry);

// {"index", "timestamp", "entry_type": "x509"|"precert", "leaf_hash" (hex), "names",
// "issuer_key_hash" (precert only), "leaf_input", "extra_data" (base64), "certificate_error"
// (when `cert` did not parse; names are then empty)}.
nlohmann::ordered_json EntryJson(const LogEntry& entry, const Result<CertificateView>& cert);

// "<index> <RFC 3339 time> <x509|precert padded to 7> <leaf hash hex> <names,...>", or
// "(unparsed: <why>)" for the names; no newline.
std::string EntryLine(const LogEntry& entry, const Result<CertificateView>& cert);

// `out` (the "log" and "api" of the command) with "certificate" (`cert_file`), "leaf_hash"
// (hex), "sct_timestamp", "sct_signature": "valid"|"invalid", the head's "tree_size" and
// "root_hash" (hex), "included", and "leaf_index" or "reason".
nlohmann::ordered_json InclusionJson(nlohmann::ordered_json out, const std::string& cert_file,
                                     const PromisedLeaf& leaf, const SignedTreeHead& sth,
                                     const Result<uint64_t>& index);

// "<cert_file>: included in <log>" and the leaf index, leaf hash, SCT and tree head lines, each
// ending in a newline.
std::string InclusionText(const std::string& log, const std::string& cert_file,
                          const PromisedLeaf& leaf, const SignedTreeHead& sth, uint64_t index);

}  // namespace ctkit::audit
