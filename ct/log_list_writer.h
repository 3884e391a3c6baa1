// Writing a log list v3 (the schema ct/log_list.h reads) for logs you run yourself, so that
// local logs (`ctkit log serve`) can be trusted by ctkit exactly like public ones: by key, from a
// list, never ad hoc.

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/bytes.h"

namespace ctkit {

struct LogListEntry {
  std::string operator_name;
  std::string description;
  std::string url;  // RFC 6962 base URL, or the static-ct-api prefix (submission = monitoring)
  Bytes key_der;    // DER SubjectPublicKeyInfo
  uint64_t mmd_seconds = 86400;
  bool tiled = false;  // a static-ct-api log: listed under "tiled_logs"
};

// A list whose logs are all "usable" since a day before `now_ms`, timestamped `now_ms`; logs of
// one operator are grouped under it, in the order given.
std::string MakeLogListJson(const std::vector<LogListEntry>& logs, int64_t now_ms);

}  // namespace ctkit
