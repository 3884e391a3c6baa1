#include "httpd/http_server.h"

#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace ctkit {
namespace {

using Clock = std::chrono::steady_clock;

bool SameName(std::string_view a, std::string_view b) {
  return a.size() == b.size() && strncasecmp(a.data(), b.data(), a.size()) == 0;
}

// One connection, as the deadline watchdog sees it.
struct Connection {
  int fd = -1;
  bool reading = true;  // reading a request, or idle before one: the deadline runs
  Clock::time_point since;
  bool shut = false;
};

// One request, from its first callback to its completion.
struct Request {
  HttpRequest request;
  bool refused = false;           // answered before its body was read; the rest is discarded
  bool handed_over = false;       // suspended, on a worker
  std::atomic<bool> done{false};  // the worker's response is ready
  HttpResponse response;
};

// The rest of a streamed body, between libmicrohttpd's calls for more.
struct StreamState {
  std::shared_ptr<HttpStream> stream;
  std::string pending;
  uint64_t offset = 0;  // bytes asked of the stream so far
};

ssize_t ReadStream(void* cls, uint64_t, char* buffer, size_t max) {
  auto& state = *static_cast<StreamState*>(cls);
  if (state.pending.empty()) {
    std::optional<std::string> more = state.stream->next(state.offset);
    if (!more) return MHD_CONTENT_READER_END_WITH_ERROR;
    if (more->empty()) return MHD_CONTENT_READER_END_OF_STREAM;
    state.offset += more->size();
    state.pending = std::move(*more);
  }
  size_t n = std::min(max, state.pending.size());
  std::memcpy(buffer, state.pending.data(), n);
  state.pending.erase(0, n);
  return static_cast<ssize_t>(n);
}

void FreeStream(void* cls) { delete static_cast<StreamState*>(cls); }
void FreeBody(void* cls) { delete static_cast<std::string*>(cls); }

MHD_Result CollectPair(void* cls, MHD_ValueKind, const char* key, const char* value) {
  static_cast<std::vector<std::pair<std::string, std::string>>*>(cls)->emplace_back(
      key != nullptr ? key : "", value != nullptr ? value : "");
  return MHD_YES;
}

std::string AddressText(const sockaddr* address) {
  if (address == nullptr) return "";
  char host[NI_MAXHOST] = {};
  socklen_t length = address->sa_family == AF_INET6 ? sizeof(sockaddr_in6) : sizeof(sockaddr_in);
  if (getnameinfo(address, length, host, sizeof(host), nullptr, 0, NI_NUMERICHOST) != 0) return "";
  return host;
}

}  // namespace

const std::string* HttpRequest::Param(std::string_view name) const {
  for (const auto& [key, value] : query) {
    if (key == name) return &value;
  }
  return nullptr;
}

const std::string* HttpRequest::Header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (SameName(key, name)) return &value;
  }
  return nullptr;
}

struct HttpServer::Impl {
  HttpLimits limits;
  HttpHandler handler;
  MHD_Daemon* daemon = nullptr;

  std::mutex connections_mutex;
  std::unordered_map<MHD_Connection*, Connection> connections;

  std::mutex mutex;                       // guards what follows
  std::condition_variable changed;        // work queued, or stopping
  std::condition_variable watchdog_wake;  // stopping
  std::deque<std::pair<MHD_Connection*, Request*>> work;
  bool stopping = false;
  std::vector<std::thread> workers;
  std::thread watchdog;

  void SetReading(MHD_Connection* connection, bool reading) {
    std::lock_guard lock(connections_mutex);
    auto found = connections.find(connection);
    if (found == connections.end()) return;
    found->second.reading = reading;
    found->second.since = Clock::now();
  }

  static MHD_Result Queue(MHD_Connection* connection, HttpResponse& response) {
    MHD_Response* answer = nullptr;
    if (response.stream) {
      auto* state = new StreamState{.stream = response.stream};
      uint64_t size = response.stream->content_length.value_or(MHD_SIZE_UNKNOWN);
      answer = MHD_create_response_from_callback(size, 64 * 1024, &ReadStream, state, &FreeStream);
      if (answer == nullptr) delete state;
    } else {
      auto* body = new std::string(std::move(response.body));
      answer = MHD_create_response_from_buffer_with_free_callback_cls(body->size(), body->data(),
                                                                      &FreeBody, body);
      if (answer == nullptr) delete body;
    }
    if (answer == nullptr) return MHD_NO;
    MHD_add_response_header(answer, MHD_HTTP_HEADER_CONTENT_TYPE, response.content_type.c_str());
    for (const auto& [name, value] : response.headers) {
      // libmicrohttpd refuses names and values with CR, LF or other separators: no header
      // injection whatever a handler puts here.
      MHD_add_response_header(answer, name.c_str(), value.c_str());
    }
    MHD_Result queued =
        MHD_queue_response(connection, static_cast<unsigned>(response.status), answer);
    MHD_destroy_response(answer);
    return queued;
  }

