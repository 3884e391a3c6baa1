#include "audit/inclusion_prover.h"

#include "audit/sct_entry.h"
#include "ct/log_entry.h"
#include "ct/log_key.h"
#include "logclient/static_log_client.h"
#include "merkle/merkle_verify.h"

namespace ctkit::audit {

std::string_view InclusionStatusName(InclusionStatus status) {
  switch (status) {
    case InclusionStatus::kIncluded:
      return "included";
    case InclusionStatus::kPending:
      return "pending";
    case InclusionStatus::kMissing:
      return "missing";
    case InclusionStatus::kFailed:
      return "failed";
    case InclusionStatus::kUnreachable:
      return "unreachable";
    case InclusionStatus::kUnsupported:
      return "unsupported";
  }
  return "unknown";
}

// One log's client and the head every SCT from it is proven against, fetched on first use.
struct InclusionProver::LogSession {
  std::mutex mutex;
  bool started = false;
  std::optional<LogClient> client;
  Result<SignedTreeHead> head = MakeError(ErrorCode::kInternal, "no head fetched");
};

InclusionProver::InclusionProver(const LogList& log_list, LogClientOptions client_options)
    : log_list_(log_list), client_options_(std::move(client_options)) {}

InclusionProver::~InclusionProver() = default;

InclusionProver::LogSession& InclusionProver::SessionFor(const LogInfo& log) {
  std::lock_guard<std::mutex> lock(mutex_);
  std::unique_ptr<LogSession>& session = sessions_[log.log_id];
  if (!session) session = std::make_unique<LogSession>();
  return *session;
}

namespace {

InclusionStatus StatusForError(const Error& error) {
  switch (error.code) {
    case ErrorCode::kNetwork:
      return InclusionStatus::kUnreachable;
    case ErrorCode::kUnsupported:
      return InclusionStatus::kUnsupported;
    default:
      return InclusionStatus::kFailed;  // a bad signature, proof or body
  }
}

// static-ct-api logs (c2sp.org/static-ct-api): the SCT's leaf_index extension names the entry.
// The checkpoint is verified with the log's key; the entry at leaf_index (from its data tile)
// must be the one the SCT promises, and its audit path (from the hash tiles) must verify.
void ProveStaticCtApi(const LogInfo& log, const SignedCertificateTimestamp& sct,
                      const MerkleHash& leaf_hash, const LogClientOptions& http,
                      InclusionCheck& out) {
  Result<SctExtensions> extensions = ParseSctExtensions(sct.extensions);
  if (!extensions || !extensions->leaf_index) {
    out.status = InclusionStatus::kFailed;
    out.message = "static-ct-api log " + log.monitoring_url +
                  ": the SCT carries no leaf_index extension (c2sp.org/static-ct-api)";
    return;
  }
  uint64_t index = *extensions->leaf_index;
  out.leaf_index = index;
  Result<std::shared_ptr<const LogKey>> key = LogKey::FromSpkiDer(log.key_der);
  if (!key) {
    out.status = InclusionStatus::kFailed;
    out.message = "log key: " + key.error().message;
    return;
  }
  Result<StaticLogClient> client = StaticLogClient::Create(
      log.monitoring_url, *key,
      {.http = http, .origin = OriginFromSubmissionUrl(log.submission_url)});
  Result<SignedTreeHead> head =
      client ? client->GetSth() : Result<SignedTreeHead>(std::unexpected(client.error()));
  if (!head) {
    out.status = StatusForError(head.error());
    out.message = "checkpoint: " + head.error().message;
    return;
  }
  out.tree_size = head->tree_size;
  // RFC 6962 §3: the log must merge the entry within MMD of the SCT's timestamp.
  bool due = head->timestamp_ms >= sct.timestamp_ms + log.mmd_seconds * 1000;
  if (index >= head->tree_size) {
    out.status = due ? InclusionStatus::kMissing : InclusionStatus::kPending;
    out.message = "leaf_index " + std::to_string(index) + " is not in the checkpoint of size " +
                  std::to_string(head->tree_size) +
                  (due ? ", signed more than the MMD after the SCT: a broken promise"
                       : "; still within the MMD");
    return;
  }
  Result<EntryAndProof> proof = client->GetEntryAndProof(index, head->tree_size);
  if (!proof) {
    out.status = StatusForError(proof.error());
    out.message = proof.error().message;
    return;
  }
  if (proof->entry.leaf_hash != leaf_hash) {
    // The log holds another entry where the SCT says this one is.
    out.status = InclusionStatus::kMissing;
    out.message = "the log's entry at leaf_index " + std::to_string(index) +
                  " is not the one the SCT promises: a broken promise";
    return;
  }
  if (Result<void> ok =
          VerifyInclusion(leaf_hash, index, head->tree_size, proof->audit_path, head->root_hash);
      !ok) {
    out.status = InclusionStatus::kFailed;
    out.message = "inclusion proof from tiles does not verify: " + ok.error().message;
    return;
  }
  out.status = InclusionStatus::kIncluded;
}

}  // namespace

std::vector<InclusionCheck> InclusionProver::Prove(const CertificateView& leaf,
                                                   std::span<const CertificateView> others,
                                                   const CertificateCheck& check) {
  std::vector<InclusionCheck> out;
  for (size_t i = 0; i < check.scts.size(); ++i) {
    const SctCheck& sct = check.scts[i];
    if (sct.status != SctStatus::kValid || sct.log == nullptr || !sct.sct) continue;
    const LogInfo& log = *sct.log;
    InclusionCheck result{.sct_index = i,
                          .log = log.description,
                          .log_url = log.api == LogApi::kRfc6962 ? log.url : log.monitoring_url};
    Result<SignedEntry> entry = SignedEntryForSct(leaf, others, sct.delivery);
    Result<MerkleHash> leaf_hash =
        entry ? LeafHashOf(EntryForSct(*sct.sct, *entry)) : std::unexpected(entry.error());
    if (!leaf_hash) {
      result.status = InclusionStatus::kFailed;
      result.message = "cannot build the entry: " + leaf_hash.error().message;
      out.push_back(std::move(result));
      continue;
    }
    if (log.api == LogApi::kStaticCtApi) {
      ProveStaticCtApi(log, *sct.sct, *leaf_hash, client_options_, result);
      out.push_back(std::move(result));
      continue;
    }

    LogSession& session = SessionFor(log);
    std::lock_guard<std::mutex> lock(session.mutex);  // one head per log; the client serializes
    if (!session.started) {
      session.started = true;
      Result<std::shared_ptr<const LogKey>> key = LogKey::FromSpkiDer(log.key_der);
      if (!key) {
        session.head = std::unexpected(WithContext(key.error(), "log key"));
      } else {
        Result<LogClient> client = LogClient::Create(log.url, *key, client_options_);
        if (!client) {
          session.head = std::unexpected(client.error());
        } else {
          session.client.emplace(std::move(*client));
          session.head = session.client->GetSth();  // signature verified (RFC 6962 §3.5)
        }
      }
    }
    if (!session.head) {
      result.status = StatusForError(session.head.error());
      result.message = "tree head: " + session.head.error().message;
      out.push_back(std::move(result));
      continue;
    }
    const SignedTreeHead& head = *session.head;
    result.tree_size = head.tree_size;
    // RFC 6962 §3: the log must merge the entry within MMD of the SCT's timestamp.
    uint64_t due_ms = sct.sct->timestamp_ms + log.mmd_seconds * 1000;
    bool due = head.timestamp_ms >= due_ms;
    Result<uint64_t> index = head.tree_size == 0
                                 ? MakeError(ErrorCode::kNotFound, "the log's tree is empty")
                                 : session.client->ProveInclusion(*leaf_hash, head);
    if (index) {
      result.status = InclusionStatus::kIncluded;
      result.leaf_index = *index;
    } else if (index.error().code == ErrorCode::kNotFound) {
      result.status = due ? InclusionStatus::kMissing : InclusionStatus::kPending;
      result.message = due ? "not in the log's tree of size " + std::to_string(head.tree_size) +
                                 ", signed more than the MMD (" + std::to_string(log.mmd_seconds) +
                                 " s) after the SCT: a broken promise"
                           : "not yet in the log's tree of size " + std::to_string(head.tree_size) +
                                 "; still within the MMD";
    } else {
      result.status = StatusForError(index.error());
      result.message = index.error().message;
    }
    out.push_back(std::move(result));
  }
  return out;
}

}  // namespace ctkit::audit
