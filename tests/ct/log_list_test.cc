// The v3 log list: both public snapshots in testdata/loglist parse with the counts their README
// states, lookups work, and malformed lists are rejected with the JSON path of the fault.

#include "ct/log_list.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "base/sha256.h"
#include "ct/log_list_snapshot.h"
#include "ct/rfc3339.h"
#include "tests/test_support.h"

namespace ctkit {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

constexpr char kAllLogs[] = "loglist/google_all_logs_list_v53.34_2025-05-05.json";
constexpr char kGoogleOnly[] = "loglist/google_log_list_v93.3_2026-10-03_google_operator_only.json";

int64_t Time(const char* text) { return *ParseRfc3339(text); }

Bytes DecodeBase64(const std::string& text) { return *Base64Decode(text); }

// The DER inside a PEM "PUBLIC KEY" block.
Bytes PemBody(const std::string& pem) {
  std::string body;
  bool inside = false;
  size_t start = 0;
  while (start < pem.size()) {
    size_t end = pem.find('\n', start);
    if (end == std::string::npos) end = pem.size();
    std::string line = pem.substr(start, end - start);
    start = end + 1;
    if (line.starts_with("-----BEGIN")) {
      inside = true;
    } else if (line.starts_with("-----END")) {
      break;
    } else if (inside) {
      body += line;
    }
  }
  return DecodeBase64(body);
}

class LogListSnapshotTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    Result<LogList> list = LogList::Parse(testing::ReadTestDataText(kAllLogs));
    ASSERT_TRUE(list) << list.error().message;
    all_ = new LogList(std::move(*list));
  }
  static void TearDownTestSuite() {
    delete all_;
    all_ = nullptr;
  }
  const LogInfo& Find(const std::string& base64_id) {
    const LogInfo* log = all_->FindLog(DecodeBase64(base64_id));
    if (log == nullptr) throw std::runtime_error("log not found: " + base64_id);
    return *log;
  }
  static LogList* all_;
};
LogList* LogListSnapshotTest::all_ = nullptr;

TEST_F(LogListSnapshotTest, CountsMatchTheReadme) {
  EXPECT_EQ(all_->version(), "53.34");
  EXPECT_EQ(FormatRfc3339(all_->timestamp_ms()), "2025-05-05T12:54:12Z");
  EXPECT_EQ(all_->operators().size(), 21u);
  size_t rfc6962 = 0, tiled = 0, no_state = 0;
  std::map<LogState, size_t> states;
  for (const LogInfo& log : all_->logs()) {
    (log.api == LogApi::kRfc6962 ? rfc6962 : tiled)++;
    if (log.state) {
      states[log.state->state]++;
    } else {
      no_state++;
    }
    // Checked by the parser; asserted again so a parser change cannot drop the check silently.
    EXPECT_EQ(Sha256(log.key_der), log.log_id) << log.description;
  }
  EXPECT_EQ(rfc6962, 175u);
  EXPECT_EQ(tiled, 6u);
  EXPECT_EQ(states[LogState::kRejected], 100u);
  EXPECT_EQ(states[LogState::kUsable], 33u);
  EXPECT_EQ(states[LogState::kPending], 10u);
  EXPECT_EQ(states[LogState::kRetired], 3u);
  EXPECT_EQ(states[LogState::kReadOnly], 1u);
  EXPECT_EQ(states[LogState::kQualified], 0u);
  EXPECT_EQ(no_state, 34u);
}

