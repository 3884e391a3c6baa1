// Whether a log has the entries START..END (END inclusive) someone asks it for, checked against
// its head before any entry is read, the same over RFC 6962 and static-ct-api: asking past the
// tree is the asker's mistake, said with the tree size, not a log failure half way through
// (`ctkit log entries`, exit 2).
//
//   RETURN_IF_ERROR(CheckEntryRange(*reader, endpoint, end));
//   ... reader->GetEntriesBatch(start, end) ...

#pragma once

#include <cstdint>

#include "base/error.h"
#include "logclient/log_reader.h"
#include "logclient/log_target.h"

namespace ctkit {

// Fetches the head of `reader` (opened for `endpoint`; logclient/tree_head_evidence.h FetchHead)
// and checks that entry `end` is in its tree. Errors: FetchHead's; kVerificationFailed when the
// head does not verify under a known key, or there is no head at all to go by (a static log's
// checkpoint that does not parse); kInvalidArgument "--end N is past the log's tree: ..." naming
// the tree size and its last entry.
Result<void> CheckEntryRange(LogReader& reader, const LogEndpoint& endpoint, uint64_t end);

}  // namespace ctkit
