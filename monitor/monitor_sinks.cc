#include "monitor/monitor_sinks.h"

#include <chrono>
#include <nlohmann/json.hpp>
#include <utility>

#include "base/duration.h"
#include "base/duration_flag.h"
#include "base/secret_input.h"
#include "monitor/email_address.h"
#include "monitor/email_sink.h"
#include "monitor/startup_checks.h"

namespace ctkit {

std::string HookCertDir(const SinkSettings& settings, const std::string& db) {
  if (!settings.cert_dir.empty()) return settings.cert_dir;
  return db.empty() ? "" : db + ".certs";
}

Result<void> ResolveWebhookSecret(SinkSettings& settings) {
  if (settings.webhook_file.empty() && settings.webhook_env.empty()) return {};
  bool from_file = !settings.webhook_file.empty();
  ASSIGN_OR_RETURN(settings.webhook,
                   from_file ? ReadSecretFile(settings.webhook_file)
                             : TakeSecretFromEnvironment(settings.webhook_env),
                   from_file ? "--webhook-file" : "--webhook-env");
  return {};
}

std::string ScriptSinkName(const std::vector<std::string>& scripts, size_t index) {
  if (scripts.size() == 1) return "script";
  std::string name = "script:" + scripts[index];
  for (char& c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return name;
}

Result<void> CheckSinkSettings(const SinkSettings& settings, const std::string& db) {
  for (size_t i = 0; i < settings.scripts.size(); ++i) {
    RETURN_IF_ERROR(CheckHookCommand(settings.scripts[i]));
    for (size_t j = 0; j < i; ++j) {
      if (settings.scripts[j] == settings.scripts[i]) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "--script: " + QuoteUntrusted(settings.scripts[i]) + " is given twice");
      }
    }
  }
  if (!settings.scripts.empty()) {
    std::string cert_dir = HookCertDir(settings, db);
    if (!cert_dir.empty()) RETURN_IF_ERROR(CheckWritableDirectory(cert_dir), "--cert-dir");
  }
  for (const std::string& address : settings.emails) {
    RETURN_IF_ERROR(CheckEmailAddress(address), "--email " + QuoteUntrusted(address));
  }
  if (!settings.webhook.empty()) RETURN_IF_ERROR(CheckWebhookUrl(settings.webhook));
  RETURN_IF_ERROR(ParsePositiveDurationMs("--webhook-timeout", settings.webhook_timeout));
  return {};
}

std::vector<std::shared_ptr<AlertSink>> MakeSinks(const SinkSettings& settings,
                                                  const std::string& db) {
  std::vector<std::shared_ptr<AlertSink>> sinks;
  bool any_sink = settings.stdout_sink || !settings.scripts.empty() || !settings.emails.empty() ||
                  !settings.webhook.empty();
  if (settings.stdout_sink || !any_sink) sinks.push_back(std::make_shared<StdoutSink>());
  // One sink per hook: each gets every alert, and one that fails is retried on its own.
  for (size_t i = 0; i < settings.scripts.size(); ++i) {
    ScriptSinkOptions options;
    options.command = settings.scripts[i];
    options.output_dir = HookCertDir(settings, db);
    options.name = ScriptSinkName(settings.scripts, i);
    sinks.push_back(std::make_shared<ScriptSink>(options));
  }
  if (!settings.emails.empty()) {
    sinks.push_back(std::make_shared<EmailSink>(EmailSinkOptions{.recipients = settings.emails}));
  }
  if (!settings.webhook.empty()) {
    WebhookSinkOptions options;
    options.url = settings.webhook;
    // Checked by CheckSinkSettings. Every attempt is cut to what is left of the budget
    // (monitor/alert_sink.h), connecting included.
    options.delivery_budget =
        std::chrono::milliseconds(ParseDurationMs(settings.webhook_timeout).value_or(30'000));
    sinks.push_back(std::make_shared<WebhookSink>(options));
  }
  return sinks;
}

std::vector<NamedSink> NamedSinks(const std::vector<std::shared_ptr<AlertSink>>& sinks) {
  std::vector<NamedSink> named;
  for (const std::shared_ptr<AlertSink>& sink : sinks) {
    named.push_back(
        {.name = sink->name(),
         .deliver = [sink](const std::string& body, const Bytes& certificate) -> Result<void> {
           return sink->Deliver(AlertFromStored(body, certificate));
         }});
  }
  return named;
}

Result<std::vector<TestAlertDelivery>> SendTestAlert(SinkSettings settings, const std::string& db,
                                                     int64_t now_ms) {
  RETURN_IF_ERROR(ResolveWebhookSecret(settings));
  RETURN_IF_ERROR(CheckSinkSettings(settings, db));
  Alert alert;
  alert.json = nlohmann::ordered_json::parse(ProofOfLifeAlertJson("test", now_ms));
  std::vector<TestAlertDelivery> deliveries;
  for (const std::shared_ptr<AlertSink>& sink : MakeSinks(settings, db)) {
    deliveries.push_back({.sink = sink->name(), .sent = sink->Deliver(alert)});
  }
  return deliveries;
}

}  // namespace ctkit