TEST_F(LogListSnapshotTest, FindsGooglePilotById) {
  const LogInfo& pilot = Find("pLkJkLQYWBSHuxOizGdwCjw1mAT5G9+443fNDsgN3BA=");
  EXPECT_EQ(pilot.description, "Google 'Pilot' log");
  EXPECT_EQ(pilot.url, "https://ct.googleapis.com/pilot/");
  EXPECT_EQ(pilot.api, LogApi::kRfc6962);
  EXPECT_EQ(pilot.mmd_seconds, 86400u);
  EXPECT_EQ(all_->OperatorAt(pilot, Time("2016-01-01T00:00:00Z")), "Google");
  ASSERT_TRUE(pilot.state);
  EXPECT_EQ(pilot.state->state, LogState::kRejected);
  EXPECT_EQ(FormatRfc3339(pilot.state->since_ms), "2023-06-02T10:00:00Z");
  // The key is the one vendored separately as testdata/keys/google-pilot.pem.
  EXPECT_EQ(pilot.key_der, PemBody(testing::ReadTestDataText("keys/google-pilot.pem")));
}

TEST_F(LogListSnapshotTest, FindsArgonShardsWithStatesAndIntervals) {
  const LogInfo& argon = Find("TnWjJ1yaEMM4W2zU3z9S6x3w4I4bjWnAsfpksWKaOd8=");
  EXPECT_EQ(argon.description, "Google 'Argon2025h1' log");
  ASSERT_TRUE(argon.temporal_interval);
  EXPECT_EQ(FormatRfc3339(argon.temporal_interval->start_inclusive_ms), "2025-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(argon.temporal_interval->end_exclusive_ms), "2025-07-01T00:00:00Z");
  const int64_t usable_since = Time("2023-11-26T12:00:00Z");
  EXPECT_EQ(LogList::StateAt(argon, usable_since), LogState::kUsable);
  EXPECT_TRUE(LogList::IsCtQualifiedAt(argon, usable_since));
  // Before its usable timestamp the list does not say what the log was.
  EXPECT_EQ(LogList::StateAt(argon, usable_since - 1), std::nullopt);
  EXPECT_FALSE(LogList::IsCtQualifiedAt(argon, usable_since - 1));
}

TEST_F(LogListSnapshotTest, StatesOfRejectedRetiredReadOnlyAndStatelessLogs) {
  const LogInfo& pilot = Find("pLkJkLQYWBSHuxOizGdwCjw1mAT5G9+443fNDsgN3BA=");
  EXPECT_FALSE(LogList::IsCtQualifiedAt(pilot, Time("2025-01-01T00:00:00Z")));
  EXPECT_EQ(LogList::StateAt(pilot, Time("2023-06-02T09:59:59Z")), std::nullopt);

  const LogInfo& nessie = Find("5tIxY0B3jMEQQQbXcbnOwdJA9paEhvu6hzId/R43jlA=");
  EXPECT_EQ(LogList::StateAt(nessie, Time("2025-05-01T00:00:00Z")), LogState::kRetired);
  EXPECT_FALSE(LogList::IsCtQualifiedAt(nessie, Time("2025-05-01T00:00:00Z")));

  const LogInfo& sabre = Find("VYHUwhaQNgFK6gubVzxT8MDkOHhwJQgXL6OqHQcT0ww=");
  ASSERT_TRUE(sabre.state);
  EXPECT_EQ(sabre.state->state, LogState::kReadOnly);
  ASSERT_TRUE(sabre.state->final_tree_head);
  EXPECT_EQ(sabre.state->final_tree_head->tree_size, 546099878u);
  EXPECT_EQ(Base64Encode(sabre.state->final_tree_head->sha256_root_hash),
            "rBTMeBSKemBB90yJ598PhN+iLHApXbJpHhlCuNcUfgg=");
  EXPECT_TRUE(LogList::IsCtQualifiedAt(sabre, Time("2025-01-01T00:00:00Z")));

  const LogInfo& submariner = Find("qJnYeAySkKr0YvMYgMz71SRR6XDQ+/WR73Ww2ZtkVoE=");
  EXPECT_FALSE(submariner.state);
  EXPECT_EQ(LogList::StateAt(submariner, Time("2025-01-01T00:00:00Z")), std::nullopt);
}

TEST_F(LogListSnapshotTest, TiledLogsKeepBothUrls) {
  const LogInfo& willow = Find("IX7IijpQPODOtMQx74xNVMHVjB9SuiP0KekrE2jAgWE=");
  EXPECT_EQ(willow.api, LogApi::kStaticCtApi);
  EXPECT_EQ(willow.submission_url, "https://willow.ct.letsencrypt.org/2025h1b/");
  EXPECT_EQ(willow.monitoring_url, "https://willow.ct.letsencrypt.org/2025h1b/");
  EXPECT_TRUE(willow.url.empty());
  EXPECT_EQ(willow.log_type, "monitoring_only");
  EXPECT_EQ(all_->OperatorAt(willow, Time("2025-01-01T00:00:00Z")), "Let's Encrypt");
}

TEST_F(LogListSnapshotTest, FindByNameTakesUrlDescriptionOrLogId) {
  const LogInfo& willow = Find("IX7IijpQPODOtMQx74xNVMHVjB9SuiP0KekrE2jAgWE=");
  for (const std::string name :
       {"https://willow.ct.letsencrypt.org/2025h1b/", "https://willow.ct.letsencrypt.org/2025h1b",
        "IX7IijpQPODOtMQx74xNVMHVjB9SuiP0KekrE2jAgWE="}) {
    const std::vector<const LogInfo*> found = all_->FindByName(name);
    ASSERT_EQ(found.size(), 1u) << name;
    EXPECT_EQ(found[0], &willow) << name;
  }
  std::string shouted = willow.description;
  for (char& c : shouted) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  EXPECT_EQ(MatchLogName(willow, shouted), LogNameMatch::kDescription);
  EXPECT_EQ(MatchLogName(willow, "https://willow.ct.letsencrypt.org/2025h1b"), LogNameMatch::kUrl);
  EXPECT_EQ(MatchLogName(willow, "https://willow.ct.letsencrypt.org/"), LogNameMatch::kNone);
  EXPECT_EQ(MatchLogName(willow, ""), LogNameMatch::kNone);
  EXPECT_TRUE(all_->FindByName("no such log").empty());
  // A log ID is case-sensitive base64: one letter's case changed names nothing.
  EXPECT_TRUE(all_->FindByName("ix7IijpQPODOtMQx74xNVMHVjB9SuiP0KekrE2jAgWE=").empty());
}

TEST_F(LogListSnapshotTest, FindLogRejectsUnknownIdsAndWrongSizes) {
  Bytes id = DecodeBase64("pLkJkLQYWBSHuxOizGdwCjw1mAT5G9+443fNDsgN3BA=");
  EXPECT_NE(all_->FindLog(id), nullptr);
  id[0] ^= 1;
  EXPECT_EQ(all_->FindLog(id), nullptr);
  id[0] ^= 1;
  EXPECT_EQ(all_->FindLog(ByteSpan(id).first(31)), nullptr);
  EXPECT_EQ(all_->FindLog(ByteSpan()), nullptr);
}

TEST_F(LogListSnapshotTest, StalenessWarningAfterSeventyDays) {
  const int64_t seventy_days = int64_t{70} * 86400 * 1000;
  EXPECT_FALSE(all_->StalenessWarning(all_->timestamp_ms()));
  EXPECT_FALSE(all_->StalenessWarning(all_->timestamp_ms() + seventy_days - 1));
  std::optional<std::string> warning = all_->StalenessWarning(all_->timestamp_ms() + seventy_days);
  ASSERT_TRUE(warning);
  EXPECT_THAT(*warning, HasSubstr("log list v53.34 of 2025-05-05T12:54:12Z is 70 days old"));
  EXPECT_THAT(*all_->StalenessWarning(Time("2026-05-05T12:54:12Z")), HasSubstr("365 days old"));
}

TEST(LogListTest, GoogleOnlyV93Snapshot) {
  Result<LogList> list = LogList::Parse(testing::ReadTestDataText(kGoogleOnly));
  ASSERT_TRUE(list) << list.error().message;
  EXPECT_EQ(list->version(), "93.3");
  EXPECT_EQ(FormatRfc3339(list->timestamp_ms()), "2026-10-03T13:35:24Z");
  ASSERT_EQ(list->operators().size(), 1u);
  EXPECT_EQ(list->operators()[0].name, "Google");
  EXPECT_EQ(list->operators()[0].emails,
            std::vector<std::string>{"google-ct-logs@googlegroups.com"});
  ASSERT_EQ(list->logs().size(), 6u);
  EXPECT_EQ(list->logs()[3].description, "Google 'Xenon2027h1'");
  EXPECT_EQ(list->logs()[4].api, LogApi::kStaticCtApi);

  const LogInfo* parcel_yard =
      list->FindLog(DecodeBase64("HIl0B+YBCgEpO7Z439ejaM6xjMpSHcyk04bkoy5bXQQ="));
  ASSERT_NE(parcel_yard, nullptr);
  EXPECT_EQ(parcel_yard->description, "Google 'ParcelYard2027h1' log");
  EXPECT_EQ(parcel_yard->mmd_seconds, 60u);
  EXPECT_EQ(parcel_yard->submission_url,
            "https://parcelyard2027h1.prod.certificate.transparency.goog/");
  EXPECT_EQ(parcel_yard->monitoring_url,
            "https://storage.googleapis.com/parcelyard2027h1.prod.certificate.transparency.goog/");
  EXPECT_EQ(LogList::StateAt(*parcel_yard, Time("2026-08-31T13:50:00Z")), LogState::kUsable);
  EXPECT_EQ(LogList::StateAt(*parcel_yard, Time("2026-08-31T13:49:59.999Z")), std::nullopt);

  // Argon2026h2 is in both lists, with the same key.
  Result<LogList> all = LogList::Parse(testing::ReadTestDataText(kAllLogs));
  ASSERT_TRUE(all);
  const Bytes argon_id = DecodeBase64("1219ENGn9XfCx+lf1wC/+YLJM1pl4dCzAXMXwMjFaXc=");
  ASSERT_NE(list->FindLog(argon_id), nullptr);
  ASSERT_NE(all->FindLog(argon_id), nullptr);
  EXPECT_EQ(list->FindLog(argon_id)->key_der, all->FindLog(argon_id)->key_der);
}

TEST(LogListTest, CompiledInSnapshotsAreTheTestdataFilesByteForByte) {
  const std::vector<std::string> expected = {
      "loglist/google_all_logs_list_v89.25_2026-08-20.json",
      "loglist/apple_current_log_list_assetV2-1013_2026-03-31.json", kAllLogs};
  ASSERT_EQ(LogListSnapshotFiles().size(), expected.size());
  std::string source;
  for (size_t i = 0; i < expected.size(); ++i) {
    const LogListSnapshotFile& file = LogListSnapshotFiles()[i];
    EXPECT_EQ(file.source, "testdata/" + expected[i]);
    EXPECT_EQ(file.json, testing::ReadTestDataText(expected[i]));
    source += (i == 0 ? "" : " + ") + std::string("testdata/") + expected[i];
  }
  EXPECT_EQ(LogListSnapshotSource(), source);
  Result<std::vector<LogList>> lists = ParseSnapshotLogLists();
  ASSERT_TRUE(lists) << lists.error().message;
  ASSERT_EQ(lists->size(), 3u);
  EXPECT_EQ((*lists)[0].version(), "89.25");
  EXPECT_EQ((*lists)[1].origins().at(0).vendor, LogListVendor::kApple);
  EXPECT_EQ((*lists)[2].version(), "53.34");
}

// ---- Synthetic lists ----

// A log entry whose key is arbitrary bytes (never parsed here) and whose log_id matches it.
json MakeLog(const std::string& name) {
  const std::string key = "test key of " + name;
  return json{{"description", name},
              {"log_id", Base64Encode(Sha256(AsBytes(key)))},
              {"key", Base64Encode(AsBytes(key))},
              {"url", "https://" + name + ".example/"},
              {"mmd", 86400},
              {"state", {{"usable", {{"timestamp", "2024-01-01T00:00:00Z"}}}}}};
}

json MakeList(json logs) {
  return json{{"version", "1.0"},
              {"log_list_timestamp", "2025-05-05T00:00:00Z"},
              {"operators", json::array({json{{"name", "Op"},
                                              {"email", json::array({"op@example.com"})},
                                              {"logs", std::move(logs)},
                                              {"tiled_logs", json::array()}}})}};
}

json ValidList() { return MakeList(json::array({MakeLog("one"), MakeLog("two")})); }

// Parses `list` and returns the error message ("" if it parsed).
std::string ParseError(const json& list) {
  Result<LogList> parsed = LogList::Parse(list.dump());
  if (parsed) return "";
  EXPECT_EQ(parsed.error().code, ErrorCode::kMalformed);
  return parsed.error().message;
}

TEST(LogListTest, MinimalSyntheticListParsesAndIgnoresUnknownFields) {
  json list = ValidList();
  list["some_future_field"] = {{"x", 1}};
  list["operators"][0]["logs"][0]["another_new_field"] = "y";
  EXPECT_EQ(ParseError(list), "");
  list.erase("version");  // optional
  Result<LogList> parsed = LogList::Parse(list.dump());
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->version(), "");
  EXPECT_EQ(parsed->logs().size(), 2u);
}

