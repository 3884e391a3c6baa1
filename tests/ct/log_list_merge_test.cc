// Apple's log list and merging lists by log ID (ct/log_list.h): the real Apple list parses with
// its own dating rule; the compiled-in default is Google's v89.25, Apple's list and Google's
// v53.34 merged, keeps every key the old list knew (Pilot, Aviator, Icarus, DigiCert Log Server),
// takes each log from the newest list that has it, and keeps each vendor's own states so each CT
// policy judges by its vendor's list.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "base/sha256.h"
#include "ct/ct_policy.h"
#include "ct/log_list.h"
#include "ct/log_list_snapshot.h"
#include "ct/rfc3339.h"
#include "tests/test_support.h"

namespace ctkit {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

constexpr char kApple[] = "loglist/apple_current_log_list_assetV2-1013_2026-03-31.json";
constexpr char kV89[] = "loglist/google_all_logs_list_v89.25_2026-08-20.json";
constexpr char kV53[] = "loglist/google_all_logs_list_v53.34_2025-05-05.json";

int64_t Time(const char* text) { return *ParseRfc3339(text); }

Bytes Id(const std::string& base64) { return *Base64Decode(base64); }

LogList ParseFile(const char* path) {
  Result<LogList> list = LogList::Parse(testing::ReadTestDataText(path));
  EXPECT_TRUE(list) << path << ": " << list.error().message;
  return list ? std::move(*list) : LogList();
}

// The DER of a testdata/keys PEM (the key of a historical log).
Bytes KeyFile(const std::string& name) {
  std::string pem = testing::ReadTestDataText("keys/" + name);
  std::string body;
  for (size_t start = 0; start < pem.size();) {
    size_t end = pem.find('\n', start);
    if (end == std::string::npos) end = pem.size();
    std::string line = pem.substr(start, end - start);
    if (!line.starts_with("-----")) body += line;
    start = end + 1;
  }
  return *Base64Decode(body);
}

// ---- Apple's list ----

TEST(AppleLogListTest, TheRealListParsesWithItsDifferences) {
  LogList apple = ParseFile(kApple);
  ASSERT_EQ(apple.origins().size(), 1u);
  EXPECT_EQ(apple.origins()[0].vendor, LogListVendor::kApple);
  EXPECT_EQ(apple.version(), "511");
  // No log_list_timestamp: dated by its newest state.
  EXPECT_EQ(FormatRfc3339(apple.timestamp_ms()), "2026-03-30T19:10:05Z");
  EXPECT_EQ(apple.operators().size(), 16u);
  EXPECT_EQ(apple.logs().size(), 166u);
  size_t tiled = 0, readonly = 0;
  for (const LogInfo& log : apple.logs()) {
    tiled += log.api == LogApi::kStaticCtApi;
    if (log.state && log.state->state == LogState::kReadOnly) {
      ++readonly;
      EXPECT_TRUE(log.state->final_tree_head) << log.description;
    }
  }
  EXPECT_EQ(tiled, 31u);
  EXPECT_EQ(readonly, 6u);

  // A tiled log only Apple lists, with `tls_only` (ignored) and both URLs.
  const LogInfo* raio = apple.FindLog(Id("Ia1IGvXLVPNLOr+uoP8Gmns8dm/DtpCHC7RrFS+2C/k="));
  ASSERT_NE(raio, nullptr);
  EXPECT_EQ(raio->description, "Cloudflare 'Raio2027h2a' log");
  EXPECT_EQ(raio->api, LogApi::kStaticCtApi);
  EXPECT_FALSE(raio->monitoring_url.empty());
  EXPECT_FALSE(raio->submission_url.empty());
  EXPECT_EQ(LogList::StateAt(*raio, Time("2026-03-30T19:10:02Z")), LogState::kUsable);
  EXPECT_EQ(apple.OperatorAt(*raio, 0), "Cloudflare");

  // Apple's operator name for IPng, and its pending state (with Apple's per-state version).
  const LogInfo* gouda = apple.FindLog(Id("GoudaUpXmMiZoMqIvfSPwLRWYMzDYA0fcfRp/8fRrKM="));
  ASSERT_NE(gouda, nullptr);
  EXPECT_EQ(apple.OperatorAt(*gouda, 0), "IPng GmbH");
  const LogInfo* luoshu = apple.FindLog(Id("VzRIzG4dLA3JS2nyh9Hv5IPHolxQxTILuzrep29usEE="));
  ASSERT_NE(luoshu, nullptr);
  EXPECT_EQ(luoshu->state->state, LogState::kPending);
  EXPECT_EQ(FormatRfc3339(luoshu->state->since_ms), "2026-01-29T02:31:37Z");

  EXPECT_THAT(apple.Describe(), "Apple v511 of 2026-03-30T19:10:05Z");
}

TEST(AppleLogListTest, AnAppleListNeedsSomethingToDateIt) {
  const std::string key = "a key";
  json log = {{"description", "x"},
              {"log_id", Base64Encode(Sha256(AsBytes(key)))},
              {"key", Base64Encode(AsBytes(key))},
              {"url", "https://x.example/"},
              {"mmd", 86400}};
  json list = {{"version", "1"},
               {"assetVersion", 1},
               {"assetVersionV2", 1},
               {"operators", {{{"name", "X"}, {"email", json::array()}, {"logs", {log}}}}}};
  Result<LogList> undated = LogList::Parse(list.dump());
  ASSERT_FALSE(undated);
  EXPECT_EQ(undated.error().code, ErrorCode::kMalformed);
  EXPECT_THAT(undated.error().message, HasSubstr("needs a log with a state to be dated by"));

  list["log_list_timestamp"] = "2026-01-02T03:04:05Z";  // an explicit one is taken
  Result<LogList> dated = LogList::Parse(list.dump());
  ASSERT_TRUE(dated) << dated.error().message;
  EXPECT_EQ(dated->origins()[0].vendor, LogListVendor::kApple);
  EXPECT_EQ(FormatRfc3339(dated->timestamp_ms()), "2026-01-02T03:04:05Z");

  // Without the asset versions it is read as Google's, which requires log_list_timestamp.
  list.erase("assetVersion");
  list.erase("assetVersionV2");
  list.erase("log_list_timestamp");
  Result<LogList> google = LogList::Parse(list.dump());
  ASSERT_FALSE(google);
  EXPECT_THAT(google.error().message, HasSubstr("log_list_timestamp"));
}

// ---- The compiled-in default ----

class DefaultLogListTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Result<LogList> list = ParseDefaultLogList();
    ASSERT_TRUE(list) << list.error().message;
    default_ = new LogList(std::move(*list));
  }
  static void TearDownTestSuite() {
    delete default_;
    default_ = nullptr;
  }
  static LogList* default_;
};
LogList* DefaultLogListTest::default_ = nullptr;

