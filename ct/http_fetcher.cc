#include "ct/http_fetcher.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <mutex>
#include <random>
#include <thread>

namespace ctkit {
namespace {

using std::chrono::milliseconds;

constexpr long kReceiveBufferBytes = 256 * 1024;

struct CurlFree {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};
struct SlistFree {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using CurlHandle = std::unique_ptr<CURL, CurlFree>;
using CurlHeaders = std::unique_ptr<curl_slist, SlistFree>;

bool CurlGlobalInit() {
  // curl_global_init is not thread-safe before 7.84; a function-local static runs it once.
  static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  return initialised;
}

CurlHeaders MakeHeaders(std::initializer_list<const char*> lines) {
  curl_slist* list = nullptr;
  for (const char* line : lines) {
    curl_slist* next = curl_slist_append(list, line);
    if (next == nullptr) {
      curl_slist_free_all(list);
      return nullptr;
    }
    list = next;
  }
  return CurlHeaders(list);
}

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' ||
                           text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
  if (text.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(text[i])) !=
        std::tolower(static_cast<unsigned char>(prefix[i]))) {
      return false;
    }
  }
  return true;
}

// Transport failures worth another attempt: the log or the path to it may recover. TLS
// verification failures, bad URLs and refused bodies are not retried.
bool IsRetryableCurlCode(CURLcode code) {
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_SSL_CONNECT_ERROR:
      return true;
    default:
      return false;
  }
}

bool IsRetryableStatus(long status) {
  return status == 408 || status == 429 || status == 500 || status == 502 || status == 503 ||
         status == 504;
}

std::string BodyExcerpt(const std::string& body) {
  return body.empty() ? std::string() : ": " + QuoteUntrusted(body);
}

}  // namespace

std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value,
                                                    std::chrono::system_clock::time_point now) {
  value = TrimSpaces(value);
  if (value.empty()) return std::nullopt;
  if (value.find_first_not_of("0123456789") == std::string_view::npos) {
    // delay-seconds; anything beyond a day is as good as a day (callers cap far lower).
    if (value.size() > 6) return std::chrono::seconds(86400);
    return std::chrono::seconds(std::stoll(std::string(value)));
  }
  // HTTP-date (RFC 9110 §5.6.7): IMF-fixdate, or the obsolete RFC 850 and asctime forms, which
  // curl_getdate all understands.
  if (value.size() > 64) return std::nullopt;
  time_t date = curl_getdate(std::string(value).c_str(), nullptr);
  if (date == -1) return std::nullopt;
  auto wait = std::chrono::system_clock::from_time_t(date) - now;
  if (wait <= std::chrono::seconds(0)) return std::chrono::seconds(0);
  return std::chrono::ceil<std::chrono::seconds>(wait);
}

milliseconds BackoffDelay(int retry, milliseconds base, milliseconds max, double unit_random) {
  milliseconds ceiling = max;
  if (retry < 31 && base.count() > 0) {
    int64_t scaled = base.count() << retry;
    if (scaled / (int64_t{1} << retry) == base.count()) {
      ceiling = std::min(max, milliseconds(scaled));
    }
  } else if (base.count() <= 0) {
    ceiling = milliseconds(0);
  }
  unit_random = std::clamp(unit_random, 0.0, 1.0);
  auto half = ceiling.count() / 2;
  return milliseconds(
      half + static_cast<int64_t>(static_cast<double>(ceiling.count() - half) * unit_random));
}

struct HttpFetcher::Impl {
  LogClientOptions options;
  std::string accept;

  mutable std::mutex stats_mutex;  // guards stats, readable while a request waits
  LogClientStats stats;

  mutable std::mutex mutex;  // guards everything below: one request at a time
  CurlHandle curl;
  CurlHeaders get_headers;
  CurlHeaders post_headers;
  TokenBucket bucket{0};
  std::mt19937_64 random{std::random_device{}()};
  char error_buffer[CURL_ERROR_SIZE] = {};

  // The response being received.
  std::string body;
  size_t max_bytes = 0;
  bool too_large = false;
  std::optional<std::string> retry_after;

  static size_t OnBody(char* data, size_t size, size_t count, void* user) {
    auto* self = static_cast<Impl*>(user);
    size_t n = size * count;
    if (self->body.size() + n > self->max_bytes) {
      self->too_large = true;
      return 0;  // curl stops with CURLE_WRITE_ERROR
    }
    self->body.append(data, n);
    return n;
  }

