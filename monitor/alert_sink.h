// Alerts and the sinks that deliver them: standard output (JSON Lines), hook scripts run with
// certspotter's environment and files (certspotter-script(8), docs/man/ctkit-hooks.5.scd), and a
// JSON webhook. Email is monitor/email_sink.h.
//
//   Alert alert = AlertFromStored(body_json, certificate_der);
//   ScriptSink hook({.command = "/etc/ctkit/hook.sh", .output_dir = "/var/lib/ctkit/certs"});
//   if (Result<void> sent = hook.Deliver(alert); !sent) log(sent.error().message);
//
// Alert JSON (the documented schema, docs/json-output.md; sinks pass it on as it is and read the
// fields below):
//   "event":   "unexpected_cert" | "expected_cert" | "malformed_cert" | "log_misbehaviour" |
//              "opt_out_logged" | "sct_promise_broken" | "error" | "recovered" | "heartbeat" |
//              "test"
//   "summary": one line for people
//   "finding": certificate events: {"tbs_sha256", "sha256" (hex), "names": [...],
//              "watch_items": [...], "issuer" (RFC 4514 text), "serial" (hex), "not_before",
//              "not_after" (RFC 3339), "expected" (bool), "entries": [{"log" (URL), "index",
//              "entry_type", "timestamp"}], "first_seen"}; optional "subject", "pubkey_sha256",
//              "parse_error"
//   "cert_info": certificate events: certspotter's fields of the certificate
//              (monitor/certspotter_format.h CertspotterCertInfo)
//   "chain":   certificate events: the issuer chain from the log entry, base64 DER, issuer first
//   "log", "index", "error", "leaf_hash": malformed_cert
//   "evidence": log events: any object
// Sinks never trust the alert's text for anything but text: file names come from hashes the
// sink computes itself, and hooks get data only through their environment, files and stdin,
// never on a command line. Strings that are not valid UTF-8 are written with U+FFFD replacements.
//
// Thread safety: every sink may be called from several threads at once.

#pragma once

#include <chrono>
#include <cstdio>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"

namespace ctkit {

struct Alert {
  nlohmann::ordered_json json;   // the object described above
  Bytes certificate_der;         // the certificate (or precertificate) DER; may be empty
  std::vector<Bytes> chain_der;  // its issuer chain, issuer first; may be empty
};

// The alert a sink gets for a stored one (monitor/monitor_store.h PendingDelivery): the body
// parsed (a body that is not JSON becomes a discarded value, which sinks still deliver), and
// chain_der decoded from its "chain" (entries that are not base64 are skipped).
Alert AlertFromStored(const std::string& body_json, const Bytes& certificate_der);

// The alert as one line of JSON: compact, invalid UTF-8 replaced, never throws.
std::string AlertJsonLine(const Alert& alert);

class AlertSink {
 public:
  virtual ~AlertSink() = default;
  // Delivers one alert. An error says what failed (exit status, HTTP status, I/O) and means
  // the alert may not have reached its destination; the caller decides whether to retry.
  virtual Result<void> Deliver(const Alert& alert) = 0;
  // "stdout", "script", "webhook": for logs and error messages.
  virtual std::string name() const = 0;
};

// Writes each alert as one JSON object on its own line, then flushes.
class StdoutSink : public AlertSink {
 public:
  explicit StdoutSink(FILE* out = stdout) : out_(out) {}
  Result<void> Deliver(const Alert& alert) override;
  std::string name() const override { return "stdout"; }

 private:
  std::mutex mutex_;  // one whole line at a time
  FILE* out_;
};

struct ScriptSinkOptions {
  // Run as `/bin/sh -c <command>` (a trusted, configured string; alert data never goes here).
  std::string command;
  // Where the hook's files are written (made absolute; created if missing): for an alert with a
  // certificate <sha256>.pem (CERT_FILENAME), <sha256>.json (JSON_FILENAME) and <sha256>.txt
  // (TEXT_FILENAME), <sha256> being the hex SHA-256 of its DER; for other alerts
  // alert-<sha256 of the alert JSON>.json and .txt, and .entry.json (ENTRY_FILENAME) for a
  // malformed_cert. Empty: no files, and those variables are not set.
  std::string output_dir;
  // A hook still running after this is killed (SIGKILL to its process group) and the delivery
  // fails.
  std::chrono::milliseconds timeout{60000};
  // The sink's name: deliveries are recorded per name, so each hook of a monitor has its own.
  std::string name = "script";
};

// The files ScriptSink wrote for one alert (absolute paths; "" when not written).
struct HookFiles {
  std::string cert;   // CERT_FILENAME: PEM, the certificate then its issuer chain
  std::string json;   // JSON_FILENAME: CertspotterJson (monitor/alert_facts.h)
  std::string text;   // TEXT_FILENAME: AlertText (monitor/alert_facts.h)
  std::string entry;  // ENTRY_FILENAME: {"leaf_input", "extra_data"} of a malformed_cert
};

// Runs a hook script per alert with certspotter's hook environment and files
// (certspotter-script(8)), so existing certspotter hooks work unchanged. Every variable, its
// meaning, and which are ctkit's own: docs/man/ctkit-hooks.5.scd, and HookEnvironment below.
// Variables whose value is unknown are unset (never inherited: the daemon's own value of any of
// these names is removed). Other variables of the daemon's environment (PATH, HOME, ...) are
// passed on. Control characters in values become '?' (the JSON file has the exact text). The
// hook runs as monitor/child_process.h runs children: stdin /dev/null, stdout to the daemon's
// stderr, only descriptors 0-2. Exit status 0 is success; any other status, a signal or the
// timeout is an error naming it.
class ScriptSink : public AlertSink {
 public:
  explicit ScriptSink(ScriptSinkOptions options);
  Result<void> Deliver(const Alert& alert) override;
  std::string name() const override { return options_.name; }