TEST_F(DefaultLogListTest, IsTheUnionOfTheThreeSnapshotsByLogId) {
  std::set<LogId> ids;
  for (const char* path : {kV89, kApple, kV53}) {
    const LogList list = ParseFile(path);  // a range-for over a temporary's member dangles
    for (const LogInfo& log : list.logs()) ids.insert(log.log_id);
  }
  EXPECT_EQ(ids.size(), 277u);
  EXPECT_EQ(default_->logs().size(), ids.size());
  for (const LogId& id : ids) EXPECT_NE(default_->FindLog(id), nullptr);

  EXPECT_EQ(default_->version(), "89.25");  // the newest list's
  EXPECT_EQ(FormatRfc3339(default_->timestamp_ms()), "2026-08-20T13:34:57Z");
  EXPECT_EQ(default_->Describe(),
            "Google v89.25 of 2026-08-20T13:34:57Z + Apple v511 of 2026-03-30T19:10:05Z + Google "
            "v53.34 of 2025-05-05T12:54:12Z");
  EXPECT_THAT(std::string(LogListSnapshotSource()), HasSubstr("apple_current_log_list"));
}

TEST_F(DefaultLogListTest, KeepsTheRetiredLogsOfTheOldListWithTheirKeys) {
  // In v53.34 and Apple's list, not in v89.25: a 2016 certificate's SCTs still find their keys.
  struct Known {
    const char* id;
    const char* key_file;
    const char* description;
  };
  const Known known[] = {
      {"pLkJkLQYWBSHuxOizGdwCjw1mAT5G9+443fNDsgN3BA=", "google-pilot.pem", "Google 'Pilot' log"},
      {"aPaY+B9kgr46jO65KB1M/HFRXWeT1ETRCmesu09P+8Q=", "google-aviator.pem",
       "Google 'Aviator' log"},
      {"KTxRllTIOWW6qlD8WAfUt2+/WHopctykwwz05UVH9Hg=", "google-icarus.pem", "Google 'Icarus' log"},
      {"VhQGmi/XwuzT9eG9RLI+x0Z2ubyZEVzA75SYVdaJ0N0=", "digicert-log-server.pem",
       "DigiCert Log Server"},
  };
  LogList v89 = ParseFile(kV89);
  for (const Known& log : known) {
    SCOPED_TRACE(log.description);
    EXPECT_EQ(v89.FindLog(Id(log.id)), nullptr);
    const LogInfo* found = default_->FindLog(Id(log.id));
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(found->description, log.description);
    EXPECT_EQ(found->key_der, KeyFile(log.key_file));
  }
  // Pilot's state is the newest list's that has it: Apple's (2026) over v53.34 (2025).
  const LogInfo* pilot = default_->FindLog(Id(known[0].id));
  ASSERT_TRUE(pilot->state);
  EXPECT_EQ(pilot->state->state, LogState::kRejected);
  EXPECT_EQ(FormatRfc3339(pilot->state->since_ms), "2024-07-17T00:30:17Z");
  // Chrome's own view keeps Google's last word on it (v53.34's).
  const LogInfo* chrome_pilot =
      default_->ForVendor(LogListVendor::kGoogle).FindLog(Id(known[0].id));
  ASSERT_NE(chrome_pilot, nullptr);
  EXPECT_EQ(FormatRfc3339(chrome_pilot->state->since_ms), "2023-06-02T10:00:00Z");
}

