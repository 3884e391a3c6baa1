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

Result<SignedTreeHead> LogTailer::FetchAndCheckHead(const MonitoredLog& state) {
  Result<SignedTreeHead> head = reader_.GetSth();
  if (!head) {
    if (head.error().code == ErrorCode::kVerificationFailed) {
      // The head itself is not returned when its signature fails; the error names it.
      SyncReport ignored;
      Result<void> raised = Raise(
          {LogMisbehaviourAlert(log_url_, "bad_tree_head_signature",
                                "tree head signature does not verify: " + head.error().message,
                                {{"error", head.error().message}}, head.error().message)},
          ignored);
      return std::unexpected(AlsoFailed(head.error(), raised, "storing its alert"));
    }
    return head;
  }
  if (!state.head) {
    if (Result<void> added = store_.AddVerifiedHead(log_row_, *head, UnixNowMs()); !added) {
      return std::unexpected(added.error());
    }
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
    int64_t now = UnixNowMs();
    Result<void> kept = store_.AddRejectedHead(log_row_, *head, now, "inconsistent");
    nlohmann::ordered_json evidence = {{"previous_head", SignedHeadToJson(previous)},
                                       {"new_head", SignedHeadToJson(*head)},
                                       {"error", consistent.error().message}};
    SyncReport ignored;
    Result<void> raised = Raise(
        {LogMisbehaviourAlert(log_url_, "inconsistent_tree_heads",
                              "tree head of size " + std::to_string(head->tree_size) +
                                  " is not consistent with the earlier head of size " +
                                  std::to_string(previous.tree_size) + " (a fork or split view)",
                              std::move(evidence), HeadKey(previous) + ":" + HeadKey(*head))},
        ignored);
    Error error = AlsoFailed(consistent.error(), kept, "storing the rejected head");
    return std::unexpected(AlsoFailed(std::move(error), raised, "storing its alert"));
  }
  if (stale) return previous;
  if (Result<void> added = store_.AddVerifiedHead(log_row_, *head, UnixNowMs()); !added) {
    return std::unexpected(added.error());
  }
  return head;
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
                                              Base64Encode(entry.extra_data)));
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
  if (record == nullptr) {
    chunk.alerts.push_back(UnexpectedCertAlert(finding));
  } else if (!record->ct_logging) {
    chunk.alerts.push_back(OptOutLoggedAlert(finding));
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
  Result<MerkleHash> leaf_hash = reader_.LeafHashWithoutEntry(entry.index, head);
  if (!leaf_hash) {
    return std::unexpected(
        WithContext(leaf_hash.error(), where + " could not be read (" + entry.parse_error +
                                           "), nor its leaf hash learned from the log's proofs"));
  }
  // Unproven until the chunk's root is: a wrong hash fails the chunk like a wrong entry.
  range.Append(*leaf_hash);
  chunk.malformed.push_back({.index = entry.index,
                             .error = "could not be read: " + entry.parse_error,
                             .leaf_hash = *leaf_hash});
  chunk.alerts.push_back(
      UnreadableEntryAlert(log_url_, entry.index, *leaf_hash, entry.parse_error));
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

Result<SyncReport> LogTailer::SyncOnce(
    const std::atomic<bool>& stop, const std::function<void(const SyncProgress&)>& on_progress) {
  SyncReport report;
  Result<MonitoredLog> state = store_.GetLog(log_row_);
  if (!state) return std::unexpected(state.error());
  Result<SignedTreeHead> head = FetchAndCheckHead(*state);
  if (!head) {
    return std::unexpected(Recorded(head.error()));
  }
  report.head = *head;
  if (Result<void> ok = store_.RecordSuccess(log_row_, UnixNowMs()); !ok) {
    return std::unexpected(ok.error());
  }

  uint64_t position = state->verified_size;
  std::vector<MerkleHash> frontier = state->frontier;
  if (position == 0 && !state->head && options_.start_at_end && head->tree_size > 0) {
    Result<std::vector<MerkleHash>> end_frontier = StartAtEnd(*head);
    if (!end_frontier) {
      return std::unexpected(Recorded(end_frontier.error()));
    }
    ChunkCommit skip{
        .log = log_row_, .new_verified_size = head->tree_size, .new_frontier = *end_frontier};
    if (Result<size_t> committed = store_.CommitChunk(skip, 0, UnixNowMs()); !committed) {
      return std::unexpected(committed.error());
    }
    position = head->tree_size;
    frontier = std::move(*end_frontier);
  }
  Result<CompactRange> range = CompactRange::FromFrontier(position, std::move(frontier));
  if (!range) return std::unexpected(WithContext(range.error(), "stored compact range"));
  if (range->size() > head->tree_size) {
    return MakeError(ErrorCode::kInternal, "log " + log_url_ + ": stored position " +
                                               std::to_string(range->size()) +
                                               " is past the verified head");
  }

  // One prefetcher for the whole way to the head, so downloads run on across chunk boundaries
  // while a chunk is being proven and committed.
  std::vector<LogReader*> downloaders = options_.download_readers;
  if (downloaders.empty()) downloaders.push_back(&reader_);
  BatchPrefetcher prefetcher(downloaders, range->size(), head->tree_size, options_.download_slice);
  // The batch being consumed: a batch may run past a chunk's end, and its rest opens the next.
  std::vector<LogEntry> batch;
  size_t batch_pos = 0;
  while (range->size() < head->tree_size) {
    uint64_t start = range->size();
    uint64_t end = std::min(head->tree_size, start + options_.chunk_size);  // exclusive
    CompactRange next = *range;
    ChunkCommit chunk{.log = log_row_};
    int64_t now = UnixNowMs();
    for (uint64_t index = start; index < end; ++index) {
      if (batch_pos == batch.size()) {
        if (stop.load()) return report;
        prefetcher.Recycle(std::move(batch));  // freed by the thread that fetched it
        batch.clear();
        Result<std::vector<LogEntry>> fetched = prefetcher.Next();
        if (fetched && fetched->empty()) {
          fetched = MakeError(ErrorCode::kInternal, "prefetcher ended before the head");
        }
        if (!fetched) {
          return std::unexpected(Recorded(fetched.error()));
        }
        batch = std::move(*fetched);
        batch_pos = 0;
      }
      const LogEntry& entry = batch[batch_pos++];
      if (entry.index != index) {
        Error error{ErrorCode::kMalformed, "log " + log_url_ + ": served entry " +
                                               std::to_string(entry.index) + " where " +
                                               std::to_string(index) + " was due"};
        return std::unexpected(Recorded(error));
      }
      if (entry.unreadable) {
        if (Result<void> passed = PassUnreadable(entry, *head, next, chunk, report); !passed) {
          return std::unexpected(Recorded(passed.error()));
        }
      } else {
        next.Append(entry.leaf_hash);
        ProcessEntry(entry, chunk, now);
      }
      ++report.entries_processed;
      if (on_progress && batch_pos == batch.size()) {
        on_progress({start, head->tree_size, report.entries_processed});
      }
    }

    // Prove the chunk: our root over [0, end) is the head's, or a prefix of it.
    MerkleHash root = next.Root();
    Result<void> proven;
    if (end == head->tree_size) {
      if (root != head->root_hash) {
        proven = MakeError(ErrorCode::kVerificationFailed, "computed root differs from the head's");
      }
    } else {
      Result<std::vector<MerkleHash>> proof = reader_.GetSthConsistency(end, head->tree_size);
      if (!proof) {
        return std::unexpected(Recorded(proof.error()));
      }
      proven = VerifyConsistency(end, head->tree_size, *proof, root, head->root_hash);
    }
    if (!proven) {
      std::string range_text = "[" + std::to_string(start) + ", " + std::to_string(end) + ")";
      nlohmann::ordered_json evidence = {{"tree_head", SignedHeadToJson(*head)},
                                         {"entries", {{"start", start}, {"end", end}}},
                                         {"computed_root", Base64Encode(root)},
                                         {"error", proven.error().message}};
      Result<void> raised =
          Raise({LogMisbehaviourAlert(log_url_, "entries_not_in_tree",
                                      "entries " + range_text +
                                          " do not hash into the tree of the head of size " +
                                          std::to_string(head->tree_size),
                                      std::move(evidence), range_text + ":" + HeadKey(*head))},
                report);
      Error error{ErrorCode::kVerificationFailed,
                  "log " + log_url_ + ": entries " + range_text +
                      " are not in the signed tree: " + proven.error().message};
      return std::unexpected(Recorded(AlsoFailed(std::move(error), raised, "storing its alert")));
    }
    chunk.new_verified_size = end;
    chunk.new_frontier = next.frontier();
    report.findings += chunk.findings.size();
    ASSIGN_OR_RETURN(size_t new_alerts, store_.CommitChunk(chunk, start, UnixNowMs()));
    report.alerts += new_alerts;
    alerts_raised_ += new_alerts;
    *range = std::move(next);
    if (on_progress) on_progress({end, head->tree_size, report.entries_processed});
  }

  if (Result<void> checked = CheckSctPromises(*head, UnixNowMs(), report); !checked) {
    return std::unexpected(checked.error());
  }
  report.caught_up = true;
  return report;
}

}  // namespace ctkit
