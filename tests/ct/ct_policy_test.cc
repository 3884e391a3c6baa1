// Chrome and Apple CT policies, rule by rule, at fixed times of check, on small synthetic log
// lists (and a few cases on the real v53.34 list).

#include "ct/ct_policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/sha256.h"
#include "ct/rfc3339.h"
#include "tests/test_support.h"

namespace ctkit {
namespace {

using nlohmann::json;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;

int64_t Ms(const char* text) { return *ParseRfc3339(text); }
int64_t Seconds(const char* text) { return Ms(text) / 1000; }

constexpr int64_t kDay = 86400;

std::string KeyOf(const std::string& name) { return "key of " + name; }
LogId IdOf(const std::string& name) { return Sha256(AsBytes(KeyOf(name))); }

struct TestLog {
  std::string name;
  std::string op;
  std::string state;  // "" for none
  std::string since;
  bool tiled = false;
  json previous_operators = nullptr;
};

LogList BuildList(const std::vector<TestLog>& logs) {
  json operators = json::array();
  auto operator_entry = [&](const std::string& name) -> json& {
    for (json& entry : operators) {
      if (entry["name"] == name) return entry;
    }
    operators.push_back(json{{"name", name},
                             {"email", json::array({name + "@example.com"})},
                             {"logs", json::array()},
                             {"tiled_logs", json::array()}});
    return operators.back();
  };
  for (const TestLog& log : logs) {
    json entry{{"description", log.name},
               {"log_id", Base64Encode(IdOf(log.name))},
               {"key", Base64Encode(AsBytes(KeyOf(log.name)))},
               {"mmd", log.tiled ? 60 : 86400}};
    if (log.tiled) {
      entry["submission_url"] = "https://" + log.name + ".example/";
      entry["monitoring_url"] = "https://" + log.name + "-mon.example/";
    } else {
      entry["url"] = "https://" + log.name + ".example/";
    }
    if (!log.state.empty()) {
      json body{{"timestamp", log.since}};
      if (log.state == "readonly") {
        body["final_tree_head"] = {{"sha256_root_hash", Base64Encode(Bytes(32, 0))},
                                   {"tree_size", 100}};
      }
      entry["state"] = {{log.state, body}};
    }
    if (!log.previous_operators.is_null()) entry["previous_operators"] = log.previous_operators;
    operator_entry(log.op)[log.tiled ? "tiled_logs" : "logs"].push_back(entry);
  }
  json list{
      {"version", "7.0"}, {"log_list_timestamp", "2025-06-01T00:00:00Z"}, {"operators", operators}};
  Result<LogList> parsed = LogList::Parse(list.dump());
  if (!parsed) throw std::runtime_error(parsed.error().message);
  return std::move(*parsed);
}

PolicySct Sct(const std::string& log, const char* time = "2025-06-01T00:00:00Z",
              SctDelivery delivery = SctDelivery::kEmbedded, bool verified = true) {
  return PolicySct{IdOf(log), Ms(time), delivery, verified};
}
PolicySct Tls(const std::string& log, const char* time = "2025-06-01T00:00:00Z") {
  return Sct(log, time, SctDelivery::kTlsExtension);
}
PolicySct Ocsp(const std::string& log, const char* time = "2025-06-01T00:00:00Z") {
  return Sct(log, time, SctDelivery::kOcspResponse);
}

class PolicyTest : public ::testing::Test {
 protected:
  // Time of check for most cases: a month after the list, before every 2026 rule change.
  const int64_t now_ = Ms("2025-07-01T00:00:00Z");
  const int64_t not_before_ = Seconds("2025-06-01T00:00:00Z");

  const LogList list_ = BuildList({
      {"A1", "A", "usable", "2024-01-01T00:00:00Z"},
      {"A2", "A", "usable", "2024-01-01T00:00:00Z"},
      {"A3", "A", "usable", "2024-01-01T00:00:00Z"},
      {"B1", "B", "usable", "2024-01-01T00:00:00Z"},
      {"B2", "B", "usable", "2024-01-01T00:00:00Z", /*tiled=*/true},
      {"C1", "C", "usable", "2024-01-01T00:00:00Z", /*tiled=*/true},
      {"C2", "C", "usable", "2024-01-01T00:00:00Z"},
      {"R1", "C", "retired", "2025-03-01T00:00:00Z"},
      {"R2", "D", "retired", "2025-03-01T00:00:00Z"},
      {"P1", "B", "pending", "2025-01-01T00:00:00Z"},
      {"X1", "A", "rejected", "2025-01-01T00:00:00Z"},
      {"Q1", "D", "qualified", "2025-05-01T00:00:00Z"},
      {"RO", "D", "readonly", "2025-04-01T00:00:00Z"},
      {"N1", "D", "", ""},
      // Run by A until 2025-01-01, by B since.
      {"M1", "B", "usable", "2024-01-01T00:00:00Z", false,
       json::array({json{{"name", "A"}, {"end_time", "2025-01-01T00:00:00Z"}}})},
  });