TEST_F(DefaultLogListTest, HoldsAppleOnlyLogsAndTheTiledLogsOfV89) {
  const LogInfo* raio = default_->FindLog(Id("Ia1IGvXLVPNLOr+uoP8Gmns8dm/DtpCHC7RrFS+2C/k="));
  ASSERT_NE(raio, nullptr);  // Apple only
  EXPECT_EQ(raio->api, LogApi::kStaticCtApi);
  EXPECT_EQ(default_->ForVendor(LogListVendor::kGoogle).FindLog(raio->log_id), nullptr);
  EXPECT_NE(default_->ForVendor(LogListVendor::kApple).FindLog(raio->log_id), nullptr);

  const LogInfo* parcel = default_->FindLog(Id("HIl0B+YBCgEpO7Z439ejaM6xjMpSHcyk04bkoy5bXQQ="));
  ASSERT_NE(parcel, nullptr);  // v89.25 only, tiled
  EXPECT_EQ(parcel->description, "Google 'ParcelYard2027h1' log");
  EXPECT_EQ(parcel->api, LogApi::kStaticCtApi);
  EXPECT_EQ(parcel->state->state, LogState::kQualified);
  size_t tiled = 0;
  for (const LogInfo& log : default_->logs()) tiled += log.api == LogApi::kStaticCtApi;
  EXPECT_GE(tiled, 75u);  // every tiled log of v89.25, and Apple's
}

