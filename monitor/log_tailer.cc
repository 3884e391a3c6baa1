#include "monitor/log_tailer.h"

#include <algorithm>

#include "base/bytes.h"
#include "base/clock.h"
#include "ct/rfc3339.h"
#include "merkle/compact_range.h"
#include "merkle/merkle_verify.h"
#include "monitor/alerts.h"
#include "monitor/batch_prefetcher.h"
#include "monitor/entry_certificate.h"

namespace ctkit {
namespace {

nlohmann::ordered_json SignedHeadToJson(const SignedTreeHead& head) {
  nlohmann::ordered_json json = TreeHeadToJson(head);
  json["tree_head_signature"] = Base64Encode(head.signature.signature);
  return json;
}

std::string HeadKey(const SignedTreeHead& head) {
  return std::to_string(head.tree_size) + ":" + HexEncode(head.root_hash);
}

}  // namespace

LogTailer::LogTailer(MonitorStore& store, int64_t log_row, std::string log_url, LogReader& reader,
                     const NameMatcher& matcher, const Expectations& expectations, LogId log_id,
                     TailerOptions options)
    : store_(store),
      log_row_(log_row),
      log_url_(std::move(log_url)),
      reader_(reader),
      matcher_(matcher),
      expectations_(expectations),
      log_id_(log_id),
      options_(options) {
  if (options_.chunk_size == 0) options_.chunk_size = 1;
}

Result<void> LogTailer::Raise(std::vector<NewAlert> alerts, SyncReport& report) {
  ASSIGN_OR_RETURN(size_t added, store_.AddAlerts(alerts, UnixNowMs()));
  report.alerts += added;
  alerts_raised_ += added;
  return {};
}

namespace {

// `error`, which the round returns, naming also a storage step on its path that failed: a
// database that cannot keep an alert or a head is never silent (docs/architecture.md).
Error AlsoFailed(Error error, const Result<void>& step, const std::string& what) {
  if (!step) error.message += "; " + what + " failed too: " + step.error().message;
  return error;
}

}  // namespace

Error LogTailer::Recorded(Error error) {
  if (Result<void> recorded = store_.RecordError(log_row_, error.message, UnixNowMs()); !recorded) {
    return AlsoFailed(std::move(error), recorded, "recording it in the database");
  }
  return error;
}

// Step 1 (RFC 6962 §3.5, §2.1.2): the head this round catches up to. Its signature was verified
// by the reader under the log list's key; it is the stored head, or a larger one proven
// consistent with it (then stored as verified), or, when the log answers with a smaller head
// that the stored one extends (a stale frontend), the stored one. A head that fails either check
// is a log_misbehaviour alert and an error; nothing else of it is used.
Result<SignedTreeHead> LogTailer::FetchAndCheckHead(const MonitoredLog& state) {
  Result<SignedTreeHead> head = reader_.GetSth();
  if (!head) {
    if (head.error().code == ErrorCode::kVerificationFailed) {
      return std::unexpected(BadHeadSignature(head.error()));
    }
    return head;
  }
  if (!state.head) {
    RETURN_IF_ERROR(store_.AddVerifiedHead(log_row_, *head, UnixNowMs()));
    return head;
  }
  const SignedTreeHead& previous = *state.head;
  if (*head == previous) return head;
  // A smaller head may be a stale answer from a load-balanced frontend: fine when the larger
  // one we hold extends it, and we keep following the larger one.
  bool stale = head->tree_size < previous.tree_size;
  Result<void> consistent = stale ? reader_.VerifyConsistencyBetween(*head, previous)
                                  : reader_.VerifyConsistencyBetween(previous, *head);
  if (!consistent) {
    if (consistent.error().code != ErrorCode::kVerificationFailed) {
      return std::unexpected(consistent.error());
    }
    return std::unexpected(InconsistentHeads(previous, *head, consistent.error()));
  }
  if (stale) return previous;
  RETURN_IF_ERROR(store_.AddVerifiedHead(log_row_, *head, UnixNowMs()));
  return head;
}

// A head whose signature does not verify: the log_misbehaviour alert raised, `failure` returned.
// The head itself is not returned when its signature fails; the error names it.
Error LogTailer::BadHeadSignature(Error failure) {
  SyncReport ignored;
  Result<void> raised =
      Raise({LogMisbehaviourAlert(log_url_, "bad_tree_head_signature",
                                  "tree head signature does not verify: " + failure.message,
                                  {{"error", failure.message}}, failure.message)},
            ignored);
  return AlsoFailed(std::move(failure), raised, "storing its alert");
}

// Two heads that no consistency proof joins (a fork or a split view): `head` kept as a rejected
// head (evidence), the log_misbehaviour alert raised with both heads, `failure` returned.
Error LogTailer::InconsistentHeads(const SignedTreeHead& previous, const SignedTreeHead& head,
                                   Error failure) {
  int64_t now = UnixNowMs();
  Result<void> kept = store_.AddRejectedHead(log_row_, head, now, "inconsistent");
  nlohmann::ordered_json evidence = {{"previous_head", SignedHeadToJson(previous)},
                                     {"new_head", SignedHeadToJson(head)},
                                     {"error", failure.message}};
  SyncReport ignored;
  Result<void> raised = Raise(
      {LogMisbehaviourAlert(log_url_, "inconsistent_tree_heads",
                            "tree head of size " + std::to_string(head.tree_size) +
                                " is not consistent with the earlier head of size " +
                                std::to_string(previous.tree_size) + " (a fork or split view)",
                            std::move(evidence), HeadKey(previous) + ":" + HeadKey(head))},
      ignored);
  Error error = AlsoFailed(std::move(failure), kept, "storing the rejected head");
  return AlsoFailed(std::move(error), raised, "storing its alert");
}

// The frontier of the tree of head.tree_size, from the audit path of its last leaf: that path
// holds only left siblings, which are exactly the frontier of the tree before the leaf (RFC 6962
// §2.1.1). Appending the leaf must give the head's root, which proves the frontier.
Result<std::vector<MerkleHash>> LogTailer::StartAtEnd(const SignedTreeHead& head) {
  uint64_t last = head.tree_size - 1;
  ASSIGN_OR_RETURN(EntryAndProof proof, reader_.GetEntryAndProof(last, head.tree_size));
  std::vector<MerkleHash> frontier(proof.audit_path.rbegin(), proof.audit_path.rend());
  Result<CompactRange> range = CompactRange::FromFrontier(last, std::move(frontier));
  if (!range) {
    return MakeError(ErrorCode::kVerificationFailed,
                     "log " + log_url_ + ": audit path of the last leaf does not fit a tree of " +
                         std::to_string(last) + " leaves");
  }
  range->Append(proof.entry.leaf_hash);
  if (range->Root() != head.root_hash) {
    return MakeError(ErrorCode::kVerificationFailed,
                     "log " + log_url_ +
                         ": last leaf and its audit path do not give the root of "
                         "the head of size " +
                         std::to_string(head.tree_size));
  }
  return range->frontier();
}

void LogTailer::ProcessEntry(const LogEntry& entry, ChunkCommit& chunk, int64_t now_ms) {
  Result<EntryCertificate> cert = CertificateFromEntry(entry);
  if (!cert) {
    chunk.malformed.push_back({.index = entry.index,
                               .leaf_input = entry.leaf_input,
                               .extra_data = entry.extra_data,
                               .error = cert.error().message,
                               .leaf_hash = entry.leaf_hash});
    chunk.alerts.push_back(MalformedCertAlert(log_url_, entry.index, cert.error().message,
                                              Base64Encode(entry.leaf_input),
                                              Base64Encode(entry.extra_data), entry.leaf_hash));
    return;
  }
  std::vector<std::string> watch_items = matcher_(cert->names);
  bool inventory_name = false;
  if (!expectations_.empty()) {
    inventory_name = std::any_of(cert->names.begin(), cert->names.end(),
                                 [&](const std::string& n) { return expectations_.HasName(n); });
  }
  if (watch_items.empty() && !inventory_name) return;
  AddFingerprints(*cert, entry);
  std::string tbs_hex = HexEncode(cert->tbs_sha256);
  std::string sha_hex = cert->served_der.empty() ? "" : HexEncode(cert->sha256);
  const InventoryRecord* record = expectations_.Find(tbs_hex, sha_hex);
  if (watch_items.empty() && record == nullptr) return;  // an inventory name on someone else's cert

  Finding finding{.tbs_sha256 = tbs_hex,
                  .sha256 = sha_hex,
                  .names = cert->names,
                  .watch_items = std::move(watch_items),
                  .issuer = cert->view.issuer(),
                  .serial = cert->view.serial_hex(),
                  .not_before = FormatRfc3339(cert->view.not_before() * 1000),
                  .not_after = FormatRfc3339(cert->view.not_after() * 1000),
                  .expected = record != nullptr,
                  .entries = {{.log = log_url_,
                               .index = entry.index,
                               .entry_type = cert->precertificate ? "precert" : "x509",
                               .timestamp_ms = entry.entry.timestamp_ms}},
                  .first_seen_ms = now_ms,
                  .certificate = cert->served_der};
  const AlertCertificate details = AlertCertificateOf(*cert, entry);
  if (record == nullptr) {
    chunk.alerts.push_back(UnexpectedCertAlert(finding, &details));
  } else if (!record->ct_logging) {
    chunk.alerts.push_back(OptOutLoggedAlert(finding, &details));
  } else if (options_.alert_expected && !finding.watch_items.empty()) {
    chunk.alerts.push_back(ExpectedCertAlert(finding, &details));
  }
  chunk.findings.push_back(std::move(finding));
}

Result<void> LogTailer::PassUnreadable(const LogEntry& entry, const SignedTreeHead& head,
                                       CompactRange& range, ChunkCommit& chunk,
                                       SyncReport& report) {
  std::string where = "log " + log_url_ + ": entry " + std::to_string(entry.index);
  if (++report.unreadable > kMaxUnreadablePerRound) {
    return MakeError(ErrorCode::kMalformed,
                     where + " could not be read, the " + std::to_string(report.unreadable) +
                         "th this round; reading on next round (" + entry.parse_error + ")");
  }
  ASSIGN_OR_RETURN(MerkleHash leaf_hash, reader_.LeafHashWithoutEntry(entry.index, head),
                   where + " could not be read (" + entry.parse_error +
                       "), nor its leaf hash learned from the log's proofs");
  // Unproven until the chunk's root is: a wrong hash fails the chunk like a wrong entry.
  range.Append(leaf_hash);
  chunk.malformed.push_back({.index = entry.index,
                             .error = "could not be read: " + entry.parse_error,
                             .leaf_hash = leaf_hash});
  chunk.alerts.push_back(UnreadableEntryAlert(log_url_, entry.index, leaf_hash, entry.parse_error));
  return {};
}

Result<void> LogTailer::CheckSctPromises(const SignedTreeHead& head, int64_t now_ms,
                                         SyncReport& report) {
  std::vector<NewAlert> broken;
  for (const InventoryRecord& record : expectations_.records()) {
    if (!record.ct_logging) continue;
    for (const InventorySct& sct : record.scts) {
      if (sct.log_id != log_id_) continue;
      uint64_t deadline = sct.timestamp_ms + options_.mmd_seconds * 1000 +
                          static_cast<uint64_t>(std::max<int64_t>(options_.sct_grace_ms, 0));
      if (head.timestamp_ms < deadline) continue;  // the log may still merge it
      ASSIGN_OR_RETURN(bool seen, store_.SeenInLog(record.tbs_sha256, log_row_));
      if (!seen) broken.push_back(SctPromiseBrokenAlert(log_url_, record, sct.timestamp_ms, head));
    }
  }
  (void)now_ms;
  if (broken.empty()) return {};
  return Raise(std::move(broken), report);
}

// The round's entries in index order, from one prefetcher for the whole way to the head, so
// downloads run on across chunk boundaries while a chunk is being proven and committed. A batch
// may run past a chunk's end; its rest opens the next chunk.
class LogTailer::EntryFeed {
 public:
  EntryFeed(std::vector<LogReader*> downloaders, uint64_t start, uint64_t end, uint64_t slice,
            const std::atomic<bool>& stop)
      : prefetcher_(std::move(downloaders), start, end, slice), stop_(stop) {}

