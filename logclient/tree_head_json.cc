#include "logclient/tree_head_json.h"

#include <cstdint>

#include "base/bytes.h"
#include "base/terminal_text.h"
#include "ct/rfc3339.h"

namespace ctkit {

using json = nlohmann::ordered_json;

json TreeHeadJson(const SignedTreeHead& head) { return json::parse(SthToJson(head)); }

std::string TreeHeadSummary(const SignedTreeHead& head) {
  return "size " + std::to_string(head.tree_size) + ", root " + Base64Encode(head.root_hash) +
         ", " + FormatRfc3339(static_cast<int64_t>(head.timestamp_ms));
}

json FetchedHeadJson(json out, const FetchedHead& fetched, bool tiles, const std::string& origin) {
  if (fetched.head) {
    out.update(TreeHeadJson(*fetched.head));
    out["timestamp_rfc3339"] = FormatRfc3339(static_cast<int64_t>(fetched.head->timestamp_ms));
  } else if (fetched.checkpoint) {
    out["tree_size"] = fetched.checkpoint->tree_size;
    out["sha256_root_hash"] = Base64Encode(fetched.checkpoint->root_hash);
  }
  if (tiles) {
    out["origin"] = origin;
    out["checkpoint"] = fetched.note;
  }
  out["verified"] = fetched.verified.has_value();
  if (!fetched.verified) out["error"] = fetched.verified.error().message;
  return out;
}

std::string FetchedHeadText(const std::string& url, const FetchedHead& fetched, bool tiles,
                            const std::string& origin) {
  std::string text = "log:        " + TerminalSafe(url) + "\n";
  if (tiles) text += "api:        static-ct-api (origin " + TerminalSafe(origin) + ")\n";
  if (fetched.head) {
    const SignedTreeHead& head = *fetched.head;
    text += "tree size:  " + std::to_string(head.tree_size) + "\n";
    text += "timestamp:  " + FormatRfc3339(static_cast<int64_t>(head.timestamp_ms)) + " (" +
            std::to_string(head.timestamp_ms) + ")\n";
    text += "root hash:  " + Base64Encode(head.root_hash) + "\n";
  } else if (fetched.checkpoint) {
    text += "tree size:  " + std::to_string(fetched.checkpoint->tree_size) + "\n";
    text += "root hash:  " + Base64Encode(fetched.checkpoint->root_hash) + "\n";
  }
  const Result<void>& verified = fetched.verified;
  std::string signature = verified ? "verified" : "INVALID: " + verified.error().message;
  return text + "signature:  " + TerminalSafe(signature) + "\n";
}

}  // namespace ctkit
