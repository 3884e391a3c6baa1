// MonitorStore: the monitor's SQLite database (WAL, one writer): the logs it tails and how far
// each is proven, every tree head it verified, findings (certificates for watched names), and
// alerts with their delivery state per sink.
//
//   std::unique_ptr<MonitorStore> store = *MonitorStore::Open("monitor.db");
//   int64_t log = *store->UpsertLog(info_id, url, description);
//   store->CommitChunk(batch);          // findings + alerts + new position, one transaction
//   for (const PendingDelivery& d : *store->PendingDeliveries(10)) ...
//
// The one rule: a log's position only moves together with the findings and alerts of the
// entries it covers (CommitChunk is one transaction), and only over entries proven to be in a
// verified tree head. So a kill -9 at any moment loses nothing (the chunk is fetched again) and
// duplicates nothing (findings are keyed by their deduplication hash and (log, index), alerts by
// a deduplication key). An alert is marked delivered after its sink accepted it, so a crash in
// between re-sends it once at most.

#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "ct/signed_tree_head.h"
#include "merkle/merkle_hash.h"
#include "storage/sqlite.h"

namespace ctkit {

// One log's row: identity and how far it is proven.
struct MonitoredLog {
  int64_t id = 0;
  Bytes log_id;  // RFC 6962 log ID (32 bytes)
  std::string url;
  std::string description;
  uint64_t verified_size = 0;          // entries [0, verified_size) processed and proven
  std::vector<MerkleHash> frontier;    // compact range over those entries (merkle/compact_range.h)
  std::optional<SignedTreeHead> head;  // the latest verified, consistent head
  int64_t head_received_ms = 0;
  int64_t last_success_ms = 0;  // last time its head was fetched and verified
  std::string last_error;       // empty after a success
  int64_t last_error_ms = 0;

  // Entries between the proven position and the latest verified head.
  uint64_t backlog() const {
    uint64_t tree_size = head ? head->tree_size : 0;
    return tree_size > verified_size ? tree_size - verified_size : 0;
  }
};

// Where a certificate was seen.
struct FindingEntry {
  std::string log;  // the log's URL
  uint64_t index = 0;
  std::string entry_type;  // "x509" or "precert"
  uint64_t timestamp_ms = 0;
};

// A certificate or precertificate for a watched name (or from an inventory). One per issuance:
// tbs_sha256 is the deduplication hash (ct/signed_entry.h DeduplicationTbsHash).
struct Finding {
  std::string tbs_sha256;  // hex
  std::string sha256;      // hex, of the certificate or precertificate first seen
  std::vector<std::string> names;
  std::vector<std::string> watch_items;
  std::string issuer;
  std::string serial;      // hex
  std::string not_before;  // RFC 3339
  std::string not_after;
  bool expected = false;
  std::vector<FindingEntry> entries;
  int64_t first_seen_ms = 0;
  Bytes certificate;  // DER of what was seen first (precertificates as the log served them)
};

// An alert to raise. `key` makes it unique: an alert with a key already stored is not raised
// again (e.g. "unexpected_cert:<tbs_sha256>").
struct NewAlert {
  std::string key;
  std::string event;
  std::string body_json;  // {"event", "summary", ...}: what the sinks receive
  Bytes certificate;      // optional DER for hook scripts
};

// An entry whose bytes did not parse, kept raw as evidence; or that could not be read at all
// (leaf_input and extra_data empty, the error says why), kept by its leaf hash.
struct MalformedEntry {
  uint64_t index = 0;
  Bytes leaf_input;
  Bytes extra_data;
  std::string error;
  MerkleHash leaf_hash{};  // proven in the log's tree with the chunk that holds it
};

// Everything a proven chunk of one log changes, committed together.
struct ChunkCommit {
  int64_t log = 0;
  uint64_t new_verified_size = 0;
  std::vector<MerkleHash> new_frontier;
  std::vector<Finding> findings;  // each with exactly one entry: the one in this chunk
  std::vector<MalformedEntry> malformed;
  std::vector<NewAlert> alerts;
};

struct PendingDelivery {
  int64_t alert_id = 0;
  std::string sink;
  std::string body_json;
  Bytes certificate;
  int attempts = 0;
  int64_t updated_ms = 0;  // of the last attempt (0: never tried)
};

// Where a page of PendingDeliveries ends: the (alert, sink) of its last delivery.
struct DeliveryCursor {
  int64_t alert_id = 0;
  std::string sink;
};

struct StoredAlert {
  int64_t id = 0;
  std::string event;
  std::string body_json;
  int64_t created_ms = 0;
};

// Attempts at delivering one alert to one sink before it counts as failed (given up). With the
// daemon's backoff between attempts (MonitorDaemon::DeliverPending) that is about 8 hours.
inline constexpr int kMaxDeliveryAttempts = 20;

// Alerts not delivered to one sink: pending (attempts left, retried), of which `retrying` were
// tried and failed at least once, and failed (gave up).
struct SinkDeliveries {
  std::string sink;
  int64_t pending = 0;
  int64_t retrying = 0;
  int64_t failed = 0;
};

// Counts for monitoring (/metrics).
struct FindingCounts {
  int64_t expected = 0;
  int64_t unexpected = 0;
};

// How far behind a log's position is in the log's own time (/metrics lag in seconds).
struct HeadCoverage {
  // Timestamp of the newest verified head whose tree the position has reached; 0 when none.
  int64_t reached_timestamp_ms = 0;
  // When the first verified head of the log was received; 0 when there is none.
  int64_t first_received_ms = 0;
};

struct FindingQuery {
  std::string domain;  // findings with a name equal to it or under it; empty: all
  bool unexpected_only = false;
  size_t limit = 0;  // 0: no limit
};

class MonitorStore {
 public:
  // Thread-safe: every method holds the store's lock (tailers of several logs share one store).
  static Result<std::unique_ptr<MonitorStore>> Open(const std::string& path);