TEST(LogListTest, PreviousOperatorsGiveTheOperatorAtATime) {
  json list = ValidList();
  // Deliberately out of order: the parser sorts by end_time.
  list["operators"][0]["logs"][0]["previous_operators"] =
      json::array({json{{"name", "Second Op"}, {"end_time", "2024-01-01T00:00:00Z"}},
                   json{{"name", "First Op"}, {"end_time", "2023-01-01T00:00:00Z"}}});
  Result<LogList> parsed = LogList::Parse(list.dump());
  ASSERT_TRUE(parsed) << parsed.error().message;
  const LogInfo& log = parsed->logs()[0];
  ASSERT_EQ(log.previous_operators.size(), 2u);
  EXPECT_EQ(log.previous_operators[0].name, "First Op");
  EXPECT_EQ(parsed->OperatorAt(log, Time("2022-06-01T00:00:00Z")), "First Op");
  EXPECT_EQ(parsed->OperatorAt(log, Time("2022-12-31T23:59:59.999Z")), "First Op");
  EXPECT_EQ(parsed->OperatorAt(log, Time("2023-01-01T00:00:00Z")), "Second Op");
  EXPECT_EQ(parsed->OperatorAt(log, Time("2024-01-01T00:00:00Z")), "Op");  // end_time exclusive
  EXPECT_EQ(parsed->OperatorAt(parsed->logs()[1], Time("2022-06-01T00:00:00Z")), "Op");
}

