// Per-log overrides (`ctkit monitor --config`): values, merging and the errors a typo gets.

#include "monitor/monitor_config.h"

#include <gtest/gtest.h>

namespace ctkit {
namespace {

TEST(MonitorConfigTest, LogEntryOverridesTheDefaults) {
  Result<MonitorConfig> config = MonitorConfig::Parse(
      R"({"defaults": {"batch_size": 256, "max_retries": 3},
          "logs": {"https://ct.example/a/": {"max_retries": 0, "timeout_seconds": 2.5}}})");
  ASSERT_TRUE(config) << config.error().message;
  LogOverrides a = config->For("https://ct.example/a/", "A", LogId{});
  EXPECT_EQ(a.batch_size, 256u);
  EXPECT_EQ(a.max_retries, 0);
  EXPECT_EQ(a.timeout_seconds, 2.5);
  LogOverrides b = config->For("https://ct.example/b/", "B", LogId{});
  EXPECT_EQ(b.max_retries, 3);
  EXPECT_FALSE(b.timeout_seconds);
}

TEST(MonitorConfigTest, OutOfRangeValuesAreErrors) {
  for (const char* bad : {R"({"defaults": {"max_retries": 11}})", R"({"defaults": {"max_retries": -1}})",
                          R"({"defaults": {"timeout_seconds": 0}})",
                          R"({"defaults": {"timeout_seconds": "5"}})",
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
  LogOverrides a = config->For("http://a.test/", "A", LogId{});
  LogOverrides b = config->For("http://b.test/", "B", LogId{});
  EXPECT_EQ(a.parallel_downloads, 1u);
  EXPECT_EQ(a.batch_size, 512u);
  EXPECT_EQ(b.parallel_downloads, 3u);
}

TEST(MonitorConfigTest, ParallelDownloadsOutOfRangeIsAnError) {
  for (const char* text : {R"({"defaults": {"parallel_downloads": 0}})",
                           R"({"defaults": {"parallel_downloads": 17}})",
                           R"({"defaults": {"parallel_downloads": "2"}})"}) {
    Result<MonitorConfig> config = MonitorConfig::Parse(text);
    ASSERT_FALSE(config) << text;
    EXPECT_NE(config.error().message.find("parallel_downloads"), std::string::npos);
  }
}

}  // namespace
}  // namespace ctkit