  // The log's row, created on first sight. `log_id` identifies it; url and description are
  // updated to the given ones (a log list may move a log).
  Result<int64_t> UpsertLog(ByteSpan log_id, const std::string& url,
                            const std::string& description);
  Result<MonitoredLog> GetLog(int64_t log);
  Result<std::vector<MonitoredLog>> AllLogs();

  // Records a verified head as the log's latest (kept forever, as evidence).
  Result<void> AddVerifiedHead(int64_t log, const SignedTreeHead& head, int64_t now_ms);
  // Records a head that failed a check (bad consistency), kept as evidence, never used.
  Result<void> AddRejectedHead(int64_t log, const SignedTreeHead& head, int64_t now_ms,
                               const std::string& reason);
  Result<size_t> CountHeads(int64_t log);

  Result<void> RecordSuccess(int64_t log, int64_t now_ms);
  Result<void> RecordError(int64_t log, const std::string& error, int64_t now_ms);

  // Raises alerts outside a chunk (log misbehaviour, broken promises). Returns how many were new.
  Result<size_t> AddAlerts(const std::vector<NewAlert>& alerts, int64_t now_ms);

  // Commits a proven chunk: findings merged by tbs_sha256 (a new log entry is added to an
  // existing finding), malformed entries, alerts (new keys only) with one pending delivery per
  // sink, and the log's new position. Fails (changing nothing) if the log is not at the
  // position the chunk starts from: two writers must never interleave. Returns how many of the
  // chunk's alerts were new.
  Result<size_t> CommitChunk(const ChunkCommit& chunk, uint64_t expected_verified_size,
                             int64_t now_ms);

  // Sinks alerts are delivered to; new alerts get a pending delivery for each.
  void SetSinks(std::vector<std::string> sinks);

  // Undelivered deliveries with attempts left, in (alert, sink) order, at most `limit` of them
  // and only those after `after` (the last one of the previous page): memory stays bounded
  // however many alerts a long outage of a sink piled up.
  Result<std::vector<PendingDelivery>> PendingDeliveries(int max_attempts, size_t limit = 256,
                                                         const DeliveryCursor& after = {});
  Result<void> MarkDelivered(int64_t alert_id, const std::string& sink, int64_t now_ms);
  Result<void> MarkDeliveryFailed(int64_t alert_id, const std::string& sink,
                                  const std::string& error, int64_t now_ms);
  // (pending, failed) deliveries: failed = attempts exhausted.
  Result<std::pair<int64_t, int64_t>> DeliveryCounts(int max_attempts);
  // The same per sink, for sinks with at least one undelivered alert, by sink name.
  Result<std::vector<SinkDeliveries>> UndeliveredBySink(int max_attempts);

  Result<std::vector<Finding>> QueryFindings(const FindingQuery& query);
  Result<std::optional<Finding>> FindingByTbs(const std::string& tbs_sha256);
  // Whether the finding with this deduplication hash was seen in the log.
  Result<bool> SeenInLog(const std::string& tbs_sha256, int64_t log);
  Result<std::vector<StoredAlert>> Alerts(size_t limit);
  Result<size_t> CountMalformed(int64_t log);

  // Read-only summaries for the HTTP side (monitor/monitor_http.h).
  Result<FindingCounts> CountFindings();
  // Stored alerts per event name, sorted by name.
  Result<std::vector<std::pair<std::string, int64_t>>> CountAlertsByEvent();
  Result<HeadCoverage> CoverageOf(int64_t log, uint64_t position);

 private:
  explicit MonitorStore(SqliteDatabase db) : db_(std::move(db)) {}
  Result<std::vector<Finding>> LoadFindings(SqliteStatement& select);
  Result<void> InsertAlert(const NewAlert& alert, int64_t now_ms, size_t* inserted);
  Result<void> MergeFinding(const Finding& finding, int64_t log);

  std::mutex mutex_;
  SqliteDatabase db_;
  std::vector<std::string> sinks_;
};

}  // namespace ctkit
