// Where the monitor's log list comes from (monitor/monitor_log_list.h): the user's, or the
// published one with the compiled-in snapshot as its fallback, and how each is reported.

#include "monitor/monitor_log_list.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/test_log_list.h"

namespace ctkit {
namespace {

using namespace testing::log_list_data;
using ::testing::HasSubstr;

constexpr int64_t kDayMs = 86'400'000;

// A loader that serves a two-log list from "logs.json" and the snapshot (""), and fails with
// kNetwork for any URL; it records what it was asked for.
struct FakeLoader {
  std::vector<std::string> asked;
  LogListLoader loader() {
    return [this](const std::string& source) -> Result<LogList> {
      asked.push_back(source);
      if (source.starts_with("https://")) return MakeError(ErrorCode::kNetwork, "no route");
      return LogList::Parse(
          testing::LogListJson({{.key_file = kTestLogKey}, {.key_file = kIcarusKey}}, kCtlogNow));
    };
  }
};

TEST(MonitorLogListTest, TheUsersListIsLoadedAsGivenWithoutFallback) {
  FakeLoader load;
  std::vector<std::string> said;
  Result<MonitorLogList> list = LoadMonitorLogList(
      "logs.json", [&](const std::string& line) { said.push_back(line); }, load.loader());
  ASSERT_TRUE(list) << list.error().message;
  EXPECT_EQ(load.asked, std::vector<std::string>{"logs.json"});
  EXPECT_TRUE(said.empty());
  EXPECT_TRUE(list->users_list());
  LogListStatus status = list->Status(2, kCtlogNow + 3 * kDayMs);
  EXPECT_EQ(status.source, "logs.json");
  EXPECT_EQ(status.timestamp_ms, 0);  // a hand-written list is not stale
  EXPECT_FALSE(status.fallback);
  EXPECT_EQ(status.logs, 2u);
  EXPECT_EQ(list->FollowingLine(2, kCtlogNow + 3 * kDayMs),
            "following 2 of the 2 logs of logs.json (version 1.0, 2013-05-01, 3 days old)");
}

TEST(MonitorLogListTest, ThePublishedListFallsBackToTheSnapshotAndSaysWhy) {
  FakeLoader load;
  std::vector<std::string> said;
  Result<MonitorLogList> list =
      LoadMonitorLogList("", [&](const std::string& line) { said.push_back(line); }, load.loader());
  ASSERT_TRUE(list) << list.error().message;
  EXPECT_EQ(load.asked, (std::vector<std::string>{kPublicLogListUrl, ""}));
  ASSERT_EQ(said.size(), 1u);
  EXPECT_EQ(said[0],
            "cannot fetch the published log list (no route); using the compiled-in "
            "snapshot");
  EXPECT_FALSE(list->users_list());
  LogListStatus status = list->Status(1, kCtlogNow);
  EXPECT_EQ(status.source, "compiled-in snapshot");
  EXPECT_TRUE(status.fallback);
  EXPECT_EQ(status.error, said[0]);
  EXPECT_EQ(status.timestamp_ms, kCtlogNow);
  EXPECT_THAT(list->FollowingLine(1, kCtlogNow), HasSubstr("of the compiled-in log list"));
}

TEST(MonitorLogListTest, AFailingUsersListIsAnErrorWithItsCode) {
  FakeLoader load;
  Result<MonitorLogList> list =
      LoadMonitorLogList("https://lists.example/logs.json", [](auto&) {}, load.loader());
  ASSERT_FALSE(list);
  EXPECT_EQ(list.error().code, ErrorCode::kNetwork);
  EXPECT_EQ(load.asked.size(), 1u);  // no fallback for a list the user named
}

}  // namespace
}  // namespace ctkit
