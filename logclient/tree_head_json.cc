#include "logclient/tree_head_json.h"

#include <cstdint>

#include "base/bytes.h"
#include "base/json_text.h"
#include "base/terminal_text.h"
#include "ct/json_input.h"
#include "ct/log_key.h"
#include "ct/rfc3339.h"

namespace ctkit {

using json = nlohmann::ordered_json;

json TreeHeadJson(const SignedTreeHead& head) {
  Result<Bytes> signature = EncodeDigitallySigned(head.signature);
  return {{"tree_size", head.tree_size},
          {"timestamp", head.timestamp_ms},
          {"root_hash", HexEncode(head.root_hash)},
          {"tree_head_signature", signature ? Base64Encode(*signature) : std::string()}};
}

Result<SignedTreeHead> ParseHeadJson(std::string_view text) {
  ASSIGN_OR_RETURN(nlohmann::json object, ParseJson(text));
  if (!object.is_object() || !object.contains("root_hash")) return ParseSthJson(text);
  if (object.contains("sha256_root_hash")) {
    return MakeError(ErrorCode::kMalformed, "both root_hash and sha256_root_hash");
  }
  const nlohmann::json& root = object["root_hash"];
  if (!root.is_string()) return MakeError(ErrorCode::kMalformed, "root_hash: not a string");
  ASSIGN_OR_RETURN(Bytes root_bytes, HexDecode(root.get<std::string>()), "root_hash");
  // The get-sth form of the same head, parsed by the one strict get-sth parser.
  object["sha256_root_hash"] = Base64Encode(root_bytes);
  object.erase("root_hash");
  return ParseSthJson(JsonCompact(object));
}

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
    out["root_hash"] = HexEncode(fetched.checkpoint->root_hash);
  }
  if (tiles) {
    out["origin"] = origin;
    out["checkpoint"] = fetched.note;
  }
  out["verified"] = fetched.verified.has_value();
  if (!fetched.verified) out["reason"] = fetched.verified.error().message;
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