  static MHD_Result Refuse(MHD_Connection* connection, Request& request, int status,
                           const std::string& why) {
    request.refused = true;
    HttpResponse response;
    response.Set(status, why + "\n", "text/plain; charset=utf-8");
    response.AddHeader("Connection", "close");
    return Queue(connection, response);
  }

  // The first callback of a request: its head is complete, its body not yet read.
  MHD_Result Begin(MHD_Connection* connection, Request& request) {
    const std::vector<std::string>& methods = limits.methods;
    if (std::find(methods.begin(), methods.end(), request.request.method) == methods.end()) {
      return Refuse(connection, request, 405, "method not allowed");
    }
    const char* encoding =
        MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_ENCODING);
    if (encoding != nullptr && strcasecmp(encoding, "identity") != 0) {
      return Refuse(connection, request, 415, "Content-Encoding is not accepted");
    }
    const char* length =
        MHD_lookup_connection_value(connection, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (length != nullptr) {
      errno = 0;
      char* end = nullptr;
      unsigned long long declared = std::strtoull(length, &end, 10);
      if (errno != 0 || end == length || declared > limits.max_body_bytes) {
        return Refuse(connection, request, 413,
                      "request body over " + std::to_string(limits.max_body_bytes) + " bytes");
      }
    }
    return MHD_YES;
  }

  // The last callback before the handler: hands the request to a worker, connection suspended.
  MHD_Result HandOver(MHD_Connection* connection, Request& request) {
    MHD_get_connection_values(connection, MHD_GET_ARGUMENT_KIND, &CollectPair,
                              &request.request.query);
    MHD_get_connection_values(connection, MHD_HEADER_KIND, &CollectPair, &request.request.headers);
    const MHD_ConnectionInfo* info =
        MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    request.request.remote_address = AddressText(info != nullptr ? info->client_addr : nullptr);
    request.handed_over = true;
    SetReading(connection, false);
    {
      std::lock_guard lock(mutex);
      if (!stopping) {
        MHD_suspend_connection(connection);
        work.emplace_back(connection, &request);
        changed.notify_one();
        return MHD_YES;
      }
    }
    request.response.Set(503, "shutting down\n", "text/plain; charset=utf-8");
    return Queue(connection, request.response);
  }

  static MHD_Result Access(void* cls, MHD_Connection* connection, const char* url,
                           const char* method, const char*, const char* upload_data,
                           size_t* upload_data_size, void** request_cls) {
    Impl& impl = *static_cast<Impl*>(cls);
    auto* request = static_cast<Request*>(*request_cls);
    if (request == nullptr) {
      request = new Request;
      *request_cls = request;
      request->request.method = method != nullptr ? method : "";
      request->request.path = url != nullptr ? url : "";
      return impl.Begin(connection, *request);
    }
    if (request->refused) {
      *upload_data_size = 0;  // discarded unread
      return MHD_YES;
    }
    if (*upload_data_size > 0) {
      if (request->request.body.size() + *upload_data_size > impl.limits.max_body_bytes) {
        // Chunked, or longer than announced: counted as it comes, never buffered past the limit.
        *upload_data_size = 0;
        request->request.body = std::string();
        return Refuse(connection, *request, 413,
                      "request body over " + std::to_string(impl.limits.max_body_bytes) + " bytes");
      }
      request->request.body.append(upload_data, *upload_data_size);
      *upload_data_size = 0;
      return MHD_YES;
    }
    if (request->done.load()) return Queue(connection, request->response);
    if (request->handed_over) return MHD_YES;
    return impl.HandOver(connection, *request);
  }

  static void Completed(void* cls, MHD_Connection* connection, void** request_cls,
                        MHD_RequestTerminationCode) {
    delete static_cast<Request*>(*request_cls);
    *request_cls = nullptr;
    // The next request's deadline runs from here (an idle keep-alive connection included).
    static_cast<Impl*>(cls)->SetReading(connection, true);
  }

  static void Notify(void* cls, MHD_Connection* connection, void**,
                     MHD_ConnectionNotificationCode code) {
    Impl& impl = *static_cast<Impl*>(cls);
    std::lock_guard lock(impl.connections_mutex);
    if (code == MHD_CONNECTION_NOTIFY_STARTED) {
      const MHD_ConnectionInfo* info =
          MHD_get_connection_info(connection, MHD_CONNECTION_INFO_CONNECTION_FD);
      impl.connections[connection] = {.fd = info != nullptr ? info->connect_fd : -1,
                                      .since = Clock::now()};
    } else {
      // Called before libmicrohttpd closes the socket: the watchdog never touches a closed fd.
      impl.connections.erase(connection);
    }
  }