TEST(LogListTest, RejectsWhatIsNotAListObject) {
  EXPECT_THAT(LogList::Parse("").error().message, HasSubstr("log list: not valid JSON"));
  EXPECT_THAT(LogList::Parse("{\"operators\": [").error().message, HasSubstr("not valid JSON"));
  EXPECT_THAT(LogList::Parse("[]").error().message, HasSubstr("log list: not a JSON object"));
  json list = ValidList();
  list.erase("operators");
  EXPECT_EQ(ParseError(list), "log list: missing field \"operators\"");
  list = ValidList();
  list["operators"] = "none";
  EXPECT_EQ(ParseError(list), "operators: not an array");
  list = ValidList();
  list.erase("log_list_timestamp");
  EXPECT_EQ(ParseError(list), "log list: missing field \"log_list_timestamp\"");
  list = ValidList();
  list["log_list_timestamp"] = "2025-05-05";
  EXPECT_THAT(ParseError(list), HasSubstr("log_list_timestamp: RFC 3339 date-time"));
  list = ValidList();
  list["version"] = 53.34;
  EXPECT_EQ(ParseError(list), "log list: field \"version\" is not a string");
}

TEST(LogListTest, RejectsDeepNestingBeforeParsing) {
  std::string deep = "{\"operators\": " + std::string(200, '[') + std::string(200, ']') + "}";
  EXPECT_THAT(LogList::Parse(deep).error().message, HasSubstr("nests deeper than 64 levels"));
}

