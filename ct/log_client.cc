#include "ct/log_client.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <initializer_list>
#include <iterator>
#include <mutex>
#include <random>
#include <thread>

#include "ct/merkle_verify.h"
#include "ct/sct_verify.h"
#include "x509/certificate.h"
#include "x509/precert.h"

namespace ctkit {
namespace {

using std::chrono::milliseconds;

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

// RFC 3986 §2.1 percent-encoding of a query value (base64 hashes carry '+', '/' and '=').
std::string QueryEscape(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : value) {
    auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    }
  }
  return out;
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

// A failed check from merkle_verify.h, reported as the log's fault: a proof with the wrong
// number of nodes is as bad as one that computes the wrong root.
Error ProofFailure(const Error& error, const std::string& what) {
  return Error{ErrorCode::kVerificationFailed, what + ": " + error.message};
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

TokenBucket::TokenBucket(double rate, Clock::time_point now)
    : rate_(rate), capacity_(std::max(1.0, rate)), tokens_(capacity_), last_(now) {}

TokenBucket::Clock::duration TokenBucket::Reserve(Clock::time_point now) {
  if (rate_ <= 0) return Clock::duration::zero();
  if (now > last_) {
    double elapsed = std::chrono::duration<double>(now - last_).count();
    tokens_ = std::min(capacity_, tokens_ + elapsed * rate_);
    last_ = now;
  }
  // Reservations may take the bucket below zero: the caller then waits until its token has
  // been refilled, and later callers queue behind it.
  tokens_ -= 1;
  if (tokens_ >= 0) return Clock::duration::zero();
  return std::chrono::duration_cast<Clock::duration>(
      std::chrono::duration<double>(-tokens_ / rate_));
}

struct LogClient::Impl {
  std::string base_url;
  std::shared_ptr<const LogKey> key;
  LogClientOptions options;

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
  bool too_large = false;
  std::optional<std::string> retry_after;

  static size_t OnBody(char* data, size_t size, size_t count, void* user) {
    auto* self = static_cast<Impl*>(user);
    size_t n = size * count;
    if (self->body.size() + n > self->options.max_response_bytes) {
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
    }
    return size * count;
  }

  Result<void> Setup() {
    curl.reset(CurlGlobalInit() ? curl_easy_init() : nullptr);
    get_headers = MakeHeaders({"Accept: application/json"});
    // "Expect:" stops curl waiting for 100 Continue before sending a chain.
    post_headers =
        MakeHeaders({"Accept: application/json", "Content-Type: application/json", "Expect:"});
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
    // fatal if this libcurl lacks zlib.
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
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

  // One RFC 6962 call with retries: the body of a 200 answer. Errors name `url`; the statuses
  // in `not_found` are kNotFound, other final statuses kNetwork.
  Result<std::string> Call(const std::string& url, const std::string* post_body,
                           std::initializer_list<long> not_found = {404}) {
    std::lock_guard<std::mutex> lock(mutex);
    for (int attempt = 0;; ++attempt) {
      Sleep(bucket.Reserve(std::chrono::steady_clock::now()));
      Attempt result = PerformOnce(url, post_body);
      std::optional<milliseconds> wait;
      Error error;
      if (too_large) {
        return MakeError(ErrorCode::kMalformed, "log " + url + ": response larger than " +
                                                    std::to_string(options.max_response_bytes) +
                                                    " bytes");
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

  std::string Url(std::string_view method, std::string_view query = {}) const {
    std::string url = base_url + "ct/v1/" + std::string(method);
    if (!query.empty()) url += "?" + std::string(query);
    return url;
  }

  Result<void> CheckHead(const SignedTreeHead& head, const char* which) const {
    if (!key) return {};
    if (Result<void> ok = VerifySignedTreeHead(head, *key); !ok) {
      return std::unexpected(
          WithContext(ok.error(), std::string(which) + " (log " + base_url + ")"));
    }
    return {};
  }

  // The SCT an add-chain call returned must be this log's signature over the entry sent.
  Result<void> CheckSct(const SignedCertificateTimestamp& sct, const SignedEntry& entry,
                        const std::string& url) const {
    if (!key) return {};
    if (sct.log_id != key->log_id()) {
      return MakeError(ErrorCode::kVerificationFailed,
                       "log " + url + ": SCT log id " + Base64Encode(sct.log_id) +
                           " is not the log's " + Base64Encode(key->log_id()));
    }
    Result<Bytes> input = BuildSctSignatureInput(sct, entry);
    if (!input) return std::unexpected(WithContext(input.error(), "log " + url));
    if (Result<void> ok = key->Verify(*input, sct.signature); !ok) {
      return MakeError(ErrorCode::kVerificationFailed,
                       "log " + url + ": SCT signature: " + ok.error().message);
    }
    return {};
  }
};

LogClient::LogClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
LogClient::~LogClient() = default;
LogClient::LogClient(LogClient&&) noexcept = default;
LogClient& LogClient::operator=(LogClient&&) noexcept = default;

Result<LogClient> LogClient::Create(std::string base_url, std::shared_ptr<const LogKey> key,
                                    LogClientOptions options) {
  if (!base_url.starts_with("http://") && !base_url.starts_with("https://")) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "log URL " + QuoteUntrusted(base_url) + " is not http:// or https://");
  }
  if (base_url.find_first_of("?# \t\r\n") != std::string::npos) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "log URL " + QuoteUntrusted(base_url) + " has a query, fragment or space");
  }
  if (options.batch_size == 0 || options.max_response_bytes == 0 || options.max_retries < 0 ||
      options.requests_per_second < 0 || !std::isfinite(options.requests_per_second) ||
      options.connect_timeout.count() <= 0 || options.total_timeout.count() <= 0) {
    return MakeError(ErrorCode::kInvalidArgument, "log client options out of range");
  }
  if (!base_url.ends_with('/')) base_url += '/';
  auto impl = std::make_unique<Impl>();
  impl->base_url = std::move(base_url);
  impl->key = std::move(key);
  impl->options = std::move(options);
  if (Result<void> ok = impl->Setup(); !ok) return std::unexpected(ok.error());
  return LogClient(std::move(impl));
}

const std::string& LogClient::base_url() const { return impl_->base_url; }
const std::shared_ptr<const LogKey>& LogClient::key() const { return impl_->key; }

LogClientStats LogClient::stats() const {
  std::lock_guard<std::mutex> lock(impl_->stats_mutex);
  return impl_->stats;
}

Result<SignedTreeHead> LogClient::GetUnverifiedSth() {
  std::string url = impl_->Url("get-sth");
  Result<std::string> body = impl_->Call(url, nullptr);
  if (!body) return std::unexpected(body.error());
  Result<SignedTreeHead> head = ParseSthJson(*body);
  if (!head) return std::unexpected(WithContext(head.error(), "log " + url));
  return head;
}

Result<SignedTreeHead> LogClient::GetSth() {
  if (!impl_->key) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "log " + impl_->base_url + ": no log key to verify the tree head with");
  }
  Result<SignedTreeHead> head = GetUnverifiedSth();
  if (!head) return head;
  std::string url = impl_->Url("get-sth");
  if (Result<void> ok = VerifySignedTreeHead(*head, *impl_->key); !ok) {
    return std::unexpected(WithContext(ok.error(), "log " + url));
  }
  // RFC 6962 §2.1: the hash of the empty tree is SHA-256 of the empty string. Signed or not,
  // any other root for size 0 is not a Merkle tree head.
  if (head->tree_size == 0 && head->root_hash != EmptyTreeRoot()) {
    return MakeError(ErrorCode::kVerificationFailed,
                     "log " + url + ": tree of size 0 with a root other than the empty tree's");
  }
  return head;
}

