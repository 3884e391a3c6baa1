// Per-log overrides (`ctkit monitor --config`): values, merging and the errors a typo gets.

#include "monitor/monitor_config.h"

#include <gtest/gtest.h>

namespace ctkit {
namespace {

LogInfo Log(std::string url, std::string description) {
  LogInfo log;
  log.url = std::move(url);
  log.description = std::move(description);
  return log;
}

TEST(MonitorConfigTest, LogEntryOverridesTheDefaults) {
  Result<MonitorConfig> config = MonitorConfig::Parse(
      R"({"defaults": {"batch_size": 256, "max_retries": 3},
          "logs": {"https://ct.example/a/": {"max_retries": 0, "timeout_seconds": 2.5}}})");
  ASSERT_TRUE(config) << config.error().message;
  LogOverrides a = config->For(Log("https://ct.example/a/", "A"));
  EXPECT_EQ(a.batch_size, 256u);
  EXPECT_EQ(a.max_retries, 0);
  EXPECT_EQ(a.timeout_seconds, 2.5);
  LogOverrides b = config->For(Log("https://ct.example/b/", "B"));
  EXPECT_EQ(b.max_retries, 3);
  EXPECT_FALSE(b.timeout_seconds);
}

TEST(MonitorConfigTest, AUrlEntryWinsOverADescriptionEntryForOneLog) {
  Result<MonitorConfig> config = MonitorConfig::Parse(
      R"({"logs": {"example argon": {"batch_size": 32, "max_retries": 1},
                   "https://ct.example/argon": {"batch_size": 64}}})");
  ASSERT_TRUE(config) << config.error().message;
  LogOverrides argon = config->For(Log("https://ct.example/argon/", "Example Argon"));
  EXPECT_EQ(argon.batch_size, 64u);
  EXPECT_FALSE(argon.max_retries);  // entries are not merged: the strongest match is the one
  EXPECT_EQ(config->For(Log("https://ct.example/xenon/", "Example Argon")).batch_size, 32u);
  EXPECT_TRUE(
      config->UnknownLogs(std::vector<LogInfo>{Log("https://ct.example/argon/", "x")}).size() == 1);
}

TEST(MonitorConfigTest, OutOfRangeValuesAreErrors) {
  for (const char* bad :
       {R"({"defaults": {"max_retries": 11}})", R"({"defaults": {"max_retries": -1}})",
        R"({"defaults": {"timeout_seconds": 0}})", R"({"defaults": {"timeout_seconds": "5"}})",
        R"({"defaults": {"timeout": 5}})"}) {
    Result<MonitorConfig> config = MonitorConfig::Parse(bad);
    EXPECT_FALSE(config) << bad;
    if (!config) {
      EXPECT_EQ(config.error().code, ErrorCode::kMalformed) << bad;
    }
  }
}

TEST(MonitorConfigTest, PerLogParallelDownloadsOverrideTheDefault) {
  Result<MonitorConfig> config = MonitorConfig::Parse(
      R"({"defaults": {"parallel_downloads": 3, "batch_size": 512},
          "logs": {"http://a.test/": {"parallel_downloads": 1}}})");
  ASSERT_TRUE(config) << config.error().message;
  LogOverrides a = config->For(Log("http://a.test/", "A"));
  LogOverrides b = config->For(Log("http://b.test/", "B"));
  EXPECT_EQ(a.parallel_downloads, 1u);
  EXPECT_EQ(a.batch_size, 512u);
  EXPECT_EQ(b.parallel_downloads, 3u);
}

TEST(MonitorConfigTest, ParallelDownloadsOutOfRangeIsAnError) {
  for (const char* text :
       {R"({"defaults": {"parallel_downloads": 0}})", R"({"defaults": {"parallel_downloads": 17}})",
        R"({"defaults": {"parallel_downloads": "2"}})"}) {
    Result<MonitorConfig> config = MonitorConfig::Parse(text);
    ASSERT_FALSE(config) << text;
    EXPECT_NE(config.error().message.find("parallel_downloads"), std::string::npos);
  }
}

}  // namespace
}  // namespace ctkit
