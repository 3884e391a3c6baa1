#include "monitor/monitor_http_setup.h"

#include <algorithm>
#include <cctype>
#include <utility>

namespace ctkit {

Result<std::unique_ptr<MonitorHttpServer>> StartMonitorHttp(
    const std::string& listen, const std::vector<std::string>& allow_hosts,
    MonitorHttpOptions options, MonitorStore& store, const MonitorMetrics& metrics,
    const MonitorConsole& console) {
  ASSIGN_OR_RETURN(ListenAddress address, ParseListenAddress(listen, "--http"));
  options.host = address.host;
  options.port = address.port;
  options.allowed_hosts.clear();
  for (std::string name : allow_hosts) {
    std::transform(name.begin(), name.end(), name.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    options.allowed_hosts.push_back(std::move(name));
  }
  auto http = std::make_unique<MonitorHttpServer>(store, metrics, options);
  RETURN_IF_ERROR(http->Start());
  const std::string& host = address.host;
  std::string shown = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  console.listening(shown + ":" + std::to_string(http->port()));
  if (!(host.starts_with("127.") || host == "::1" || host == "localhost")) {
    console.say("warning: --http " + listen +
                " is reachable from other machines, and the page has no login: put it behind a "
                "proxy that authenticates, or listen on 127.0.0.1");
  }
  return http;
}

}  // namespace ctkit
