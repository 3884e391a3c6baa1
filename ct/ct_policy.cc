#include "ct/ct_policy.h"

#include <algorithm>
#include <initializer_list>
#include <limits>
#include <optional>
#include <string_view>
#include <tuple>

#include "ct/rfc3339.h"

namespace ctkit {
namespace {

constexpr int64_t kSecondsPerDay = 86400;

std::string_view DeliveryName(SctDelivery delivery) {
  switch (delivery) {
    case SctDelivery::kEmbedded:
      return "embedded";
    case SctDelivery::kTlsExtension:
      return "TLS extension";
    case SctDelivery::kOcspResponse:
      return "OCSP response";
  }
  return "unknown";
}

std::string LogName(const LogInfo& log) {
  if (log.description.empty()) return "log " + Base64Encode(log.log_id);
  return "\"" + log.description + "\"";
}

bool IsCurrentState(LogState state) {
  return state == LogState::kQualified || state == LogState::kUsable ||
         state == LogState::kReadOnly;
}

// Appends "pass: " or "fail: " and the concatenation of `parts` to `reasons`, written once into
// one allocation: every verdict builds about ten such lines, and the temporaries of chained "+"
// were a measurable part of checking a certificate (docs/PERFORMANCE.md).
void Rule(std::vector<std::string>& reasons, bool ok,
          std::initializer_list<std::string_view> parts) {
  size_t size = 6;
  for (std::string_view part : parts) size += part.size();
  std::string& line = reasons.emplace_back();
  line.reserve(size);
  line += ok ? "pass: " : "fail: ";
  for (std::string_view part : parts) line += part;
}

// Distinct operator names in ascending order (as a std::set<std::string> would hold them).
using OperatorSet = std::vector<std::string_view>;

std::string Join(const OperatorSet& names) {
  std::string out;
  for (std::string_view name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

// Ceiling division for non-negative numerators.
int64_t CeilDiv(int64_t value, int64_t divisor) { return (value + divisor - 1) / divisor; }

// An SCT that may count: verified, from a listed log, in a state that can count at check time.
struct Candidate {
  size_t index = 0;
  const LogInfo* log = nullptr;
  int64_t timestamp_ms = 0;
  bool embedded = false;
  bool current = false;            // Qualified, Usable or ReadOnly at check time
  int64_t retired_ms = 0;          // when !current: the log's retirement (the SCT predates it)
  std::string_view operator_name;  // at SCT time; the LogList outlives the evaluation
  bool rfc6962 = false;
};

struct ScreenRules {
  bool accept_ocsp = true;
  std::string_view ocsp_refusal;  // why, when !accept_ocsp
  bool accept_tiled = true;
  std::string_view tiled_refusal;  // why, when !accept_tiled
};

// The checks common to both policies. Every SCT that cannot count gets an "ignored:" line.
std::vector<Candidate> Screen(const PolicyInput& input, const LogList& logs, int64_t now_ms,
                              const ScreenRules& rules, std::vector<std::string>& reasons) {
  std::vector<Candidate> candidates;
  candidates.reserve(input.scts.size());
  for (size_t i = 0; i < input.scts.size(); ++i) {
    const PolicySct& sct = input.scts[i];
    // The line's text is built only for an SCT that is ignored.
    const auto ignored = [&](std::initializer_list<std::string_view> why) {
      const std::string number = std::to_string(i);
      std::string& line = reasons.emplace_back();
      line.reserve(64);
      line += "ignored: SCT #";
      line += number;
      line += " (";
      line += DeliveryName(sct.delivery);
      line += "): ";
      for (std::string_view part : why) line += part;
    };
    if (!sct.signature_verified) {
      ignored({"its signature did not verify"});
      continue;
    }
    const LogInfo* log = logs.FindLog(sct.log_id);
    if (log == nullptr) {
      ignored({"log ", Base64Encode(sct.log_id), " is not in the log list"});
      continue;
    }
    if (sct.timestamp_ms > now_ms) {
      ignored({"its timestamp ", FormatRfc3339(sct.timestamp_ms), " is after the time of check"});
      continue;
    }
    if (sct.delivery == SctDelivery::kOcspResponse && !rules.accept_ocsp) {
      ignored({rules.ocsp_refusal});
      continue;
    }
    if (log->api == LogApi::kStaticCtApi && !rules.accept_tiled) {
      ignored({LogName(*log), " is a static-ct-api log; ", rules.tiled_refusal});
      continue;
    }
    std::optional<LogState> state = LogList::StateAt(*log, now_ms);
    if (!state) {
      if (!log->state) {
        ignored({LogName(*log), " has no state in the log list"});
      } else {
        ignored({LogName(*log), " became ", LogStateName(log->state->state), " only at ",
                 FormatRfc3339(log->state->since_ms),
                 ", after the time of check; the list does not say its state before"});
      }
      continue;
    }
    if (*state == LogState::kPending || *state == LogState::kRejected) {
      ignored({LogName(*log), " is ", LogStateName(*state), " since ",
               FormatRfc3339(log->state->since_ms)});
      continue;
    }
    Candidate candidate;
    candidate.index = i;
    candidate.log = log;
    candidate.timestamp_ms = sct.timestamp_ms;
    candidate.embedded = sct.delivery == SctDelivery::kEmbedded;
    candidate.current = IsCurrentState(*state);
    candidate.operator_name = logs.OperatorAt(*log, sct.timestamp_ms);
    candidate.rfc6962 = log->api == LogApi::kRfc6962;
    if (*state == LogState::kRetired) {
      if (!candidate.embedded) {
        ignored({LogName(*log), " is retired since ", FormatRfc3339(log->state->since_ms),
                 ", and SCTs not embedded count only from logs Qualified, Usable or "
                 "ReadOnly at the time of check"});
        continue;
      }
      if (sct.timestamp_ms >= log->state->since_ms) {
        ignored({LogName(*log), " retired at ", FormatRfc3339(log->state->since_ms),
                 ", and this SCT (", FormatRfc3339(sct.timestamp_ms),
                 ") is not from before the retirement"});
        continue;
      }
      candidate.retired_ms = log->state->since_ms;
    }
    candidates.push_back(candidate);
  }
  return candidates;
}

size_t CountPresented(const PolicyInput& input, bool embedded) {
  return std::count_if(input.scts.begin(), input.scts.end(), [&](const PolicySct& sct) {
    return (sct.delivery == SctDelivery::kEmbedded) == embedded;
  });
}

// The first candidate of each distinct log, in index order. A log list holds each log_id once,
// so one log is one LogInfo; the result holds at most one entry per listed log, which bounds
// the scan.
std::vector<const Candidate*> OnePerLog(const std::vector<const Candidate*>& candidates) {
  std::vector<const Candidate*> result;
  result.reserve(candidates.size());
  for (const Candidate* candidate : candidates) {
    bool seen = std::any_of(result.begin(), result.end(),
                            [&](const Candidate* kept) { return kept->log == candidate->log; });
    if (!seen) result.push_back(candidate);
  }
  return result;
}

OperatorSet Operators(const std::vector<const Candidate*>& candidates) {
  OperatorSet names;
  names.reserve(candidates.size());
  for (const Candidate* candidate : candidates) names.push_back(candidate->operator_name);
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

size_t CountIf(const std::vector<const Candidate*>& candidates, bool Candidate::* flag) {
  return std::count_if(candidates.begin(), candidates.end(),
                       [&](const Candidate* candidate) { return candidate->*flag; });
}

std::vector<size_t> Indices(const std::vector<const Candidate*>& candidates) {
  std::vector<size_t> indices;
  for (const Candidate* candidate : candidates) indices.push_back(candidate->index);
  std::sort(indices.begin(), indices.end());
  return indices;
}

struct PathResult {
  bool presented = false;  // any SCT of this delivery kind was in the input
  bool ok = false;
  size_t logs = 0;  // distinct logs that counted
  std::vector<size_t> counted;
};

// The verdict line first, then the path chosen for counted_scts.
void Conclude(PolicyVerdict& verdict, const PathResult& embedded, const PathResult& delivered,
              std::string_view delivered_name) {
  std::string line = verdict.policy + " CT policy: ";
  if (embedded.ok) {
    verdict.compliant = true;
    verdict.counted_scts = embedded.counted;
    line += "compliant with embedded SCTs";
  } else if (delivered.ok) {
    verdict.compliant = true;
    verdict.counted_scts = delivered.counted;
    line += "compliant with " + std::string(delivered_name);
  } else {
    line += "not compliant";
    const bool prefer_delivered =
        delivered.logs > embedded.logs || (!embedded.presented && delivered.presented);
    verdict.counted_scts = prefer_delivered ? delivered.counted : embedded.counted;
  }
  verdict.reasons.insert(verdict.reasons.begin(), std::move(line));
}

// Rejects validity periods that are inverted or outside years 0000-9999 (which also keeps the
// arithmetic below far from overflow).
bool ValidityUsable(const PolicyInput& input, std::vector<std::string>& reasons) {
  constexpr int64_t kMin = kMinRfc3339Ms / 1000;
  constexpr int64_t kMax = kMaxRfc3339Ms / 1000;
  if (input.not_before < kMin || input.not_before > kMax || input.not_after < kMin ||
      input.not_after > kMax) {
    Rule(reasons, false, {"the certificate's validity is outside the years 0000-9999"});
    return false;
  }
  if (input.not_after < input.not_before) {
    Rule(reasons, false, {"the certificate's notAfter is before its notBefore"});
    return false;
  }
  return true;
}

}  // namespace

std::string_view SctDeliveryName(SctDelivery delivery) {
  switch (delivery) {
    case SctDelivery::kEmbedded:
      return "embedded";
    case SctDelivery::kTlsExtension:
      return "tls";
    case SctDelivery::kOcspResponse:
      return "ocsp";
  }
  return "unknown";
}

PolicyVerdict EvaluateChromePolicy(const PolicyInput& input, const LogList& list, int64_t now_ms) {
  // Chrome judges by Google's list: within a merge, by Google's states (log_list.h).
  const LogList& logs = list.ForVendor(LogListVendor::kGoogle);
  PolicyVerdict verdict;
  verdict.policy = "Chrome";
  std::vector<std::string>& reasons = verdict.reasons;
  reasons.reserve(12);  // the verdict, four rules per path and a few notes: no regrowth
  if (!ValidityUsable(input, reasons)) {
    Conclude(verdict, {}, {}, "");
    return verdict;
  }
  if (input.not_before < kChromeCurrentPolicyFromMs / 1000) {
    reasons.push_back(
        "note: issued before 2022-04-15, when Chrome's older policy applied; judged by the "
        "current rules");
  }

  ScreenRules rules;
  // Chrome 148 (stable 2026-05-05) dropped OCSP-delivered SCTs (see ct_policy.h).
  rules.accept_ocsp = now_ms < kChromeOcspSctsIgnoredFromMs;
  rules.ocsp_refusal =
      "Chrome ignores SCTs delivered in OCSP responses from Chrome 148 (stable 2026-05-05)";
  // Chrome 134 (2025-03-04) first accepted static-ct-api logs.
  rules.accept_tiled = now_ms >= kChromeTiledLogsAcceptedFromMs;
  rules.tiled_refusal = "Chrome accepts those only from Chrome 134 (2025-03-04)";
  std::vector<Candidate> candidates = Screen(input, logs, now_ms, rules, reasons);

  // Chrome CT policy, "Important Notes": the earliest SCT is compared with Retired timestamps.
  // As chrome_ct_policy_enforcer.cc does, "earliest" is among SCTs from logs not retired.
  int64_t earliest = std::numeric_limits<int64_t>::max();
  for (const Candidate& candidate : candidates) {
    if (candidate.current) earliest = std::min(earliest, candidate.timestamp_ms);
  }
  std::vector<const Candidate*> embedded_all, delivered_all;
  for (const Candidate& candidate : candidates) {
    if (!candidate.current && earliest >= candidate.retired_ms) {
      reasons.push_back(
          "ignored: SCT #" + std::to_string(candidate.index) + " (embedded): " +
          LogName(*candidate.log) + " retired at " + FormatRfc3339(candidate.retired_ms) +
          ", and Chrome counts a retired log's SCT only when the earliest SCT from a log not "
          "retired is before the retirement" +
          (earliest == std::numeric_limits<int64_t>::max()
               ? std::string(" (there is none)")
               : " (it is from " + FormatRfc3339(earliest) + ")"));
      continue;
    }
    (candidate.embedded ? embedded_all : delivered_all).push_back(&candidate);
  }
  const bool need_rfc6962 = now_ms < kChromeRfc6962RuleEndsMs;
  constexpr std::string_view rfc6962_rule =
      "needs an SCT from an RFC 6962 log (a Chrome rule until 2026-04-15), has ";

  PathResult embedded;
  embedded.presented = CountPresented(input, true) > 0;
  if (!embedded.presented) {
    reasons.push_back("embedded: no SCTs presented");
  } else {
    const int64_t lifetime = input.not_after - input.not_before;
    const size_t needed = lifetime <= kChromeShortLifetimeSeconds ? 2 : 3;
    const std::vector<const Candidate*> per_log = OnePerLog(embedded_all);
    const size_t current = CountIf(embedded_all, &Candidate::current);
    const OperatorSet operators = Operators(embedded_all);
    const size_t rfc6962 = CountIf(embedded_all, &Candidate::rfc6962);
    const bool rule1 = current >= 1;
    const bool rule2 = per_log.size() >= needed;
    const bool rule3 = operators.size() >= 2;
    const bool rule4 = !need_rfc6962 || rfc6962 >= 1;
    Rule(reasons, rule1,
         {"embedded: needs an SCT from a log Qualified, Usable or ReadOnly at the time of check, "
          "has ",
          std::to_string(current)});
    Rule(reasons, rule2,
         {"embedded: needs SCTs from ", std::to_string(needed), " distinct CT logs for a ",
          std::to_string(CeilDiv(lifetime, kSecondsPerDay)), "-day certificate (",
          needed == 2 ? "180 days or less" : "over 180 days", "), has ",
          std::to_string(per_log.size())});
    const std::string names = Join(operators);
    Rule(reasons, rule3,
         {"embedded: needs SCTs from 2 distinct log operators, has ",
          std::to_string(operators.size()), operators.empty() ? "" : " (", names,
          operators.empty() ? "" : ")"});
    if (need_rfc6962) Rule(reasons, rule4, {"embedded: ", rfc6962_rule, std::to_string(rfc6962)});
    embedded.ok = rule1 && rule2 && rule3 && rule4;
    embedded.logs = per_log.size();
    embedded.counted = Indices(per_log);
  }

  PathResult delivered;
  delivered.presented = CountPresented(input, false) > 0;
  if (!delivered.presented) {
    reasons.push_back("TLS/OCSP: no SCTs presented");
  } else {
    const std::vector<const Candidate*> per_log = OnePerLog(delivered_all);
    const OperatorSet operators = Operators(delivered_all);
    const size_t rfc6962 = CountIf(delivered_all, &Candidate::rfc6962);
    const bool rule1 = per_log.size() >= 2;
    const bool rule2 = operators.size() >= 2;
    const bool rule3 = !need_rfc6962 || rfc6962 >= 1;
    Rule(reasons, rule1,
         {"TLS/OCSP: needs SCTs from 2 distinct logs Qualified, Usable or ReadOnly at the time of "
          "check, has ",
          std::to_string(per_log.size())});
    const std::string names = Join(operators);
    Rule(reasons, rule2,
         {"TLS/OCSP: needs SCTs from 2 distinct log operators, has ",
          std::to_string(operators.size()), operators.empty() ? "" : " (", names,
          operators.empty() ? "" : ")"});
    if (need_rfc6962) Rule(reasons, rule3, {"TLS/OCSP: ", rfc6962_rule, std::to_string(rfc6962)});
    delivered.ok = rule1 && rule2 && rule3;
    delivered.logs = per_log.size();
    delivered.counted = Indices(per_log);
  }

  Conclude(verdict, embedded, delivered, "SCTs delivered via TLS/OCSP");
  return verdict;
}

PolicyVerdict EvaluateApplePolicy(const PolicyInput& input, const LogList& list, int64_t now_ms) {
  // Apple judges by its own list: within a merge, by Apple's states (log_list.h).
  const LogList& logs = list.ForVendor(LogListVendor::kApple);
  PolicyVerdict verdict;
  verdict.policy = "Apple";
  std::vector<std::string>& reasons = verdict.reasons;
  reasons.reserve(12);
  if (!ValidityUsable(input, reasons)) {
    Conclude(verdict, {}, {}, "");
    return verdict;
  }
  // RFC 5280 §4.1.2.5 validity is inclusive; Apple counts any part of a day as a day.
  const int64_t days = CeilDiv(input.not_after - input.not_before + 1, kSecondsPerDay);
  const size_t needed = days <= 180 ? 2 : 3;
  const size_t per_operator = days <= 180 ? 1 : 2;
  if (days > 398) {
    reasons.push_back("note: a " + std::to_string(days) +
                      "-day certificate is beyond Apple's table (398 days), and Apple rejects "
                      "such TLS certificates under its validity-period rule; judged as 181-398");
  }
  if (input.not_before < kAppleCurrentTableFromMs / 1000) {
    reasons.push_back(
        "note: notBefore is before 2021-04-21, when Apple's month-based table applied; judged by "
        "the current table");
  }

  std::vector<Candidate> candidates = Screen(input, logs, now_ms, ScreenRules{}, reasons);
  std::vector<const Candidate*> approved, current, embedded_approved;
  for (const Candidate& candidate : candidates) {
    approved.push_back(&candidate);
    if (candidate.current) current.push_back(&candidate);
    if (candidate.embedded) embedded_approved.push_back(&candidate);
  }
  const std::vector<const Candidate*> approved_logs = OnePerLog(approved);
  Rule(reasons, approved_logs.size() >= 2,
       {"needs SCTs from 2 distinct once or currently approved logs, has ",
        std::to_string(approved_logs.size())});
  constexpr std::string_view rfc6962_rule = "needs an SCT from a log compliant with RFC 6962, has ";

  PathResult embedded;
  embedded.presented = CountPresented(input, true) > 0;
  if (!embedded.presented) {
    reasons.push_back("embedded: no SCTs presented");
  } else {
    // Per operator, count at most `per_operator` distinct logs, preferring currently approved
    // and RFC 6962 logs so the chosen set also shows the other rules.
    std::vector<const Candidate*> per_log = OnePerLog(embedded_approved);
    std::stable_sort(per_log.begin(), per_log.end(), [](const Candidate* a, const Candidate* b) {
      return std::tie(b->current, b->rfc6962) < std::tie(a->current, a->rfc6962);
    });
    // Logs taken per operator; at most one entry per operator of the list, named in order.
    std::vector<std::pair<std::string_view, size_t>> taken;
    std::vector<const Candidate*> counted;
    for (const Candidate* candidate : per_log) {
      auto it = std::find_if(taken.begin(), taken.end(), [&](const auto& entry) {
        return entry.first == candidate->operator_name;
      });
      if (it == taken.end()) it = taken.insert(taken.end(), {candidate->operator_name, 0});
      if (it->second < per_operator) {
        ++it->second;
        counted.push_back(candidate);
      }
    }
    std::sort(taken.begin(), taken.end());
    std::string split;
    for (const auto& [name, count] : taken) {
      if (!split.empty()) split += ", ";
      split += name;
      split += ' ';
      split += std::to_string(count);
    }
    const size_t current_count = CountIf(embedded_approved, &Candidate::current);
    const size_t rfc6962 = CountIf(embedded_approved, &Candidate::rfc6962);
    const bool rule1 = current_count >= 1;
    const bool rule2 = counted.size() >= needed;
    const bool rule3 = rfc6962 >= 1;
    Rule(reasons, rule1,
         {"embedded: needs an SCT from a currently approved log, has ",
          std::to_string(current_count)});
    Rule(reasons, rule2,
         {"embedded: needs SCTs from ", std::to_string(needed),
          " distinct once or currently approved logs, at most ", std::to_string(per_operator),
          " per operator, for a ", std::to_string(days), "-day certificate, has ",
          std::to_string(counted.size()), split.empty() ? "" : " (", split,
          split.empty() ? "" : ")"});
    Rule(reasons, rule3, {"embedded: ", rfc6962_rule, std::to_string(rfc6962)});
    embedded.ok = rule1 && rule2 && rule3 && approved_logs.size() >= 2;
    embedded.logs = counted.size();
    embedded.counted = Indices(counted);
  }

  PathResult delivered;
  delivered.presented = CountPresented(input, false) > 0;
  if (!delivered.presented) {
    reasons.push_back("TLS/OCSP: no SCTs presented");
  } else {
    // Two SCTs from currently approved logs, one of them not embedded: per log prefer the SCT
    // delivered via TLS or OCSP.
    std::vector<const Candidate*> ordered = current;
    std::stable_sort(ordered.begin(), ordered.end(), [](const Candidate* a, const Candidate* b) {
      return !a->embedded && b->embedded;
    });
    const std::vector<const Candidate*> per_log = OnePerLog(ordered);
    const size_t not_embedded = std::count_if(per_log.begin(), per_log.end(),
                                              [](const Candidate* c) { return !c->embedded; });
    const size_t rfc6962 = CountIf(current, &Candidate::rfc6962);
    const bool rule1 = per_log.size() >= 2;
    const bool rule2 = not_embedded >= 1;
    const bool rule3 = rfc6962 >= 1;
    Rule(reasons, rule1,
         {"TLS/OCSP: needs SCTs from 2 distinct currently approved logs, has ",
          std::to_string(per_log.size())});
    Rule(reasons, rule2,
         {"TLS/OCSP: needs one of them presented via the TLS extension or OCSP stapling, has ",
          std::to_string(not_embedded)});
    Rule(reasons, rule3, {"TLS/OCSP: ", rfc6962_rule, std::to_string(rfc6962)});
    delivered.ok = rule1 && rule2 && rule3;
    delivered.logs = per_log.size();
    delivered.counted = Indices(per_log);
  }

  Conclude(verdict, embedded, delivered, "SCTs presented via TLS/OCSP");
  return verdict;
}

}  // namespace ctkit
