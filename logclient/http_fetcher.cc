#include "logclient/http_fetcher.h"

// The one file of ctkit that includes libcurl (logclient/http_fetcher.h). CURL_STRICTER makes CURL
// a type of its own instead of void, so UniquePtr can free it.
#define CURL_STRICTER
#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <mutex>
#include <random>
#include <thread>

#include "base/token_bucket.h"
#include "base/unique_ptr.h"

CTKIT_DECLARE_DELETER(CURL)
CTKIT_DECLARE_DELETER(curl_slist)
CTKIT_DEFINE_DELETER(CURL, curl_easy_cleanup)
CTKIT_DEFINE_DELETER(curl_slist, curl_slist_free_all)

namespace ctkit {
namespace {

using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr long kReceiveBufferBytes = 256 * 1024;

bool CurlGlobalInit() {
  // curl_global_init is not thread-safe before 7.84; a function-local static runs it once.
  static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  return initialised;
}

// A curl header list of `lines` (null for none).
Result<UniquePtr<curl_slist>> MakeHeaders(const std::vector<std::string>& lines) {
  UniquePtr<curl_slist> list;
  for (const std::string& line : lines) {
    curl_slist* longer = curl_slist_append(list.get(), line.c_str());
    if (longer == nullptr) return MakeError(ErrorCode::kInternal, "libcurl: out of memory");
    (void)list.release();  // now owned by `longer`
    list.reset(longer);
  }
  return list;
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

// Transport failures worth another attempt: the server or the path to it may recover. TLS
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

bool IsSuccess(long status) { return status >= 200 && status < 300; }

std::string BodyExcerpt(const std::string& body) {
  return body.empty() ? std::string() : ": " + QuoteUntrusted(body);
}

void Sleep(Clock::duration wait) {
  if (wait > Clock::duration::zero()) std::this_thread::sleep_for(wait);
}

// The end of one call's budget (HttpOptions::call_budget), if it has one.
class Deadline {
 public:
  explicit Deadline(milliseconds budget) {
    if (budget.count() > 0) end_ = Clock::now() + budget;
  }
  // An attempt's timeout: `timeout`, cut to what is left of the budget (zero or less: spent).
  milliseconds Cap(milliseconds timeout) const {
    if (!end_) return timeout;
    return std::min(timeout, std::chrono::duration_cast<milliseconds>(*end_ - Clock::now()));
  }
  // Whether a wait of `wait` from now ends before the budget does.
  bool Allows(Clock::duration wait) const { return !end_ || Clock::now() + wait < *end_; }

 private:
  std::optional<Clock::time_point> end_;
};

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
  HttpOptions options;
  HttpFetcherSetup setup;

  mutable std::mutex stats_mutex;  // guards stats, readable while a request waits
  LogClientStats stats;

  mutable std::mutex mutex;  // guards everything below: one request at a time
  UniquePtr<CURL> curl;
  UniquePtr<curl_slist> get_headers;
  UniquePtr<curl_slist> post_headers;
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
      // What fits stays for an error status's message; curl stops with CURLE_WRITE_ERROR.
      self->body.append(data, self->max_bytes - self->body.size());
      self->too_large = true;
      return 0;
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
    if (!curl) return MakeError(ErrorCode::kInternal, "libcurl failed to initialise");
    ASSIGN_OR_RETURN(get_headers, MakeHeaders(setup.headers));
    std::vector<std::string> post_lines = setup.headers;
    // "Expect:" stops curl waiting for 100 Continue before sending a body.
    post_lines.insert(post_lines.end(), {"Content-Type: application/json", "Expect:"});
    ASSIGN_OR_RETURN(post_headers, MakeHeaders(post_lines));
    CURL* c = curl.get();
    bool ok = curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK &&
              curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L) == CURLE_OK &&
              curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
              curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS,
                               static_cast<long>(options.connect_timeout.count())) == CURLE_OK &&
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
    if (options.accept_compressed) curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
    // A larger receive buffer than curl's 16 KiB: get-entries pages are megabytes, and each
    // buffer-full is a recv() and an OnBody call. Not fatal if this libcurl caps it lower.
    curl_easy_setopt(c, CURLOPT_BUFFERSIZE, kReceiveBufferBytes);
    bucket = TokenBucket(options.requests_per_second);
    return {};
  }

  // How errors name a request to `url` (HttpFetcherSetup).
  std::string Prefix(const std::string& url) const {
    std::string prefix = setup.what;
    if (setup.url_in_errors) prefix += (prefix.empty() ? "" : " ") + url;
    return prefix.empty() ? prefix : prefix + ": ";
  }

  struct Attempt {
    CURLcode code = CURLE_OK;
    long status = 0;
  };

  Attempt PerformOnce(const std::string& url, const std::string* post_body, milliseconds timeout) {
    body.clear();
    too_large = false;
    retry_after.reset();
    error_buffer[0] = '\0';
    CURL* c = curl.get();
    curl_easy_setopt(c, CURLOPT_URL, url.c_str());
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
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

  // What one attempt came to: the body, or an error that is final or worth another attempt
  // (after the wait the server asked for, if it did). The file comment of http_fetcher.h says
  // which is which.
  struct Verdict {
    std::optional<std::string> body;
    Error error;
    bool retry = false;
    std::optional<milliseconds> retry_after;
  };

  Verdict Classify(const Attempt& attempt, const std::string& url,
                   std::initializer_list<long> not_found) {
    // A body over the bound stops the transfer; an answer that is not a success is still
    // judged by its status (its body only ever shows in the message).
    const bool answered = attempt.code == CURLE_OK || (too_large && attempt.status != 0);
    if (!answered) {
      std::string detail =
          error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(attempt.code);
      return {.error = {ErrorCode::kNetwork, Prefix(url) + detail},
              .retry = IsRetryableCurlCode(attempt.code)};
    }
    if (IsSuccess(attempt.status) && too_large) {
      return {.error = {ErrorCode::kTooLarge, Prefix(url) + "response larger than " +
                                                  std::to_string(max_bytes) + " bytes"}};
    }
    if (IsSuccess(attempt.status)) return {.body = std::move(body)};
    std::string message =
        Prefix(url) + "HTTP status " + std::to_string(attempt.status) + BodyExcerpt(body);
    if (IsRetryableStatus(attempt.status)) {
      return {.error = {ErrorCode::kNetwork, std::move(message)},
              .retry = true,
              .retry_after = RetryAfter(attempt.status)};
    }
    bool missing = std::ranges::find(not_found, attempt.status) != not_found.end();
    return {.error = {missing ? ErrorCode::kNotFound : ErrorCode::kNetwork, std::move(message)}};
  }

  // RFC 6585 §4 (429) and RFC 9110 §15.6.4 (503): the server says when to come back.
  std::optional<milliseconds> RetryAfter(long status) const {
    if ((status != 429 && status != 503) || !retry_after) return std::nullopt;
    std::optional<std::chrono::seconds> after =
        ParseRetryAfter(*retry_after, std::chrono::system_clock::now());
    if (!after) return std::nullopt;
    return std::min<milliseconds>(*after, options.max_retry_after);
  }

  milliseconds Backoff(int retry) {
    double unit = std::uniform_real_distribution<double>(0.0, 1.0)(random);
    return BackoffDelay(retry, options.backoff_base, options.backoff_max, unit);
  }

  // The error a call ends with once it stops retrying: the last attempt's, and how many there
  // were and whether the budget ran out.
  Error FinalError(const std::string& url, std::optional<Error> last, int attempts,
                   bool budget_spent) const {
    if (!last) {
      return Error{ErrorCode::kNetwork, Prefix(url) +
                                            "no request could start within the call budget of " +
                                            std::to_string(options.call_budget.count()) + " ms"};
    }
    std::string note;
    if (attempts > 1 || budget_spent) {
      note = "after " + std::to_string(attempts) + (attempts == 1 ? " attempt" : " attempts");
    }
    if (budget_spent) {
      note += ", call budget of " + std::to_string(options.call_budget.count()) + " ms spent";
    }
    if (!note.empty()) last->message += " (" + note + ")";
    return *std::move(last);
  }

  Result<std::string> Call(const std::string& url, const std::string* post_body,
                           std::initializer_list<long> not_found, size_t limit) {
    if (!url.starts_with("http://") && !url.starts_with("https://")) {
      return MakeError(ErrorCode::kInvalidArgument, Prefix(url) + "not an http:// or https:// URL");
    }
    std::lock_guard<std::mutex> lock(mutex);
    max_bytes = limit == 0 ? options.max_response_bytes : limit;
    const Deadline deadline(options.call_budget);
    std::optional<Error> last;
    int attempts = 0;
    bool budget_spent = false;
    while (true) {
      Clock::duration pace = bucket.Reserve(Clock::now());
      milliseconds timeout = deadline.Cap(options.total_timeout);
      if (!deadline.Allows(pace) || timeout.count() <= 0) {
        budget_spent = true;
        break;
      }
      Sleep(pace);
      timeout = deadline.Cap(timeout);
      Attempt attempt = PerformOnce(url, post_body, timeout);
      Verdict verdict = Classify(attempt, url, not_found);
      ++attempts;
      if (verdict.body) return std::move(*verdict.body);
      if (!verdict.retry) return std::unexpected(std::move(verdict.error));
      last = std::move(verdict.error);
      // An attempt cut short to fit the budget that then ran out of time was its last.
      if (attempt.code == CURLE_OPERATION_TIMEDOUT && timeout < options.total_timeout) {
        budget_spent = true;
        break;
      }
      if (attempts > options.max_retries) break;
      milliseconds wait = verdict.retry_after.value_or(Backoff(attempts - 1));
      if (!deadline.Allows(wait)) {
        budget_spent = true;
        break;
      }
      Sleep(wait);
      std::lock_guard<std::mutex> stats_lock(stats_mutex);
      ++stats.retries;
    }
    return std::unexpected(FinalError(url, std::move(last), attempts, budget_spent));
  }
};

HttpFetcher::HttpFetcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpFetcher::~HttpFetcher() = default;

Result<std::unique_ptr<HttpFetcher>> HttpFetcher::Create(const HttpOptions& options,
                                                         HttpFetcherSetup setup) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->setup = std::move(setup);
  RETURN_IF_ERROR(impl->Setup());
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

Result<void> CheckHttpOptions(const HttpOptions& options) {
  if (options.max_response_bytes == 0 || options.max_retries < 0 ||
      options.requests_per_second < 0 || !std::isfinite(options.requests_per_second) ||
      options.connect_timeout.count() <= 0 || options.total_timeout.count() <= 0 ||
      options.call_budget.count() < 0) {
    return MakeError(ErrorCode::kInvalidArgument, "HTTP client options out of range");
  }
  return {};
}

Result<void> CheckLogClientOptions(const LogClientOptions& options) {
  if (options.batch_size == 0 || !CheckHttpOptions(options)) {
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
