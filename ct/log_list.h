// CT log lists: Google's schema v3 (https://www.gstatic.com/ct/log_list/v3/log_list_schema.json),
// `log_list.json` (the logs Chrome uses) and `all_logs_list.json` (every log ever listed), and
// Apple's `current_log_list.json` (https://valid.apple.com/ct/log_list/, schema v4/v5), which has
// the same shape.
//
//   { "version": "53.34", "log_list_timestamp": "2025-05-05T12:54:12Z",
//     "operators": [ { "name": "Google", "email": ["..."],
//                      "logs": [ <RFC 6962 log, with "url"> ... ],
//                      "tiled_logs": [ <static-ct-api log, with "submission_url" and
//                                       "monitoring_url"> ... ] } ] }
//
// A log has `description`, `log_id` (base64 SHA-256 of `key`), `key` (base64 DER
// SubjectPublicKeyInfo), `mmd` (seconds), and optionally `state` (exactly one of pending,
// qualified, usable, readonly, retired, rejected, each with the `timestamp` it was entered;
// readonly adds `final_tree_head`), `temporal_interval`, `previous_operators` and `log_type`.
//
// Apple's list differs in these ways (read from the real list, testdata/loglist/apple_*.json):
//   - it is recognised by `assetVersion` / `assetVersionV2` at the top (Apple's schema requires
//     both; Google's has neither); `version` is Apple's list version ("511");
//   - it has no `log_list_timestamp`: its time is the newest state `timestamp` in it (the list is
//     at least that new), and a list without any state is refused;
//   - each state object also carries the list `version` it was entered in (ignored);
//   - tiled logs carry `tls_only` (ignored: ctkit does not act on it);
//   - operator names are Apple's ("IPng GmbH" where Google says "IPng Networks"), and there are no
//     `previous_operators`;
//   - it uses the same state names (in the list of 2026-03: pending, usable, readonly and
//     rejected; logs that Google's v53.34 lists as retired, Apple lists as rejected).
//
// The list is untrusted input. Parse() rejects, with the JSON path of the fault, anything that
// does not fit the schema, and every count is bounded. Unknown fields are ignored (the schema
// grows). Two decisions worth knowing:
//   - A log whose `log_id` is not SHA-256 of its decoded `key` rejects the whole list, as does a
//     log_id listed twice. Flagging and keeping the entry would let a lookup by id find a key
//     that does not hash to that id, i.e. trust a key under someone else's name; and a list that
//     is wrong about one id is not one to take policy decisions from.
//   - Google's `log_list_timestamp` is required (the schema leaves it optional): without it the
//     list's age, and so Chrome's 70-day enforcement timeout, cannot be judged. `version` is
//     optional.
//
// Merging lists (LogList::Merge; the compiled-in default is Google's v89.25, Apple's list and
// Google's v53.34 merged, ct/log_list_snapshot.h): the merged list holds every log of every list,
// by log ID, so no key any of them knows is lost. A log listed by several is taken whole (state,
// URLs, operator, interval) from the newest list that lists it, by each list's time
// (log_list_timestamp, or Apple's as above; on a tie the list given first). Because Chrome and
// Apple each judge by their own list, a merge of lists from both vendors also keeps each vendor's
// own merge (ForVendor): the Chrome policy reads Google's states and operators, the Apple policy
// Apple's (ct/ct_policy.h).
//
// Keys are kept as DER bytes; ct/log_key.h parses them.

#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "base/sha256.h"

