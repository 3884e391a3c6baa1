// Where a server listens, as a flag gives it: "127.0.0.1:8080", "[::1]:0", "localhost:80".
// Used by `log serve --listen` and `monitor --http`.

#pragma once

#include <string>

#include "base/error.h"

namespace ctkit {

struct ListenAddress {
  std::string host;  // without the brackets of an IPv6 address
  int port = 0;      // 0: any free port
};

// `flag` (e.g. "--http") names the flag in the error: kInvalidArgument "FLAG wants ADDR:PORT
// (e.g. 127.0.0.1:8080), not TEXT" for anything else (no host, no port, a port over 65535).
Result<ListenAddress> ParseListenAddress(const std::string& text, const std::string& flag);

}  // namespace ctkit
