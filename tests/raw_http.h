// A raw HTTP/1.1 client over one TCP connection to 127.0.0.1, for the requests no HTTP library
// sends: a body over the limit announced or chunked, an endless request line, a trickle. Writes
// never raise SIGPIPE (the server may close first, which is the point).

#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <string_view>

namespace ctkit::testing {

class RawConnection {
 public:
  // Connects to 127.0.0.1:port, from `source` (another loopback address, e.g. "127.0.0.2")
  // when given, so per-address limits can tell clients apart.
  explicit RawConnection(int port, const char* source = nullptr) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd_ < 0) return;
    if (source != nullptr) {
      sockaddr_in local{};
      local.sin_family = AF_INET;
      inet_pton(AF_INET, source, &local.sin_addr);
      if (bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof(local)) != 0) Close();
    }
    sockaddr_in peer{};
    peer.sin_family = AF_INET;
    peer.sin_port = htons(static_cast<uint16_t>(port));
    peer.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ >= 0 && connect(fd_, reinterpret_cast<sockaddr*>(&peer), sizeof(peer)) != 0) Close();
  }
  ~RawConnection() { Close(); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool ok() const { return fd_ >= 0; }

  // All of `bytes`, or false once the peer has closed (or reset) the connection.
  bool Send(std::string_view bytes) {
    while (!bytes.empty() && fd_ >= 0) {
      ssize_t sent = send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
      if (sent <= 0) return false;
      bytes.remove_prefix(static_cast<size_t>(sent));
    }
    return fd_ >= 0;
  }

  // What the peer sends until it closes, `limit` bytes arrive, or `timeout` passes.
  std::string Read(std::chrono::milliseconds timeout, size_t limit = 1 << 20) {
    std::string out;
    auto deadline = std::chrono::steady_clock::now() + timeout;
    char buffer[16384];
    while (fd_ >= 0 && out.size() < limit) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) break;
      pollfd wait{.fd = fd_, .events = POLLIN, .revents = 0};
      if (poll(&wait, 1, static_cast<int>(left.count())) <= 0) break;
      ssize_t got = recv(fd_, buffer, sizeof(buffer), 0);
      if (got <= 0) break;
      out.append(buffer, static_cast<size_t>(got));
    }
    return out;
  }

  // True when the peer has closed the connection (a read returns end of file or an error)
  // within `timeout`.
  bool ClosedWithin(std::chrono::milliseconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    char buffer[4096];
    while (fd_ >= 0) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return false;
      pollfd wait{.fd = fd_, .events = POLLIN, .revents = 0};
      if (poll(&wait, 1, static_cast<int>(left.count())) <= 0) return false;
      if (recv(fd_, buffer, sizeof(buffer), 0) <= 0) return true;
    }
    return true;
  }

 private:
  void Close() {
    if (fd_ >= 0) close(fd_);
    fd_ = -1;
  }
  int fd_ = -1;
};

// The status code of the first response in `text` ("HTTP/1.1 413 ..." -> 413), 0 if none.
inline int StatusOf(const std::string& text) {
  if (text.size() < 12 || text.compare(0, 5, "HTTP/") != 0) return 0;
  size_t space = text.find(' ');
  if (space == std::string::npos || space + 4 > text.size()) return 0;
  return std::atoi(text.substr(space + 1, 3).c_str());
}

}  // namespace ctkit::testing