TEST(LogListTest, RejectsOversizedInput) {
  std::string huge(kMaxLogListBytes + 1, ' ');
  EXPECT_THAT(LogList::Parse(huge).error().message, HasSubstr("larger than"));
}

TEST(LogListTest, RejectsBadOperators) {
  json list = ValidList();
  list["operators"][0].erase("name");
  EXPECT_EQ(ParseError(list), "operators[0]: missing field \"name\"");
  list = ValidList();
  list["operators"][0]["name"] = "";
  EXPECT_EQ(ParseError(list), "operators[0].name: must not be empty");
  list = ValidList();
  list["operators"][0]["email"] = "op@example.com";
  EXPECT_EQ(ParseError(list), "operators[0].email: not an array");
  list = ValidList();
  list["operators"][0]["email"] = json::array({"a@example.com", 7});
  EXPECT_EQ(ParseError(list), "operators[0].email[1]: not a string");
  list = ValidList();
  list["operators"][0].erase("logs");
  EXPECT_EQ(ParseError(list), "operators[0]: missing field \"logs\"");
  list = ValidList();
  list["operators"][0]["tiled_logs"] = json::object();
  EXPECT_EQ(ParseError(list), "operators[0].tiled_logs: not an array");
  // Two entries with one name would make one operator count as two.
  list = ValidList();
  json second = list["operators"][0];
  second["logs"] = json::array({MakeLog("three")});
  list["operators"].push_back(second);
  EXPECT_EQ(ParseError(list), "operators[1].name: \"Op\" names an earlier operator too");
}

