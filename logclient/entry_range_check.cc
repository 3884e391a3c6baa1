#include "logclient/entry_range_check.h"

#include <string>

#include "logclient/tree_head_evidence.h"

namespace ctkit {

Result<void> CheckEntryRange(LogReader& reader, const LogEndpoint& endpoint, uint64_t end) {
  ASSIGN_OR_RETURN(FetchedHead fetched, FetchHead(reader, endpoint));
  if ((endpoint.key || (!fetched.head && !fetched.checkpoint)) && !fetched.verified) {
    return std::unexpected(Error{ErrorCode::kVerificationFailed, fetched.verified.error().message});
  }
  const uint64_t size = fetched.head         ? fetched.head->tree_size
                        : fetched.checkpoint ? fetched.checkpoint->tree_size
                                             : 0;
  if (end < size) return {};
  return std::unexpected(
      Error{ErrorCode::kInvalidArgument,
            "--end " + std::to_string(end) + " is past the log's tree: " +
                (size == 0 ? "it is empty (tree size 0)"
                           : "its tree size is " + std::to_string(size) +
                                 ", so the last entry is " + std::to_string(size - 1))});
}

}  // namespace ctkit
