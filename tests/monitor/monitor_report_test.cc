// What `monitor query` and `monitor status` print (monitor/monitor_report.h), from a real
// database.

#include "monitor/monitor_report.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "tests/test_support.h"

namespace ctkit {
namespace {

TEST(MonitorReportTest, AMissingDatabaseIsNotCreated) {
  std::string dir = testing::TempDir("ctkit-report");
  Result<std::unique_ptr<MonitorStore>> store = OpenMonitorDatabase(dir + "/none.db");
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(store.error().message, dir + "/none.db: no such database");
  testing::RemoveTree(dir);
}

TEST(MonitorReportTest, AnEmptyDatabaseHasNoFindingsAndEveryAlertDelivered) {
  std::string dir = testing::TempDir("ctkit-report");
  ASSERT_TRUE(MonitorStore::Open(dir + "/m.db"));
  Result<std::unique_ptr<MonitorStore>> store = OpenMonitorDatabase(dir + "/m.db");
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ(FindingsReport(**store, {.domain = "Example.COM."}, false).value(), "");
  EXPECT_EQ(StatusReport(**store, false, 0).value(), "deliveries: every alert delivered\n");
  nlohmann::json status = nlohmann::json::parse(StatusReport(**store, true, 0).value());
  EXPECT_TRUE(status["logs"].empty());
  testing::RemoveTree(dir);
}

}  // namespace
}  // namespace ctkit