TEST(LogListTest, RejectsTooManyOperators) {
  json list = ValidList();
  json operators = json::array();
  for (size_t i = 0; i <= kMaxLogOperators; ++i) {
    operators.push_back(json{
        {"name", "op" + std::to_string(i)}, {"email", json::array()}, {"logs", json::array()}});
  }
  list["operators"] = operators;
  EXPECT_EQ(ParseError(list), "operators: more than 1000 operators");
}

TEST(LogListTest, RejectsMissingAndMistypedLogFields) {
  struct Case {
    const char* field;
    json value;  // null: erase the field
    const char* error;
  };
  const Case kCases[] = {
      {"key", nullptr, "operators[0].logs[1]: missing field \"key\""},
      {"log_id", nullptr, "operators[0].logs[1]: missing field \"log_id\""},
      {"mmd", nullptr, "operators[0].logs[1]: missing field \"mmd\""},
      {"url", nullptr, "operators[0].logs[1]: missing field \"url\""},
      {"mmd", "86400", "operators[0].logs[1]: field \"mmd\" is not a non-negative integer"},
      {"mmd", -1, "operators[0].logs[1]: field \"mmd\" is not a non-negative integer"},
      {"mmd", 1.5, "operators[0].logs[1]: field \"mmd\" is not a non-negative integer"},
      {"key", 12, "operators[0].logs[1]: field \"key\" is not a string"},
      {"log_id", json::array(), "operators[0].logs[1]: field \"log_id\" is not a string"},
      {"description", 1, "operators[0].logs[1]: field \"description\" is not a string"},
      {"log_type", false, "operators[0].logs[1]: field \"log_type\" is not a string"},
      {"url", "", "operators[0].logs[1].url: must not be empty"},
      {"url", "ftp://x.example/", "operators[0].logs[1]: URL \"ftp://x.example/\" is not"},
      {"state", "usable", "operators[0].logs[1].state: not an object"},
      {"temporal_interval", 5, "operators[0].logs[1].temporal_interval: not an object"},
      {"previous_operators", json::object(),
       "operators[0].logs[1].previous_operators: not an array"},
  };
  for (const Case& test : kCases) {
    json list = ValidList();
    json& log = list["operators"][0]["logs"][1];
    if (test.value.is_null()) {
      log.erase(test.field);
    } else {
      log[test.field] = test.value;
    }
    EXPECT_THAT(ParseError(list), HasSubstr(test.error)) << test.field << " = " << test.value;
  }
  json not_object = ValidList();
  not_object["operators"][0]["logs"][0] = "log";
  EXPECT_EQ(ParseError(not_object), "operators[0].logs[0]: not an object");
}