  PolicyInput Input(std::vector<PolicySct> scts, int64_t lifetime_seconds = 90 * kDay) const {
    return PolicyInput{not_before_, not_before_ + lifetime_seconds, std::move(scts)};
  }
  PolicyVerdict Chrome(std::vector<PolicySct> scts, int64_t lifetime = 90 * kDay,
                       std::optional<int64_t> now = std::nullopt) const {
    return EvaluateChromePolicy(Input(std::move(scts), lifetime), list_, now.value_or(now_));
  }
  PolicyVerdict Apple(std::vector<PolicySct> scts, int64_t lifetime = 90 * kDay,
                      std::optional<int64_t> now = std::nullopt) const {
    return EvaluateApplePolicy(Input(std::move(scts), lifetime), list_, now.value_or(now_));
  }
};

// ---- Chrome: embedded SCTs ----

TEST_F(PolicyTest, ChromeTwoLogsOfTwoOperatorsSatisfyA90DayCertificate) {
  PolicyVerdict verdict = Chrome({Sct("A1"), Sct("B1")});
  EXPECT_TRUE(verdict.compliant);
  EXPECT_EQ(verdict.policy, "Chrome");
  ASSERT_FALSE(verdict.reasons.empty());
  EXPECT_EQ(verdict.reasons[0], "Chrome CT policy: compliant with embedded SCTs");
  EXPECT_THAT(verdict.reasons,
              Contains("pass: embedded: needs SCTs from 2 distinct CT logs for a 90-day "
                       "certificate (180 days or less), has 2"));
  EXPECT_THAT(verdict.reasons,
              Contains("pass: embedded: needs SCTs from 2 distinct log operators, has 2 (A, B)"));
  EXPECT_THAT(verdict.reasons,
              Contains(HasSubstr("pass: embedded: needs an SCT from an RFC 6962")));
  EXPECT_THAT(verdict.counted_scts, ElementsAre(0, 1));
}

TEST_F(PolicyTest, ChromeNeedsTwoDistinctOperators) {
  PolicyVerdict verdict = Chrome({Sct("A1"), Sct("A2")});
  EXPECT_FALSE(verdict.compliant);
  EXPECT_EQ(verdict.reasons[0], "Chrome CT policy: not compliant");
  EXPECT_THAT(verdict.reasons,
              Contains("fail: embedded: needs SCTs from 2 distinct log operators, has 1 (A)"));
  EXPECT_THAT(verdict.counted_scts, ElementsAre(0, 1));
}

TEST_F(PolicyTest, ChromeLifetimeThresholdIsExactly180Days) {
  // notAfter - notBefore == 180 days: two SCTs suffice.
  EXPECT_TRUE(Chrome({Sct("A1"), Sct("B1")}, 180 * kDay).compliant);
  // One second more: three are needed.
  PolicyVerdict verdict = Chrome({Sct("A1"), Sct("B1")}, 180 * kDay + 1);
  EXPECT_FALSE(verdict.compliant);
  EXPECT_THAT(verdict.reasons,
              Contains("fail: embedded: needs SCTs from 3 distinct CT logs for a 181-day "
                       "certificate (over 180 days), has 2"));
  PolicyVerdict long_lived = Chrome({Sct("A1"), Sct("B1"), Sct("A2")}, 398 * kDay);
  EXPECT_TRUE(long_lived.compliant);
  EXPECT_THAT(long_lived.reasons,
              Contains("pass: embedded: needs SCTs from 3 distinct CT logs for a 398-day "
                       "certificate (over 180 days), has 3"));
}

TEST_F(PolicyTest, ChromeCountsSeveralSctsFromOneLogOnce) {
  PolicyVerdict verdict =
      Chrome({Sct("A1"), Sct("A1", "2025-06-01T00:00:01Z"), Sct("B1")}, 398 * kDay);
  EXPECT_FALSE(verdict.compliant);
  EXPECT_THAT(verdict.reasons, Contains(HasSubstr("needs SCTs from 3 distinct CT logs")));
  EXPECT_THAT(verdict.reasons, Contains(HasSubstr("(over 180 days), has 2")));
  EXPECT_THAT(verdict.counted_scts, ElementsAre(0, 2));
}

TEST_F(PolicyTest, ChromeRetiredLogCountsOnlyForSctsBeforeRetirement) {
  // R1 retired at 2025-03-01.
  PolicyVerdict before =
      Chrome({Sct("A1", "2025-02-15T00:00:00Z"), Sct("B1", "2025-02-15T00:00:00Z"),
              Sct("R1", "2025-02-15T00:00:00Z")},
             398 * kDay);
  EXPECT_TRUE(before.compliant);
  EXPECT_THAT(before.counted_scts, ElementsAre(0, 1, 2));

  PolicyVerdict at = Chrome({Sct("A1", "2025-02-15T00:00:00Z"), Sct("B1", "2025-02-15T00:00:00Z"),
                             Sct("R1", "2025-03-01T00:00:00Z")},
                            398 * kDay);
  EXPECT_FALSE(at.compliant);
  EXPECT_THAT(at.reasons,
              Contains("ignored: SCT #2 (embedded): \"R1\" retired at 2025-03-01T00:00:00Z, and "
                       "this SCT (2025-03-01T00:00:00Z) is not from before the retirement"));
  EXPECT_THAT(at.counted_scts, ElementsAre(0, 1));
}

TEST_F(PolicyTest, ChromeComparesTheEarliestSctWithTheRetirement) {
  // R1's SCT predates the retirement, but the other SCTs were all issued after it: Chrome
  // ("uses the earliest SCT among all SCTs presented") does not count R1. Apple does.
  std::vector<PolicySct> scts = {Sct("A1", "2025-03-05T00:00:00Z"),
                                 Sct("B1", "2025-03-05T00:00:00Z"),
                                 Sct("R1", "2025-02-28T00:00:00Z")};
  PolicyVerdict chrome = Chrome(scts, 398 * kDay);
  EXPECT_FALSE(chrome.compliant);
  EXPECT_THAT(chrome.reasons,
              Contains(HasSubstr("ignored: SCT #2 (embedded): \"R1\" retired at "
                                 "2025-03-01T00:00:00Z, and Chrome counts a retired log's SCT "
                                 "only when the earliest SCT from a log not retired is before "
                                 "the retirement (it is from 2025-03-05T00:00:00Z)")));
  EXPECT_TRUE(Apple(scts, 398 * kDay).compliant);
}

TEST_F(PolicyTest, ChromeNeedsOneEmbeddedSctFromALogNotRetired) {
  PolicyVerdict verdict =
      Chrome({Sct("R1", "2025-02-01T00:00:00Z"), Sct("R2", "2025-02-01T00:00:00Z")});
  EXPECT_FALSE(verdict.compliant);
  EXPECT_THAT(verdict.reasons, Contains(HasSubstr("(there is none)")));
  EXPECT_THAT(verdict.reasons,
              Contains("fail: embedded: needs an SCT from a log Qualified, Usable or ReadOnly at "
                       "the time of check, has 0"));
}

TEST_F(PolicyTest, PendingRejectedAndStatelessLogsDoNotCount) {
  PolicyVerdict verdict = Chrome({Sct("P1"), Sct("X1"), Sct("N1"), Sct("A1")});
  EXPECT_FALSE(verdict.compliant);
  EXPECT_THAT(verdict.reasons,
              Contains("ignored: SCT #0 (embedded): \"P1\" is pending since 2025-01-01T00:00:00Z"));
  EXPECT_THAT(
      verdict.reasons,
      Contains("ignored: SCT #1 (embedded): \"X1\" is rejected since 2025-01-01T00:00:00Z"));
  EXPECT_THAT(verdict.reasons,
              Contains("ignored: SCT #2 (embedded): \"N1\" has no state in the log list"));
  EXPECT_THAT(verdict.counted_scts, ElementsAre(3));
  // The same rules for Apple.
  PolicyVerdict apple = Apple({Sct("P1"), Sct("X1"), Sct("N1"), Sct("A1")});
  EXPECT_FALSE(apple.compliant);
  EXPECT_THAT(apple.reasons, Contains(HasSubstr("\"X1\" is rejected since")));
}

TEST_F(PolicyTest, QualifiedAndReadOnlyLogsCount) {
  EXPECT_TRUE(Chrome({Sct("Q1"), Sct("A1")}).compliant);
  EXPECT_TRUE(Chrome({Sct("RO"), Sct("B1")}).compliant);
  EXPECT_FALSE(Chrome({Sct("Q1"), Sct("RO")}).compliant);  // both run by D
}

TEST_F(PolicyTest, StateEnteredAfterTheTimeOfCheckIsNotAssumed) {
  // Q1 became qualified on 2025-05-01; checked on 2025-04-15 the list cannot say it was.
  PolicyVerdict verdict =
      Chrome({Sct("Q1", "2025-04-01T00:00:00Z"), Sct("A1", "2025-04-01T00:00:00Z")}, 90 * kDay,
             Ms("2025-04-15T00:00:00Z"));
  EXPECT_FALSE(verdict.compliant);
  EXPECT_THAT(verdict.reasons,
              Contains("ignored: SCT #0 (embedded): \"Q1\" became qualified only at "
                       "2025-05-01T00:00:00Z, after the time of check; the list does not say its "
                       "state before"));
}

TEST_F(PolicyTest, UnverifiedUnknownAndFutureSctsAreIgnored) {
  PolicySct unknown = Sct("A1");
  unknown.log_id[0] ^= 0xff;
  PolicyVerdict verdict =
      Chrome({Sct("A1", "2025-06-01T00:00:00Z", SctDelivery::kEmbedded, /*verified=*/false),
              unknown, Sct("B1", "2025-07-01T00:00:00.001Z"), Sct("C2")});
  EXPECT_FALSE(verdict.compliant);
  EXPECT_THAT(verdict.reasons,
              Contains("ignored: SCT #0 (embedded): its signature did not verify"));
  EXPECT_THAT(verdict.reasons, Contains("ignored: SCT #1 (embedded): log " +
                                        Base64Encode(unknown.log_id) + " is not in the log list"));
  EXPECT_THAT(verdict.reasons,
              Contains("ignored: SCT #2 (embedded): its timestamp 2025-07-01T00:00:00.001Z is "
                       "after the time of check"));
  EXPECT_THAT(verdict.counted_scts, ElementsAre(3));
}

TEST_F(PolicyTest, OperatorIsTheOneAtSctTime) {
  // M1 was run by A until 2025-01-01.
  PolicyVerdict before =
      Chrome({Sct("A1", "2024-12-01T00:00:00Z"), Sct("M1", "2024-12-01T00:00:00Z")});
  EXPECT_FALSE(before.compliant);
  EXPECT_THAT(before.reasons, Contains(HasSubstr("distinct log operators, has 1 (A)")));
  PolicyVerdict after =
      Chrome({Sct("A1", "2025-02-01T00:00:00Z"), Sct("M1", "2025-02-01T00:00:00Z")});
  EXPECT_TRUE(after.compliant);
}

TEST_F(PolicyTest, ChromeRfc6962RuleEndsOn2026_04_15) {
  const std::vector<PolicySct> tiled_only = {Sct("B2"), Sct("C1")};
  PolicyVerdict now = Chrome(tiled_only);
  EXPECT_FALSE(now.compliant);
  EXPECT_THAT(now.reasons,
              Contains("fail: embedded: needs an SCT from an RFC 6962 log (a Chrome rule until "
                       "2026-04-15), has 0"));
  EXPECT_FALSE(Chrome(tiled_only, 90 * kDay, kChromeRfc6962RuleEndsMs - 1).compliant);
  PolicyVerdict after = Chrome(tiled_only, 90 * kDay, kChromeRfc6962RuleEndsMs);
  EXPECT_TRUE(after.compliant);
  EXPECT_THAT(after.reasons, Not(Contains(HasSubstr("RFC 6962"))));
  // One RFC 6962 log is enough before the date.
  EXPECT_TRUE(Chrome({Sct("A1"), Sct("C1")}).compliant);
  EXPECT_EQ(FormatRfc3339(kChromeRfc6962RuleEndsMs), "2026-04-15T00:00:00Z");
}

TEST_F(PolicyTest, ChromeAcceptsTiledLogsOnlyFromChrome134) {
  const int64_t before_134 = Ms("2025-03-03T23:59:59Z");
  PolicyVerdict verdict =
      Chrome({Sct("A1", "2025-03-01T00:00:00Z"), Sct("B2", "2025-03-01T00:00:00Z")}, 90 * kDay,
             before_134);
  EXPECT_FALSE(verdict.compliant);
  EXPECT_THAT(verdict.reasons,
              Contains("ignored: SCT #1 (embedded): \"B2\" is a static-ct-api log; Chrome accepts "
                       "those only from Chrome 134 (2025-03-04)"));
  EXPECT_TRUE(Chrome({Sct("A1", "2025-03-01T00:00:00Z"), Sct("B2", "2025-03-01T00:00:00Z")},
                     90 * kDay, kChromeTiledLogsAcceptedFromMs)
                  .compliant);
  EXPECT_EQ(FormatRfc3339(kChromeTiledLogsAcceptedFromMs), "2025-03-04T00:00:00Z");
}

// ---- Chrome: SCTs delivered by TLS or OCSP ----

TEST_F(PolicyTest, ChromeIgnoresOcspSctsFromChrome148) {
  const std::vector<PolicySct> ocsp_and_tls = {Ocsp("A1"), Tls("B1")};
  PolicyVerdict before = Chrome(ocsp_and_tls, 90 * kDay, kChromeOcspSctsIgnoredFromMs - 1);
  EXPECT_TRUE(before.compliant);
  EXPECT_EQ(before.reasons[0], "Chrome CT policy: compliant with SCTs delivered via TLS/OCSP");
  EXPECT_THAT(before.counted_scts, ElementsAre(0, 1));

  PolicyVerdict after = Chrome(ocsp_and_tls, 90 * kDay, kChromeOcspSctsIgnoredFromMs);
  EXPECT_FALSE(after.compliant);
  EXPECT_THAT(after.reasons,
              Contains("ignored: SCT #0 (OCSP response): Chrome ignores SCTs delivered in OCSP "
                       "responses from Chrome 148 (stable 2026-05-05)"));
  EXPECT_THAT(after.reasons,
              Contains("fail: TLS/OCSP: needs SCTs from 2 distinct logs Qualified, Usable or "
                       "ReadOnly at the time of check, has 1"));
  EXPECT_TRUE(Chrome({Tls("A1"), Tls("B1")}, 90 * kDay, kChromeOcspSctsIgnoredFromMs).compliant);
  EXPECT_EQ(FormatRfc3339(kChromeOcspSctsIgnoredFromMs), "2026-05-05T00:00:00Z");
}

TEST_F(PolicyTest, ChromeTlsSctsNeedCurrentLogsOfTwoOperators) {
  PolicyVerdict same_operator = Chrome({Tls("A1"), Tls("A2")});
  EXPECT_FALSE(same_operator.compliant);
  EXPECT_THAT(same_operator.reasons,
              Contains("fail: TLS/OCSP: needs SCTs from 2 distinct log operators, has 1 (A)"));
  PolicyVerdict retired = Chrome({Tls("A1"), Tls("R1", "2025-02-01T00:00:00Z")});
  EXPECT_FALSE(retired.compliant);
  EXPECT_THAT(retired.reasons,
              Contains(HasSubstr("ignored: SCT #1 (TLS extension): \"R1\" is retired since "
                                 "2025-03-01T00:00:00Z, and SCTs not embedded count only")));
  PolicyVerdict tiled = Chrome({Tls("B2"), Tls("C1")});
  EXPECT_FALSE(tiled.compliant);
  EXPECT_THAT(tiled.reasons, Contains(HasSubstr("fail: TLS/OCSP: needs an SCT from an RFC 6962")));
}

TEST_F(PolicyTest, ChromeDoesNotMixDeliveryMethods) {
  // Chrome CT policy (since the November 2020 rewrite): the criteria are per delivery method.
  PolicyVerdict verdict = Chrome({Sct("A1"), Tls("B1")});
  EXPECT_FALSE(verdict.compliant);
  EXPECT_THAT(verdict.reasons, Contains(HasSubstr("fail: embedded: needs SCTs from 2 distinct")));
  EXPECT_THAT(verdict.reasons, Contains(HasSubstr("fail: TLS/OCSP: needs SCTs from 2 distinct")));
  // Apple's first option is exactly this: two SCTs, one of them via TLS.
  PolicyVerdict apple = Apple({Sct("A1"), Tls("B1")});
  EXPECT_TRUE(apple.compliant);
  EXPECT_EQ(apple.reasons[0], "Apple CT policy: compliant with SCTs presented via TLS/OCSP");
}

// ---- Both: odd inputs and notes ----

TEST_F(PolicyTest, NoSctsIsNotCompliant) {
  for (const PolicyVerdict& verdict : {Chrome({}), Apple({})}) {
    EXPECT_FALSE(verdict.compliant);
    EXPECT_THAT(verdict.reasons, Contains("embedded: no SCTs presented"));
    EXPECT_THAT(verdict.reasons, Contains("TLS/OCSP: no SCTs presented"));
    EXPECT_THAT(verdict.counted_scts, IsEmpty());
  }
}

TEST_F(PolicyTest, InvertedOrOutOfRangeValidityFails) {
  PolicyInput inverted{not_before_, not_before_ - 1, {Sct("A1"), Sct("B1")}};
  PolicyVerdict chrome = EvaluateChromePolicy(inverted, list_, now_);
  EXPECT_FALSE(chrome.compliant);
  EXPECT_THAT(chrome.reasons, Contains("fail: the certificate's notAfter is before its notBefore"));
  EXPECT_FALSE(EvaluateApplePolicy(inverted, list_, now_).compliant);
  PolicyInput huge{INT64_MIN, INT64_MAX, {Sct("A1"), Sct("B1")}};
  EXPECT_THAT(EvaluateApplePolicy(huge, list_, now_).reasons,
              Contains(HasSubstr("outside the years 0000-9999")));
  EXPECT_FALSE(EvaluateChromePolicy(huge, list_, now_).compliant);
}

TEST_F(PolicyTest, StaleListAndOldCertificatesGetNotes) {
  PolicyVerdict stale =
      Chrome({Sct("A1"), Sct("B1")}, 90 * kDay, list_.timestamp_ms() + 70 * kDay * 1000);
  EXPECT_TRUE(stale.compliant);  // still judged
  // The list's age is said once per run by the command (LogList::StalenessWarning), not in every
  // certificate's verdict.
  EXPECT_THAT(stale.reasons, Not(Contains(HasSubstr("days old"))));
  EXPECT_THAT(Chrome({Sct("A1"), Sct("B1")}).reasons, Not(Contains(HasSubstr("days old"))));
  PolicyInput old{
      Seconds("2022-04-14T00:00:00Z"), Seconds("2022-07-01T00:00:00Z"), {Sct("A1"), Sct("B1")}};
  EXPECT_THAT(EvaluateChromePolicy(old, list_, now_).reasons,
              Contains(HasSubstr("note: issued before 2022-04-15")));
  PolicyInput older{
      Seconds("2021-04-20T00:00:00Z"), Seconds("2021-07-01T00:00:00Z"), {Sct("A1"), Sct("B1")}};
  EXPECT_THAT(EvaluateApplePolicy(older, list_, now_).reasons,
              Contains(HasSubstr("note: notBefore is before 2021-04-21")));
}

// ---- Apple ----

TEST_F(PolicyTest, AppleLifetimeIsInclusiveSoExactly180DaysIs181) {
  // RFC 5280 validity includes notAfter; Apple counts any extra second as a day.
  PolicyVerdict exactly = Apple({Sct("A1"), Sct("B1")}, 180 * kDay);
  EXPECT_FALSE(exactly.compliant);
  EXPECT_THAT(
      exactly.reasons,
      Contains("fail: embedded: needs SCTs from 3 distinct once or currently approved "
               "logs, at most 2 per operator, for a 181-day certificate, has 2 (A 1, B 1)"));
  EXPECT_TRUE(Chrome({Sct("A1"), Sct("B1")}, 180 * kDay).compliant);  // Chrome: 180 days
  PolicyVerdict shorter = Apple({Sct("A1"), Sct("B1")}, 180 * kDay - 1);
  EXPECT_TRUE(shorter.compliant);
  EXPECT_THAT(shorter.reasons, Contains(HasSubstr("at most 1 per operator, for a 180-day")));
}

TEST_F(PolicyTest, AppleCapsSctsPerOperator) {
  // Lifetimes as CAs write them: notAfter one second short of N days, so N days inclusive.
  // Up to 180 days: one per operator.
  PolicyVerdict short_same = Apple({Sct("A1"), Sct("A2")}, 90 * kDay - 1);
  EXPECT_FALSE(short_same.compliant);
  EXPECT_THAT(short_same.reasons, Contains(HasSubstr("for a 90-day certificate, has 1 (A 1)")));
  EXPECT_THAT(short_same.counted_scts, ElementsAre(0));
  // 181 to 398 days: two per operator.
  PolicyVerdict two_and_one = Apple({Sct("A1"), Sct("A2"), Sct("B1")}, 398 * kDay - 1);
  EXPECT_TRUE(two_and_one.compliant);
  EXPECT_THAT(two_and_one.reasons, Contains(HasSubstr("398-day certificate, has 3 (A 2, B 1)")));
  EXPECT_THAT(two_and_one.reasons, Not(Contains(HasSubstr("beyond Apple's table"))));
  PolicyVerdict three_of_one = Apple({Sct("A1"), Sct("A2"), Sct("A3")}, 398 * kDay - 1);
  EXPECT_FALSE(three_of_one.compliant);
  EXPECT_THAT(three_of_one.reasons, Contains(HasSubstr("has 2 (A 2)")));
  EXPECT_THAT(three_of_one.counted_scts, ElementsAre(0, 1));
}

TEST_F(PolicyTest, AppleStillRequiresAnRfc6962Log) {
  const int64_t mid_2026 = Ms("2026-06-01T00:00:00Z");
  const std::vector<PolicySct> tiled_only = {Sct("B2"), Sct("C1")};
  PolicyVerdict apple = Apple(tiled_only, 90 * kDay, mid_2026);
  EXPECT_FALSE(apple.compliant);
  EXPECT_THAT(apple.reasons,
              Contains("fail: embedded: needs an SCT from a log compliant with RFC 6962, has 0"));
  EXPECT_TRUE(Chrome(tiled_only, 90 * kDay, mid_2026).compliant);
  EXPECT_TRUE(Apple({Sct("A1"), Sct("C1")}, 90 * kDay, mid_2026).compliant);
  EXPECT_FALSE(Apple({Tls("B2"), Tls("C1")}, 90 * kDay, mid_2026).compliant);
}

TEST_F(PolicyTest, AppleStillAcceptsOcspScts) {
  const int64_t mid_2026 = Ms("2026-06-01T00:00:00Z");
  PolicyVerdict apple = Apple({Ocsp("A1"), Tls("B1")}, 90 * kDay, mid_2026);
  EXPECT_TRUE(apple.compliant);
  EXPECT_THAT(apple.counted_scts, ElementsAre(0, 1));
  EXPECT_FALSE(Chrome({Ocsp("A1"), Tls("B1")}, 90 * kDay, mid_2026).compliant);
}

TEST_F(PolicyTest, AppleTlsOptionNeedsCurrentLogsAndOneNonEmbeddedSct) {
  PolicyVerdict one_log = Apple({Tls("A1")});
  EXPECT_FALSE(one_log.compliant);
  EXPECT_THAT(
      one_log.reasons,
      Contains("fail: TLS/OCSP: needs SCTs from 2 distinct currently approved logs, has 1"));
  // Two SCTs from the same operator are fine for Apple's TLS option (no operator rule there).
  EXPECT_TRUE(Apple({Tls("A1"), Tls("A2")}).compliant);
  // A retired log is "once approved" only; the TLS option wants currently approved logs.
  EXPECT_FALSE(Apple({Tls("A1"), Sct("R1", "2025-02-01T00:00:00Z")}).compliant);
}

TEST_F(PolicyTest, AppleCountsOnceApprovedLogsButNeedsOneCurrentlyApproved) {
  EXPECT_TRUE(
      Apple({Sct("A1", "2025-02-01T00:00:00Z"), Sct("R1", "2025-02-01T00:00:00Z")}).compliant);
  PolicyVerdict retired_only =
      Apple({Sct("R1", "2025-02-01T00:00:00Z"), Sct("R2", "2025-02-01T00:00:00Z")});
  EXPECT_FALSE(retired_only.compliant);
  EXPECT_THAT(retired_only.reasons,
              Contains("fail: embedded: needs an SCT from a currently approved log, has 0"));
  PolicyVerdict after = Apple({Sct("A1"), Sct("R1", "2025-03-02T00:00:00Z")});
  EXPECT_FALSE(after.compliant);
  EXPECT_THAT(after.reasons, Contains(HasSubstr("is not from before the retirement")));
}

TEST_F(PolicyTest, AppleNotesLifetimesBeyondItsTable) {
  PolicyVerdict verdict = Apple({Sct("A1"), Sct("A2"), Sct("B1")}, 500 * kDay);
  EXPECT_TRUE(verdict.compliant);
  EXPECT_THAT(verdict.reasons, Contains(HasSubstr("note: a 501-day certificate is beyond Apple's "
                                                  "table (398 days)")));
}

// ---- The real v53.34 list ----

class RealListPolicyTest : public ::testing::Test {
 protected:
  static PolicySct Real(const char* base64_id, const char* time,
                        SctDelivery delivery = SctDelivery::kEmbedded) {
    PolicySct sct;
    Bytes id = *Base64Decode(base64_id);
    std::copy(id.begin(), id.end(), sct.log_id.begin());
    sct.timestamp_ms = Ms(time);
    sct.delivery = delivery;
    sct.signature_verified = true;
    return sct;
  }
  const LogList list_ = *LogList::Parse(
      testing::ReadTestDataText("loglist/google_all_logs_list_v53.34_2025-05-05.json"));
  const int64_t now_ = list_.timestamp_ms();
  static constexpr const char* kArgon2025h1 = "TnWjJ1yaEMM4W2zU3z9S6x3w4I4bjWnAsfpksWKaOd8=";
  static constexpr const char* kOak2025h1 = "ouMK5EXvva2bfjjtR2d3U9eCW4SU1yteGyzEuVCkR+c=";
  static constexpr const char* kNessie2025 = "5tIxY0B3jMEQQQbXcbnOwdJA9paEhvu6hzId/R43jlA=";
  static constexpr const char* kPilot = "pLkJkLQYWBSHuxOizGdwCjw1mAT5G9+443fNDsgN3BA=";
  static constexpr const char* kAviator = "aPaY+B9kgr46jO65KB1M/HFRXWeT1ETRCmesu09P+8Q=";
};

TEST_F(RealListPolicyTest, GoogleAndLetsEncryptShardsSatisfyBothPolicies) {
  PolicyInput input{
      Seconds("2025-04-01T00:00:00Z"),
      Seconds("2025-06-29T23:59:59Z"),
      {Real(kArgon2025h1, "2025-04-01T00:00:00Z"), Real(kOak2025h1, "2025-04-01T00:00:00Z")}};
  PolicyVerdict chrome = EvaluateChromePolicy(input, list_, now_);
  EXPECT_TRUE(chrome.compliant);
  EXPECT_THAT(chrome.reasons, Contains(HasSubstr("has 2 (Google, Let's Encrypt)")));
  EXPECT_TRUE(EvaluateApplePolicy(input, list_, now_).compliant);
}

TEST_F(RealListPolicyTest, RetiredNessie2025CountsForEarlierScts) {
  // Nessie2025 retired at 2025-04-15T23:00:00Z.
  PolicyInput input{
      Seconds("2025-04-01T00:00:00Z"),
      Seconds("2025-04-01T00:00:00Z") + 397 * kDay,
      {Real(kArgon2025h1, "2025-04-01T00:00:00Z"), Real(kOak2025h1, "2025-04-01T00:00:00Z"),
       Real(kNessie2025, "2025-04-01T00:00:00Z")}};
  PolicyVerdict chrome = EvaluateChromePolicy(input, list_, now_);
  EXPECT_TRUE(chrome.compliant);
  EXPECT_THAT(chrome.counted_scts, ElementsAre(0, 1, 2));
  input.scts[2].timestamp_ms = Ms("2025-04-16T00:00:00Z");
  EXPECT_FALSE(EvaluateChromePolicy(input, list_, now_).compliant);
}

TEST_F(RealListPolicyTest, SctsFromRejectedHistoricLogsDoNotCount) {
  // The 2016 github.com certificate's Pilot and Aviator SCTs, judged with the 2025 list.
  PolicyInput input{Seconds("2016-03-10T00:00:00Z"),
                    Seconds("2018-05-17T12:00:00Z"),
                    {Real(kPilot, "2016-03-10T17:00:00Z"), Real(kAviator, "2016-03-10T17:00:00Z")}};
  PolicyVerdict chrome = EvaluateChromePolicy(input, list_, now_);
  EXPECT_FALSE(chrome.compliant);
  EXPECT_THAT(chrome.reasons,
              Contains(HasSubstr("\"Google 'Pilot' log\" is rejected since 2023-06-02T10:00:00Z")));
}

}  // namespace
}  // namespace ctkit
