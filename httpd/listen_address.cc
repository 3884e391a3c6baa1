#include "httpd/listen_address.h"

namespace ctkit {

Result<ListenAddress> ParseListenAddress(const std::string& text, const std::string& flag) {
  auto refused = [&] {
    return MakeError(ErrorCode::kInvalidArgument,
                     flag + " wants ADDR:PORT (e.g. 127.0.0.1:8080), not " + text);
  };
  size_t colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return refused();
  ListenAddress address{.host = text.substr(0, colon)};
  std::string& host = address.host;
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  std::string digits = text.substr(colon + 1);
  if (digits.size() > 5 || digits.find_first_not_of("0123456789") != std::string::npos) {
    return refused();
  }
  address.port = std::stoi(digits);
  if (host.empty() || address.port > 65535) return refused();
  return address;
}

}  // namespace ctkit
