// The monitor's alert sinks as its flags configure them (docs/monitor.md, "Alert sinks"):
// --stdout, --script with --cert-dir, --webhook (or --webhook-file, --webhook-env) with
// --webhook-timeout. With none configured, standard output.
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
  std::string script;                   // --script COMMAND
  std::string cert_dir;                 // --cert-dir: --script's files (default DB.certs)
  std::string webhook;                  // --webhook URL
  std::string webhook_file;             // --webhook-file: the URL from a file's first line
  std::string webhook_env;              // --webhook-env: the URL from an environment variable
  std::string webhook_timeout = "30s";  // one delivery, retries included (base/duration.h)
};

// Where --script's certificate files go: --cert-dir, else DB.certs ("" without a database).
std::string HookCertDir(const SinkSettings& settings, const std::string& db);

// --webhook-file / --webhook-env into `webhook` (base/secret_input.h): the command line would
// show the URL to every local user (`ps`). Errors name the flag, never the URL.
Result<void> ResolveWebhookSecret(SinkSettings& settings);

// The sinks can work (monitor/startup_checks.h): the hook's program exists and is executable,
// its certificate directory is writable (created when missing), the webhook is an http(s) URL,
// and --webhook-timeout is a duration above 0.
Result<void> CheckSinkSettings(const SinkSettings& settings, const std::string& db);

// Every configured sink; with none configured, standard output. Call CheckSinkSettings first.
std::vector<std::shared_ptr<AlertSink>> MakeSinks(const SinkSettings& settings,
                                                  const std::string& db);

// The sinks as the daemon takes them (monitor/monitor_daemon.h).
std::vector<NamedSink> NamedSinks(const std::vector<std::shared_ptr<AlertSink>>& sinks);

// What one sink did with the test alert.
struct TestAlertDelivery {
  std::string sink;  // its name: "stdout", "script", "webhook"
  Result<void> sent;
};

// `ctkit monitor test-alert`: one {"event": "test"} alert (ProofOfLifeAlertJson) straight to
// every sink, not stored, so an operator can check them before a real alert needs them. Errors:
// ResolveWebhookSecret's; a sink that fails is in the result.
Result<std::vector<TestAlertDelivery>> SendTestAlert(SinkSettings settings, const std::string& db,
                                                     int64_t now_ms);

}  // namespace ctkit