Result<std::vector<MerkleHash>> LogClient::GetSthConsistency(uint64_t first, uint64_t second) {
  if (first == 0 || first > second) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "log " + impl_->base_url + ": no consistency proof from size " +
                         std::to_string(first) + " to " + std::to_string(second));
  }
  if (first == second) return std::vector<MerkleHash>();
  std::string url = impl_->Url("get-sth-consistency", "first=" + std::to_string(first) +
                                                          "&second=" + std::to_string(second));
  Result<std::string> body = impl_->Call(url, nullptr);
  if (!body) return std::unexpected(body.error());
  Result<std::vector<MerkleHash>> proof = ParseGetSthConsistencyResponse(*body);
  if (!proof) return std::unexpected(WithContext(proof.error(), "log " + url));
  return proof;
}

Result<InclusionProof> LogClient::GetProofByHash(const MerkleHash& leaf_hash, uint64_t tree_size) {
  if (tree_size == 0) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "log " + impl_->base_url + ": no inclusion proof in the empty tree");
  }
  std::string url = impl_->Url("get-proof-by-hash", "hash=" + QueryEscape(Base64Encode(leaf_hash)) +
                                                        "&tree_size=" + std::to_string(tree_size));
  // RFC 6962 names no status for "not in this tree": Trillian answers 404, the original
  // google/certificate-transparency log (and ctkit's) 400. The request itself was checked.
  Result<std::string> body = impl_->Call(url, nullptr, {400, 404});
  if (!body) return std::unexpected(body.error());
  Result<InclusionProof> proof = ParseGetProofByHashResponse(*body);
  if (!proof) return std::unexpected(WithContext(proof.error(), "log " + url));
  if (proof->leaf_index >= tree_size) {
    return MakeError(ErrorCode::kMalformed, "log " + url + ": leaf_index " +
                                                std::to_string(proof->leaf_index) +
                                                " is not below tree_size");
  }
  return proof;
}