  // The next entry, valid until the next call; nullptr when `stop` was set, which is looked at
  // only between batches.
  Result<const LogEntry*> Next() {
    if (pos_ == batch_.size()) {
      if (stop_.load()) return nullptr;
      prefetcher_.Recycle(std::move(batch_));  // freed by the thread that fetched it
      batch_.clear();
      ASSIGN_OR_RETURN(batch_, prefetcher_.Next());
      if (batch_.empty()) {
        return MakeError(ErrorCode::kInternal, "prefetcher ended before the head");
      }
      pos_ = 0;
    }
    return &batch_[pos_++];
  }

  // The entry Next() returned last was the last of its batch.
  bool AtBatchEnd() const { return pos_ == batch_.size(); }

 private:
  BatchPrefetcher prefetcher_;
  const std::atomic<bool>& stop_;
  std::vector<LogEntry> batch_;  // the batch being consumed
  size_t pos_ = 0;
};

// Entries [start, end) of the log: their leaf hashes appended to a copy of the proven range,
// their findings, alerts and malformed entries gathered in `commit`. Nothing of it is stored, and
// nothing of it counts, until ProveChunk has proven `range` part of the head's tree.
struct LogTailer::Chunk {
  uint64_t start = 0;
  uint64_t end = 0;  // exclusive
  CompactRange range;
  ChunkCommit commit;
};

template <typename T>
Result<T> LogTailer::RecordFailure(Result<T> result) {
  if (!result) return std::unexpected(Recorded(std::move(result).error()));
  return result;
}

// The steps below are the round of log_tailer.h, in order. A failure of the log (its answers, its
// proofs, its misbehaviour) is Recorded on the log's row; a failure of the database is returned
// as it is.
Result<SyncReport> LogTailer::SyncOnce(const std::atomic<bool>& stop,
                                       const ProgressCallback& on_progress) {
  SyncReport report;
  ASSIGN_OR_RETURN(MonitoredLog state, store_.GetLog(log_row_));
  ASSIGN_OR_RETURN(SignedTreeHead head, RecordFailure(FetchAndCheckHead(state)));
  report.head = head;
  RETURN_IF_ERROR(store_.RecordSuccess(log_row_, UnixNowMs()));
  ASSIGN_OR_RETURN(CompactRange range, StartingRange(state, head));

  std::vector<LogReader*> downloaders = options_.download_readers;
  if (downloaders.empty()) downloaders.push_back(&reader_);
  EntryFeed feed(std::move(downloaders), range.size(), head.tree_size, options_.download_slice,
                 stop);
  while (range.size() < head.tree_size) {
    Chunk chunk{.start = range.size(),
                .end = std::min(head.tree_size, range.size() + options_.chunk_size),
                .range = range,
                .commit = {.log = log_row_}};
    ASSIGN_OR_RETURN(bool read, RecordFailure(ReadChunk(head, feed, chunk, report, on_progress)));
    if (!read) return report;  // stopped between batches: caught_up stays false
    RETURN_IF_ERROR(RecordFailure(ProveChunk(head, chunk, report)));
    RETURN_IF_ERROR(CommitProvenChunk(chunk, range, report));
    if (on_progress) on_progress({chunk.end, head.tree_size, report.entries_processed});
  }

  RETURN_IF_ERROR(CheckSctPromises(head, UnixNowMs(), report));
  report.caught_up = true;
  return report;
}

// Step 2 (RFC 6962 §2.1): the compact range of the entries proven so far, resumed from the
// stored position and frontier; for a log seen for the first time with start_at_end, the head's
// own frontier, proven by StartAtEnd and committed as the position. Never past the head.
Result<CompactRange> LogTailer::StartingRange(const MonitoredLog& state,
                                              const SignedTreeHead& head) {
  uint64_t position = state.verified_size;
  std::vector<MerkleHash> frontier = state.frontier;
  if (position == 0 && !state.head && options_.start_at_end && head.tree_size > 0) {
    ASSIGN_OR_RETURN(frontier, RecordFailure(StartAtEnd(head)));
    ChunkCommit skip{
        .log = log_row_, .new_verified_size = head.tree_size, .new_frontier = frontier};
    RETURN_IF_ERROR(store_.CommitChunk(skip, 0, UnixNowMs()));
    position = head.tree_size;
  }
  ASSIGN_OR_RETURN(CompactRange range, CompactRange::FromFrontier(position, std::move(frontier)),
                   "stored compact range");
  if (range.size() > head.tree_size) {
    return MakeError(ErrorCode::kInternal, "log " + log_url_ + ": stored position " +
                                               std::to_string(range.size()) +
                                               " is past the verified head");
  }
  return range;
}

// Step 3a: reads entries [chunk.start, chunk.end) in index order into `chunk` (an entry served
// at the wrong index fails the round); an unreadable one is got past by its leaf hash. False when
// the round was stopped.
Result<bool> LogTailer::ReadChunk(const SignedTreeHead& head, EntryFeed& feed, Chunk& chunk,
                                  SyncReport& report, const ProgressCallback& on_progress) {
  int64_t now = UnixNowMs();
  for (uint64_t index = chunk.start; index < chunk.end; ++index) {
    ASSIGN_OR_RETURN(const LogEntry* entry, feed.Next());
    if (entry == nullptr) return false;
    if (entry->index != index) {
      return MakeError(ErrorCode::kMalformed, "log " + log_url_ + ": served entry " +
                                                  std::to_string(entry->index) + " where " +
                                                  std::to_string(index) + " was due");
    }
    if (entry->unreadable) {
      RETURN_IF_ERROR(PassUnreadable(*entry, head, chunk.range, chunk.commit, report));
    } else {
      chunk.range.Append(entry->leaf_hash);
      ProcessEntry(*entry, chunk.commit, now);
    }
    ++report.entries_processed;
    if (on_progress && feed.AtBatchEnd()) {
      on_progress({chunk.start, head.tree_size, report.entries_processed});
    }
  }
  return true;
}

// Step 3b (RFC 6962 §2.1.2): proves the chunk's entries are the head's. The root of the range
// over [0, end) must be the head's root (the last chunk) or be proven a prefix of the head's tree
// by the log's consistency proof from `end`, checked against our own root. When it is not, the
// chunk is a log_misbehaviour alert and a kVerificationFailed error (EntriesNotInTree).
Result<void> LogTailer::ProveChunk(const SignedTreeHead& head, const Chunk& chunk,
                                   SyncReport& report) {
  MerkleHash root = chunk.range.Root();
  Result<void> proven;
  if (chunk.end == head.tree_size) {
    if (root != head.root_hash) {
      proven = MakeError(ErrorCode::kVerificationFailed, "computed root differs from the head's");
    }
  } else {
    ASSIGN_OR_RETURN(std::vector<MerkleHash> proof,
                     reader_.GetSthConsistency(chunk.end, head.tree_size));
    proven = VerifyConsistency(chunk.end, head.tree_size, proof, root, head.root_hash);
  }
  if (!proven) return std::unexpected(EntriesNotInTree(head, chunk, root, proven.error(), report));
  return {};
}

// A chunk whose entries do not hash into the head's tree: the log_misbehaviour alert raised
// with the evidence, and the round's error.
Error LogTailer::EntriesNotInTree(const SignedTreeHead& head, const Chunk& chunk,
                                  const MerkleHash& root, const Error& failure,
                                  SyncReport& report) {
  std::string range_text = "[";  // "[start, end)", built so as not to trip GCC 12's -Wrestrict
  range_text += std::to_string(chunk.start) + ", " + std::to_string(chunk.end) + ")";
  nlohmann::ordered_json evidence = {{"tree_head", SignedHeadToJson(head)},
                                     {"entries", {{"start", chunk.start}, {"end", chunk.end}}},
                                     {"computed_root", Base64Encode(root)},
                                     {"error", failure.message}};
  Result<void> raised =
      Raise({LogMisbehaviourAlert(log_url_, "entries_not_in_tree",
                                  "entries " + range_text +
                                      " do not hash into the tree of the head of size " +
                                      std::to_string(head.tree_size),
                                  std::move(evidence), range_text + ":" + HeadKey(head))},
            report);
  Error error{ErrorCode::kVerificationFailed,
              "log " + log_url_ + ": entries " + range_text +
                  " are not in the signed tree: " + failure.message};
  return AlsoFailed(std::move(error), raised, "storing its alert");
}

// Step 3c: stores a proven chunk's findings, alerts, malformed entries and the new position
// (its end and frontier) in one transaction; then `proven` is the chunk's range.
Result<void> LogTailer::CommitProvenChunk(Chunk& chunk, CompactRange& proven, SyncReport& report) {
  chunk.commit.new_verified_size = chunk.end;
  chunk.commit.new_frontier = chunk.range.frontier();
  report.findings += chunk.commit.findings.size();
  ASSIGN_OR_RETURN(size_t new_alerts, store_.CommitChunk(chunk.commit, chunk.start, UnixNowMs()));
  report.alerts += new_alerts;
  alerts_raised_ += new_alerts;
  proven = std::move(chunk.range);
  return {};
}

}  // namespace ctkit
