// What `ctkit log serve` is asked to run, as its flags give it, and the options of the log
// (logserver/log_service.h) and of its HTTP side (logserver/http_server.h) that follow from it:
//
//   ASSIGN_OR_RETURN(auto signer, ReadLogSigner(settings.key_file));
//   ASSIGN_OR_RETURN(LogServiceOptions service, LogServiceOptionsOf(settings));
//   LogHttpServer server(*log, HttpServerOptionsOf(settings, listen));
//
// The log's roots: RFC 6962 §3.1, a log accepts chains to its roots; accepting any is a choice
// said aloud (accept_any_root, a staging log). static-ct-api ("SCT Extension"): a log that offers
// the static API must include a leaf_index extension in its SCTs.

#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "base/error.h"
#include "ct/log_signer.h"
#include "httpd/listen_address.h"
#include "logserver/http_server.h"
#include "logserver/log_service.h"

namespace ctkit {

struct LogServeSettings {
  std::string key_file;  // the log's private key (`ctkit log keygen`)
  std::string db_file;
  std::string listen = "127.0.0.1:0";
  std::string roots_file;  // PEM; required unless accept_any_root
  bool accept_any_root = false;
  size_t max_cert_bytes = LogServiceOptions{}.max_cert_bytes;
  size_t max_chain_length = LogServiceOptions{}.max_chain_length;
  double mmd_seconds = 1;
  uint64_t max_batch = 256;
  std::string api = "rfc6962";  // rfc6962 | static | both
  std::string origin;           // static-ct-api checkpoint origin; empty: <host>:<port>
  double rate_limit = 0;
  int threads = HttpServerOptions{}.threads;
  bool log_requests = false;
};

// The signing key in `path`. Errors: the file's after "--key: ", LogSigner::FromPem's after
// "--key <path>: ".
Result<std::shared_ptr<const LogSigner>> ReadLogSigner(const std::string& path);

// The log's rules: its roots (read from settings.roots_file when given; errors after
// "--roots <file>: ") and bounds.
Result<LogServiceOptions> LogServiceOptionsOf(const LogServeSettings& settings);

// The HTTP side, listening on `listen`; no interceptor.
HttpServerOptions HttpServerOptionsOf(const LogServeSettings& settings,
                                      const ListenAddress& listen);

}  // namespace ctkit