  void RunWorker() {
    while (true) {
      std::pair<MHD_Connection*, Request*> job;
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [this] { return stopping || !work.empty(); });
        if (work.empty()) return;  // stopping, and every handed-over request answered
        job = work.front();
        work.pop_front();
      }
      auto [connection, request] = job;
      handler(request->request, request->response);
      request->done = true;
      MHD_resume_connection(connection);
    }
  }

  // Shuts down the socket of every connection that has been reading one request (or idling)
  // for longer than the deadline; libmicrohttpd then sees it end and closes it.
  void RunWatchdog() {
    while (true) {
      {
        std::unique_lock lock(mutex);
        if (watchdog_wake.wait_for(lock, std::chrono::milliseconds(250),
                                   [this] { return stopping; })) {
          return;
        }
      }
      Clock::time_point now = Clock::now();
      std::lock_guard connections_lock(connections_mutex);
      for (auto& [connection, state] : connections) {
        if (state.reading && !state.shut && state.fd >= 0 &&
            now - state.since > limits.request_deadline) {
          shutdown(state.fd, SHUT_RDWR);
          state.shut = true;
        }
      }
    }
  }
};

HttpServer::HttpServer(HttpLimits limits, HttpHandler handler) : impl_(std::make_unique<Impl>()) {
  impl_->limits = std::move(limits);
  impl_->handler = std::move(handler);
}

HttpServer::~HttpServer() { Stop(); }

Result<void> HttpServer::Listen(const std::string& host, int port) {
  std::string where = host + ":" + std::to_string(port);
  addrinfo hints{};
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  std::string service = std::to_string(port);
  if (int failed =
          getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &found);
      failed != 0) {
    return MakeError(ErrorCode::kIo, "cannot listen on " + where + ": " + gai_strerror(failed));
  }
  int fd = socket(found->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
  int saved_errno = errno;
  if (fd >= 0) {
    // SO_REUSEADDR lets a restarted server bind past connections in TIME_WAIT; it does not let
    // two listeners share a port (SO_REUSEPORT would, and is never set).
    int on = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on));
    if (bind(fd, found->ai_addr, found->ai_addrlen) != 0 || listen(fd, 1024) != 0) {
      saved_errno = errno;
      close(fd);
      fd = -1;
    }
  }
  freeaddrinfo(found);
  if (fd < 0) {
    return MakeError(ErrorCode::kIo,
                     "cannot listen on " + where + ": " + std::strerror(saved_errno));
  }
  sockaddr_storage bound{};
  socklen_t length = sizeof(bound);
  getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &length);
  port_ = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                            : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);

  const HttpLimits& limits = impl_->limits;
  auto idle_seconds = static_cast<unsigned>(std::max<int64_t>(
      1, std::chrono::ceil<std::chrono::seconds>(limits.request_deadline).count()));
  impl_->daemon = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME, 0, nullptr,
      nullptr, &Impl::Access, impl_.get(), MHD_OPTION_LISTEN_SOCKET, fd,
      MHD_OPTION_THREAD_POOL_SIZE, std::max(1u, limits.io_threads), MHD_OPTION_CONNECTION_LIMIT,
      std::max(1u, limits.max_connections), MHD_OPTION_PER_IP_CONNECTION_LIMIT,
      std::max(1u, limits.max_connections_per_address), MHD_OPTION_CONNECTION_TIMEOUT, idle_seconds,
      MHD_OPTION_CONNECTION_MEMORY_LIMIT,
      // The pool holds the request line and headers (and later the response's headers).
      static_cast<size_t>(limits.max_head_bytes + 8 * 1024), MHD_OPTION_NOTIFY_COMPLETED,
      &Impl::Completed, impl_.get(), MHD_OPTION_NOTIFY_CONNECTION, &Impl::Notify, impl_.get(),
      MHD_OPTION_END);
  if (impl_->daemon == nullptr) {
    close(fd);
    return MakeError(ErrorCode::kIo, "cannot serve on " + where + ": libmicrohttpd did not start");
  }
  for (unsigned i = 0; i < std::max(1u, limits.workers); ++i) {
    impl_->workers.emplace_back([impl = impl_.get()] { impl->RunWorker(); });
  }
  impl_->watchdog = std::thread([impl = impl_.get()] { impl->RunWatchdog(); });
  return {};
}

void HttpServer::Stop() {
  if (impl_ == nullptr || impl_->daemon == nullptr) return;
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stopping = true;  // requests handed over from now are answered 503 at once
  }
  impl_->changed.notify_all();
  impl_->watchdog_wake.notify_all();
  // Workers finish what was handed over (resuming each connection) before they return.
  for (std::thread& worker : impl_->workers) worker.join();
  impl_->workers.clear();
  if (impl_->watchdog.joinable()) impl_->watchdog.join();
  MHD_stop_daemon(impl_->daemon);  // closes the listening socket and every connection
  impl_->daemon = nullptr;
}

}  // namespace ctkit
