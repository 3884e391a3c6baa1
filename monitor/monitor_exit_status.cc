#include "monitor/monitor_exit_status.h"

#include <algorithm>

namespace ctkit {

int MonitorExitStatus(bool once, const MonitorSummary& total) {
  if (!once) return 0;
  if (total.new_alerts > 0) return 1;
  bool pending = std::ranges::any_of(total.undelivered,
                                     [](const SinkDeliveries& sink) { return sink.pending > 0; });
  return total.logs_failed > 0 || pending ? 3 : 0;
}

std::string TestAlertDeliveryLine(const TestAlertDelivery& delivery) {
  return delivery.sink +
         (delivery.sent ? " accepted the test alert" : " failed: " + delivery.sent.error().message);
}

int TestAlertExitStatus(const std::vector<TestAlertDelivery>& deliveries) {
  return std::ranges::any_of(deliveries, [](const TestAlertDelivery& d) { return !d.sent; }) ? 3
                                                                                             : 0;
}

}  // namespace ctkit
