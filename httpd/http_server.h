// HttpServer: the HTTP/1.1 server under `ctkit log serve` and `ctkit monitor --http`, on GNU
// libmicrohttpd (event-driven: epoll). It enforces its own limits before buffering anything, so
// a hostile client costs a bounded amount of memory and no thread:
//
//   HttpServer server({.max_body_bytes = 1 << 20}, [](const HttpRequest& req, HttpResponse& res) {
//     res.Set(200, "hello\n", "text/plain; charset=utf-8");
//   });
//   if (Result<void> ok = server.Listen("127.0.0.1", 0); !ok) ...;  // serves from here on
//   server.port();
//   server.Stop();
//
// What a client cannot do (HttpLimits):
// - send a body over max_body_bytes, whatever the framing: Content-Length over it is refused
//   before the body is read; chunked bytes are counted as they arrive and the request refused
//   when they pass it (413). A Content-Encoding other than identity is refused (415), so no
//   body is ever inflated.
// - send a request line and headers over max_head_bytes (libmicrohttpd's per-connection memory
//   pool: 414 or 431);
// - take longer than request_deadline from the first byte of a request to its last (a
//   slowloris trickle is cut: the socket is shut down), or keep an idle connection past it;
// - open more than max_connections, or max_connections_per_address from one address;
// - hold a thread: connections live in io_threads event loops; a complete request is handed to
//   one of `workers` threads while its connection is suspended, so a slow handler (a group
//   commit's fsync) does not stall the other connections of its loop.
// - share the port: the listening socket is bound exclusively (no SO_REUSEPORT), so a second
//   server on a taken port fails to start ("address already in use") instead of splitting the
//   traffic.
//
// Methods other than those in `methods` get 405. HEAD is answered by the GET handler with the
// body left out (libmicrohttpd drops it). Handlers run on worker threads, concurrently.

#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"

namespace ctkit {

struct HttpRequest {
  std::string method;  // "GET", "HEAD", "POST", ...
  std::string path;    // percent-decoded, without the query string
  std::vector<std::pair<std::string, std::string>> query;    // decoded, in order
  std::vector<std::pair<std::string, std::string>> headers;  // as sent
  std::string body;
  std::string remote_address;  // "127.0.0.1", "::1"

  // The first query parameter / header (case-insensitive name) of that name, or nullptr.
  const std::string* Param(std::string_view name) const;
  const std::string* Header(std::string_view name) const;
};

// A body produced piece by piece instead of held whole (never-ending or cut answers, for test
// fault injection). `next(offset)` returns the next bytes; "" ends the body; nullopt drops the
// connection at once (a body cut short of its Content-Length). Called on an event-loop thread:
// keep each call short.
struct HttpStream {
  std::optional<uint64_t> content_length;  // announced; nullopt: chunked
  std::function<std::optional<std::string>(uint64_t offset)> next;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
  std::shared_ptr<HttpStream> stream;  // when set, sent instead of `body`

  void Set(int new_status, std::string new_body, std::string new_content_type) {
    status = new_status;
    body = std::move(new_body);
    content_type = std::move(new_content_type);
  }
  void AddHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

using HttpHandler = std::function<void(const HttpRequest&, HttpResponse&)>;

struct HttpLimits {
  size_t max_body_bytes = 64 << 10;
  size_t max_head_bytes = 16 << 10;                    // request line and headers
  std::chrono::milliseconds request_deadline{30'000};  // also the keep-alive idle limit
  unsigned max_connections = 1000;
  unsigned max_connections_per_address = 200;
  unsigned io_threads = 2;  // event loops
  unsigned workers = 8;     // threads running handlers
  std::vector<std::string> methods = {"GET", "HEAD", "POST"};
};

class HttpServer {
 public:
  HttpServer(HttpLimits limits, HttpHandler handler);
  ~HttpServer();  // stops
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds host:port (port 0: a free one) exclusively and serves from then on, on threads of its
  // own. kIo naming the address when it cannot ("address already in use").
  Result<void> Listen(const std::string& host, int port);
  int port() const { return port_; }
  // Stops accepting, finishes the requests being handled, closes every connection.
  void Stop();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
};

}  // namespace ctkit
