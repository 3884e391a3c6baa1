// What a run of the monitor ends with, as the exit status of `ctkit monitor` and `ctkit monitor
// test-alert` (docs/ctkit.md "EXIT STATUS"; 1 an alert, 3 a log or a sink failed).
//
// A daemon stopped by SIGTERM or SIGINT has shut down cleanly: that is success (0), whatever it
// found on the way (its alerts are stored and delivered); `systemctl stop` must not leave the
// unit failed. --once reports what the run found: 1 when it raised an alert; else 3 when a log
// could not be caught up or an alert has not reached a sink yet (it is retried on the next run,
// so until then the run did not do its job); else 0.
//
//   return MonitorExitStatus(settings.once, run->total);

#pragma once

#include <string>
#include <vector>

#include "monitor/monitor_daemon.h"
#include "monitor/monitor_sinks.h"

namespace ctkit {

int MonitorExitStatus(bool once, const MonitorSummary& total);

// "<sink> accepted the test alert", or "<sink> failed: <why>".
std::string TestAlertDeliveryLine(const TestAlertDelivery& delivery);

// 3 when any sink failed to take the test alert, else 0.
int TestAlertExitStatus(const std::vector<TestAlertDelivery>& deliveries);

}  // namespace ctkit
