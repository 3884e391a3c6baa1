// The monitor's alert sinks as its flags configure them (docs/monitor.md, "Alert sinks"):
// --stdout, --script (repeatable) with --cert-dir, --email (repeatable), --webhook (or
// --webhook-file, --webhook-env) with --webhook-timeout. With none configured, standard output.
//
//   RETURN_IF_ERROR(ResolveWebhookSecret(settings));      // the URL from a file or variable
//   RETURN_IF_ERROR(CheckSinkSettings(settings, db));     // refused at start-up, exit 2
//   std::vector<NamedSink> sinks = NamedSinks(MakeSinks(settings, db));
//
// The webhook URL holds a secret token: no error message repeats it.

#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/error.h"
#include "monitor/alert_sink.h"
#include "monitor/monitor_daemon.h"

namespace ctkit {

struct SinkSettings {
  bool stdout_sink = false;             // --stdout
  std::vector<std::string> scripts;     // --script COMMAND, each run for every alert
  std::vector<std::string> emails;      // --email ADDRESS: one email per alert to all of them
  std::string cert_dir;                 // --cert-dir: the hooks' files (default DB.certs)
  std::string webhook;                  // --webhook URL
  std::string webhook_file;             // --webhook-file: the URL from a file's first line
  std::string webhook_env;              // --webhook-env: the URL from an environment variable
  std::string webhook_timeout = "30s";  // one delivery, retries included (base/duration.h)
  // --alert-expected: certificates an inventory lists are alerted too (event expected_cert), as
  // certspotter alerts on every certificate it finds (monitor/log_tailer.h TailerOptions).
  bool alert_expected = false;
};

// The name of the sink of `scripts[index]` (deliveries are recorded per sink name): "script"
// when it is the only one (as before --script was repeatable), else "script:" + its command
// with control characters as '?'.
std::string ScriptSinkName(const std::vector<std::string>& scripts, size_t index);

// Where --script's certificate files go: --cert-dir, else DB.certs ("" without a database).
std::string HookCertDir(const SinkSettings& settings, const std::string& db);

// --webhook-file / --webhook-env into `webhook` (base/secret_input.h): the command line would
// show the URL to every local user (`ps`). Errors name the flag, never the URL.
Result<void> ResolveWebhookSecret(SinkSettings& settings);

// The sinks can work (monitor/startup_checks.h): each hook's program exists and is executable
// and no two hooks are the same command, their certificate directory is writable (created when
// missing), every --email address is one (monitor/email_address.h CheckEmailAddress), the webhook
// is an http(s) URL, and --webhook-timeout is a duration above 0.
Result<void> CheckSinkSettings(const SinkSettings& settings, const std::string& db);

// Every configured sink; with none configured, standard output. Call CheckSinkSettings first.
std::vector<std::shared_ptr<AlertSink>> MakeSinks(const SinkSettings& settings,
                                                  const std::string& db);

// The sinks as the daemon takes them (monitor/monitor_daemon.h).
std::vector<NamedSink> NamedSinks(const std::vector<std::shared_ptr<AlertSink>>& sinks);

// What one sink did with the test alert.
struct TestAlertDelivery {
  std::string sink;  // its name: "stdout", "script" (ScriptSinkName), "email", "webhook"
  Result<void> sent;
};

// `ctkit monitor test-alert`: one {"event": "test"} alert (ProofOfLifeAlertJson) straight to
// every sink, not stored, so an operator can check them before a real alert needs them. Errors:
// ResolveWebhookSecret's and CheckSinkSettings'; a sink that fails is in the result.
Result<std::vector<TestAlertDelivery>> SendTestAlert(SinkSettings settings, const std::string& db,
                                                     int64_t now_ms);

}  // namespace ctkit
