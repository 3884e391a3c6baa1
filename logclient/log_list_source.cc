#include "logclient/log_list_source.h"

#include <cctype>
#include <memory>
#include <vector>

#include "base/input_file.h"
#include "logclient/http_fetcher.h"

namespace ctkit {
namespace {

// The host of an http(s) URL, lowercased: what lies between "://" and the first '/', ':', '?' or
// '#' (userinfo, which no list URL has, makes it no host at all).
std::string HostOf(const std::string& url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string::npos) return "";
  const size_t start = scheme + 3;
  const size_t end = url.find_first_of("/:?#", start);
  std::string host = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (host.find('@') != std::string::npos) return "";
  for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return host;
}

// The `.sig` beside a list URL: ".json" replaced, or "" when the URL does not end in ".json".
std::string SignatureUrl(const std::string& url) {
  if (!url.ends_with(".json")) return "";
  return url.substr(0, url.size() - 5) + ".sig";
}

// A log list named by URL: one GET (not retried: the monitor falls back to its snapshot at
// once), bounded by kMaxLogListBytes, and its signature as the header says. Every failing status
// is kNetwork; errors name the URL.
Result<std::string> FetchLogList(const std::string& url, const LogListLoadOptions& options) {
  HttpOptions http_options;
  http_options.max_response_bytes = kMaxLogListBytes;
  http_options.max_retries = 0;
  ASSIGN_OR_RETURN(std::unique_ptr<HttpFetcher> http,
                   HttpFetcher::Create(http_options, {.what = ""}));
  ASSIGN_OR_RETURN(std::string text, http->Get(url, /*not_found=*/{}));

  const bool required = options.require_signature.value_or(IsGoogleLogListUrl(url));
  const std::string sig_url = SignatureUrl(url);
  if (sig_url.empty()) {
    if (!required) return text;
    return MakeError(ErrorCode::kNetwork,
                     url +
                         ": no signature: a signed list's URL ends in .json, its signature "
                         "beside it in .sig");
  }
  Result<std::string> signature = http->Get(sig_url, {404}, kMaxLogListSignatureBytes);
  if (!signature) {
    if (signature.error().code != ErrorCode::kNotFound) {
      return MakeError(ErrorCode::kNetwork,
                       url + ": cannot fetch its signature: " + signature.error().message);
    }
    if (!required) return text;  // unsigned, from a URL that need not be signed
    return MakeError(ErrorCode::kNetwork, url + ": no signature (" + signature.error().message +
                                              "); a list from Google must be signed");
  }
  Result<void> verified = VerifyLogListSignature(text, AsBytes(*signature), options.signer_key_pem);
  if (!verified) {
    return MakeError(ErrorCode::kNetwork, url + ": " + verified.error().message + " (" + sig_url +
                                              "): the list is not used");
  }
  return text;
}

Result<std::string> ReadLogListFile(const std::string& path) {
  ASSIGN_OR_RETURN(Bytes data, ReadInputFile(path));
  return std::string(data.begin(), data.end());
}

}  // namespace

bool IsGoogleLogListUrl(const std::string& url) { return HostOf(url) == "www.gstatic.com"; }

bool IsPublishedLogListUrl(const std::string& url) {
  return IsGoogleLogListUrl(url) || HostOf(url) == "valid.apple.com";
}

Result<LogList> LoadLogList(const std::string& source) { return LoadLogListWith(source, {}); }

Result<LogList> LoadLogListWith(const std::string& source, const LogListLoadOptions& options) {
  if (source.empty()) return ParseDefaultLogList();
  const bool url = source.starts_with("http://") || source.starts_with("https://");
  ASSIGN_OR_RETURN(std::string text, url ? FetchLogList(source, options) : ReadLogListFile(source),
                   "--log-list");
  ASSIGN_OR_RETURN(LogList list, LogList::Parse(text), "--log-list " + source);
  if (!url || !options.merge_with_snapshots.value_or(IsPublishedLogListUrl(source))) return list;
  ASSIGN_OR_RETURN(std::vector<LogList> lists, ParseSnapshotLogLists());
  lists.insert(lists.begin(), std::move(list));
  return LogList::Merge(lists);
}

}  // namespace ctkit
