// The client subcommands of `ctkit log`, which talk to an RFC 6962 log through ct/log_client.h:
//
//   log sth          --log URL [--key PEM | --log-list FILE|URL] [--out FILE] [--format text|json]
//   log entries      --log URL --start N --end N [--format text|json]
//   log consistency  --log URL --old-sth FILE [--new-sth FILE] [--key | --log-list] [--format]
//   log inclusion    --log URL --cert FILE [--issuer FILE] [--key | --log-list] [--format]
//
// The log's key comes from --key (a PEM or DER SubjectPublicKeyInfo) or from the log list entry
// whose url is --log (--log-list FILE|URL, else the compiled-in snapshot). Exit codes follow
// cli/command.h: 0 verified, 1 a signature, proof or response did not hold, 2 bad usage or
// unreadable input, 3 the log could not be reached or failed on the wire.

#pragma once

#include "cli/command.h"

namespace ctkit::cli {

// Registers sth, entries, consistency and inclusion under `log_command` (`ctkit log`).
void AddLogClientCommands(CLI::App* log_command, Action& run);

}  // namespace ctkit::cli
