#include "logserver/log_serve_settings.h"

#include <string_view>

#include "base/input_file.h"
#include "x509/pem.h"

namespace ctkit {

Result<std::shared_ptr<const LogSigner>> ReadLogSigner(const std::string& path) {
  ASSIGN_OR_RETURN(Bytes pem, ReadInputFile(path), "--key");
  ASSIGN_OR_RETURN(
      std::shared_ptr<const LogSigner> signer,
      LogSigner::FromPem(std::string_view(reinterpret_cast<const char*>(pem.data()), pem.size())),
      "--key " + path);
  return signer;
}

Result<LogServiceOptions> LogServiceOptionsOf(const LogServeSettings& settings) {
  LogServiceOptions service{.accept_any_root = settings.accept_any_root,
                            .sct_leaf_index = settings.api != "rfc6962",
                            .max_chain_length = settings.max_chain_length,
                            .max_cert_bytes = settings.max_cert_bytes,
                            .max_get_entries = settings.max_batch};
  if (!settings.roots_file.empty()) {
    const std::string flag = "--roots " + settings.roots_file;
    ASSIGN_OR_RETURN(Bytes roots, ReadInputFile(settings.roots_file), flag);
    ASSIGN_OR_RETURN(service.roots, ParseCertificateInput(roots), flag);
  }
  return service;
}

HttpServerOptions HttpServerOptionsOf(const LogServeSettings& settings,
                                      const ListenAddress& listen) {
  return {.host = listen.host,
          .port = listen.port,
          .rate_limit_per_second = settings.rate_limit,
          .log_requests = settings.log_requests,
          .threads = settings.threads,
          .rfc6962_read_api = settings.api != "static",
          .static_ct_api = settings.api != "rfc6962",
          .origin = settings.origin};
}

}  // namespace ctkit
