// Which log to read, and opening it: from a log list entry or from how a person names a log
// (the CLI's --log: a URL, a description or a base64 log ID, ct/log_list.h MatchLogName) to one
// client behind logclient/log_reader.h, whichever API the log speaks.
//
//   Result<LogEndpoint> log = ResolveLogTarget(list, {.name = "Example 2026h1"});
//   Result<std::unique_ptr<LogReader>> reader = OpenLogReader(*log, http_options);
//   Result<SignedTreeHead> head = (*reader)->GetSth();
//
// A log listed under `logs` is read over RFC 6962 at its `url`; one listed under `tiled_logs`
// over static-ct-api at its `monitoring_url`, its checkpoint origin being the submission prefix
// without the scheme (static-ct-api "Checkpoints", logclient/static_log_client.h
// OriginFromSubmissionUrl).

#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"
#include "ct/log_key.h"
#include "ct/log_list.h"
#include "logclient/http_fetcher.h"
#include "logclient/log_reader.h"

namespace ctkit {

// Where a log is read, over which API, and the key its heads must verify under.
struct LogEndpoint {
  std::string url;  // RFC 6962 base URL or static-ct-api monitoring prefix; ends with '/'
  LogApi api = LogApi::kRfc6962;
  std::shared_ptr<const LogKey> key;  // null when not known: entries can be read, heads not
  std::string origin;                 // static-ct-api; empty: the one the checkpoint names
};

// "rfc6962" or "static-ct-api", as ctkit's JSON output names the APIs.
std::string_view LogApiName(LogApi api);

// The endpoint of a log list entry, its key parsed. An error of ct/log_key.h when the key cannot
// be used, its message prefixed "log list key of <description>: ".
Result<LogEndpoint> LogEndpointOf(const LogInfo& log);

// A log as a person names it.
struct LogTarget {
  std::string name;                   // a URL, or a log's description or base64 log ID in the list
  std::shared_ptr<const LogKey> key;  // given: used instead of the list's
  std::string origin;                 // given: used instead of the list's
  bool force_static = false;          // read over static-ct-api whatever the list says
};

// The endpoint `target` names in `list`. A URL the list does not have is read as given, without
// a key unless target.key. Errors:
//   kInvalidArgument  the name matches more than one log: "<name> names more than one log in the
//                     log list (<description>, <description>); give its URL or log ID"
//   kNotFound         not a URL, and no log has that description or log ID: "<name>: no log with
//                     that description or log ID in the log list"
//   as LogEndpointOf  the list's key of the log cannot be used (and target.key is not given)
Result<LogEndpoint> ResolveLogTarget(const LogList& list, const LogTarget& target);

// A client of the endpoint's API (logclient/log_client.h LogClient, or
// logclient/static_log_client.h StaticLogClient with the endpoint's origin) with these HTTP
// options. Errors as the clients' Create: kInvalidArgument for a bad URL or options, kInternal when
// libcurl cannot start.
Result<std::unique_ptr<LogReader>> OpenLogReader(const LogEndpoint& endpoint,
                                                 const LogClientOptions& options = {});

// A log key file: a PEM "PUBLIC KEY" block, the DER SubjectPublicKeyInfo a log list's `key`
// holds, or the log's private key as `ctkit log keygen` writes it (PKCS#8 PEM,
// ct/log_signer.h), whose public half is taken. The PEM reading's error when it is none.
Result<std::shared_ptr<const LogKey>> ParseLogKeyFile(ByteSpan data);

}  // namespace ctkit
