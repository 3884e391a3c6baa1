#include "audit/tls_fetcher.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "base/unique_ptr.h"
#include "x509/pem.h"

// libssl's types and getaddrinfo's list: this is the one file that uses them.
CTKIT_DECLARE_DELETER(SSL)
CTKIT_DECLARE_DELETER(SSL_CTX)
CTKIT_DECLARE_DELETER(addrinfo)
CTKIT_DEFINE_DELETER(SSL, SSL_free)
CTKIT_DEFINE_DELETER(SSL_CTX, SSL_CTX_free)
CTKIT_DEFINE_DELETER(addrinfo, freeaddrinfo)

namespace ctkit::audit {
namespace {

using Clock = std::chrono::steady_clock;

// RFC 6962 §3.3.1: the signed_certificate_timestamp extension.
constexpr unsigned int kSctExtensionType = 18;

class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  ~Socket() {
    if (fd_ >= 0) close(fd_);
  }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }

 private:
  int fd_;
};

int RemainingMs(Clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
  return left.count() <= 0 ? 0 : static_cast<int>(std::min<int64_t>(left.count(), 1 << 30));
}

std::string OpenSslErrors() {
  std::string out;
  while (unsigned long code = ERR_get_error()) {
    char buffer[256];
    ERR_error_string_n(code, buffer, sizeof(buffer));
    if (!out.empty()) out += "; ";
    out += buffer;
  }
  return out.empty() ? "unknown error" : out;
}

// Where the extension's parse callback stores the list; the context lives for one handshake.
struct Captured {
  std::optional<Bytes> sct_list;
};

int AddSctExtension(SSL*, unsigned int, unsigned int, const unsigned char** out, size_t* outlen,
                    X509*, size_t, int*, void*) {
  *out = nullptr;  // RFC 6962 §3.3.1: the client sends the extension with empty data
  *outlen = 0;
  return 1;
}

int ParseSctExtension(SSL*, unsigned int, unsigned int context, const unsigned char* in,
                      size_t inlen, X509*, size_t chainidx, int*, void* arg) {
  // In TLS 1.3 the extension rides on a CertificateEntry (RFC 8446 §4.4.2); only the leaf's
  // (entry 0) is about the certificate being audited.
  if ((context & SSL_EXT_TLS1_3_CERTIFICATE) != 0 && chainidx != 0) return 1;
  auto* captured = static_cast<Captured*>(arg);
  if (!captured->sct_list) captured->sct_list = Bytes(in, in + inlen);  // inlen < 2^16 (TLS)
  return 1;
}

Result<int> Connect(const Endpoint& endpoint, const TlsFetchOptions& options,
                    std::string& address_out) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* raw = nullptr;
  std::string port = std::to_string(endpoint.port);
  int resolved = getaddrinfo(endpoint.host.c_str(), port.c_str(), &hints, &raw);
  if (resolved != 0) {
    return MakeError(ErrorCode::kNetwork,
                     endpoint.host + ": cannot resolve: " + gai_strerror(resolved));
  }
  UniquePtr<addrinfo> addresses(raw);
  std::string last_error = "no address";
  for (addrinfo* a = addresses.get(); a != nullptr; a = a->ai_next) {
    char text[INET6_ADDRSTRLEN + 8] = "?";
    const void* in =
        a->ai_family == AF_INET
            ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(a->ai_addr)->sin_addr)
            : static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(a->ai_addr)->sin6_addr);
    inet_ntop(a->ai_family, in, text, sizeof(text));
    int fd = socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) {
      last_error = std::string(text) + ": socket: " + std::strerror(errno);
      continue;
    }
    auto deadline = Clock::now() + options.connect_timeout;
    int rc = connect(fd, a->ai_addr, a->ai_addrlen);
    if (rc != 0 && errno == EINPROGRESS) {
      pollfd pfd{fd, POLLOUT, 0};
      rc = poll(&pfd, 1, RemainingMs(deadline));
      if (rc == 0) {
        close(fd);
        last_error = std::string(text) + ": connect timed out";
        continue;
      }
      int so_error = 0;
      socklen_t length = sizeof(so_error);
      getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &length);
      if (rc < 0 || so_error != 0) {
        close(fd);
        last_error = std::string(text) + ": connect: " + std::strerror(so_error ? so_error : errno);
        continue;
      }
    } else if (rc != 0) {
      last_error = std::string(text) + ": connect: " + std::strerror(errno);
      close(fd);
      continue;
    }
    address_out = text;
    return fd;
  }
  return MakeError(ErrorCode::kNetwork, endpoint.host + ":" + port + ": " + last_error);
}