  static size_t OnHeader(char* data, size_t size, size_t count, void* user) {
    auto* self = static_cast<Impl*>(user);
    std::string_view line(data, size * count);
    if (line.starts_with("HTTP/")) {
      self->retry_after.reset();  // a new response (after a 100 Continue, say) starts here
    } else if (StartsWithNoCase(line, "retry-after:")) {
      self->retry_after = std::string(TrimSpaces(line.substr(12)));
    } else if (StartsWithNoCase(line, "content-length:")) {
      // Room for the whole body at once instead of growing it by doubling (a get-entries page
      // is megabytes). Only a hint: OnBody still enforces max_bytes, and a length over it
      // reserves nothing.
      std::string_view digits = TrimSpaces(line.substr(15));
      size_t length = 0;
      auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), length);
      if (error == std::errc() && end == digits.data() + digits.size() &&
          length <= self->max_bytes) {
        self->body.reserve(length);
      }
    }
    return size * count;
  }

  Result<void> Setup() {
    curl.reset(CurlGlobalInit() ? curl_easy_init() : nullptr);
    get_headers = MakeHeaders({accept.c_str()});
    // "Expect:" stops curl waiting for 100 Continue before sending a chain.
    post_headers = MakeHeaders({accept.c_str(), "Content-Type: application/json", "Expect:"});
    if (!curl || !get_headers || !post_headers) {
      return MakeError(ErrorCode::kInternal, "libcurl failed to initialise");
    }
    CURL* c = curl.get();
    bool ok = curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK &&
              curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK &&
              curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
              curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                               static_cast<long>(options.connect_timeout.count())) == CURLE_OK &&
              curl_easy_setopt(c, CURLOPT_TIMEOUT_MS,
                               static_cast<long>(options.total_timeout.count())) == CURLE_OK &&
              curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &Impl::OnBody) == CURLE_OK &&
              curl_easy_setopt(c, CURLOPT_WRITEDATA, this) == CURLE_OK &&
              curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &Impl::OnHeader) == CURLE_OK &&
              curl_easy_setopt(c, CURLOPT_HEADERDATA, this) == CURLE_OK &&
              curl_easy_setopt(c, CURLOPT_USERAGENT, options.user_agent.c_str()) == CURLE_OK &&
              curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error_buffer) == CURLE_OK &&
              curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L) == CURLE_OK;
    if (!ok) return MakeError(ErrorCode::kInternal, "libcurl rejected an option");
    // Compressed answers are welcome: the size bound applies to the decompressed body. Not
    // fatal if this libcurl lacks zlib (the static-ct-api client then inflates gzip itself).
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    // A larger receive buffer than curl's 16 KiB: get-entries pages are megabytes, and each
    // buffer-full is a recv() and an OnBody call. Not fatal if this libcurl caps it lower.
    curl_easy_setopt(c, CURLOPT_BUFFERSIZE, kReceiveBufferBytes);
    bucket = TokenBucket(options.requests_per_second);
    return {};
  }

  struct Attempt {
    CURLcode code = CURLE_OK;
    long status = 0;
  };

  Attempt PerformOnce(const std::string& url, const std::string* post_body) {
    body.clear();
    too_large = false;
    retry_after.reset();
    error_buffer[0] = '\0';
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    if (post_body != nullptr) {
      curl_easy_setopt(c, CURLOPT_POST, 1L);
      curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(post_body->size()));
      curl_easy_setopt(c, CURLOPT_COPYPOSTFIELDS, post_body->c_str());
      curl_easy_setopt(c, CURLOPT_HTTPHEADER, post_headers.get());
    } else {
      curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
      curl_easy_setopt(c, CURLOPT_HTTPHEADER, get_headers.get());
    }
    Attempt attempt;
    attempt.code = curl_easy_perform(c);
    long connects = 0;
    curl_easy_getinfo(c, CURLINFO_NUM_CONNECTS, &connects);
    {
      std::lock_guard<std::mutex> lock(stats_mutex);
      ++stats.requests;
      if (connects > 0) stats.connections += static_cast<uint64_t>(connects);
    }
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &attempt.status);
    return attempt;
  }

  void Sleep(std::chrono::steady_clock::duration wait) {
    if (wait > std::chrono::steady_clock::duration::zero()) std::this_thread::sleep_for(wait);
  }

  Result<std::string> Call(const std::string& url, const std::string* post_body,
                           std::initializer_list<long> not_found, size_t limit) {
    std::lock_guard<std::mutex> lock(mutex);
    max_bytes = limit == 0 ? options.max_response_bytes : limit;
    for (int attempt = 0;; ++attempt) {
      Sleep(bucket.Reserve(std::chrono::steady_clock::now()));
      Attempt result = PerformOnce(url, post_body);
      std::optional<milliseconds> wait;
      Error error;
      if (too_large) {
        return MakeError(ErrorCode::kTooLarge, "log " + url + ": response larger than " +
                                                    std::to_string(max_bytes) + " bytes");
      }
      if (result.code != CURLE_OK) {
        std::string detail =
            error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(result.code);
        error = Error{ErrorCode::kNetwork, "log " + url + ": " + detail};
        if (!IsRetryableCurlCode(result.code)) return std::unexpected(error);
      } else if (result.status == 200) {
        return std::move(body);
      } else {
        std::string message =
            "log " + url + ": HTTP status " + std::to_string(result.status) + BodyExcerpt(body);
        if (!IsRetryableStatus(result.status)) {
          bool missing = std::ranges::find(not_found, result.status) != not_found.end();
          return MakeError(missing ? ErrorCode::kNotFound : ErrorCode::kNetwork, message);
        }
        error = Error{ErrorCode::kNetwork, message};
        // RFC 6585 §4 (429) and RFC 9110 §15.6.4 (503): the log says when to come back.
        if ((result.status == 429 || result.status == 503) && retry_after) {
          if (std::optional<std::chrono::seconds> after =
                  ParseRetryAfter(*retry_after, std::chrono::system_clock::now())) {
            wait = std::min<milliseconds>(*after, options.max_retry_after);
          }
        }
      }
      if (attempt >= options.max_retries) {
        if (attempt > 0) error.message += " (after " + std::to_string(attempt + 1) + " attempts)";
        return std::unexpected(error);
      }
      if (!wait) {
        double unit = std::uniform_real_distribution<double>(0.0, 1.0)(random);
        wait = BackoffDelay(attempt, options.backoff_base, options.backoff_max, unit);
      }
      Sleep(*wait);
      std::lock_guard<std::mutex> stats_lock(stats_mutex);
      ++stats.retries;
    }
  }
};

