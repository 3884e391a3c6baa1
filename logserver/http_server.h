// The log's HTTP face, served by cpp-httplib: the RFC 6962 §4 endpoints under /ct/v1/ and, when
// enabled, the static-ct-api monitoring endpoints (/checkpoint, /tile/..., /issuer/...;
// logserver/static_ct_api.h). The submission endpoints (add-chain, add-pre-chain, get-roots) are
// always on: a static-ct-api log takes submissions through RFC 6962 (static-ct-api "Submission
// APIs"); only the read API is chosen.
//
// Bad requests get HTTP 400 with {"success": false, "error_message": "..."}; the log's own
// failures 500. Request bodies are bounded. An optional requests-per-second limit answers 429
// with Retry-After, to exercise clients. One line per request is logged to stderr when enabled.

#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include "base/error.h"
#include "logserver/log_service.h"

namespace httplib {
class Server;
}

namespace ctkit {

class FaultInjector;

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;                       // 0: any free port (see port())
  double rate_limit_per_second = 0;   // 0: unlimited
  size_t max_body_bytes = 1 << 20;    // add-chain bodies: a chain of certificates, base64
  bool log_requests = false;
  // Worker threads: each serves one connection at a time, for as long as it is kept alive.
  int threads = 64;
  size_t keep_alive_max_requests = 1000;  // requests per connection before it is closed
  // Read APIs: RFC 6962 get-sth, get-sth-consistency, get-proof-by-hash, get-entries,
  // get-entry-and-proof; and the static-ct-api monitoring endpoints.
  bool rfc6962_read_api = true;
  bool static_ct_api = false;
  // The checkpoint origin (static-ct-api "Checkpoints": the submission prefix without scheme or
  // trailing slash). Empty: "<host>:<port>" once bound, i.e. the prefix http://<host>:<port>/.
  std::string origin;
  // Test-only (logserver/fault_injection.h): serve POST /ctkit-test/fault and misbehave on
  // request. Never on a log anyone relies on.
  bool test_faults = false;
  std::string initial_faults;  // e.g. "fork,429"; needs test_faults
};

class LogHttpServer {
 public:
  LogHttpServer(LogService& service, HttpServerOptions options);
  ~LogHttpServer();

  // Binds the listening socket (so port() is known) without serving yet.
  Result<void> Bind();
  int port() const { return port_; }
  // The checkpoint origin in use (known after Bind()).
  const std::string& origin() const { return origin_; }
  // Serves until Stop(); blocks.
  Result<void> Serve();
  void Stop();

 private:
  bool Admit();  // the rate limiter
  void RegisterRfc6962ReadApi();

  LogService& service_;
  HttpServerOptions options_;
  std::unique_ptr<httplib::Server> server_;
  std::unique_ptr<FaultInjector> faults_;  // only with options_.test_faults
  int port_ = 0;
  std::string origin_;
  std::mutex bucket_mutex_;
  double tokens_ = 0;
  uint64_t last_refill_us_ = 0;
};

}  // namespace ctkit
