// Which logs of a log list the monitor follows (monitor/followed_logs.h): by state, by whose list
// it is, over which API, with which --config overrides.

#include "monitor/followed_logs.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/test_log_list.h"

namespace ctkit {
namespace {

using testing::LogListJson;
using testing::TestLog;
using namespace testing::log_list_data;

LogInfo WithState(std::optional<LogState> state) {
  LogInfo log;
  if (state) log.state = LogStateEntry{.state = *state};
  return log;
}

TEST(FollowedLogsTest, LogsThatCanBeReliedOnNowAreFollowedFromAnyList) {
  for (bool users_list : {false, true}) {
    EXPECT_TRUE(IsFollowed(WithState(LogState::kUsable), users_list));
    EXPECT_TRUE(IsFollowed(WithState(LogState::kQualified), users_list));
    EXPECT_TRUE(IsFollowed(WithState(LogState::kReadOnly), users_list));
    EXPECT_FALSE(IsFollowed(WithState(LogState::kPending), users_list));
    EXPECT_FALSE(IsFollowed(WithState(LogState::kRetired), users_list));
    EXPECT_FALSE(IsFollowed(WithState(LogState::kRejected), users_list));
  }
}

TEST(FollowedLogsTest, ALogWithoutAStateIsFollowedOnlyFromTheUsersList) {
  EXPECT_TRUE(IsFollowed(WithState(std::nullopt), /*users_list=*/true));
  EXPECT_FALSE(IsFollowed(WithState(std::nullopt), /*users_list=*/false));
}

// Test logs 0..4: usable, retired, no state, readonly, pending.
LogList MixedList() {
  std::string json = LogListJson({{.key_file = kTestLogKey, .state = "usable"},
                                  {.key_file = kTestLogRsaKey, .state = "retired"},
                                  {.key_file = kIcarusKey, .state = ""},
                                  {.key_file = kMammothKey, .state = "readonly"},
                                  {.key_file = "keys/google-pilot.pem", .state = "pending"}},
                                 kCtlogNow);
  return LogList::Parse(json).value();
}

std::vector<std::string> Urls(const FollowedLogs& followed) {
  std::vector<std::string> urls;
  for (const MonitoredLogSpec& spec : followed.specs) urls.push_back(spec.url);
  return urls;
}

TEST(FollowedLogsTest, FollowsTheListsLogsByStateInListOrder) {
  LogList list = MixedList();
  FollowedLogs published = FollowedLogSpecs(list, MonitorConfig(), false, "ctkit/test");
  EXPECT_EQ(Urls(published),
            (std::vector<std::string>{"https://log0.example/", "https://log3.example/"}));
  FollowedLogs users = FollowedLogSpecs(list, MonitorConfig(), true, "ctkit/test");
  EXPECT_EQ(Urls(users), (std::vector<std::string>{"https://log0.example/", "https://log2.example/",
                                                   "https://log3.example/"}));
  EXPECT_TRUE(users.notices.empty());
  const MonitoredLogSpec& first = users.specs.front();
  EXPECT_EQ(first.description, "Test log 0");
  EXPECT_EQ(first.log_id, list.logs()[0].log_id);
  EXPECT_EQ(first.mmd_seconds, 86400u);
}

TEST(FollowedLogsTest, EachLogGetsItsConfigOverrides) {
  Result<MonitorConfig> config = MonitorConfig::Parse(
      R"({"defaults": {"parallel_downloads": 3},
          "logs": {"Test log 3": {"batch_size": 32, "parallel_downloads": 1}}})");
  ASSERT_TRUE(config) << config.error().message;
  FollowedLogs followed = FollowedLogSpecs(MixedList(), *config, false, "ctkit/test");
  ASSERT_EQ(followed.specs.size(), 2u);
  EXPECT_EQ(followed.specs[0].batch_size, LogClientOptions{}.batch_size);
  EXPECT_EQ(followed.specs[0].parallel_downloads, 3u);
  EXPECT_EQ(followed.specs[1].batch_size, 32u);
  EXPECT_EQ(followed.specs[1].parallel_downloads, 1u);
}

TEST(FollowedLogsTest, EachSpecOpensAReaderForItsLogsApi) {
  nlohmann::json json = nlohmann::json::parse(
      LogListJson({{.key_file = kTestLogKey}, {.key_file = kIcarusKey}}, kCtlogNow));
  // Log 1 becomes a static-ct-api log with its own submission and monitoring prefixes.
  nlohmann::json& op = json["operators"][0];
  nlohmann::json tiled = op["logs"][1];
  op["logs"].erase(1);
  tiled.erase("url");
  tiled["submission_url"] = "https://submit.example/2026h1/";
  tiled["monitoring_url"] = "https://tiles.example/2026h1/";
  op["tiled_logs"] = nlohmann::json::array({tiled});
  Result<LogList> list = LogList::Parse(json.dump());
  ASSERT_TRUE(list) << list.error().message;

  FollowedLogs followed = FollowedLogSpecs(*list, MonitorConfig(), false, "ctkit/test");
  ASSERT_EQ(Urls(followed),
            (std::vector<std::string>{"https://log0.example/", "https://tiles.example/2026h1/"}));
  for (const MonitoredLogSpec& spec : followed.specs) {
    Result<std::unique_ptr<LogReader>> reader = spec.make_reader();
    ASSERT_TRUE(reader) << reader.error().message;
    EXPECT_EQ((*reader)->base_url(), spec.url);
  }
}

}  // namespace
}  // namespace ctkit
