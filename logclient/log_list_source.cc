#include "logclient/log_list_source.h"

#include <memory>

#include "base/input_file.h"
#include "logclient/http_fetcher.h"

namespace ctkit {
namespace {

// A log list named by URL: one GET (not retried: the monitor falls back to its snapshot at
// once), bounded by kMaxLogListBytes. Every failing status is kNetwork; errors name the URL.
Result<std::string> FetchLogList(const std::string& url) {
  HttpOptions options;
  options.max_response_bytes = kMaxLogListBytes;
  options.max_retries = 0;
  ASSIGN_OR_RETURN(std::unique_ptr<HttpFetcher> http, HttpFetcher::Create(options, {.what = ""}));
  return http->Get(url, /*not_found=*/{});
}

Result<std::string> ReadLogListFile(const std::string& path) {
  ASSIGN_OR_RETURN(Bytes data, ReadInputFile(path));
  return std::string(data.begin(), data.end());
}

}  // namespace

Result<LogList> LoadLogList(const std::string& source) {
  if (source.empty()) return ParseDefaultLogList();
  const bool url = source.starts_with("http://") || source.starts_with("https://");
  ASSIGN_OR_RETURN(std::string text, url ? FetchLogList(source) : ReadLogListFile(source),
                   "--log-list");
  ASSIGN_OR_RETURN(LogList list, LogList::Parse(text), "--log-list " + source);
  return list;
}

}  // namespace ctkit
