// One `ctkit audit` from its settings to its report (docs/ci.md): the inputs read (--at,
// --expect-issuer, --expect-spki, --inventory), the targets expanded (audit/targets.h), the log
// list loaded, every target audited in parallel (audit/audit_runner.h), optionally with
// inclusion proven online, and the run-wide warnings added: a stale log list, inventory records
// that matched no audited certificate.
//
//   AuditSettings settings{.targets = {"certs/", "example.com:443"}, .load_log_list = load};
//   Result<AuditReport> report = RunAuditJob(settings);
//   std::string text = FormatReport(*report, "junit", false);   // audit/report.h

#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "audit/report.h"
#include "base/error.h"
#include "ct/log_list.h"

namespace ctkit::audit {

// The settings, as `ctkit audit`'s flags give them (docs/ctkit.md, "audit").
struct AuditSettings {
  std::vector<std::string> targets;  // files, directories, HOST:PORT
  std::string inventory;             // JSON Lines (`ctkit ca inventory`); "": none
  std::string policy = "both";       // chrome, apple, both or none
  bool online = false;               // prove each valid SCT's entry is in its log
  bool require_ct = false;           // fail opted-out certificates too
  std::string expect_issuer;         // certificate file; "": any issuer
  std::string expect_spki;           // SHA-256 of the issuer's SPKI, hex or base64; "": any
  int64_t warn_days = 30;
  std::string log_list;         // passed to load_log_list ("": the compiled-in snapshot)
  size_t jobs = 0;              // targets audited in parallel; 0: one per CPU
  std::string at;               // RFC 3339 or Unix seconds; "": now
  double timeout_seconds = 10;  // to connect to and hear from an endpoint or log
  std::string tool_version;     // for the report
  // Reads --log-list: "" the compiled-in snapshot, an http(s) URL fetched, else a file.
  std::function<Result<LogList>(const std::string& source)> load_log_list;
  // After each target, from the worker that finished it (serialized).
  std::function<void(size_t done, size_t total)> progress;
};

// The audit's report: one result per certificate (files skipped when walking a directory are
// counted, not reported), holding the log list they were checked against. Errors, before any target
// is audited, naming the flag or file: --at,
// --expect-issuer, --expect-spki or --inventory unreadable or malformed, a target that is
// neither a path nor an endpoint (audit/targets.h), or load_log_list's error.
Result<AuditReport> RunAuditJob(const AuditSettings& settings);

}  // namespace ctkit::audit
