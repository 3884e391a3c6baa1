// HttpFetcher: the HTTP machinery both log clients share (ct/log_client.h for RFC 6962,
// ct/static_log_client.h for static-ct-api), over one libcurl easy handle.
//
//   auto fetcher = HttpFetcher::Create(options, "Accept: application/json");
//   Result<std::string> body = (*fetcher)->Get("https://log.example/checkpoint");
//
// Robustness: connect and total timeouts per attempt; retries with exponential backoff and
// jitter for transport errors and HTTP 408/429/500/502/503/504; a Retry-After header on 429 and
// 503 (seconds or an HTTP date) replaces the backoff, capped at max_retry_after; an optional
// requests-per-second cap (token bucket) that also paces retries; bodies larger than a bound
// are refused, not truncated; one connection kept alive between requests.
//
// Errors name the URL ("log <url>: ..."): kNetwork for transport failures and final HTTP
// statuses, kNotFound for the statuses a caller says mean "not there", kMalformed for a body
// over the bound. Thread safety: requests are serialized by a mutex; stats() may be read while
// a request waits.

#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/error.h"
#include "base/token_bucket.h"

namespace ctkit {

struct LogClientOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds total_timeout{60'000};  // per attempt, transfer included
  // Larger (decompressed) bodies are refused, not truncated. 1024 entries with long chains fit.
  size_t max_response_bytes = 64 << 20;
  int max_retries = 3;  // attempts after the first one
  std::chrono::milliseconds backoff_base{500};
  std::chrono::milliseconds backoff_max{30'000};
  std::chrono::milliseconds max_retry_after{60'000};  // cap on a log's Retry-After
  double requests_per_second = 0;                     // 0: no cap
  // get-entries batch: requests are aligned to multiples of this, as logs cap and cache their
  // pages so (Google 32; Let's Encrypt, DigiCert, Sectigo 256; Cloudflare 1024). RFC 6962 only:
  // a static-ct-api log's batches are its 256-entry data tiles.
  uint64_t batch_size = 256;
  // get-entries / data tiles: return entries whose leaf_input or extra_data does not parse with
  // LogEntry::parse_error set (MakeLenientLogEntry) instead of failing the batch. Monitors set
  // it: such an entry is in the tree all the same and must be reported, not stalled on.
  bool keep_malformed_entries = false;
  std::string user_agent = "ctkit";
};

// Counters for one client, for logs and tests.
struct LogClientStats {
  uint64_t requests = 0;     // HTTP attempts made, retries included
  uint64_t retries = 0;      // attempts that repeated an earlier one
  uint64_t connections = 0;  // TCP/TLS connections opened (1 per client with keep-alive)
};

// kInvalidArgument unless every option is in range (batch_size > 0, timeouts > 0, ...).
Result<void> CheckLogClientOptions(const LogClientOptions& options);

// kInvalidArgument unless `url` is http:// or https:// without query, fragment or spaces.
Result<void> CheckLogUrl(const std::string& url);

class HttpFetcher {
 public:
  // `accept` is the Accept header line sent with every request ("Accept: application/json").
  // kInternal if libcurl cannot start; options are not checked here (CheckLogClientOptions).
  static Result<std::unique_ptr<HttpFetcher>> Create(const LogClientOptions& options,
                                                     std::string accept);
  ~HttpFetcher();
  HttpFetcher(const HttpFetcher&) = delete;
  HttpFetcher& operator=(const HttpFetcher&) = delete;

  // The body of a 200 answer to GET `url` (POST `post_body` as JSON when given), after the
  // retries. Statuses in `not_found` are kNotFound; `max_bytes` (0: the options' bound) caps the
  // body as received (after any Content-Encoding is undone by libcurl).
  Result<std::string> Call(const std::string& url, const std::string* post_body,
                           std::initializer_list<long> not_found = {404}, size_t max_bytes = 0);
  Result<std::string> Get(const std::string& url, std::initializer_list<long> not_found = {404},
                          size_t max_bytes = 0) {
    return Call(url, nullptr, not_found, max_bytes);
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
