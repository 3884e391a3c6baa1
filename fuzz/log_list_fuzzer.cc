// libFuzzer target: LogList::Parse on arbitrary bytes must return a list or an error, never
// crash, hang or read out of bounds; a list it accepts must be self-consistent.
//
// Built by fuzz/CMakeLists.txt (`make fuzz`); seeds: testdata/loglist/ and testdata/fuzz/log_list/.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "base/sha256.h"
#include "ct/log_list.h"
#include "ct/rfc3339.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  // Short inputs double as time arguments (RFC 3339 or Unix seconds): the result must be in range
  // and survive a format/parse round trip.
  if (size <= 64) {
    ctkit::Result<int64_t> time = ctkit::ParseTimeArgument(text);
    if (time) {
      if (*time < ctkit::kMinRfc3339Ms || *time > ctkit::kMaxRfc3339Ms) std::abort();
      if (ctkit::ParseRfc3339(ctkit::FormatRfc3339(*time)) != *time) std::abort();
    }
  }

  ctkit::Result<ctkit::LogList> list = ctkit::LogList::Parse(text);
  if (!list) {
    if (list.error().message.empty()) std::abort();
    return 0;
  }
  for (const ctkit::LogInfo& log : list->logs()) {
    // Every accepted log is found under its id, and its id is its key's hash.
    if (list->FindLog(log.log_id) != &log) std::abort();
    if (ctkit::Sha256(log.key_der) != log.log_id) std::abort();
    if (log.operator_index >= list->operators().size()) std::abort();
    (void)list->OperatorAt(log, 0);
    (void)ctkit::LogList::IsCtQualifiedAt(log, list->timestamp_ms());
  }
  (void)list->StalenessWarning(list->timestamp_ms());
  return 0;
}
