// monitor/monitor_exit_status.h: a stopped daemon succeeded; --once says what the run found.

#include "monitor/monitor_exit_status.h"

#include <gtest/gtest.h>

namespace ctkit {
namespace {

TEST(MonitorExitStatusTest, AStoppedDaemonSucceedsWhateverItFound) {
  EXPECT_EQ(MonitorExitStatus(false, {.new_alerts = 2, .logs_failed = 1}), 0);
}

TEST(MonitorExitStatusTest, OnceAnAlertIsOneAndAFailureThree) {
  EXPECT_EQ(MonitorExitStatus(true, {}), 0);
  EXPECT_EQ(MonitorExitStatus(true, {.new_alerts = 1, .logs_failed = 1}), 1);
  EXPECT_EQ(MonitorExitStatus(true, {.logs_failed = 1}), 3);
  MonitorSummary pending;
  pending.undelivered.push_back(SinkDeliveries{.pending = 1});
  EXPECT_EQ(MonitorExitStatus(true, pending), 3);
}

TEST(MonitorExitStatusTest, ATestAlertAnySinkFailedIsThree) {
  std::vector<TestAlertDelivery> sent = {{"stdout", {}}};
  EXPECT_EQ(TestAlertExitStatus(sent), 0);
  EXPECT_EQ(TestAlertDeliveryLine(sent[0]), "stdout accepted the test alert");
  sent.push_back({"webhook", std::unexpected(Error{ErrorCode::kNetwork, "HTTP status 500"})});
  EXPECT_EQ(TestAlertExitStatus(sent), 3);
  EXPECT_EQ(TestAlertDeliveryLine(sent[1]), "webhook failed: HTTP status 500");
}

}  // namespace
}  // namespace ctkit
