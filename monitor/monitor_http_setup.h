// The monitor's HTTP side as --http and --http-allow-host configure it (docs/monitor.md): parsed,
// started, and said: where it listens, and a warning when other machines can reach it (the page
// has no login).
//
//   Result<std::unique_ptr<MonitorHttpServer>> http =
//       StartMonitorHttp("127.0.0.1:8080", {"monitor.example"}, options, store, metrics, console);

#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/error.h"
#include "httpd/listen_address.h"
#include "monitor/monitor_console.h"
#include "monitor/monitor_http.h"

namespace ctkit {

// Starts the HTTP side on `listen` (ParseListenAddress) with `options` (its host, port and
// allowed hosts replaced: `allow_hosts` lower-cased), says where it listens through
// console.listening and, unless it is a loopback address, warns through console.say. Errors:
// ParseListenAddress's; kIo when the address cannot be bound (MonitorHttpServer::Start).
Result<std::unique_ptr<MonitorHttpServer>> StartMonitorHttp(
    const std::string& listen, const std::vector<std::string>& allow_hosts,
    MonitorHttpOptions options, MonitorStore& store, const MonitorMetrics& metrics,
    const MonitorConsole& console);

}  // namespace ctkit