Result<std::vector<LogEntry>> LogClient::GetEntriesBatch(uint64_t start, uint64_t end) {
  if (start > end) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "log " + impl_->base_url + ": get-entries start " + std::to_string(start) +
                         " after end " + std::to_string(end));
  }
  // Stop at the end of start's aligned batch: logs serve (and cache) pages on these
  // boundaries, and a request that straddles two is answered short anyway.
  uint64_t batch = impl_->options.batch_size;
  uint64_t batch_last = start - start % batch + (batch - 1);
  if (batch_last < start) batch_last = UINT64_MAX;  // wrapped at the top of the range
  uint64_t last = std::min(end, batch_last);
  uint64_t asked = last - start + 1;
  std::string url =
      impl_->Url("get-entries", "start=" + std::to_string(start) + "&end=" + std::to_string(last));
  Result<std::string> body = impl_->Call(url, nullptr);
  if (!body) return std::unexpected(body.error());
  Result<std::vector<RawLogEntry>> raw = ParseGetEntriesResponse(*body, asked);
  if (!raw) {
    return std::unexpected(WithContext(
        raw.error(), "log " + url + " (asked for " + std::to_string(asked) + " entries)"));
  }
  if (raw->empty()) {
    // RFC 6962 §4.6 lets a log return fewer entries, not none: an empty answer would make
    // callers loop forever, and for a range below a verified size it is a lie.
    return MakeError(ErrorCode::kMalformed, "log " + url + ": no entries in the response");
  }
  std::vector<LogEntry> entries;
  entries.reserve(raw->size());
  for (size_t i = 0; i < raw->size(); ++i) {
    uint64_t index = start + i;
    if (impl_->options.keep_malformed_entries) {
      entries.push_back(MakeLenientLogEntry(index, std::move((*raw)[i].leaf_input),
                                            std::move((*raw)[i].extra_data)));
      continue;
    }
    Result<LogEntry> entry =
        MakeLogEntry(index, std::move((*raw)[i].leaf_input), std::move((*raw)[i].extra_data));
    if (!entry) {
      return std::unexpected(WithContext(entry.error(), "log " + url + ": entries[" +
                                                            std::to_string(i) + "] (index " +
                                                            std::to_string(index) + ")"));
    }
    entries.push_back(std::move(*entry));
  }
  return entries;
}

Result<std::vector<LogEntry>> LogClient::GetEntries(uint64_t start, uint64_t end) {
  if (start > end) return GetEntriesBatch(start, end);  // the same error
  std::vector<LogEntry> entries;
  uint64_t next = start;
  while (true) {
    Result<std::vector<LogEntry>> batch = GetEntriesBatch(next, end);
    if (!batch) return batch;
    uint64_t got = batch->size();  // >= 1 and <= end - next + 1
    if (entries.empty()) {
      entries = std::move(*batch);
    } else {
      std::move(batch->begin(), batch->end(), std::back_inserter(entries));
    }
    if (got > end - next) break;  // reached `end` (written to avoid overflow at UINT64_MAX)
    next += got;
  }
  return entries;
}

