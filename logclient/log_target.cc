#include "logclient/log_target.h"

#include <utility>
#include <vector>

#include "ct/log_signer.h"
#include "logclient/log_client.h"
#include "logclient/static_log_client.h"

namespace ctkit {
namespace {

std::string WithSlash(std::string url) {
  if (!url.ends_with('/')) url += '/';
  return url;
}

// The endpoint of a listed log, with `key` (the list's or one given).
LogEndpoint ListedEndpoint(const LogInfo& log, std::shared_ptr<const LogKey> key) {
  if (log.api == LogApi::kRfc6962) {
    return {.url = WithSlash(log.url), .api = log.api, .key = std::move(key), .origin = ""};
  }
  return {.url = WithSlash(log.monitoring_url),
          .api = log.api,
          .key = std::move(key),
          .origin = OriginFromSubmissionUrl(log.submission_url)};
}

}  // namespace

std::string_view LogApiName(LogApi api) {
  return api == LogApi::kStaticCtApi ? "static-ct-api" : "rfc6962";
}

Result<LogEndpoint> LogEndpointOf(const LogInfo& log) {
  ASSIGN_OR_RETURN(std::shared_ptr<const LogKey> key, LogKey::FromSpkiDer(log.key_der),
                   "log list key of " + log.description);
  return ListedEndpoint(log, std::move(key));
}

Result<LogEndpoint> ResolveLogTarget(const LogList& list, const LogTarget& target) {
  const std::vector<const LogInfo*> named = list.FindByName(target.name);
  if (named.size() > 1) {
    return MakeError(ErrorCode::kInvalidArgument,
                     target.name + " names more than one log in the log list (" +
                         named[0]->description + ", " + named[1]->description +
                         "); give its URL or log ID");
  }
  LogEndpoint endpoint{.url = WithSlash(target.name), .api = LogApi::kRfc6962, .key = target.key};
  if (!named.empty() && target.key) {
    endpoint = ListedEndpoint(*named[0], target.key);  // the list's key is not even parsed
  } else if (!named.empty()) {
    ASSIGN_OR_RETURN(endpoint, LogEndpointOf(*named[0]));
  } else if (target.name.find("://") == std::string::npos) {
    return MakeError(ErrorCode::kNotFound,
                     target.name + ": no log with that description or log ID in the log list");
  }
  if (target.force_static) endpoint.api = LogApi::kStaticCtApi;
  if (!target.origin.empty()) endpoint.origin = target.origin;
  return endpoint;
}

Result<std::unique_ptr<LogReader>> OpenLogReader(const LogEndpoint& endpoint,
                                                 const LogClientOptions& options) {
  if (endpoint.api == LogApi::kStaticCtApi) {
    ASSIGN_OR_RETURN(StaticLogClient client,
                     StaticLogClient::Create(endpoint.url, endpoint.key,
                                             {.http = options, .origin = endpoint.origin}));
    return std::make_unique<StaticLogClient>(std::move(client));
  }
  ASSIGN_OR_RETURN(LogClient client, LogClient::Create(endpoint.url, endpoint.key, options));
  return std::make_unique<LogClient>(std::move(client));
}

Result<std::shared_ptr<const LogKey>> ParseLogKeyFile(ByteSpan data) {
  if (!data.empty() && data[0] == 0x30) {
    Result<std::shared_ptr<const LogKey>> der = LogKey::FromSpkiDer(data);
    if (der) return der;
  }
  std::string_view pem(reinterpret_cast<const char*>(data.data()), data.size());
  if (pem.find("PRIVATE KEY-----") != std::string_view::npos) {
    ASSIGN_OR_RETURN(std::shared_ptr<const LogSigner> signer, LogSigner::FromPem(pem));
    return signer->public_key();
  }
  return LogKey::FromPem(pem);
}

}  // namespace ctkit