HttpFetcher::HttpFetcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpFetcher::~HttpFetcher() = default;

Result<std::unique_ptr<HttpFetcher>> HttpFetcher::Create(const LogClientOptions& options,
                                                         std::string accept) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->accept = std::move(accept);
  if (Result<void> ok = impl->Setup(); !ok) return std::unexpected(ok.error());
  return std::unique_ptr<HttpFetcher>(new HttpFetcher(std::move(impl)));
}

Result<std::string> HttpFetcher::Call(const std::string& url, const std::string* post_body,
                                      std::initializer_list<long> not_found, size_t max_bytes) {
  return impl_->Call(url, post_body, not_found, max_bytes);
}

LogClientStats HttpFetcher::stats() const {
  std::lock_guard<std::mutex> lock(impl_->stats_mutex);
  return impl_->stats;
}

Result<void> CheckLogClientOptions(const LogClientOptions& options) {
  if (options.batch_size == 0 || options.max_response_bytes == 0 || options.max_retries < 0 ||
      options.requests_per_second < 0 || !std::isfinite(options.requests_per_second) ||
      options.connect_timeout.count() <= 0 || options.total_timeout.count() <= 0) {
    return MakeError(ErrorCode::kInvalidArgument, "log client options out of range");
  }
  return {};
}

Result<void> CheckLogUrl(const std::string& url) {
  if (!url.starts_with("http://") && !url.starts_with("https://")) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "log URL " + QuoteUntrusted(url) + " is not http:// or https://");
  }
  if (url.find_first_of("?# \t\r\n") != std::string::npos) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "log URL " + QuoteUntrusted(url) + " has a query, fragment or space");
  }
  return {};
}

}  // namespace ctkit
