#include "ct/http_get.h"

#include <curl/curl.h>

#include <memory>

namespace ctkit {
namespace {

struct Body {
  Bytes data;
  size_t max_bytes;
  bool too_large = false;
};

size_t Append(char* chunk, size_t size, size_t count, void* user) {
  auto* body = static_cast<Body*>(user);
  size_t n = size * count;
  if (body->data.size() + n > body->max_bytes) {
    body->too_large = true;
    return 0;  // makes curl stop with CURLE_WRITE_ERROR
  }
  body->data.insert(body->data.end(), chunk, chunk + n);
  return n;
}

struct CurlFree {
  void operator()(CURL* handle) const { curl_easy_cleanup(handle); }
};

}  // namespace

Result<Bytes> HttpGet(const std::string& url, const HttpGetOptions& options) {
  if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0) {
    return MakeError(ErrorCode::kInvalidArgument, url + ": not an http:// or https:// URL");
  }
  static const bool initialised = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  std::unique_ptr<CURL, CurlFree> curl(initialised ? curl_easy_init() : nullptr);
  if (!curl) return MakeError(ErrorCode::kInternal, "libcurl failed to initialise");

  Body body{.max_bytes = options.max_bytes};
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl.get(), CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_CONNECTTIMEOUT, options.connect_timeout_seconds);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, options.total_timeout_seconds);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, &Append);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl.get(), CURLOPT_USERAGENT, "ctkit");

  CURLcode code = curl_easy_perform(curl.get());
  if (body.too_large) {
    return MakeError(ErrorCode::kNetwork, url + ": response larger than " +
                                              std::to_string(options.max_bytes) + " bytes");
  }
  if (code != CURLE_OK) {
    return MakeError(ErrorCode::kNetwork, url + ": " + curl_easy_strerror(code));
  }
  long status = 0;
  curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status != 200) {
    return MakeError(ErrorCode::kNetwork, url + ": HTTP status " + std::to_string(status));
  }
  return std::move(body.data);
}

}  // namespace ctkit