TEST(LogListTest, RejectsBadBase64) {
  // Not base64, a newline, missing padding, non-zero unused bits (Base64Decode is strict).
  for (const char* bad : {"not base64!", "QUJD\n", "QUJDRA", "QUJDRB=="}) {
    json list = ValidList();
    list["operators"][0]["logs"][0]["key"] = bad;
    EXPECT_THAT(ParseError(list), HasSubstr("operators[0].logs[0].key: bad base64")) << bad;
  }
  json list = ValidList();
  list["operators"][0]["logs"][0]["key"] = "";
  EXPECT_EQ(ParseError(list), "operators[0].logs[0].key: is empty");
}

TEST(LogListTest, RejectsLogIdThatIsNotTheKeyHash) {
  // The decision: a wrong log_id rejects the list, so no key is ever trusted under another id.
  json list = ValidList();
  list["operators"][0]["logs"][1]["log_id"] = list["operators"][0]["logs"][0]["log_id"];
  std::string error = ParseError(list);
  EXPECT_THAT(error, HasSubstr("operators[0].logs[1].log_id: is not SHA-256 of \"key\""));
  EXPECT_THAT(error, HasSubstr(Base64Encode(Sha256(AsBytes("test key of two")))));

  list = ValidList();
  list["operators"][0]["logs"][1]["log_id"] = Base64Encode(Bytes(31, 0));
  EXPECT_EQ(ParseError(list), "operators[0].logs[1].log_id: is 31 bytes, not 32");
}

TEST(LogListTest, RejectsALogListedTwice) {
  json list = MakeList(json::array({MakeLog("one"), MakeLog("one")}));
  EXPECT_THAT(ParseError(list), HasSubstr("operators[0].logs[1].log_id: "));
  EXPECT_THAT(ParseError(list), HasSubstr("is listed more than once"));
  // Also across the RFC 6962 and tiled arrays.
  list = ValidList();
  json tiled = MakeLog("one");
  tiled.erase("url");
  tiled["submission_url"] = "https://one.example/";
  tiled["monitoring_url"] = "https://one.example/";
  list["operators"][0]["tiled_logs"].push_back(tiled);
  EXPECT_THAT(ParseError(list), HasSubstr("operators[0].tiled_logs[0].log_id"));
}

TEST(LogListTest, TiledLogsNeedBothUrls) {
  json list = ValidList();
  json tiled = MakeLog("tiled");
  tiled.erase("url");
  tiled["submission_url"] = "https://tiled.example/";
  list["operators"][0]["tiled_logs"].push_back(tiled);
  EXPECT_EQ(ParseError(list), "operators[0].tiled_logs[0]: missing field \"monitoring_url\"");
  list["operators"][0]["tiled_logs"][0]["monitoring_url"] = "https://tiled-mon.example/";
  Result<LogList> parsed = LogList::Parse(list.dump());
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ(parsed->logs()[2].api, LogApi::kStaticCtApi);
  EXPECT_EQ(parsed->logs()[2].monitoring_url, "https://tiled-mon.example/");
}

