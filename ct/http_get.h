// A single bounded HTTP(S) GET, for fetching documents such as a log list by URL. The full CT
// log client (keep-alive, retries, rate limits) builds on libcurl separately; this is the
// one-shot form for commands that need one document.

#pragma once

#include <string>

#include "base/bytes.h"
#include "base/error.h"

namespace ctkit {

struct HttpGetOptions {
  size_t max_bytes = 16 * 1024 * 1024;  // larger bodies are refused, not truncated
  long connect_timeout_seconds = 10;
  long total_timeout_seconds = 60;
};

// The body of a 200 response to GET `url` (http or https only; redirects not followed).
// kNetwork for connection failures, timeouts, non-200 statuses and oversized bodies.
Result<Bytes> HttpGet(const std::string& url, const HttpGetOptions& options = {});

}  // namespace ctkit
