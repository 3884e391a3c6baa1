#include "logclient/log_target_flags.h"

#include <memory>

#include "base/input_file.h"

namespace ctkit {
namespace {

Result<std::shared_ptr<const LogKey>> ReadKeyFlag(const std::string& path) {
  if (path.empty()) return nullptr;
  ASSIGN_OR_RETURN(Bytes data, ReadInputFile(path));
  ASSIGN_OR_RETURN(std::shared_ptr<const LogKey> key, ParseLogKeyFile(data), "--key " + path);
  return key;
}

}  // namespace

Result<LogEndpoint> ResolveLogFlags(const LogList& list, const LogTargetFlags& flags,
                                    bool need_key) {
  ASSIGN_OR_RETURN(std::shared_ptr<const LogKey> key, ReadKeyFlag(flags.key_file));
  const bool snapshot = flags.log_list.empty();
  const std::string which = snapshot ? " (the compiled-in snapshot; give --log-list)" : "";
  Result<LogEndpoint> endpoint = ResolveLogTarget(
      list,
      {.name = flags.log, .key = key, .origin = flags.origin, .force_static = flags.force_static});
  if (!endpoint && endpoint.error().code == ErrorCode::kNotFound) {
    return std::unexpected(
        Error{ErrorCode::kNotFound, "--log " + endpoint.error().message + which});
  }
  if (!endpoint && endpoint.error().code == ErrorCode::kInvalidArgument) {
    return std::unexpected(Error{ErrorCode::kInvalidArgument, "--log " + endpoint.error().message});
  }
  if (endpoint && need_key && !endpoint->key) {
    return std::unexpected(Error{ErrorCode::kNotFound, "no log with url " + endpoint->url +
                                                           " in the log list" + which +
                                                           (snapshot ? "; or give --key" : "")});
  }
  return endpoint;
}

}  // namespace ctkit
