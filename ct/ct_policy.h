// Browser CT policies: is a certificate, with the SCTs that accompany it, "CT compliant" for
// Chrome and for Apple at a given time?
//
// Evaluation is a pure function of its inputs. The time of check is a parameter (Unix ms), never
// the system clock, so `--at TIME`, tests and audits of old certificates are reproducible. Log
// states come from a LogList and are read "at the time of check" with LogList::StateAt: a state
// applies only from the timestamp the list gives for it (see log_list.h). Each policy reads its
// own vendor's list within a merged one (LogList::ForVendor): Chrome Google's, Apple Apple's.
//
// Policies change; every rule below is dated and cites where it comes from. The dates that
// switch rules on or off are constants here, compared with the time of check.
//
// Chrome — Chrome Certificate Transparency Policy,
// https://googlechrome.github.io/CertificateTransparency/ct_policy.html (text of 2025-2026),
// policy for certificates issued on or after 2022-04-15 (announced on ct-policy@chromium.org
// 2022-02-10, Chrome 100), enforced as in chromium components/certificate_transparency/
// chrome_ct_policy_enforcer.cc:
//   Embedded SCTs:
//     1. at least one embedded SCT from a log Qualified, Usable or ReadOnly at check time;
//     2. embedded SCTs from at least N distinct logs Qualified, Usable, ReadOnly or Retired at
//        check time, N = 2 for a lifetime (notAfter - notBefore) <= 180 days, else 3;
//     3. among the SCTs of rule 2, at least two distinct log operators;
//     4. until 2026-04-15: among the SCTs of rule 2, at least one from an RFC 6962 log.
//   SCTs delivered by TLS extension or OCSP response:
//     1. SCTs from at least two logs Qualified, Usable or ReadOnly at check time;
//     2. among them, at least two distinct log operators;
//     3. until 2026-04-15: among them, at least one from an RFC 6962 log.
//   For all: a log's operator is the one at SCT time (`previous_operators`); an SCT from a
//   Retired log counts only if issued before the retirement, and only if the earliest SCT from
//   a log not retired is also before it ("Chrome uses the earliest SCT among all SCTs presented
//   to evaluate CT compliance against CT Log Retired timestamps"); several SCTs from one log
//   count once.
//   The policy defines the criteria per delivery method, and "CT Compliance can no longer be met
//   by a mix of embedded, OCSP, and TLS SCTs" (ct-policy@chromium.org, 2020 policy rewrite);
//   ctkit follows the text. Chromium's enforcer is laxer: it accepts any one TLS/OCSP SCT if
//   the SCTs of all delivery methods together come from two operators.
//   Dated changes:
//     - 2025-03-04, Chrome 134: static-ct-api ("tiled") logs accepted, with the RFC 6962 rule
//       (ct-policy@chromium.org, "Chrome CT Policy changes to accept static-ct-api logs",
//       2025-02-28). Before that date tiled logs' SCTs do not count here.
//     - 2026-04-15: the RFC 6962 rule ends ("4. Before April 15, 2026: ... at least one SCT must
//       be issued from a log recognized by Chrome as being RFC6962-compliant", Chrome CT policy
//       text as quoted by crt.sh's ctlint; announced on ct-policy@chromium.org late 2025, thread
//       "amrnTiDFdwM", after "nearly 9 months" of static-ct-api logs).
//     - 2026-05-05, Chrome 148: SCTs delivered in OCSP responses are no longer supported
//       (reported by the Feisty Duck Cryptography & Security Newsletter, 2026: "Chrome is
//       removing support for SCTs delivered via OCSP responses starting in Chrome 148 (May 5,
//       2026)"). The rule depends on the Chrome version; the stable release date stands in for it.
//     - Chrome stops enforcing CT when its log list is 70 days old (log_list.h); the verdict is
//       still computed, and the command says so once per run (LogList::StalenessWarning).
//   Certificates issued before 2022-04-15 were under an older policy (a Google and a non-Google
//   log, lifetime in months); none can still be valid, Chromium no longer implements it, nor
//   does this code: such certificates get a note and are judged by the current rules.
//
// Apple — Apple's Certificate Transparency policy, https://support.apple.com/en-us/103214
// (formerly HT205280; text of 2025-2026), and the log program https://support.apple.com/103703:
//   At least two SCTs from logs once or currently approved at check time, and either
//     A. at least two SCTs from currently approved logs, one of them presented via the TLS
//        extension or OCSP stapling, or
//     B. at least one embedded SCT from a currently approved log, and embedded SCTs from at least
//        N distinct once or currently approved logs, counting at most M per log operator:
//        lifetime <= 180 days: N = 2, M = 1; 181 to 398 days: N = 3, M = 2;
//   and at least one SCT must be issued from a log compliant with RFC 6962.
//   Lifetime follows RFC 5280 §4.1.2.5, "from notBefore through notAfter, inclusive", in days of
//   86,400 seconds where "any time greater than this indicates an additional day": so a
//   certificate with notAfter = notBefore + 180 days is a 181-day certificate for Apple, and a
//   180-day one for Chrome.
//   Interpretations (Apple's pages do not define them against Google's list): "currently
//   approved" = Qualified, Usable or ReadOnly at check time; "once approved" = Retired, for SCTs
//   issued before the retirement. States and operators are those of Apple's own list when the
//   log list holds it (the compiled-in default does: LogList::ForVendor), else of the list
//   given. Lifetimes over 398 days are judged with N = 3, M = 2 and a note: Apple rejects such
//   certificates under its separate validity-period rule.
//   Certificates with notBefore before 2021-04-21 were under a month-based table; they get a
//   note and the current table. OCSP-delivered SCTs still count for Apple.

