// Logs you run, as `ctkit log make-list --log` describes them, into a log list v3
// (ct/log_list_writer.h) that ctkit's --log-list options read:
//
//   operator=NAME,url=URL,key=FILE[,description=TEXT][,mmd=SECONDS][,api=rfc6962|static]
//
// FILE holds the log's private key (as `ctkit log keygen` writes it) or its public key (PEM).
// api=static lists the log under tiled_logs, its URL being both its submission and its
// monitoring prefix. Any other key is refused (a misspelt "descripton=" is an error, not a
// silent default). The description defaults to "log at HOST[:PORT]" of the URL (a name for
// people; the URL is in the entry already), the MMD to 86400 seconds.
//
//   Result<std::string> json = MakeLogListFromSpecs({"operator=Me,url=http://127.0.0.1:8080/,"
//                                                    "key=log.key"}, UnixNowMs());

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/error.h"
#include "ct/log_list_writer.h"

namespace ctkit {

// One --log description. kInvalidArgument, starting "--log: ", for an item that is not
// key=value, an unknown key (named), a missing operator, url or key, an api other than rfc6962 or
// static, or an mmd that is not whole seconds; kIo when the key file cannot be read;
// kInvalidArgument "FILE: neither a log private key nor a public key".
Result<LogListEntry> ParseLogListSpec(const std::string& spec);

// The list naming every log of `specs` (ParseLogListSpec), timestamped `now_ms`, and checked to
// parse back (LogList::Parse): a list ctkit cannot read is never written.
Result<std::string> MakeLogListFromSpecs(const std::vector<std::string>& specs, int64_t now_ms);

}  // namespace ctkit
