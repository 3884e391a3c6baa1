// Alerts and the sinks that deliver them: standard output (JSON Lines), a hook script run with
// certspotter's environment, and a JSON webhook.
//
//   Alert alert;
//   alert.json = {{"event", "unexpected_cert"}, {"summary", "unexpected certificate for ..."},
//                 {"finding", finding_json}};
//   alert.certificate_der = der;  // optional
//   ScriptSink hook({.command = "/etc/ctkit/hook.sh", .output_dir = "/var/lib/ctkit/certs"});
//   if (Result<void> sent = hook.Deliver(alert); !sent) log(sent.error().message);
//
// Alert JSON (the documented schema; sinks pass it on as it is and read the fields below):
//   "event":   "unexpected_cert" | "malformed_cert" | "log_misbehaviour" | "opt_out_logged" |
//              "sct_promise_broken" | "error" | "test"
//   "summary": one line for people
//   "finding": certificate events: {"tbs_sha256", "sha256" (hex), "names": [...],
//              "watch_items": [...], "issuer" (RFC 4514 text), "serial" (hex), "not_before",
//              "not_after" (RFC 3339), "expected" (bool), "entries": [{"log" (URL), "index",
//              "entry_type", "timestamp"}], "first_seen"}; optional "subject", "pubkey_sha256",
//              "parse_error" (for malformed_cert)
//   "evidence": log events: any object
// Sinks never trust the alert's text for anything but text: file names come from hashes the
// sink computes itself, and hooks get data only through their environment and files, never on
// a command line. Strings that are not valid UTF-8 are written with U+FFFD replacements.
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
  nlohmann::ordered_json json;  // the object described above
  Bytes certificate_der;        // the certificate (or precertificate) DER; may be empty
};

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
  // Where CERT_FILENAME (<sha256>.pem) and JSON_FILENAME (<sha256>.json, or
  // alert-<sha256 of the JSON>.json without a certificate) are written; created if missing.
  // Empty: no files, and those variables are not set.
  std::string output_dir;
  // A hook still running after this is killed (SIGKILL to its process group) and the delivery
  // fails.
  std::chrono::milliseconds timeout{60000};
};

// Runs a hook script per alert with the certspotter hook environment (certspotter-script(8)),
// so existing certspotter hooks work:
//   EVENT         certspotter's name where one exists ("discovered_cert" for unexpected_cert,
//                 "malformed_cert", "error"), else ctkit's event name
//   CTKIT_EVENT   ctkit's event name, always
//   SUMMARY
// and, for alerts with a "finding":
//   WATCH_ITEM (the first), WATCH_ITEMS (comma-separated), DNS_NAMES (comma-separated),
//   CERT_SHA256 and FINGERPRINT (hex SHA-256 of the DER), TBS_SHA256, PUBKEY_SHA256,
//   SERIAL, ISSUER_DN, SUBJECT_DN, NOT_BEFORE, NOT_BEFORE_UNIXTIME, NOT_BEFORE_RFC3339 (and
//   NOT_AFTER_*), LOG_URI and ENTRY_INDEX (the first entry), CERT_PARSEABLE=yes|no,
//   PARSE_ERROR, CERT_FILENAME, JSON_FILENAME.
// NOT_BEFORE/NOT_AFTER are RFC 3339 like the *_RFC3339 variables (certspotter prints Go's time
// format there). JSON_FILENAME holds the alert JSON above, not certspotter's JSON schema.
// Variables whose value is unknown are unset (never inherited: the daemon's own value of any
// of these names is removed). Other variables of the daemon's environment (PATH, HOME, ...)
// are passed on. Control characters in values become '?' (the JSON file has the exact text).
// The hook's stdin is /dev/null and its stdout goes to the daemon's stderr, so a chatty hook
// cannot corrupt a StdoutSink's JSON Lines. Exit status 0 is success; any other status, a
// signal or the timeout is an error naming it. Only descriptors 0-2 reach the hook. The
// process must not set SIGCHLD to SIG_IGN (the hook's exit status would be lost).
class ScriptSink : public AlertSink {
 public:
  explicit ScriptSink(ScriptSinkOptions options) : options_(std::move(options)) {}
  Result<void> Deliver(const Alert& alert) override;
  std::string name() const override { return "script"; }

 private:
  ScriptSinkOptions options_;
};

// The environment variables ScriptSink sets for `alert` (name, value), sorted by name, with
// the given file names (either may be empty: not set). Exposed for tests and documentation.
std::vector<std::pair<std::string, std::string>> HookEnvironment(const Alert& alert,
                                                                 const std::string& cert_filename,
                                                                 const std::string& json_filename);

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
