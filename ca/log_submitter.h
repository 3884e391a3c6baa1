// Submitting to a real CT log for the mock CA (ca/mock_ca.h SctSubmitter): add-chain or
// add-pre-chain (RFC 6962 §4.1, §4.2) under the log's key from the log list, so the client
// checks the returned SCT's signature too. A static-ct-api log takes submissions at its
// submission prefix (c2sp.org/static-ct-api), with the same RFC 6962 endpoints.
//
//   Result<IssuedCertificate> issued = ca.Issue(options, &SubmitToLog, UnixNowMs());

#pragma once

#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "ct/log_list.h"
#include "ct/sct.h"

namespace ctkit {

// Sends `chain` (leaf first) to `log`: 15 s per attempt, 2 retries. Errors: the log's key from
// the list cannot be used, or logclient/log_client.h's (kNetwork when the log cannot be reached).
Result<SignedCertificateTimestamp> SubmitToLog(const LogInfo& log, const std::vector<Bytes>& chain,
                                               bool precertificate);

}  // namespace ctkit