namespace ctkit {

// RFC 6962 §3.2: the SHA-256 of the log's DER SubjectPublicKeyInfo (same alias as ct/log_key.h).
using LogId = std::array<uint8_t, 32>;

// The log lifecycle of Chrome's CT Log Lifecycle Explainer (log_states.md):
//   Pending -> Qualified -> Usable -> ReadOnly -> Retired, and Rejected from any state.
enum class LogState { kPending, kQualified, kUsable, kReadOnly, kRetired, kRejected };

// "pending", "qualified", ... as spelled in the list.
std::string_view LogStateName(LogState state);

// Which API a log speaks; fixed by the array it is listed in.
enum class LogApi {
  kRfc6962,      // "logs": RFC 6962 §4 HTTP API at `url`
  kStaticCtApi,  // "tiled_logs": C2SP static-ct-api, `submission_url` + `monitoring_url`
};

struct FinalTreeHead {
  uint64_t tree_size = 0;
  Sha256Digest sha256_root_hash{};
};

struct LogStateEntry {
  LogState state = LogState::kPending;
  int64_t since_ms = 0;                          // when the log entered `state`
  std::optional<FinalTreeHead> final_tree_head;  // readonly only (required there)
};

// The log accepts certificates expiring in [start_inclusive_ms, end_exclusive_ms).
struct TemporalInterval {
  int64_t start_inclusive_ms = 0;
  int64_t end_exclusive_ms = 0;
};

// The log was run by `name` until `end_time_ms` (exclusive).
struct PreviousOperator {
  std::string name;
  int64_t end_time_ms = 0;
};

struct LogInfo {
  std::string description;
  LogId log_id{};
  Bytes key_der;  // DER SubjectPublicKeyInfo; SHA-256(key_der) == log_id (checked)
  LogApi api = LogApi::kRfc6962;
  std::string url;             // kRfc6962
  std::string submission_url;  // kStaticCtApi
  std::string monitoring_url;  // kStaticCtApi
  uint64_t mmd_seconds = 0;
  std::optional<LogStateEntry> state;  // absent for test and monitoring-only logs
  std::optional<TemporalInterval> temporal_interval;
  std::vector<PreviousOperator> previous_operators;  // sorted by end_time_ms
  std::string log_type;                              // "" when absent; e.g. "test"
  size_t operator_index = 0;                         // into LogList::operators()
};

// Whose list a list is (Parse tells them apart, see the file comment).
enum class LogListVendor { kGoogle, kApple };
// "Google", "Apple".
std::string_view LogListVendorName(LogListVendor vendor);

// One list that went into a LogList: itself, or each list of a merge.
struct LogListOrigin {
  LogListVendor vendor = LogListVendor::kGoogle;
  std::string version;
  int64_t timestamp_ms = 0;
};

struct LogOperator {
  std::string name;
  std::vector<std::string> emails;
};

// How a person names a log (the CLI's --log, the monitor's --config): by URL, with or without
// the trailing slash (an RFC 6962 log's `url`; a tiled log's `monitoring_url` or
// `submission_url`), by `description` ignoring ASCII case, or by base64 `log_id`. Values rise
// with the strength of the match, so a URL entry wins over a description entry for one log.
enum class LogNameMatch { kNone, kLogId, kDescription, kUrl };
LogNameMatch MatchLogName(const LogInfo& log, std::string_view name);

// Bounds on what Parse() accepts; the public lists are far below them (21 operators, 181 logs).
inline constexpr size_t kMaxLogListBytes = 16 * 1024 * 1024;
inline constexpr size_t kMaxLogOperators = 1000;
inline constexpr size_t kMaxLogsInList = 10000;
inline constexpr size_t kMaxLogKeyBytes = 4096;
inline constexpr size_t kMaxPreviousOperators = 100;

// Chrome CT policy, "CT Enforcement Timeout" (googlechrome.github.io/CertificateTransparency/
// ct_policy.html, as of 2025): Chrome enforces CT only while its freshest log list's
// log_list_timestamp is less than 70 days old.
inline constexpr int64_t kLogListMaxAgeMs = int64_t{70} * 86400 * 1000;

// Google's complete list, which the staleness warning names as the way to refresh.
inline constexpr const char* kGoogleAllLogsListUrl =
    "https://www.gstatic.com/ct/log_list/v3/all_logs_list.json";

class LogList {
 public:
  // Parses and checks a Google v3 or an Apple log list (see the file comment). Errors name the
  // JSON path: "operators[2].logs[5].log_id: not SHA-256 of key".
  static Result<LogList> Parse(std::string_view json);

  // The lists merged by log ID, as the file comment says; `lists` empty gives an empty list. The
  // result's version and time are those of the newest list, its origins those of every list,
  // newest first.
  static LogList Merge(const std::vector<LogList>& lists);

