// The monitor's start-up (monitor/monitor_setup.h, monitor/monitor_http_setup.h): settings turned
// into health rules and a listen address, and set-ups refused before anything starts.

#include "monitor/monitor_setup.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "monitor/monitor_http_setup.h"
#include "tests/test_log_list.h"
#include "tests/test_support.h"

namespace ctkit {
namespace {

using namespace testing::log_list_data;
using ::testing::HasSubstr;

TEST(MonitorSetupTest, HealthRulesFollowThePollIntervalUnlessGiven) {
  MonitorSettings settings;
  Result<MonitorHealth> health = HealthFromSettings(settings);
  ASSERT_TRUE(health) << health.error().message;
  EXPECT_EQ(health->checks.unreachable_after_ms, 300'000);  // 3 polls of 60 s, at least 300 s
  EXPECT_EQ(health->checks.stall_after_ms, 900'000);
  EXPECT_EQ(health->checks.max_backlog, 100'000u);
  EXPECT_EQ(health->checks.log_list_max_age_ms, 48 * 3'600'000LL);
  EXPECT_EQ(health->events.debounce_ms, 60'000);
  EXPECT_EQ(health->events.repeat_ms, 86'400'000);

  settings.poll_seconds = 200;
  settings.stall_after = "30s";
  EXPECT_EQ(HealthFromSettings(settings)->checks.unreachable_after_ms, 600'000);
  EXPECT_EQ(HealthFromSettings(settings)->events.debounce_ms, 30'000);  // a shorter stall
  settings.health_max_age_seconds = 42;
  EXPECT_EQ(HealthFromSettings(settings)->checks.unreachable_after_ms, 42'000);
}

TEST(MonitorSetupTest, DurationsMustBeMoreThanZeroAndNameTheirFlag) {
  MonitorSettings settings;
  settings.stall_after = "0";
  EXPECT_EQ(HealthFromSettings(settings).error().message, "--stall-after: must be more than 0");
  settings.stall_after = "15m";
  settings.error_repeat = "soon";
  Result<MonitorHealth> health = HealthFromSettings(settings);
  ASSERT_FALSE(health);
  EXPECT_THAT(health.error().message, ::testing::StartsWith("--error-repeat: "));
}

TEST(MonitorSetupTest, ConfigNamingALogNotInTheListIsRefused) {
  LogList list =
      LogList::Parse(testing::LogListJson({{.key_file = kTestLogKey}}, kCtlogNow)).value();
  MonitorConfig config =
      MonitorConfig::Parse(R"({"logs": {"Test log 0": {}, "Test log 9": {}}})").value();
  Result<void> known = CheckConfigLogs(config, list, "c.json");
  ASSERT_FALSE(known);
  EXPECT_EQ(known.error().message,
            "--config c.json names a log that is not in the log list: Test log 9");
  EXPECT_TRUE(CheckConfigLogs(MonitorConfig(), list, ""));
}

class SetUpMonitorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = testing::TempDir("ctkit-monitor-setup");
    settings_.watchlist = dir_ + "/watchlist.txt";
    settings_.db = dir_ + "/m.db";
    std::ofstream(settings_.watchlist) << ".example.com\n";
    // A real file, so no test fetches the published list.
    settings_.log_list = dir_ + "/logs.json";
    std::ofstream(settings_.log_list)
        << testing::LogListJson({{.key_file = kTestLogKey}}, kCtlogNow);
  }
  void TearDown() override { testing::RemoveTree(dir_); }

  Result<std::unique_ptr<MonitorSetup>> Run() {
    return SetUpMonitor(settings_,
                        {.say = [this](const std::string& line) { said_.push_back(line); }});
  }

  std::string dir_;
  MonitorSettings settings_;
  std::vector<std::string> said_;
};

TEST_F(SetUpMonitorTest, ReadiesEverythingARunNeeds) {
  Result<std::unique_ptr<MonitorSetup>> setup = Run();
  ASSERT_TRUE(setup) << setup.error().message;
  EXPECT_EQ((*setup)->list->source, settings_.log_list);
  EXPECT_EQ((*setup)->list->list.logs().size(), 1u);
  EXPECT_TRUE((*setup)->list->users_list());
  EXPECT_EQ((*setup)->watchlist.items(), std::vector<std::string>{".example.com"});
  ASSERT_EQ((*setup)->sinks.size(), 1u);
  EXPECT_EQ((*setup)->sinks[0].name, "stdout");  // no sink configured
  EXPECT_EQ((*setup)->health.sinks, std::vector<std::string>{"stdout"});
  EXPECT_TRUE((*setup)->store);
  EXPECT_FALSE((*setup)->http);
  // The database is locked while the set-up lives.
  Result<std::unique_ptr<MonitorSetup>> second = Run();
  ASSERT_FALSE(second);
  EXPECT_THAT(second.error().message, HasSubstr(" is in use by another monitor"));
}

TEST_F(SetUpMonitorTest, RefusesAnEmptyWatchlistBeforeLoadingTheList) {
  std::ofstream(settings_.watchlist) << "# nothing yet\n";
  const std::string list = settings_.log_list;
  settings_.log_list = dir_ + "/missing.json";  // loading it first would fail on it
  Result<std::unique_ptr<MonitorSetup>> setup = Run();
  ASSERT_FALSE(setup);
  EXPECT_EQ(setup.error().message, settings_.watchlist +
                                       " watches no name (empty, or only comments); "
                                       "--allow-empty-watchlist to run without one");
  settings_.log_list = list;
  settings_.allow_empty_watchlist = true;
  EXPECT_TRUE(Run()) << "allowed";
}

TEST_F(SetUpMonitorTest, RefusesMissingFlagsAndBadSinksWithOneLine) {
  settings_.log_list = dir_ + "/missing.json";  // loading it first would fail on it
  settings_.db.clear();
  EXPECT_EQ(Run().error().message, "--watchlist and --db are required");
  settings_.db = dir_ + "/m.db";
  settings_.sinks.webhook_timeout = "0s";
  EXPECT_EQ(Run().error().message, "--webhook-timeout: must be more than 0");
}

}  // namespace
}  // namespace ctkit