bool IsAddressLiteral(const std::string& host) {
  unsigned char buffer[sizeof(in6_addr)];
  return inet_pton(AF_INET, host.c_str(), buffer) == 1 ||
         inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

}  // namespace

Result<TlsFetchResult> FetchTlsEndpoint(const Endpoint& endpoint, const TlsFetchOptions& options) {
  std::string where = endpoint.host + ":" + std::to_string(endpoint.port);
  TlsFetchResult result;
  ASSIGN_OR_RETURN(int fd, Connect(endpoint, options, result.address));
  Socket socket(fd);

  ERR_clear_error();
  UniquePtr<SSL_CTX> ctx(SSL_CTX_new(TLS_client_method()));
  if (!ctx) return MakeError(ErrorCode::kInternal, "SSL_CTX_new: " + OpenSslErrors());
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_NONE, nullptr);  // trust is not judged (file comment)
  Captured captured;
  if (SSL_CTX_add_custom_ext(
          ctx.get(), kSctExtensionType,
          SSL_EXT_CLIENT_HELLO | SSL_EXT_TLS1_2_SERVER_HELLO | SSL_EXT_TLS1_3_CERTIFICATE,
          AddSctExtension, nullptr, nullptr, ParseSctExtension, &captured) != 1) {
    return MakeError(ErrorCode::kInternal, "cannot request the SCT extension: " + OpenSslErrors());
  }
  UniquePtr<SSL> ssl(SSL_new(ctx.get()));
  if (!ssl) return MakeError(ErrorCode::kInternal, "SSL_new: " + OpenSslErrors());
  SSL_set_fd(ssl.get(), socket.fd());
  std::string sni = !options.server_name.empty()      ? options.server_name
                    : IsAddressLiteral(endpoint.host) ? std::string()
                                                      : endpoint.host;
  if (!sni.empty()) SSL_set_tlsext_host_name(ssl.get(), sni.c_str());
  SSL_set_tlsext_status_type(ssl.get(), TLSEXT_STATUSTYPE_ocsp);  // RFC 6066 §8

  auto deadline = Clock::now() + options.handshake_timeout;
  while (true) {
    int rc = SSL_connect(ssl.get());
    if (rc == 1) break;
    int reason = SSL_get_error(ssl.get(), rc);
    short events = reason == SSL_ERROR_WANT_READ    ? POLLIN
                   : reason == SSL_ERROR_WANT_WRITE ? POLLOUT
                                                    : 0;
    if (events == 0) {
      return MakeError(ErrorCode::kNetwork, where + ": TLS handshake failed: " + OpenSslErrors());
    }
    pollfd pfd{socket.fd(), events, 0};
    int ready = poll(&pfd, 1, RemainingMs(deadline));
    if (ready == 0) return MakeError(ErrorCode::kNetwork, where + ": TLS handshake timed out");
    if (ready < 0 && errno != EINTR) {
      return MakeError(ErrorCode::kNetwork, where + ": poll: " + std::strerror(errno));
    }
  }
  result.protocol = SSL_get_version(ssl.get());

  STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl.get());  // a client's includes the leaf
  int count = chain ? sk_X509_num(chain) : 0;
  if (count <= 0)
    return MakeError(ErrorCode::kMalformed, where + ": the server sent no certificate");
  if (static_cast<size_t>(count) > kMaxCertificatesPerInput) {
    return MakeError(ErrorCode::kMalformed,
                     where + ": the server sent " + std::to_string(count) + " certificates");
  }
  for (int i = 0; i < count; ++i) {
    unsigned char* der = nullptr;
    int length = i2d_X509(sk_X509_value(chain, i), &der);
    if (length <= 0) {
      return MakeError(ErrorCode::kMalformed,
                       where + ": certificate " + std::to_string(i) + " cannot be encoded");
    }
    result.chain.emplace_back(der, der + length);
    OPENSSL_free(der);
  }
  const unsigned char* ocsp = nullptr;
  long ocsp_length = SSL_get_tlsext_status_ocsp_resp(ssl.get(), &ocsp);
  if (ocsp != nullptr && ocsp_length > 0) {
    if (static_cast<size_t>(ocsp_length) > kMaxOcspResponseBytes) {
      return MakeError(ErrorCode::kMalformed, where + ": stapled OCSP response too large");
    }
    result.ocsp_response = Bytes(ocsp, ocsp + ocsp_length);
  }
  result.sct_list = std::move(captured.sct_list);
  // A polite close_notify; a peer that is gone already does not matter.
  SSL_shutdown(ssl.get());
  return result;
}

}  // namespace ctkit::audit