#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ct/log_list.h"

namespace ctkit {

// Rule switch dates, Unix ms (UTC midnight). Sources in the file comment.
inline constexpr int64_t kChromeCurrentPolicyFromMs = 1649980800000;      // 2022-04-15
inline constexpr int64_t kChromeTiledLogsAcceptedFromMs = 1741046400000;  // 2025-03-04
inline constexpr int64_t kChromeRfc6962RuleEndsMs = 1776211200000;        // 2026-04-15
inline constexpr int64_t kChromeOcspSctsIgnoredFromMs = 1777939200000;    // 2026-05-05
inline constexpr int64_t kAppleCurrentTableFromMs = 1618963200000;        // 2021-04-21

// Chrome: lifetimes up to this (notAfter - notBefore) need 2 embedded SCTs, longer ones 3.
inline constexpr int64_t kChromeShortLifetimeSeconds = int64_t{180} * 86400;

// How an SCT reached the client (RFC 6962 §3.3).
enum class SctDelivery {
  kEmbedded,      // X.509v3 extension 1.3.6.1.4.1.11129.2.4.2 in the certificate
  kTlsExtension,  // signed_certificate_timestamp TLS extension
  kOcspResponse,  // extension 1.3.6.1.4.1.11129.2.4.5 in a stapled OCSP response
};

// Stable lowercase names for machine output: "embedded", "tls", "ocsp".
std::string_view SctDeliveryName(SctDelivery delivery);

struct PolicySct {
  LogId log_id{};
  int64_t timestamp_ms = 0;  // the SCT's timestamp (RFC 6962 §3.2)
  SctDelivery delivery = SctDelivery::kEmbedded;
  // Only SCTs whose signature verified count; the others are listed as ignored.
  bool signature_verified = false;
};

struct PolicyInput {
  int64_t not_before = 0;  // certificate validity, Unix seconds
  int64_t not_after = 0;
  std::vector<PolicySct> scts;
};

struct PolicyVerdict {
  std::string policy;  // "Chrome" or "Apple"
  bool compliant = false;
  // One line per rule checked ("pass: ..." / "fail: ..."), per ignored SCT ("ignored: SCT #2
  // ..."), and notes ("note: ..."). The first line states the verdict.
  std::vector<std::string> reasons;
  // Indices into PolicyInput::scts of the SCTs that satisfy the policy (one per log), ascending.
  // When not compliant: those that counted towards the closest path.
  std::vector<size_t> counted_scts;
};

PolicyVerdict EvaluateChromePolicy(const PolicyInput& input, const LogList& logs, int64_t now_ms);
PolicyVerdict EvaluateApplePolicy(const PolicyInput& input, const LogList& logs, int64_t now_ms);

}  // namespace ctkit
