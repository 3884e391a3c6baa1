// The life of a running log: HTTP serving, and a sequencer that integrates accepted entries
// several times per MMD, until a stop signal (`ctkit log serve`).
//
//   sigset_t stop = BlockStopSignals();  // before any thread starts
//   Result<void> served = ServeUntilSignalled(server, service, mmd_ms, stop, warn);

#pragma once

#include <signal.h>

#include <cstdint>
#include <functional>
#include <string>

#include "base/error.h"
#include "logserver/http_server.h"
#include "logserver/log_service.h"

namespace ctkit {

// Blocks SIGTERM and SIGINT in the calling thread, so every thread it starts from now on inherits
// the mask and only ServeUntilSignalled's sigwait takes them; returns that set.
sigset_t BlockStopSignals();

// Serves until one of `stop_signals` arrives (they must be blocked in every thread already: a
// thread of its own takes them with sigwait, so shutdown is an orderly call, not work in a
// signal handler) or until the server stops on its own. Meanwhile the sequencer integrates new
// entries every min(200 ms, MMD/4) and refreshes heads at half the MMD, so no accepted entry
// waits longer than the MMD (RFC 6962 §3) and heads are never older; a failed integration is
// said through `warn` and tried again. On the way out, what was accepted is integrated, so a clean
// shutdown leaves nothing pending. The error is the server's (LogHttpServer::Serve).
Result<void> ServeUntilSignalled(LogHttpServer& server, LogService& service, uint64_t mmd_ms,
                                 sigset_t stop_signals,
                                 const std::function<void(const std::string&)>& warn);

}  // namespace ctkit