Result<EntryAndProof> LogClient::GetEntryAndProof(uint64_t index, uint64_t tree_size) {
  if (index >= tree_size) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "log " + impl_->base_url + ": leaf index " + std::to_string(index) +
                         " is not below tree size " + std::to_string(tree_size));
  }
  std::string url =
      impl_->Url("get-entry-and-proof",
                 "leaf_index=" + std::to_string(index) + "&tree_size=" + std::to_string(tree_size));
  Result<std::string> body = impl_->Call(url, nullptr);
  if (!body) return std::unexpected(body.error());
  Result<RawEntryAndProof> raw = ParseGetEntryAndProofResponse(*body);
  if (!raw) return std::unexpected(WithContext(raw.error(), "log " + url));
  Result<LogEntry> entry =
      MakeLogEntry(index, std::move(raw->entry.leaf_input), std::move(raw->entry.extra_data));
  if (!entry) return std::unexpected(WithContext(entry.error(), "log " + url));
  return EntryAndProof{std::move(*entry), std::move(raw->audit_path)};
}

Result<std::vector<Bytes>> LogClient::GetRoots() {
  std::string url = impl_->Url("get-roots");
  Result<std::string> body = impl_->Call(url, nullptr);
  if (!body) return std::unexpected(body.error());
  Result<std::vector<Bytes>> roots = ParseGetRootsResponse(*body);
  if (!roots) return std::unexpected(WithContext(roots.error(), "log " + url));
  return roots;
}

// Both add-chain and add-pre-chain (RFC 6962 §4.1, §4.2): send, parse, and check the SCT
// against the entry the log must have signed.
Result<SignedCertificateTimestamp> LogClient::SubmitChain(const std::string& url,
                                                          std::span<const Bytes> chain_der,
                                                          const SignedEntry& entry) {
  std::string request = AddChainRequestJson(chain_der);
  Result<std::string> body = impl_->Call(url, &request);
  if (!body) return std::unexpected(body.error());
  Result<SignedCertificateTimestamp> sct = ParseAddChainResponse(*body);
  if (!sct) return std::unexpected(WithContext(sct.error(), "log " + url));
  if (Result<void> ok = impl_->CheckSct(*sct, entry, url); !ok) return std::unexpected(ok.error());
  return sct;
}

Result<SignedCertificateTimestamp> LogClient::AddChain(std::span<const Bytes> chain_der) {
  std::string url = impl_->Url("add-chain");
  if (chain_der.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "log " + url + ": empty chain");
  }
  // RFC 6962 §3.2: an SCT for a certificate signs an x509_entry over the leaf's DER.
  Result<SignedEntry> entry = X509SignedEntry(chain_der.front());
  if (!entry) return std::unexpected(WithContext(entry.error(), "log " + url));
  return SubmitChain(url, chain_der, *entry);
}

Result<SignedCertificateTimestamp> LogClient::AddPreChain(std::span<const Bytes> chain_der) {
  std::string url = impl_->Url("add-pre-chain");
  if (chain_der.size() < 2) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "log " + url + ": a pre-chain needs the precertificate and its issuer");
  }
  // RFC 6962 §3.2: the SCT signs a precert_entry built from the precertificate and its issuer
  // (or, for a Precertificate Signing Certificate, the CA above it). Built before sending, so
  // a chain the log could not sign correctly is caught here.
  std::vector<CertificateView> certs;
  for (size_t i = 0; i < chain_der.size(); ++i) {
    Result<CertificateView> cert = CertificateView::Parse(chain_der[i]);
    if (!cert) {
      return MakeError(
          ErrorCode::kInvalidArgument,
          "log " + url + ": chain certificate " + std::to_string(i) + ": " + cert.error().message);
    }
    certs.push_back(std::move(*cert));
  }
  Result<PrecertEntry> precert =
      BuildPrecertEntry(certs.front(), std::span<const CertificateView>(certs).subspan(1));
  if (!precert) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "log " + url + ": precertificate entry: " + precert.error().message);
  }
  Result<SignedEntry> entry =
      PrecertSignedEntry(precert->issuer_key_hash, precert->tbs_certificate);
  if (!entry) return std::unexpected(WithContext(entry.error(), "log " + url));
  return SubmitChain(url, chain_der, *entry);
}

