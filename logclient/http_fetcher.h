// HttpFetcher: ctkit's one HTTP client, over one libcurl easy handle. Both log clients
// (logclient/log_client.h for RFC 6962, logclient/static_log_client.h for static-ct-api), the log
// list download (--log-list URL), the monitor's webhook (monitor/alert_sink.h) and the log server
// benchmark all talk HTTP through it; logclient/http_fetcher.cc is the only file that includes
// libcurl.
//
//   auto fetcher = HttpFetcher::Create(options, {.headers = {"Accept: application/json"}});
//   Result<std::string> body = (*fetcher)->Get("https://log.example/checkpoint");
//   Result<std::string> answer = (*fetcher)->Post("https://hooks.example/x", json, {});
//
// Robustness: connect and total timeouts per attempt; retries with exponential backoff and
// jitter for the transport errors that may pass (name resolution, connect, timeout, send,
// receive, TLS handshake) and HTTP 408/429/500/502/503/504; a Retry-After header on 429 and
// 503 (seconds or an HTTP date) replaces the backoff, capped at max_retry_after; an optional
// budget for a whole call, retries and waits included; an optional requests-per-second cap
// (token bucket) that also paces retries; bodies larger than a bound are refused, not
// truncated; one connection kept alive between requests. Redirects are not followed.
//
// Errors, the same for every caller. Each message starts with what was asked, "<what> <url>: "
// ("log https://ct.example/ct/v1/get-sth: HTTP status 503: \"busy\" (after 4 attempts)"), or
// "<what>: " for a URL that holds a secret (HttpFetcherSetup):
//   kInvalidArgument  the URL is not http:// or https:// (no request is made)
//   kNetwork          a transport failure or timeout; a final HTTP status other than 2xx (3xx
//                     included) that the caller did not name in `not_found`; said after the
//                     retries when it is a retried one ("(after N attempts)"), or when the
//                     call's budget ends first
//   kNotFound         an HTTP status the caller named in `not_found` (404 unless told)
//   kTooLarge         a 2xx body over the bound (never retried). The body of any other status
//                     is cut at the bound and only its start is shown: its status decides.
//   kInternal         libcurl cannot start or refuses an option
// Any 2xx status is success.
//
// Thread safety: requests are serialized by a mutex (one connection); stats() may be read while
// a request waits. For requests in parallel, use one fetcher per thread.

#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace ctkit {

// How one HttpFetcher talks HTTP. LogClientOptions adds what the log clients need on top.
struct HttpOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds total_timeout{60'000};  // per attempt, transfer included
  // Larger (decompressed) bodies are refused, not truncated. 1024 entries with long chains fit.
  size_t max_response_bytes = 64 << 20;
  int max_retries = 3;  // attempts after the first one
  std::chrono::milliseconds backoff_base{500};
  std::chrono::milliseconds backoff_max{30'000};
  std::chrono::milliseconds max_retry_after{60'000};  // cap on a server's Retry-After
  // All attempts of one call, waits included: no attempt starts once it is spent, a wait that
  // would end past it ends the call instead, and the last attempt is cut short to fit. So a
  // server that accepts connections and never answers costs one budget, not
  // (1 + max_retries) * total_timeout. 0: no budget.
  std::chrono::milliseconds call_budget{0};
  double requests_per_second = 0;  // 0: no cap
  // Ask for compressed bodies (Accept-Encoding, undone by libcurl; the bound applies to the
  // result). Off for a benchmark that must receive the bytes a server stores.
  bool accept_compressed = true;
  std::string user_agent = "ctkit";
};

struct LogClientOptions : HttpOptions {
  // get-entries batch: requests are aligned to multiples of this, as logs cap and cache their
  // pages so (Google 32; Let's Encrypt, DigiCert, Sectigo 256; Cloudflare 1024). RFC 6962 only:
  // a static-ct-api log's batches are its 256-entry data tiles.
  uint64_t batch_size = 256;
  // get-entries / data tiles: return entries whose leaf_input or extra_data does not parse with
  // LogEntry::parse_error set (MakeLenientLogEntry) instead of failing the batch. Monitors set
  // it: such an entry is in the tree all the same and must be reported, not stalled on.
  bool keep_malformed_entries = false;
};

// Counters for one fetcher (and so for one log client), for logs, metrics and tests.
struct LogClientStats {
  uint64_t requests = 0;     // HTTP attempts made, retries included
  uint64_t retries = 0;      // attempts that repeated an earlier one
  uint64_t connections = 0;  // TCP/TLS connections opened (1 per client with keep-alive)
};

// kInvalidArgument unless every option is in range (timeouts > 0, retries and budget >= 0, ...).
Result<void> CheckHttpOptions(const HttpOptions& options);
// CheckHttpOptions, and batch_size > 0.
Result<void> CheckLogClientOptions(const LogClientOptions& options);

// kInvalidArgument unless `url` is http:// or https:// without query, fragment or spaces.
Result<void> CheckLogUrl(const std::string& url);

// What every request of one fetcher carries, and how its errors name a request.
struct HttpFetcherSetup {
  // Header lines sent with every request ("Accept: application/json", "Authorization: ...").
  // A POST also sends "Content-Type: application/json".
  std::vector<std::string> headers;
  // Errors start "<what> <url>: ", or "<what>: " without the URL when url_in_errors is false
  // (a webhook URL holds a secret token). An empty `what` leaves only the URL.
  std::string what = "log";
  bool url_in_errors = true;
};

class HttpFetcher {
 public:
  // kInternal if libcurl cannot start; options are not checked here (CheckHttpOptions).
  static Result<std::unique_ptr<HttpFetcher>> Create(const HttpOptions& options,
                                                     HttpFetcherSetup setup = {});
  ~HttpFetcher();
  HttpFetcher(const HttpFetcher&) = delete;
  HttpFetcher& operator=(const HttpFetcher&) = delete;

  // The body of a 2xx answer to GET `url` (POST `post_body` as JSON when given), after the
  // retries; errors as in the file comment. Statuses in `not_found` are kNotFound; `max_bytes`
  // (0: the options' bound) caps the body as received (after any Content-Encoding is undone).
  Result<std::string> Call(const std::string& url, const std::string* post_body,
                           std::initializer_list<long> not_found = {404}, size_t max_bytes = 0);
  Result<std::string> Get(const std::string& url, std::initializer_list<long> not_found = {404},
                          size_t max_bytes = 0) {
    return Call(url, nullptr, not_found, max_bytes);
  }
  Result<std::string> Post(const std::string& url, const std::string& body,
                           std::initializer_list<long> not_found = {404}, size_t max_bytes = 0) {
    return Call(url, &body, not_found, max_bytes);
  }

  LogClientStats stats() const;

 private:
  struct Impl;
  explicit HttpFetcher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// --- Building blocks, exposed for their tests. ---

// A Retry-After value (RFC 9110 §10.2.3): delay-seconds or an HTTP date, as the wait from
// `now` (0 for a date in the past). nullopt if it is neither.
std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value,
                                                    std::chrono::system_clock::time_point now);

// The wait before retry number `retry` (0 for the first): exponential, min(max, base * 2^retry),
// with "equal jitter": half of it fixed, the other half scaled by `unit_random` in [0, 1), so
// clients that failed together do not retry together.
std::chrono::milliseconds BackoffDelay(int retry, std::chrono::milliseconds base,
                                       std::chrono::milliseconds max, double unit_random);

}  // namespace ctkit