TEST_F(DefaultLogListTest, EachVendorKeepsItsOwnStateAndOperator) {
  // DigiCert Sphinx2026h1: Google rejected it in 2026-07, Apple's list (older) has it usable.
  const Bytes sphinx = Id("SZybad4dfOz8Nt7Nh2SmuFuvCoeAGdFVUvvp6ynd+MM=");
  const LogInfo* merged = default_->FindLog(sphinx);
  ASSERT_NE(merged, nullptr);
  EXPECT_EQ(merged->state->state, LogState::kRejected);  // v89.25 is the newest list
  const LogInfo* chrome = default_->ForVendor(LogListVendor::kGoogle).FindLog(sphinx);
  const LogInfo* apple = default_->ForVendor(LogListVendor::kApple).FindLog(sphinx);
  ASSERT_NE(chrome, nullptr);
  ASSERT_NE(apple, nullptr);
  EXPECT_EQ(chrome->state->state, LogState::kRejected);
  EXPECT_EQ(apple->state->state, LogState::kUsable);

  // Operators by each vendor's name: "IPng Networks" for Chrome, "IPng GmbH" for Apple.
  const Bytes gouda = Id("GoudaUpXmMiZoMqIvfSPwLRWYMzDYA0fcfRp/8fRrKM=");
  const LogList& chrome_list = default_->ForVendor(LogListVendor::kGoogle);
  const LogList& apple_list = default_->ForVendor(LogListVendor::kApple);
  EXPECT_EQ(chrome_list.OperatorAt(*chrome_list.FindLog(gouda), 0), "IPng Networks");
  EXPECT_EQ(apple_list.OperatorAt(*apple_list.FindLog(gouda), 0), "IPng GmbH");
}

TEST_F(DefaultLogListTest, TheWarningNamesTheNewestListAndHowToRefresh) {
  EXPECT_FALSE(default_->StalenessWarning(Time("2026-10-28T13:34:56Z")));  // 69 days
  std::optional<std::string> warning = default_->StalenessWarning(Time("2026-12-07T00:00:00Z"));
  ASSERT_TRUE(warning);
  EXPECT_THAT(*warning, HasSubstr("log list v89.25 of 2026-08-20T13:34:57Z (the newest of Google "
                                  "v89.25"));
  EXPECT_THAT(*warning, HasSubstr("is 108 days old"));
  EXPECT_THAT(*warning, HasSubstr("--log-list " + std::string(kGoogleAllLogsListUrl)));
}

// ---- Merging synthetic lists ----

json Log(const std::string& name, const std::string& state, const std::string& since) {
  const std::string key = "test key of " + name;
  return json{{"description", name},
              {"log_id", Base64Encode(Sha256(AsBytes(key)))},
              {"key", Base64Encode(AsBytes(key))},
              {"url", "https://" + name + ".example/"},
              {"mmd", 86400},
              {"state", {{state, {{"timestamp", since}}}}}};
}

LogId IdOf(const std::string& name) { return Sha256(AsBytes("test key of " + name)); }

json Operator(const std::string& name, json logs, const std::string& email = "ct@example.com") {
  return json{{"name", name}, {"email", {email}}, {"logs", std::move(logs)}};
}

LogList GoogleList(const std::string& version, const std::string& time, json operators) {
  json list = {{"version", version}, {"log_list_timestamp", time}, {"operators", operators}};
  Result<LogList> parsed = LogList::Parse(list.dump());
  EXPECT_TRUE(parsed) << parsed.error().message;
  return parsed ? std::move(*parsed) : LogList();
}

LogList AppleList(const std::string& version, json operators) {
  json list = {
      {"version", version}, {"assetVersion", 1}, {"assetVersionV2", 1}, {"operators", operators}};
  Result<LogList> parsed = LogList::Parse(list.dump());
  EXPECT_TRUE(parsed) << parsed.error().message;
  return parsed ? std::move(*parsed) : LogList();
}

