// The log's HTTP face, served by httpd/http_server.h (libmicrohttpd, which enforces the body,
// header, time and connection limits itself): the RFC 6962 §4 endpoints under /ct/v1/ and, when
// enabled, the static-ct-api monitoring endpoints (/checkpoint, /tile/..., /issuer/...;
// logserver/static_ct_api.h). The submission endpoints (add-chain, add-pre-chain, get-roots) are
// always on: a static-ct-api log takes submissions through RFC 6962 (static-ct-api "Submission
// APIs"); only the read API is chosen.
//
// Bad requests get HTTP 400 with {"success": false, "error_message": "..."}; the log's own
// failures 500; an unknown path 404, a known path with another method 405. HEAD is answered as
// GET without the body. Request bodies are bounded. An optional requests-per-second limit answers
// 429 with Retry-After, to exercise clients. One line per request is logged to stderr when enabled.

#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/error.h"
#include "base/token_bucket.h"
#include "httpd/http_server.h"
#include "logserver/log_service.h"

namespace ctkit {

// Something that sees each request before the log does and may answer it instead.
class RequestInterceptor {
 public:
  virtual ~RequestInterceptor() = default;
  // True when it answered `req` in `res`.
  virtual bool Intercept(const HttpRequest& req, HttpResponse& res) = 0;
  // Ends answers that would never end, so the server can stop.
  virtual void Stop() {}
};

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;                      // 0: any free port (see port())
  double rate_limit_per_second = 0;  // 0: unlimited
  size_t max_body_bytes = 1 << 20;   // add-chain bodies: a chain of certificates, base64
  bool log_requests = false;
  // Threads running requests (not connections: those cost no thread). Each submission waits
  // for its group commit on one, so this bounds how many share an fsync.
  int threads = 64;
  unsigned max_connections = 1000;
  unsigned max_connections_per_address = 200;
  // Read APIs: RFC 6962 get-sth, get-sth-consistency, get-proof-by-hash, get-entries,
  // get-entry-and-proof; and the static-ct-api monitoring endpoints.
  bool rfc6962_read_api = true;
  bool static_ct_api = false;
  // The checkpoint origin (static-ct-api "Checkpoints": the submission prefix without scheme or
  // trailing slash). Empty: "<host>:<port>" once bound, i.e. the prefix http://<host>:<port>/.
  std::string origin;
  // Test-only (faults/fault_injection.h, never in the installed ctkit): sees every request
  // first and may answer it instead of the log.
  std::shared_ptr<RequestInterceptor> interceptor;
};

class LogHttpServer {
 public:
  LogHttpServer(LogService& service, HttpServerOptions options);
  ~LogHttpServer();

  // Binds the listening socket exclusively (kIo when the address is in use) and serves from
  // then on.
  Result<void> Bind();
  int port() const { return port_; }
  // The checkpoint origin in use (known after Bind()).
  const std::string& origin() const { return origin_; }
  // Blocks until Stop().
  Result<void> Serve();
  void Stop();

 private:
  using Handler = std::function<void(const HttpRequest&, HttpResponse&)>;
  struct RouteEntry {
    std::string method;
    std::string path;  // exact, or a prefix when it ends with '/'
    Handler handler;
  };
  bool Admit();  // the rate limiter
  void Route(const char* method, std::string path, Handler handler);
  void Handle(const HttpRequest& req, HttpResponse& res);
  void RegisterRoutes();
  void RegisterRfc6962ReadApi();

  LogService& service_;
  HttpServerOptions options_;
  std::vector<RouteEntry> routes_;
  std::unique_ptr<HttpServer> server_;
  int port_ = 0;
  std::string origin_;
  std::mutex bucket_mutex_;
  TokenBucket bucket_{options_.rate_limit_per_second};
  std::mutex stop_mutex_;
  std::condition_variable stopped_cv_;
  bool stopped_ = false;
};

}  // namespace ctkit
