// EmailSink: each alert as a plain-text email handed to sendmail(8), as certspotter's -email does
// (certspotter(8); docs/man/ctkit-monitor.8.scd, --email):
//
//   EmailSink email({.recipients = {"security@example.com"}});
//   if (Result<void> sent = email.Deliver(alert); !sent) log(sent.error().message);
//
// The program is $SENDMAIL_PATH when set (a bare name is looked up in $PATH), else `sendmail`
// found in $PATH, else /usr/sbin/sendmail; it is run as `sendmail -i [-f $EMAIL] -- ADDR...`
// (monitor/child_process.h: no shell, its own process group) with the message on its stdin:
// To, Subject "[ctkit] SUMMARY", Date, Message-ID, MIME headers (text/plain, UTF-8), and From
// when $EMAIL is set, then AlertText (monitor/alert_facts.h): for a certificate its names,
// subject, issuer, serial, validity, SHA-256, log and index; for other events the summary and
// the alert's fields. Exit status 0 is success; another status, a signal or the timeout is a
// delivery error, retried like any sink's.
//
// Addresses are checked at start-up (monitor/email_address.h CheckEmailAddress, by
// monitor/monitor_sinks.h CheckSinkSettings): nothing from an alert reaches the
// command line, and alert text reaches the headers only in the Subject, as one line of printable
// ASCII, so no alert can add a recipient, a flag or a header.

#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "base/error.h"
#include "monitor/alert_sink.h"

namespace ctkit {

struct EmailSinkOptions {
  std::vector<std::string> recipients;        // each passed CheckEmailAddress
  std::chrono::milliseconds timeout{120000};  // certspotter's two minutes
};

// The message EmailSink hands sendmail for `alert`, dated `now_ms`.
std::string EmailMessage(const Alert& alert, const std::vector<std::string>& recipients,
                         int64_t now_ms);

// The sendmail program as described above, from the current environment.
std::string SendmailPath();

class EmailSink : public AlertSink {
 public:
  explicit EmailSink(EmailSinkOptions options) : options_(std::move(options)) {}
  Result<void> Deliver(const Alert& alert) override;
  std::string name() const override { return "email"; }

 private:
  EmailSinkOptions options_;
};

}  // namespace ctkit
