// What an alert says about its certificate or problem, read once from the alert and written in
// the forms certspotter's hooks and emails use (certspotter-script(8); docs/man/ctkit-hooks.5.scd):
// the hook environment (monitor/alert_sink.h), JSON_FILENAME's object, TEXT_FILENAME's text and
// the email body (monitor/email_sink.h).
//
//   AlertFacts facts = AlertFactsOf(alert);
//   std::string text = AlertText(alert, facts, "/var/lib/ctkit/m.db.certs/ab...cd.pem");
//   nlohmann::ordered_json json = CertspotterJson(alert, facts);
//
// Precedence for each certificate field: the alert's "cert_info" (computed when the alert was
// made, from the bytes the Merkle tree covers: monitor/alerts.h), else the certificate DER the
// alert carries, else the finding's text. Everything here is hostile text: the environment and the
// text replace control characters; the JSON keeps the exact values (its encoder escapes them).

#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "monitor/alert_sink.h"

namespace ctkit {

struct AlertFacts {
  std::string event;              // ctkit's event name
  std::string certspotter_event;  // discovered_cert, malformed_cert, error, or ctkit's name
  std::string summary;
  bool certificate = false;  // an event about one certificate (a "finding" or a DER)
  std::vector<std::string> watch_items;
  std::vector<std::string> dns_names;
  std::vector<std::string> ip_addresses;
  std::optional<std::string> cert_sha256, tbs_sha256, pubkey_sha256;
  std::optional<std::string> serial, subject_dn, issuer_dn;
  std::optional<int64_t> not_before, not_after;  // Unix seconds
  std::optional<std::string> log_uri, entry_index, leaf_hash;
  // Why the certificate (or the entry) does not parse; for malformed_cert the entry's error.
  std::optional<std::string> parse_error;
  std::optional<std::string> chain_error;  // why the entry's issuer chain could not be read
  std::optional<bool> expected;            // an inventory lists the certificate
};

// certspotter's EVENT for a ctkit event: unexpected_cert, expected_cert and opt_out_logged are
// "discovered_cert"; malformed_cert and error keep their names, as do ctkit's other events.
std::string CertspotterEventName(const std::string& event);

AlertFacts AlertFactsOf(const Alert& alert);

// JSON_FILENAME's object: for certificate events certspotter's fields at the top level
// (cert_sha256, dns_names, entry_index (a string), ip_addresses, issuer_dn, log_uri, not_after,
// not_before (RFC 3339), pubkey_sha256, serial, subject_dn, tbs_sha256, watch_item; null when
// unknown), and for every event the alert itself under "ctkit".
nlohmann::ordered_json CertspotterJson(const Alert& alert, const AlertFacts& facts);

// TEXT_FILENAME's text and the email body: for a certificate, certspotter's layout (its SHA-256,
// then "Name = value" lines: names, key, subject, issuer, serial, validity, log entry, a crt.sh
// link, `cert_filename` when not empty); for malformed_cert the entry and its error; for other
// events the summary and the alert's fields. One inert line per value (base/terminal_text.h).
std::string AlertText(const Alert& alert, const AlertFacts& facts,
                      const std::string& cert_filename = "");

}  // namespace ctkit