  const std::string& version() const { return version_; }  // "" when absent; a merge's newest
  int64_t timestamp_ms() const { return timestamp_ms_; }   // log_list_timestamp; a merge's newest
  // The lists this one was made of: one for a parsed list, newest first for a merge.
  const std::vector<LogListOrigin>& origins() const { return origins_; }
  // "Google v89.25 of 2026-08-20T13:34:57Z + Apple v511 of 2026-03-30T19:10:05Z": the origins.
  std::string Describe() const;
  // The merge of `vendor`'s own lists within this merge, which is what that vendor's CT policy
  // judges by; this list itself when it holds lists of one vendor only (a single list, say a
  // --log-list FILE, serves both policies).
  const LogList& ForVendor(LogListVendor vendor) const;
  const std::vector<LogOperator>& operators() const { return operators_; }
  // RFC 6962 logs first in list order, then tiled logs in list order, per operator (in a merge:
  // per list, newest list first).
  const std::vector<LogInfo>& logs() const { return logs_; }

  // The log with this id, or nullptr (also for a span that is not 32 bytes).
  const LogInfo* FindLog(ByteSpan log_id) const;

  // The logs `name` names (MatchLogName): most often one; a description can be shared.
  std::vector<const LogInfo*> FindByName(std::string_view name) const;

  // The log's operator at `time_ms`: the first previous operator whose end_time is after
  // `time_ms`, else the operator the log is listed under. Chrome's CT policy determines "each
  // SCT's log operator ... at the time of SCT issuance, by comparing the SCT timestamp against
  // the previous_operators timestamps".
  std::string_view OperatorAt(const LogInfo& log, int64_t time_ms) const;

  // What the list says about the log's state at `time_ms`. The list records only the latest
  // state and when it was entered, so:
  //   - at or after that timestamp, the state is the listed one;
  //   - before it, the log was in some earlier lifecycle state the list does not name (a log
  //     "usable since T" was Pending or Qualified before T, and a "rejected" log may have been
  //     anything), so the answer is nullopt;
  //   - a log without a `state` object has no known state: nullopt.
  // Policy code treats nullopt as "not trusted then", the safe reading.
  static std::optional<LogState> StateAt(const LogInfo& log, int64_t time_ms);

  // Chrome's "Qualified, Usable, or ReadOnly at the time of check" (Chrome CT policy, "CT
  // Compliant Certificates"): the states in which a log's SCTs count without condition.
  static bool IsCtQualifiedAt(const LogInfo& log, int64_t time_ms);

  // A warning line when the list (a merge: its newest list) is 70 days old or more at `now_ms`
  // (kLogListMaxAgeMs: Chrome then stops enforcing CT with it), saying how to refresh it, else
  // nullopt. It concerns policy verdicts only: a command says it once per run, and not when it
  // judges by no policy (docs/ctkit.md, "Log lists").
  std::optional<std::string> StalenessWarning(int64_t now_ms) const;
  // Whole days from log_list_timestamp to `now_ms`.
  int64_t AgeDays(int64_t now_ms) const {
    return (now_ms - timestamp_ms_) / (int64_t{86400} * 1000);
  }

 private:
  // The logs of `lists` by log ID, each from the newest list that has it; no vendor views.
  static LogList MergeLogs(std::vector<const LogList*> lists);

  std::string version_;
  int64_t timestamp_ms_ = 0;
  std::vector<LogOperator> operators_;
  std::vector<LogInfo> logs_;
  std::map<LogId, size_t> index_by_id_;
  std::vector<LogListOrigin> origins_;
  // For a merge of both vendors' lists: each vendor's own merge (ForVendor); else null.
  std::shared_ptr<const LogList> google_;
  std::shared_ptr<const LogList> apple_;
};

// The compiled-in snapshots (ct/log_list_snapshot.h), each parsed, in their compiled-in order.
// Fails only if a snapshot is broken, which the tests rule out.
Result<std::vector<LogList>> ParseSnapshotLogLists();

// The compiled-in default: the snapshots merged (LogList::Merge).
Result<LogList> ParseDefaultLogList();

}  // namespace ctkit
