#include "ca/log_submitter.h"

#include <chrono>
#include <memory>

#include "ct/log_key.h"
#include "logclient/log_client.h"

namespace ctkit {

Result<SignedCertificateTimestamp> SubmitToLog(const LogInfo& log, const std::vector<Bytes>& chain,
                                               bool precertificate) {
  ASSIGN_OR_RETURN(std::shared_ptr<const LogKey> key, LogKey::FromSpkiDer(log.key_der));
  LogClientOptions options;
  options.total_timeout = std::chrono::milliseconds(15000);
  options.max_retries = 2;
  const std::string& url = log.api == LogApi::kStaticCtApi ? log.submission_url : log.url;
  ASSIGN_OR_RETURN(LogClient client, LogClient::Create(url, key, options));
  return precertificate ? client.AddPreChain(chain) : client.AddChain(chain);
}

}  // namespace ctkit