TEST(LogListTest, RejectsBadStates) {
  struct Case {
    json state;
    const char* error;
  };
  const Case kCases[] = {
      {json::object(), "operators[0].logs[0].state: must hold exactly one of"},
      {json{{"usable", {{"timestamp", "2024-01-01T00:00:00Z"}}},
            {"retired", {{"timestamp", "2024-02-01T00:00:00Z"}}}},
       "has 2 members"},
      {json{{"approved", {{"timestamp", "2024-01-01T00:00:00Z"}}}},
       "operators[0].logs[0].state: unknown state \"approved\""},
      {json{{"usable", json::object()}},
       "operators[0].logs[0].state.usable: missing field \"timestamp\""},
      {json{{"usable", {{"timestamp", 1704067200}}}},
       "operators[0].logs[0].state.usable: field \"timestamp\" is not a string"},
      {json{{"usable", {{"timestamp", "2024-01-01"}}}},
       "operators[0].logs[0].state.usable.timestamp: RFC 3339 date-time"},
      {json{{"retired", "2024-01-01T00:00:00Z"}},
       "operators[0].logs[0].state.retired: not an object"},
      {json{{"readonly", {{"timestamp", "2024-01-01T00:00:00Z"}}}},
       "state.readonly: readonly state needs \"final_tree_head\""},
      {json{{"readonly",
             {{"timestamp", "2024-01-01T00:00:00Z"},
              {"final_tree_head", {{"sha256_root_hash", "AAAA"}, {"tree_size", 5}}}}}},
       "final_tree_head.sha256_root_hash: is 3 bytes, not 32"},
      {json{{"readonly",
             {{"timestamp", "2024-01-01T00:00:00Z"},
              {"final_tree_head",
               {{"sha256_root_hash", Base64Encode(Bytes(32, 1))}, {"tree_size", -5}}}}}},
       "field \"tree_size\" is not a non-negative integer"},
  };
  for (const Case& test : kCases) {
    json list = ValidList();
    list["operators"][0]["logs"][0]["state"] = test.state;
    EXPECT_THAT(ParseError(list), HasSubstr(test.error)) << test.state;
  }
}

TEST(LogListTest, ReadOnlyStateKeepsTheFinalTreeHead) {
  json list = ValidList();
  list["operators"][0]["logs"][0]["state"] = {
      {"readonly",
       {{"timestamp", "2024-01-01T00:00:00Z"},
        {"final_tree_head",
         {{"sha256_root_hash", Base64Encode(Bytes(32, 7))}, {"tree_size", 9}}}}}};
  Result<LogList> parsed = LogList::Parse(list.dump());
  ASSERT_TRUE(parsed) << parsed.error().message;
  const LogInfo& log = parsed->logs()[0];
  ASSERT_TRUE(log.state && log.state->final_tree_head);
  EXPECT_EQ(log.state->final_tree_head->tree_size, 9u);
  EXPECT_EQ(log.state->final_tree_head->sha256_root_hash[31], 7);
}

TEST(LogListTest, RejectsBadTemporalIntervalsAndPreviousOperators) {
  json list = ValidList();
  list["operators"][0]["logs"][0]["temporal_interval"] = {
      {"start_inclusive", "2025-01-01T00:00:00Z"}, {"end_exclusive", "2025-01-01T00:00:00Z"}};
  EXPECT_EQ(ParseError(list),
            "operators[0].logs[0].temporal_interval: end_exclusive is not after start_inclusive");
  list["operators"][0]["logs"][0]["temporal_interval"] = {
      {"start_inclusive", "2025-01-01T00:00:00Z"}};
  EXPECT_EQ(ParseError(list),
            "operators[0].logs[0].temporal_interval: missing field \"end_exclusive\"");

  list = ValidList();
  list["operators"][0]["logs"][0]["previous_operators"] = json::array({json{{"name", "Old"}}});
  EXPECT_EQ(ParseError(list),
            "operators[0].logs[0].previous_operators[0]: missing field \"end_time\"");
  list["operators"][0]["logs"][0]["previous_operators"] = json::array({"Old"});
  EXPECT_EQ(ParseError(list), "operators[0].logs[0].previous_operators[0]: not an object");
}

}  // namespace
}  // namespace ctkit
