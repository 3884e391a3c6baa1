// LogTailer: follows one CT log and proves every entry it reads.
//
//   LogTailer tailer(store, log_row, reader, log_info, matcher, expectations, options);
//   Result<SyncReport> report = tailer.SyncOnce(stop);  // head, consistency, catch up to it
//
// One round (SyncOnce):
// 1. Fetch the log's head; its signature is verified by the reader (RFC 6962 §3.5). A head that
//    does not verify is a log_misbehaviour alert.
// 2. Prove it consistent with the last head stored (RFC 6962 §2.1.2); a head that is not (a fork
//    or a shrinking tree) is kept as evidence, raised as log_misbehaviour with both heads, and
//    not used.
// 3. Read entries from the proven position up to the head in chunks. Each chunk is hashed into a
//    copy of the log's compact range; the range's root must then be the head's root (last
//    chunk) or be proven consistent with it by a consistency proof from the chunk's end (RFC 6962
//    §2.1.2, the log's own proof checked against our root). Only then are the chunk's findings,
//    alerts and the new position committed, in one transaction. A chunk that does not prove is
//    a log_misbehaviour alert and nothing of it is kept: matches wait in memory ("pending") until
//    their chunk is proven, so a log serving bogus entries can neither trigger nor suppress
//    alerts.
// 4. Check the SCT promises of inventory certificates for this log (MMD plus a grace period).
//
// Entries that do not parse raise malformed_cert with the raw entry stored; they are never
// skipped silently. An entry that cannot be read within the caps (too large even alone:
// monitor/batch_prefetcher.h) is got past by its leaf hash, learned from
// the log's proofs without its bytes (LogReader::LeafHashWithoutEntry) and proven with its
// chunk like any other; it is stored by index and leaf hash and raises malformed_cert saying it
// could not be read. So one hostile entry cannot hide the entries after it.

#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "base/error.h"
#include "logclient/log_reader.h"
#include "merkle/compact_range.h"
#include "monitor/expectations.h"
#include "monitor/monitor_store.h"

namespace ctkit {

// The watch items (e.g. ".example.com") a certificate's names match; empty when none.
using NameMatcher = std::function<std::vector<std::string>(std::span<const std::string> names)>;

struct TailerOptions {
  uint64_t chunk_size = 16384;       // entries proven and committed together
  bool start_at_end = false;         // a log seen for the first time starts at its current head
  int64_t sct_grace_ms = 3'600'000;  // after MMD, before an SCT whose entry is missing alerts
  uint64_t mmd_seconds = 86400;      // the log's maximum merge delay (from the log list)
  uint64_t download_slice = 1024;    // entries one download thread fetches at a time
  // Readers (each its own connection) that download entries in parallel; empty: the tailer's
  // own reader downloads on one background thread.
  std::vector<LogReader*> download_readers;
  // Also alert on certificates an inventory expects (event expected_cert), as certspotter
  // alerts on every certificate it finds (--alert-expected).
  bool alert_expected = false;
};

struct SyncProgress {
  uint64_t position = 0;   // entries proven
  uint64_t tree_size = 0;  // of the head being caught up to
  uint64_t entries_this_round = 0;
};

struct SyncReport {
  SignedTreeHead head;
  uint64_t entries_processed = 0;
  uint64_t findings = 0;
  uint64_t alerts = 0;      // new alerts raised this round
  bool caught_up = false;   // position == head.tree_size at the end
  uint64_t unreadable = 0;  // entries got past by their leaf hash alone
};

// More unreadable entries than this in one round end the round with an error (the log's
// get-entries is broken, not one entry); the next round goes on from the proven position. One
// static-ct-api data tile's worth, which a single over-cap tile makes unreadable.
inline constexpr uint64_t kMaxUnreadablePerRound = 256;

class LogTailer {
 public:
  LogTailer(MonitorStore& store, int64_t log_row, std::string log_url, LogReader& reader,
            const NameMatcher& matcher, const Expectations& expectations, LogId log_id,
            TailerOptions options);

  // One round as above. Stops between batches when `stop` becomes true (then caught_up is
  // false). Errors: kNetwork and kMalformed from the log (recorded on the log's row, retried next
  // round), kVerificationFailed for misbehaviour (alert raised), storage errors.
  Result<SyncReport> SyncOnce(const std::atomic<bool>& stop,
                              const std::function<void(const SyncProgress&)>& on_progress = {});

  // New alerts this tailer stored, failed rounds included (a misbehaving log fails its round).
  uint64_t alerts_raised() const { return alerts_raised_; }

 private:
  using ProgressCallback = std::function<void(const SyncProgress&)>;
  class EntryFeed;  // the round's entries in order, downloaded ahead (log_tailer.cc)
  struct Chunk;     // entries [start, end) read but not yet proven (log_tailer.cc)

  // The steps of SyncOnce, in order; each says in log_tailer.cc what it guarantees.
  // Step 1, the head (RFC 6962 §3.5, §2.1.2).
  Result<SignedTreeHead> FetchAndCheckHead(const MonitoredLog& state);
  Error BadHeadSignature(Error failure);
  Error InconsistentHeads(const SignedTreeHead& previous, const SignedTreeHead& head,
                          Error failure);
  // Step 2, the range to read (RFC 6962 §2.1).
  Result<CompactRange> StartingRange(const MonitoredLog& state, const SignedTreeHead& head);
  Result<std::vector<MerkleHash>> StartAtEnd(const SignedTreeHead& head);
  // Step 3, chunk by chunk: read, prove (RFC 6962 §2.1.2), commit.
  Result<bool> ReadChunk(const SignedTreeHead& head, EntryFeed& feed, Chunk& chunk,
                         SyncReport& report, const ProgressCallback& on_progress);
  void ProcessEntry(const LogEntry& entry, ChunkCommit& chunk, int64_t now_ms);
  Result<void> PassUnreadable(const LogEntry& entry, const SignedTreeHead& head,
                              CompactRange& range, ChunkCommit& chunk, SyncReport& report);
  Result<void> ProveChunk(const SignedTreeHead& head, const Chunk& chunk, SyncReport& report);
  Error EntriesNotInTree(const SignedTreeHead& head, const Chunk& chunk, const MerkleHash& root,
                         const Error& failure, SyncReport& report);
  Result<void> CommitProvenChunk(Chunk& chunk, CompactRange& proven, SyncReport& report);
  // Step 4, the SCT promises of the inventory.
  Result<void> CheckSctPromises(const SignedTreeHead& head, int64_t now_ms, SyncReport& report);

  Result<void> Raise(std::vector<NewAlert> alerts, SyncReport& report);
  // `error`, the round's failure, recorded as the log's last error (MonitoredLog::last_error,
  // shown by /healthz); when the database cannot record it, the error says so too.
  Error Recorded(Error error);
  // `result` as it is, its error (a failure of the log, not of the database) Recorded.
  template <typename T>
  Result<T> RecordFailure(Result<T> result);

  MonitorStore& store_;
  int64_t log_row_;
  std::string log_url_;
  LogReader& reader_;
  const NameMatcher& matcher_;
  const Expectations& expectations_;
  LogId log_id_;
  TailerOptions options_;
  uint64_t alerts_raised_ = 0;
};

}  // namespace ctkit