Result<void> LogClient::VerifyConsistencyBetween(const SignedTreeHead& old_sth,
                                                 const SignedTreeHead& new_sth) {
  if (Result<void> ok = impl_->CheckHead(old_sth, "old tree head"); !ok) return ok;
  if (Result<void> ok = impl_->CheckHead(new_sth, "new tree head"); !ok) return ok;
  const std::string& log = impl_->base_url;
  if (old_sth.tree_size > new_sth.tree_size) {
    return MakeError(ErrorCode::kVerificationFailed,
                     "log " + log + ": tree shrank from " + std::to_string(old_sth.tree_size) +
                         " to " + std::to_string(new_sth.tree_size));
  }
  if (old_sth.tree_size == new_sth.tree_size) {
    if (old_sth.root_hash != new_sth.root_hash) {
      return MakeError(ErrorCode::kVerificationFailed, "log " + log +
                                                           ": two different roots for tree size " +
                                                           std::to_string(old_sth.tree_size));
    }
    return {};
  }
  if (old_sth.tree_size == 0) return {};  // every tree extends the empty tree
  Result<std::vector<MerkleHash>> proof = GetSthConsistency(old_sth.tree_size, new_sth.tree_size);
  if (!proof) return std::unexpected(proof.error());
  if (Result<void> ok = VerifyConsistency(old_sth.tree_size, new_sth.tree_size, *proof,
                                          old_sth.root_hash, new_sth.root_hash);
      !ok) {
    return std::unexpected(ProofFailure(ok.error(), "log " + log + ": consistency proof from " +
                                                        std::to_string(old_sth.tree_size) + " to " +
                                                        std::to_string(new_sth.tree_size)));
  }
  return {};
}

Result<uint64_t> LogClient::ProveInclusion(const MerkleHash& leaf_hash, const SignedTreeHead& sth) {
  if (Result<void> ok = impl_->CheckHead(sth, "tree head"); !ok) return std::unexpected(ok.error());
  Result<InclusionProof> proof = GetProofByHash(leaf_hash, sth.tree_size);
  if (!proof) return std::unexpected(proof.error());
  if (Result<void> ok = VerifyInclusion(leaf_hash, proof->leaf_index, sth.tree_size,
                                        proof->audit_path, sth.root_hash);
      !ok) {
    return std::unexpected(
        ProofFailure(ok.error(), "log " + impl_->base_url + ": inclusion proof for leaf " +
                                     std::to_string(proof->leaf_index) + " in tree size " +
                                     std::to_string(sth.tree_size)));
  }
  return proof->leaf_index;
}

Result<void> LogClient::ProveEntry(const LogEntry& entry, const SignedTreeHead& sth) {
  if (Result<void> ok = impl_->CheckHead(sth, "tree head"); !ok) return ok;
  const std::string& log = impl_->base_url;
  if (entry.index >= sth.tree_size) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "log " + log + ": entry " + std::to_string(entry.index) +
                         " is not below tree size " + std::to_string(sth.tree_size));
  }
  std::string what = "log " + log + ": entry " + std::to_string(entry.index) + " in tree size " +
                     std::to_string(sth.tree_size);
  Result<InclusionProof> proof = GetProofByHash(entry.leaf_hash, sth.tree_size);
  if (!proof) return std::unexpected(proof.error());
  std::vector<MerkleHash> path = std::move(proof->audit_path);
  if (proof->leaf_index != entry.index) {
    // The same leaf may sit at two indices; the log answers with one of them. Ask for the
    // proof at the index this entry was served as, and check it is the same leaf.
    Result<EntryAndProof> at_index = GetEntryAndProof(entry.index, sth.tree_size);
    if (!at_index) return std::unexpected(at_index.error());
    if (at_index->entry.leaf_hash != entry.leaf_hash) {
      return MakeError(ErrorCode::kVerificationFailed,
                       what + ": the log has another leaf at this index (this one is at " +
                           std::to_string(proof->leaf_index) + ")");
    }
    path = std::move(at_index->audit_path);
  }
  if (Result<void> ok =
          VerifyInclusion(entry.leaf_hash, entry.index, sth.tree_size, path, sth.root_hash);
      !ok) {
    return std::unexpected(ProofFailure(ok.error(), what));
  }
  return {};
}

}  // namespace ctkit
