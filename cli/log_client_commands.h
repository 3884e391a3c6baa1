// The client subcommands of `ctkit log`, which read a log over RFC 6962 (logclient/log_client.h) or
// static-ct-api (logclient/static_log_client.h):
//
//   log sth          LOG [--out FILE] [--format text|json]
//   log entries      LOG --start N --end N [--format text|json]
//   log consistency  LOG --old-sth FILE [--new-sth FILE] [--format text|json]
//   log inclusion    LOG --cert FILE [--issuer FILE] [--format text|json]
//
// where LOG is --log URL|DESCRIPTION|LOG_ID [--key PEM] [--log-list FILE|URL] [--static]
// [--origin NAME]. --log is a URL, or a log's description or base64 log ID in the log list
// (--log-list, else the compiled-in snapshot). The key comes from --key (PEM or DER
// SubjectPublicKeyInfo, or the private key `log keygen` writes), else from the list entry. A log
// listed under tiled_logs is read over static-ct-api (its monitoring URL; the checkpoint origin
// from its submission URL); --static does the same for any URL. Exit codes follow cli/command.h: 0
// verified, 1 a signature, proof or response did not hold, 2 bad usage or unreadable input, 3 the
// log could not be reached or failed on the wire.

#pragma once

#include "cli/command.h"

namespace ctkit::cli {

// Registers sth, entries, consistency and inclusion under `log_command` (`ctkit log`).
void AddLogClientCommands(CLI::App* log_command, Action& run);

}  // namespace ctkit::cli
