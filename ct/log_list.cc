#include "ct/log_list.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "ct/json_input.h"
#include "ct/log_list_snapshot.h"
#include "ct/rfc3339.h"

namespace ctkit {
namespace {

using nlohmann::json;

std::string Child(const std::string& path, std::string_view field) {
  return path.empty() ? std::string(field) : path + "." + std::string(field);
}

std::string Element(const std::string& path, size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

// The top level has the empty path; errors there read "log list: ...".
std::string Where(const std::string& path) { return path.empty() ? "log list" : path; }

std::unexpected<Error> Fault(const std::string& path, const std::string& what) {
  return MakeError(ErrorCode::kMalformed, Where(path) + ": " + what);
}

// Required string field; errors read "<path>: missing field \"x\"".
Result<std::string> RequiredString(const json& object, const std::string& path,
                                   const std::string& field) {
  ASSIGN_OR_RETURN(std::string value, JsonString(object, field), Where(path));
  return value;
}

Result<std::string> RequiredNonEmptyString(const json& object, const std::string& path,
                                           const std::string& field) {
  Result<std::string> value = RequiredString(object, path, field);
  if (value && value->empty()) return Fault(Child(path, field), "must not be empty");
  return value;
}

// Optional string field: "" when absent; wrong types are still errors.
Result<std::string> OptionalString(const json& object, const std::string& path,
                                   const std::string& field) {
  if (!object.contains(field)) return std::string();
  return RequiredString(object, path, field);
}

Result<uint64_t> RequiredUint(const json& object, const std::string& path,
                              const std::string& field) {
  ASSIGN_OR_RETURN(uint64_t value, JsonUint(object, field), Where(path));
  return value;
}

Result<int64_t> RequiredTimestamp(const json& object, const std::string& path,
                                  const std::string& field) {
  ASSIGN_OR_RETURN(std::string text, RequiredString(object, path, field));
  ASSIGN_OR_RETURN(int64_t ms, ParseRfc3339(text), Child(path, field));
  return ms;
}

Result<Bytes> RequiredBase64(const json& object, const std::string& path,
                             const std::string& field) {
  ASSIGN_OR_RETURN(std::string text, RequiredString(object, path, field));
  Result<Bytes> bytes = Base64Decode(text);
  if (!bytes) {
    return std::unexpected(WithContext(bytes.error(), Child(path, field) + ": bad base64"));
  }
  return bytes;
}

// A member that must be an array when present; nullptr when absent.
Result<const json*> OptionalArray(const json& object, const std::string& path,
                                  const std::string& field) {
  if (!object.contains(field)) return static_cast<const json*>(nullptr);
  const json& value = object.at(field);
  if (!value.is_array()) return Fault(Child(path, field), "not an array");
  return &value;
}

Result<const json*> RequiredArray(const json& object, const std::string& path,
                                  const std::string& field) {
  if (!object.contains(field)) {
    return Fault(path, "missing field \"" + field + "\"");
  }
  return OptionalArray(object, path, field);
}

Result<FinalTreeHead> ParseFinalTreeHead(const json& state, const std::string& path) {
  if (!state.contains("final_tree_head")) {
    return Fault(path, "readonly state needs \"final_tree_head\"");
  }
  const json& head = state.at("final_tree_head");
  const std::string head_path = Child(path, "final_tree_head");
  if (!head.is_object()) return Fault(head_path, "not an object");
  FinalTreeHead result;
  ASSIGN_OR_RETURN(Bytes root, RequiredBase64(head, head_path, "sha256_root_hash"));
  if (root.size() != kSha256Size) {
    return Fault(Child(head_path, "sha256_root_hash"),
                 "is " + std::to_string(root.size()) + " bytes, not 32");
  }
  std::copy(root.begin(), root.end(), result.sha256_root_hash.begin());
  ASSIGN_OR_RETURN(uint64_t size, RequiredUint(head, head_path, "tree_size"));
  result.tree_size = size;
  return result;
}

Result<LogStateEntry> ParseState(const json& state, const std::string& path) {
  if (!state.is_object()) return Fault(path, "not an object");
  if (state.size() != 1) {
    return Fault(path,
                 "must hold exactly one of pending, qualified, usable, readonly, retired, "
                 "rejected; has " +
                     std::to_string(state.size()) + " members");
  }
  static const std::pair<std::string_view, LogState> kStates[] = {
      {"pending", LogState::kPending}, {"qualified", LogState::kQualified},
      {"usable", LogState::kUsable},   {"readonly", LogState::kReadOnly},
      {"retired", LogState::kRetired}, {"rejected", LogState::kRejected},
  };
  const std::string& name = state.begin().key();
  auto found = std::find_if(std::begin(kStates), std::end(kStates),
                            [&](const auto& entry) { return entry.first == name; });
  if (found == std::end(kStates)) return Fault(path, "unknown state " + QuoteUntrusted(name));
  const json& body = state.begin().value();
  const std::string body_path = Child(path, name);
  if (!body.is_object()) return Fault(body_path, "not an object");
  LogStateEntry entry;
  entry.state = found->second;
  ASSIGN_OR_RETURN(int64_t since, RequiredTimestamp(body, body_path, "timestamp"));
  entry.since_ms = since;
  if (entry.state == LogState::kReadOnly) {
    ASSIGN_OR_RETURN(FinalTreeHead head, ParseFinalTreeHead(body, body_path));
    entry.final_tree_head = head;
  }
  return entry;
}

Result<TemporalInterval> ParseTemporalInterval(const json& value, const std::string& path) {
  if (!value.is_object()) return Fault(path, "not an object");
  TemporalInterval interval;
  ASSIGN_OR_RETURN(int64_t start, RequiredTimestamp(value, path, "start_inclusive"));
  ASSIGN_OR_RETURN(int64_t end, RequiredTimestamp(value, path, "end_exclusive"));
  if (end <= start) return Fault(path, "end_exclusive is not after start_inclusive");
  interval.start_inclusive_ms = start;
  interval.end_exclusive_ms = end;
  return interval;
}

Result<std::vector<PreviousOperator>> ParsePreviousOperators(const json& array,
                                                             const std::string& path) {
  if (array.size() > kMaxPreviousOperators) {
    return Fault(path, "more than " + std::to_string(kMaxPreviousOperators) + " entries");
  }
  std::vector<PreviousOperator> result;
  for (size_t i = 0; i < array.size(); ++i) {
    const std::string item_path = Element(path, i);
    const json& item = array[i];
    if (!item.is_object()) return Fault(item_path, "not an object");
    PreviousOperator previous;
    Result<std::string> name = RequiredNonEmptyString(item, item_path, "name");
    if (!name) return std::unexpected(name.error());
    previous.name = std::move(*name);
    ASSIGN_OR_RETURN(int64_t end, RequiredTimestamp(item, item_path, "end_time"));
    previous.end_time_ms = end;
    result.push_back(std::move(previous));
  }
  std::stable_sort(result.begin(), result.end(),
                   [](const auto& a, const auto& b) { return a.end_time_ms < b.end_time_ms; });
  return result;
}

// RFC 6962 logs and tiled logs share every field but their URLs.
Result<LogInfo> ParseLog(const json& value, const std::string& path, LogApi api) {
  if (!value.is_object()) return Fault(path, "not an object");
  LogInfo log;
  log.api = api;

  Result<std::string> description = OptionalString(value, path, "description");
  if (!description) return std::unexpected(description.error());
  log.description = std::move(*description);

  ASSIGN_OR_RETURN(Bytes key, RequiredBase64(value, path, "key"));
  if (key.empty()) return Fault(Child(path, "key"), "is empty");
  if (key.size() > kMaxLogKeyBytes) {
    return Fault(Child(path, "key"), "longer than " + std::to_string(kMaxLogKeyBytes) + " bytes");
  }
  log.key_der = std::move(key);

  ASSIGN_OR_RETURN(Bytes id, RequiredBase64(value, path, "log_id"));
  if (id.size() != log.log_id.size()) {
    return Fault(Child(path, "log_id"), "is " + std::to_string(id.size()) + " bytes, not 32");
  }
  std::copy(id.begin(), id.end(), log.log_id.begin());
  // RFC 6962 §3.2: log_id is SHA-256 of the key. Refusing a mismatch keeps every id-to-key lookup
  // honest (see log_list.h).
  if (Sha256(log.key_der) != log.log_id) {
    return Fault(Child(path, "log_id"), "is not SHA-256 of \"key\" (the key hashes to " +
                                            Base64Encode(Sha256(log.key_der)) + ")");
  }

  if (api == LogApi::kRfc6962) {
    Result<std::string> url = RequiredNonEmptyString(value, path, "url");
    if (!url) return std::unexpected(url.error());
    log.url = std::move(*url);
  } else {
    ASSIGN_OR_RETURN(std::string submission, RequiredNonEmptyString(value, path, "submission_url"));
    log.submission_url = std::move(submission);
    ASSIGN_OR_RETURN(std::string monitoring, RequiredNonEmptyString(value, path, "monitoring_url"));
    log.monitoring_url = std::move(monitoring);
  }
  for (const std::string* url : {&log.url, &log.submission_url, &log.monitoring_url}) {
    if (!url->empty() && !url->starts_with("https://") && !url->starts_with("http://")) {
      return Fault(path, "URL " + QuoteUntrusted(*url) + " is not http:// or https://");
    }
  }

  ASSIGN_OR_RETURN(uint64_t mmd, RequiredUint(value, path, "mmd"));
  log.mmd_seconds = mmd;

  if (value.contains("state")) {
    Result<LogStateEntry> state = ParseState(value.at("state"), Child(path, "state"));
    if (!state) return std::unexpected(state.error());
    log.state = *state;
  }
  if (value.contains("temporal_interval")) {
    Result<TemporalInterval> interval =
        ParseTemporalInterval(value.at("temporal_interval"), Child(path, "temporal_interval"));
    if (!interval) return std::unexpected(interval.error());
    log.temporal_interval = *interval;
  }
  ASSIGN_OR_RETURN(const json* previous, OptionalArray(value, path, "previous_operators"));
  if (previous != nullptr) {
    Result<std::vector<PreviousOperator>> parsed =
        ParsePreviousOperators(*previous, Child(path, "previous_operators"));
    if (!parsed) return std::unexpected(parsed.error());
    log.previous_operators = std::move(*parsed);
  }
  Result<std::string> log_type = OptionalString(value, path, "log_type");
  if (!log_type) return std::unexpected(log_type.error());
  log.log_type = std::move(*log_type);
  return log;
}

Result<std::vector<std::string>> ParseEmails(const json& object, const std::string& path) {
  ASSIGN_OR_RETURN(const json* array, RequiredArray(object, path, "email"));
  std::vector<std::string> emails;
  for (size_t i = 0; i < (array)->size(); ++i) {
    const json& item = (*array)[i];
    if (!item.is_string()) return Fault(Element(Child(path, "email"), i), "not a string");
    emails.push_back(item.get<std::string>());
  }
  return emails;
}

}  // namespace

std::string_view LogStateName(LogState state) {
  switch (state) {
    case LogState::kPending:
      return "pending";
    case LogState::kQualified:
      return "qualified";
    case LogState::kUsable:
      return "usable";
    case LogState::kReadOnly:
      return "readonly";
    case LogState::kRetired:
      return "retired";
    case LogState::kRejected:
      return "rejected";
  }
  return "unknown";
}

Result<LogList> LogList::Parse(std::string_view text) {
  if (text.size() > kMaxLogListBytes) {
    return MakeError(ErrorCode::kMalformed,
                     "log list is larger than " + std::to_string(kMaxLogListBytes) + " bytes");
  }
  ASSIGN_OR_RETURN(json parsed, ParseJson(text), "log list");
  const json& root = parsed;
  if (!root.is_object()) return MakeError(ErrorCode::kMalformed, "log list: not a JSON object");

  LogList list;
  // Apple's schema requires both asset versions; Google's has neither (see log_list.h).
  const bool apple = root.contains("assetVersion") || root.contains("assetVersionV2");
  const LogListVendor vendor = apple ? LogListVendor::kApple : LogListVendor::kGoogle;
  ASSIGN_OR_RETURN(std::string version, OptionalString(root, "", "version"));
  list.version_ = std::move(version);
  if (!apple || root.contains("log_list_timestamp")) {
    ASSIGN_OR_RETURN(int64_t timestamp, RequiredTimestamp(root, "", "log_list_timestamp"));
    list.timestamp_ms_ = timestamp;
  }

  ASSIGN_OR_RETURN(const json* operators, RequiredArray(root, "", "operators"));
  if ((operators)->size() > kMaxLogOperators) {
    return Fault("operators", "more than " + std::to_string(kMaxLogOperators) + " operators");
  }
  std::set<std::string> operator_names;
  for (size_t op = 0; op < (operators)->size(); ++op) {
    const json& entry = (*operators)[op];
    const std::string op_path = Element("operators", op);
    if (!entry.is_object()) return Fault(op_path, "not an object");
    LogOperator log_operator;
    Result<std::string> name = RequiredNonEmptyString(entry, op_path, "name");
    if (!name) return std::unexpected(name.error());
    // Operator distinctness is what the policies count; two entries of one name would be one
    // operator counted twice.
    if (!operator_names.insert(*name).second) {
      return Fault(Child(op_path, "name"),
                   QuoteUntrusted(*name) + " names an earlier operator too");
    }
    log_operator.name = std::move(*name);
    Result<std::vector<std::string>> emails = ParseEmails(entry, op_path);
    if (!emails) return std::unexpected(emails.error());
    log_operator.emails = std::move(*emails);

    ASSIGN_OR_RETURN(const json* logs, RequiredArray(entry, op_path, "logs"));
    ASSIGN_OR_RETURN(const json* tiled, OptionalArray(entry, op_path, "tiled_logs"));
    const std::pair<const json*, LogApi> arrays[] = {{logs, LogApi::kRfc6962},
                                                     {tiled, LogApi::kStaticCtApi}};
    for (const auto& [array, api] : arrays) {
      if (array == nullptr) continue;
      const std::string array_path =
          Child(op_path, api == LogApi::kRfc6962 ? "logs" : "tiled_logs");
      if (list.logs_.size() + array->size() > kMaxLogsInList) {
        return Fault(array_path,
                     "the list has more than " + std::to_string(kMaxLogsInList) + " logs");
      }
      for (size_t i = 0; i < array->size(); ++i) {
        const std::string log_path = Element(array_path, i);
        ASSIGN_OR_RETURN(LogInfo log, ParseLog((*array)[i], log_path, api));
        log.operator_index = list.operators_.size();
        if (!list.index_by_id_.emplace(log.log_id, list.logs_.size()).second) {
          return Fault(Child(log_path, "log_id"),
                       Base64Encode(log.log_id) + " is listed more than once");
        }
        list.logs_.push_back(std::move(log));
      }
    }
    list.operators_.push_back(std::move(log_operator));
  }
  if (apple && !root.contains("log_list_timestamp")) {
    // Apple's list is dated by the newest state in it: it is at least that new.
    bool dated = false;
    for (const LogInfo& log : list.logs_) {
      if (!log.state) continue;
      list.timestamp_ms_ =
          dated ? std::max(list.timestamp_ms_, log.state->since_ms) : log.state->since_ms;
      dated = true;
    }
    if (!dated) {
      return Fault("",
                   "an Apple list without \"log_list_timestamp\" needs a log with a state "
                   "to be dated by");
    }
  }
  list.origins_.push_back(
      {.vendor = vendor, .version = list.version_, .timestamp_ms = list.timestamp_ms_});
  return list;
}

LogList LogList::MergeLogs(std::vector<const LogList*> lists) {
  // Newest first; std::stable_sort keeps the given order between lists of one time.
  std::stable_sort(lists.begin(), lists.end(), [](const LogList* a, const LogList* b) {
    return a->timestamp_ms_ > b->timestamp_ms_;
  });
  LogList merged;
  if (lists.empty()) return merged;
  merged.version_ = lists.front()->version_;
  merged.timestamp_ms_ = lists.front()->timestamp_ms_;
  std::map<std::string, size_t, std::less<>> operator_by_name;
  for (const LogList* list : lists) {
    merged.origins_.insert(merged.origins_.end(), list->origins_.begin(), list->origins_.end());
    // Operators by name, emails joined; a list's operator index becomes the merged one.
    std::vector<size_t> operator_index(list->operators_.size());
    for (size_t i = 0; i < list->operators_.size(); ++i) {
      const LogOperator& source = list->operators_[i];
      auto [it, added] = operator_by_name.emplace(source.name, merged.operators_.size());
      if (added) {
        merged.operators_.push_back(source);
      } else {
        std::vector<std::string>& emails = merged.operators_[it->second].emails;
        for (const std::string& email : source.emails) {
          if (std::find(emails.begin(), emails.end(), email) == emails.end()) {
            emails.push_back(email);
          }
        }
      }
      operator_index[i] = it->second;
    }
    for (const LogInfo& log : list->logs_) {
      // An older list's entry for a log already taken from a newer list is dropped whole.
      if (!merged.index_by_id_.emplace(log.log_id, merged.logs_.size()).second) continue;
      LogInfo copy = log;
      copy.operator_index = operator_index[log.operator_index];
      merged.logs_.push_back(std::move(copy));
    }
  }
  std::stable_sort(merged.origins_.begin(), merged.origins_.end(),
                   [](const LogListOrigin& a, const LogListOrigin& b) {
                     return a.timestamp_ms > b.timestamp_ms;
                   });
  return merged;
}

LogList LogList::Merge(const std::vector<LogList>& lists) {
  std::vector<const LogList*> all;
  for (const LogList& list : lists) all.push_back(&list);
  LogList merged = MergeLogs(all);
  const auto has = [](const LogList& list, LogListVendor vendor) {
    return std::any_of(list.origins_.begin(), list.origins_.end(),
                       [&](const LogListOrigin& origin) { return origin.vendor == vendor; });
  };
  if (!has(merged, LogListVendor::kGoogle) || !has(merged, LogListVendor::kApple)) return merged;
  for (LogListVendor vendor : {LogListVendor::kGoogle, LogListVendor::kApple}) {
    std::vector<const LogList*> own;
    for (const LogList& list : lists) {
      if (has(list, vendor)) own.push_back(&list.ForVendor(vendor));
    }
    auto view = std::make_shared<const LogList>(MergeLogs(std::move(own)));
    (vendor == LogListVendor::kGoogle ? merged.google_ : merged.apple_) = std::move(view);
  }
  return merged;
}

const LogList& LogList::ForVendor(LogListVendor vendor) const {
  const std::shared_ptr<const LogList>& view = vendor == LogListVendor::kGoogle ? google_ : apple_;
  return view ? *view : *this;
}

std::string LogList::Describe() const {
  std::string out;
  for (const LogListOrigin& origin : origins_) {
    if (!out.empty()) out += " + ";
    out += LogListVendorName(origin.vendor);
    out += origin.version.empty() ? " list" : " v" + origin.version;
    out += " of " + FormatRfc3339(origin.timestamp_ms);
  }
  return out;
}

const LogInfo* LogList::FindLog(ByteSpan log_id) const {
  LogId id;
  if (log_id.size() != id.size()) return nullptr;
  std::copy(log_id.begin(), log_id.end(), id.begin());
  auto found = index_by_id_.find(id);
  return found == index_by_id_.end() ? nullptr : &logs_[found->second];
}

namespace {

std::string_view WithoutSlash(std::string_view url) {
  return url.ends_with('/') ? url.substr(0, url.size() - 1) : url;
}

bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

LogNameMatch MatchLogName(const LogInfo& log, std::string_view name) {
  if (name.empty()) return LogNameMatch::kNone;
  const std::string_view url = WithoutSlash(name);
  for (const std::string* candidate : {&log.url, &log.monitoring_url, &log.submission_url}) {
    if (!candidate->empty() && WithoutSlash(*candidate) == url) return LogNameMatch::kUrl;
  }
  if (EqualsIgnoringAsciiCase(log.description, name)) return LogNameMatch::kDescription;
  if (Base64Encode(log.log_id) == name) return LogNameMatch::kLogId;
  return LogNameMatch::kNone;
}

std::vector<const LogInfo*> LogList::FindByName(std::string_view name) const {
  std::vector<const LogInfo*> found;
  for (const LogInfo& log : logs_) {
    if (MatchLogName(log, name) != LogNameMatch::kNone) found.push_back(&log);
  }
  return found;
}

std::string_view LogList::OperatorAt(const LogInfo& log, int64_t time_ms) const {
  for (const PreviousOperator& previous : log.previous_operators) {
    if (time_ms < previous.end_time_ms) return previous.name;
  }
  return operators_.at(log.operator_index).name;
}

std::optional<LogState> LogList::StateAt(const LogInfo& log, int64_t time_ms) {
  if (!log.state || time_ms < log.state->since_ms) return std::nullopt;
  return log.state->state;
}

bool LogList::IsCtQualifiedAt(const LogInfo& log, int64_t time_ms) {
  std::optional<LogState> state = StateAt(log, time_ms);
  return state == LogState::kQualified || state == LogState::kUsable ||
         state == LogState::kReadOnly;
}

std::optional<std::string> LogList::StalenessWarning(int64_t now_ms) const {
  if (now_ms - timestamp_ms_ < kLogListMaxAgeMs) return std::nullopt;
  const int64_t days = AgeDays(now_ms);
  std::string name = version_.empty() ? "log list" : "log list v" + version_;
  name += " of " + FormatRfc3339(timestamp_ms_);
  if (origins_.size() > 1) name += " (the newest of " + Describe() + ")";
  return name + " is " + std::to_string(days) + " days old at " + FormatRfc3339(now_ms) +
         "; Chrome stops enforcing CT with a list 70 days old or more, so policy results may "
         "not match what browsers do; refresh it with --log-list " +
         std::string(kGoogleAllLogsListUrl) + " or --log-list FILE holding a newer list";
}

std::string_view LogListVendorName(LogListVendor vendor) {
  return vendor == LogListVendor::kApple ? "Apple" : "Google";
}

Result<std::vector<LogList>> ParseSnapshotLogLists() {
  std::vector<LogList> lists;
  for (const LogListSnapshotFile& file : LogListSnapshotFiles()) {
    ASSIGN_OR_RETURN(LogList list, LogList::Parse(file.json),
                     "compiled-in log list " + std::string(file.source));
    lists.push_back(std::move(list));
  }
  return lists;
}

Result<LogList> ParseDefaultLogList() {
  ASSIGN_OR_RETURN(std::vector<LogList> lists, ParseSnapshotLogLists());
  return LogList::Merge(lists);
}

}  // namespace ctkit
