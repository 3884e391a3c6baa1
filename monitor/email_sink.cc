#include "monitor/email_sink.h"

#include <openssl/rand.h>

#include <cstdlib>
#include <ctime>
#include <string_view>

#include "base/bytes.h"
#include "base/clock.h"
#include "base/terminal_text.h"
#include "monitor/alert_facts.h"
#include "monitor/alerts.h"
#include "monitor/child_process.h"
#include "monitor/email_address.h"

namespace ctkit {
namespace {

// RFC 5322 §3.3 date-time in UTC ("Mon, 2 Jan 2006 15:04:05 +0000"), without the locale.
std::string MailDate(int64_t now_ms) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const time_t t = static_cast<time_t>(now_ms / 1000);
  struct tm tm{};
  gmtime_r(&t, &tm);
  char buffer[64];
  std::snprintf(buffer, sizeof(buffer), "%s, %d %s %04d %02d:%02d:%02d +0000",
                kDays[tm.tm_wday % 7], tm.tm_mday, kMonths[tm.tm_mon % 12], tm.tm_year + 1900,
                tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buffer;
}

// Header text from alert text: printable ASCII only (others become '?'), one line, bounded.
std::string HeaderText(std::string_view text, size_t max) {
  std::string out;
  for (char c : text.substr(0, max)) {
    const auto b = static_cast<unsigned char>(c);
    out += b >= 0x20 && b < 0x7f ? c : '?';
  }
  return out;
}

std::string MessageId() {
  unsigned char random[16] = {};
  RAND_bytes(random, sizeof(random));
  std::string host = HeaderText(LocalHostName(), 200);
  for (char& c : host) {
    if (c == '<' || c == '>' || c == ' ' || c == '@') c = '-';
  }
  return "<" + HexEncode(ByteSpan(random, sizeof(random))) + "@" +
         (host.empty() ? std::string("ctkit.invalid") : host) + ">";
}

// $EMAIL, certspotter's sender, when it is an address CheckEmailAddress accepts.
std::string Sender() {
  const char* email = std::getenv("EMAIL");
  if (email == nullptr || !CheckEmailAddress(email)) return "";
  return email;
}

}  // namespace

std::string EmailMessage(const Alert& alert, const std::vector<std::string>& recipients,
                         int64_t now_ms) {
  const AlertFacts facts = AlertFactsOf(alert);
  std::string to;
  for (const std::string& recipient : recipients) to += (to.empty() ? "" : ", ") + recipient;
  std::string message;
  if (std::string from = Sender(); !from.empty()) message += "From: " + from + "\n";
  message += "To: " + to + "\n";
  message += "Subject: [ctkit] " + HeaderText(facts.summary, 900) + "\n";
  message += "Date: " + MailDate(now_ms) + "\n";
  message += "Message-ID: " + MessageId() + "\n";
  message += "Mime-Version: 1.0\n";
  message += "Content-Type: text/plain; charset=UTF-8\n";
  message += "Content-Transfer-Encoding: 8bit\n";
  message += "X-Mailer: ctkit\n";
  message += "\n";
  if (facts.certificate) message += TerminalSafe(facts.summary) + "\n\n";
  message += AlertText(alert, facts);
  return message;
}

std::string SendmailPath() {
  const char* path_variable = std::getenv("PATH");
  const std::string path = path_variable != nullptr ? path_variable : "";
  if (const char* configured = std::getenv("SENDMAIL_PATH");
      configured != nullptr && *configured != '\0') {
    return FindProgram(configured, path).value_or(configured);
  }
  return FindProgram("sendmail", path).value_or("/usr/sbin/sendmail");
}

Result<void> EmailSink::Deliver(const Alert& alert) {
  std::vector<std::string> argv = {"sendmail", "-i"};
  if (std::string from = Sender(); !from.empty()) {
    argv.push_back("-f");
    argv.push_back(from);
  }
  argv.push_back("--");
  argv.insert(argv.end(), options_.recipients.begin(), options_.recipients.end());
  ChildProcess sendmail{.path = SendmailPath(),
                        .argv = std::move(argv),
                        .environment = ChildEnvironment({}, {}),
                        .stdin_data = EmailMessage(alert, options_.recipients, UnixNowMs()),
                        .timeout = options_.timeout,
                        .what = "sendmail"};
  RETURN_IF_ERROR(RunChildProcess(sendmail), "email sink");
  return {};
}

}  // namespace ctkit
