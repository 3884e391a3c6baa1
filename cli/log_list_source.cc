#include "cli/log_list_source.h"

#include "cli/command.h"
#include "cli/input.h"
#include "ct/http_get.h"

namespace ctkit::cli {

Result<LogList> LoadLogList(const std::string& source) {
  if (source.empty()) return ParseDefaultLogList();
  Result<Bytes> data;
  if (source.rfind("http://", 0) == 0 || source.rfind("https://", 0) == 0) {
    data = HttpGet(source, {.max_bytes = kMaxLogListBytes});
  } else {
    data = ReadInputFile(source);
  }
  if (!data) return std::unexpected(WithContext(data.error(), "--log-list"));
  Result<LogList> list =
      LogList::Parse(std::string_view(reinterpret_cast<const char*>(data->data()), data->size()));
  if (!list) return std::unexpected(WithContext(list.error(), "--log-list " + source));
  return list;
}

int LogListLoadExitCode(const Error& error) {
  return error.code == ErrorCode::kNetwork ? kExitLogFailure : kExitUsage;
}

}  // namespace ctkit::cli
