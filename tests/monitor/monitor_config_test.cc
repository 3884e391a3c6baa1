#include "monitor/monitor_config.h"

#include <gtest/gtest.h>

namespace ctkit {
namespace {

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