TEST(LogListMergeTest, TheNewestListsStateWinsWhicheverOrderTheyAreGiven) {
  LogList older = GoogleList("1", "2025-01-01T00:00:00Z",
                             {Operator("A", {Log("x", "usable", "2024-01-01T00:00:00Z"),
                                             Log("old-only", "retired", "2024-06-01T00:00:00Z")})});
  LogList newer = GoogleList("2", "2025-06-01T00:00:00Z",
                             {Operator("A",
                                       {Log("x", "rejected", "2025-05-01T00:00:00Z"),
                                        Log("new-only", "usable", "2025-05-01T00:00:00Z")},
                                       "other@example.com")});
  for (const std::vector<LogList>& lists :
       {std::vector<LogList>{older, newer}, std::vector<LogList>{newer, older}}) {
    LogList merged = LogList::Merge(lists);
    ASSERT_EQ(merged.logs().size(), 3u);
    EXPECT_EQ(merged.version(), "2");
    EXPECT_EQ(merged.FindLog(IdOf("x"))->state->state, LogState::kRejected);
    EXPECT_EQ(merged.FindLog(IdOf("old-only"))->state->state, LogState::kRetired);
    EXPECT_NE(merged.FindLog(IdOf("new-only")), nullptr);
    ASSERT_EQ(merged.operators().size(), 1u);  // one operator by name, emails joined
    EXPECT_EQ(merged.operators()[0].emails.size(), 2u);
    EXPECT_EQ(merged.origins().size(), 2u);
    EXPECT_EQ(merged.origins()[0].version, "2");
    // One vendor only: each policy reads the merge itself.
    EXPECT_EQ(&merged.ForVendor(LogListVendor::kApple), &merged);
  }
  // Lists of one time: the one given first wins.
  LogList same_time = GoogleList("3", "2025-06-01T00:00:00Z",
                                 {Operator("A", {Log("x", "usable", "2025-05-01T00:00:00Z")})});
  EXPECT_EQ(LogList::Merge({same_time, newer}).FindLog(IdOf("x"))->state->state, LogState::kUsable);
  EXPECT_EQ(LogList::Merge({newer, same_time}).FindLog(IdOf("x"))->state->state,
            LogState::kRejected);
  EXPECT_TRUE(LogList::Merge({}).logs().empty());
}

TEST(LogListMergeTest, EachPolicyJudgesByItsOwnVendorsStates) {
  // Google: a and b usable. Apple (dated 2025-03-01, older): b rejected.
  LogList google = GoogleList("1", "2025-05-01T00:00:00Z",
                              {Operator("Op A", {Log("a", "usable", "2024-01-01T00:00:00Z")}),
                               Operator("Op B", {Log("b", "usable", "2024-01-01T00:00:00Z")})});
  LogList apple =
      AppleList("9", {Operator("Op A", {Log("a", "usable", "2024-01-01T00:00:00Z")}),
                      Operator("Op B", {Log("b", "rejected", "2025-03-01T00:00:00Z")})});
  const int64_t now = Time("2025-06-01T00:00:00Z");
  PolicyInput input{.not_before = Time("2025-05-01T00:00:00Z") / 1000,
                    .not_after = Time("2025-07-01T00:00:00Z") / 1000,
                    .scts = {}};
  for (const char* name : {"a", "b"}) {
    input.scts.push_back({.log_id = IdOf(name),
                          .timestamp_ms = Time("2025-05-01T00:00:00Z"),
                          .delivery = SctDelivery::kEmbedded,
                          .signature_verified = true});
  }
  // Google's list alone: both policies read it, as before there were merges.
  EXPECT_TRUE(EvaluateChromePolicy(input, google, now).compliant);
  EXPECT_TRUE(EvaluateApplePolicy(input, google, now).compliant);

  LogList merged = LogList::Merge({google, apple});
  EXPECT_EQ(merged.FindLog(IdOf("b"))->state->state, LogState::kUsable);  // Google's is newer
  PolicyVerdict chrome = EvaluateChromePolicy(input, merged, now);
  EXPECT_TRUE(chrome.compliant);
  PolicyVerdict verdict = EvaluateApplePolicy(input, merged, now);
  EXPECT_FALSE(verdict.compliant);
  EXPECT_THAT(verdict.reasons, ::testing::Contains(HasSubstr("is rejected since 2025-03-01")));
}

}  // namespace
}  // namespace ctkit