 private:
  ScriptSinkOptions options_;
};

// The environment variables ScriptSink sets for `alert` (name, value), sorted by name, with the
// given files (each may be empty: not set):
//   every event:   EVENT (monitor/alert_facts.h CertspotterEventName), SUMMARY, TEXT_FILENAME;
//                  ctkit's CTKIT_EVENT (its event name), JSON_FILENAME
//   certificates:  WATCH_ITEM (the first), LOG_URI and ENTRY_INDEX (the first entry), TBS_SHA256,
//                  CERT_SHA256, PUBKEY_SHA256, CERT_FILENAME, JSON_FILENAME, NOT_BEFORE and
//                  NOT_AFTER (certspotter's "2006-01-02 15:04:05 +0000 UTC"), their _UNIXTIME and
//                  _RFC3339 forms, SUBJECT_DN, ISSUER_DN, SERIAL (monitor/certspotter_format.h),
//                  VALIDITY_/SUBJECT_/ISSUER_/SERIAL_PARSE_ERROR when the DER did not parse and
//                  the value is unknown; certspotter's undocumented CERT_PARSEABLE, FINGERPRINT,
//                  PUBKEY_HASH, CHAIN_ERROR; ctkit's WATCH_ITEMS, DNS_NAMES and IP_ADDRESSES
//                  (comma-separated), CTKIT_EXPECTED (yes|no), PARSE_ERROR
//   malformed_cert: LOG_URI, ENTRY_INDEX, LEAF_HASH, PARSE_ERROR, ENTRY_FILENAME,
//                  CERT_PARSEABLE=no
std::vector<std::pair<std::string, std::string>> HookEnvironment(const Alert& alert,
                                                                 const HookFiles& files);

struct WebhookSinkOptions {
  std::string url;  // http:// or https:// only
  std::chrono::milliseconds connect_timeout{10000};
  std::chrono::milliseconds total_timeout{30000};  // per attempt
  // Attempts after the first, on the transport errors that may pass (refused, timed out, ...)
  // and HTTP 408, 429, 500, 502, 503 and 504, as every HTTP request of ctkit
  // (logclient/http_fetcher.h). Other statuses are final.
  int max_retries = 3;
  // Delay before retry k (0-based): min(backoff_base * 2^k, backoff_max), its second half
  // scaled by a random jitter; a Retry-After on 429 or 503 instead, up to backoff_max. Zero for
  // tests.
  std::chrono::milliseconds backoff_base{1000};
  std::chrono::milliseconds backoff_max{30000};
  // All attempts of one delivery, backoff included: no attempt starts once it is spent, and the
  // last is cut short to fit. So a webhook that accepts connections and never answers costs one
  // budget per delivery pass, not (1 + max_retries) * total_timeout.
  std::chrono::milliseconds delivery_budget{30000};
  // Extra request headers ("Authorization: Bearer ..."), sent as they are.
  std::vector<std::string> headers;
};

// POSTs AlertJsonLine(alert) with Content-Type: application/json through logclient/http_fetcher.h,
// one connection per delivery. Any 2xx is success; redirects are not followed; an answer over
// 64 KiB is refused (kTooLarge). The error after the last attempt (kNetwork) names the HTTP
// status (and the start of the response body) or the transport error, and the attempts made,
// never the URL ("webhook: HTTP status 500: \"busy\" (after 4 attempts)"); a URL that is not
// http:// or https:// is kInvalidArgument, with no request made.
class WebhookSink : public AlertSink {
 public:
  explicit WebhookSink(WebhookSinkOptions options) : options_(std::move(options)) {}
  Result<void> Deliver(const Alert& alert) override;
  std::string name() const override { return "webhook"; }

 private:
  WebhookSinkOptions options_;
};

}  // namespace ctkit
