// The fast path for get-entries bodies (RFC 6962 §4.6), the bulk of what a monitor downloads.
//
// Logs answer get-entries in one canonical shape:
//   {"entries":[{"leaf_input":"<base64>","extra_data":"<base64>"},...]}
// with optional JSON whitespace. ScanCanonicalGetEntries reads exactly that shape in one pass,
// decoding base64 straight from the body, without building a JSON tree. Anything else (escapes
// such as "\/", other keys, a key twice, numbers, bad base64, a bound exceeded) makes it return
// nothing, and the caller parses the body with the general JSON parser
// (ParseGetEntriesResponse), which accepts every valid body and names the field of any error.
// So the scanner never decides that a body is wrong, and whatever it accepts, the general parser
// would have accepted with the same result (tests/logclient/get_entries_scanner_test.cc checks both
// on the same inputs).

#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <vector>

#include "logclient/log_client_json.h"

namespace ctkit {

// The entries of a canonical get-entries body with at most `max_entries` items, each field
// within kMaxLeafInputBytes / kMaxExtraDataBytes; nullopt when the body is not in that form.
std::optional<std::vector<RawLogEntry>> ScanCanonicalGetEntries(std::string_view body,
                                                                size_t max_entries);

}  // namespace ctkit
