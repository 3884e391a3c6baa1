#include "logclient/tree_head_evidence.h"

#include <utility>

#include "base/input_file.h"
#include "logclient/log_client.h"
#include "logclient/static_log_client.h"
#include "logclient/tree_head_json.h"

namespace ctkit {
namespace {

// The checkpoint a note carries, if it parses as one.
std::optional<Checkpoint> CheckpointOf(std::string_view note) {
  Result<SignedNote> parsed = ParseSignedNote(note);
  if (!parsed) return std::nullopt;
  Result<Checkpoint> checkpoint = ParseCheckpointText(parsed->text);
  if (!checkpoint) return std::nullopt;
  return *checkpoint;
}

// A checkpoint verified under the endpoint's key and origin (the expected one, else the one it
// names).
Result<SignedTreeHead> VerifyCheckpointNote(std::string_view note, const LogEndpoint& endpoint) {
  if (!endpoint.key) {
    return MakeError(ErrorCode::kInvalidArgument, "no key to verify the checkpoint under");
  }
  std::string origin = endpoint.origin;
  if (origin.empty()) {
    std::optional<Checkpoint> checkpoint = CheckpointOf(note);
    if (checkpoint) origin = checkpoint->origin;
  }
  return VerifyCheckpoint(note, origin, *endpoint.key);
}

Result<FetchedHead> FetchCheckpoint(StaticLogClient& client, const LogEndpoint& endpoint) {
  FetchedHead fetched;
  ASSIGN_OR_RETURN(fetched.note, client.GetCheckpointNote());
  fetched.checkpoint = CheckpointOf(fetched.note);
  Result<SignedTreeHead> head = VerifyCheckpointNote(fetched.note, endpoint);
  if (head) {
    fetched.head = *head;
  } else {
    fetched.verified =
        std::unexpected(WithContext(head.error(), "log " + client.base_url() + "checkpoint"));
  }
  return fetched;
}

}  // namespace

Result<FetchedHead> FetchHead(LogReader& reader, const LogEndpoint& endpoint) {
  if (auto* tiles = dynamic_cast<StaticLogClient*>(&reader)) {
    return FetchCheckpoint(*tiles, endpoint);
  }
  FetchedHead fetched;
  if (auto* client = dynamic_cast<LogClient*>(&reader); client != nullptr) {
    // Fetched unverified, then verified here, so a head with a bad signature can still be shown.
    ASSIGN_OR_RETURN(fetched.head, client->GetUnverifiedSth());
    fetched.verified = endpoint.key ? VerifySignedTreeHead(*fetched.head, *endpoint.key)
                                    : MakeError(ErrorCode::kInvalidArgument,
                                                "no key to verify the tree head under");
  } else {
    ASSIGN_OR_RETURN(fetched.head, reader.GetSth());
  }
  return fetched;
}

std::string SavedHeadText(const FetchedHead& fetched) {
  if (!fetched.note.empty()) return fetched.note;
  return fetched.head ? SthToJson(*fetched.head) + "\n" : "";
}

Result<SignedTreeHead> ParseSavedHead(std::string_view text, const LogEndpoint& endpoint,
                                      const std::string& name) {
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first != std::string_view::npos && text[first] == '{') {
    ASSIGN_OR_RETURN(SignedTreeHead head, ParseHeadJson(text), name);
    return head;
  }
  ASSIGN_OR_RETURN(SignedTreeHead head, VerifyCheckpointNote(text, endpoint),
                   name + " (checkpoint)");
  return head;
}

Result<SignedTreeHead> ReadSavedHead(const std::string& flag, const std::string& path,
                                     const LogEndpoint& endpoint) {
  ASSIGN_OR_RETURN(Bytes data, ReadInputFile(path), flag);
  std::string_view text(reinterpret_cast<const char*>(data.data()), data.size());
  return ParseSavedHead(text, endpoint, flag + " " + path);
}

}  // namespace ctkit
