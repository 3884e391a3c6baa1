#include "logserver/log_service.h"

#include "base/plural.h"
#include "ct/sct_verify.h"
#include "ct/signed_entry.h"
#include "ct/tile_leaf.h"
#include "logserver/chain_check.h"
#include "merkle/merkle_proof_plan.h"

namespace ctkit {
namespace {

constexpr uint64_t kIntegrationChunk = 4096;  // entries read per database query

Error BadRequest(std::string message) {
  return Error{ErrorCode::kInvalidArgument, std::move(message)};
}

// The key that makes a resubmission of the same leaf return the same SCT.
Sha256Digest DedupKey(bool precertificate, ByteSpan leaf_der) {
  uint8_t type = precertificate ? 1 : 0;
  return Sha256Hasher().Update({&type, 1}).Update(leaf_der).Finish();
}

// The caps on a submission (LogServiceOptions), checked before anything in it is parsed.
Result<void> CheckSubmissionSize(std::span<const Bytes> chain, const LogServiceOptions& options) {
  if (chain.size() > options.max_chain_length) {
    return std::unexpected(BadRequest("chain has " + std::to_string(chain.size()) +
                                      " certificates, more than the " +
                                      std::to_string(options.max_chain_length) + " allowed"));
  }
  for (size_t i = 0; i < chain.size(); ++i) {
    if (chain[i].size() > options.max_cert_bytes) {
      return std::unexpected(BadRequest("chain[" + std::to_string(i) + "]: certificate of " +
                                        std::to_string(chain[i].size()) + " bytes, more than the " +
                                        std::to_string(options.max_cert_bytes) + " allowed"));
    }
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<LogService>> LogService::Open(const std::string& database_path,
                                                     std::shared_ptr<const LogSigner> signer,
                                                     LogServiceOptions options, uint64_t now_ms) {
  if (options.roots.empty() && !options.accept_any_root) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "no accepted roots: a log must be given its roots, or be told to accept "
                     "any root (a staging log)");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<LogDatabase> db, LogDatabase::Open(database_path));
  std::unique_ptr<LogService> service(
      new LogService(std::move(db), std::move(signer), std::move(options)));
  ASSIGN_OR_RETURN(std::optional<SignedTreeHead> head, service->db_->LatestHead());
  if (head) {
    // Resume the tree from the nodes of the last signed head, and check them against it.
    uint64_t size = (head)->tree_size;
    std::vector<NodeId> ids = SubtreeNodes(0, size);
    ASSIGN_OR_RETURN(std::vector<MerkleHash> frontier, service->db_->ReadNodes(ids));
    ASSIGN_OR_RETURN(CompactRange range, CompactRange::FromFrontier(size, frontier));
    if (range.Root() != (head)->root_hash) {
      return MakeError(ErrorCode::kInternal, database_path +
                                                 ": stored tree nodes do not match the last "
                                                 "signed head; refusing to serve a forked tree");
    }
    service->range_ = std::move(range);
    if (Result<void> key_ok = VerifySignedTreeHead(*head, *service->signer_->public_key());
        !key_ok) {
      return MakeError(ErrorCode::kInvalidArgument,
                       database_path + ": the log key does not match this log's database");
    }
  }
  ASSIGN_OR_RETURN(SignedTreeHead first, service->Integrate(now_ms, /*refresh_ms=*/0));
  return service;
}

Result<SignedCertificateTimestamp> LogService::AddChain(std::span<const Bytes> chain_der,
                                                        bool precertificate, uint64_t now_ms) {
  if (chain_der.empty()) return std::unexpected(BadRequest("chain is empty"));
  if (Result<void> ok = CheckSubmissionSize(chain_der, options_); !ok) {
    return std::unexpected(ok.error());
  }
  std::vector<CertificateView> chain;
  for (size_t i = 0; i < chain_der.size(); ++i) {
    Result<CertificateView> cert = CertificateView::Parse(chain_der[i]);
    if (!cert) {
      return std::unexpected(
          BadRequest("chain[" + std::to_string(i) + "]: " + cert.error().message));
    }
    chain.push_back(std::move(*cert));
  }
  const CertificateView& leaf = chain.front();
  // RFC 6962 §4.1: add-chain takes certificates, §4.2 add-pre-chain precertificates.
  if (leaf.IsPrecertificate() != precertificate) {
    return std::unexpected(
        BadRequest(precertificate ? "add-pre-chain: the leaf is not a precertificate"
                                  : "add-chain: the leaf is a precertificate; use add-pre-chain"));
  }
  // The chain as stored: checked, and ending at an accepted root (RFC 6962 §3.1, §4.1).
  Result<std::vector<CertificateView>> full = CheckChain(chain, options_.roots);
  if (!full) return std::unexpected(BadRequest(full.error().message));

  Sha256Digest dedup_key = DedupKey(precertificate, leaf.der());
  ASSIGN_OR_RETURN(std::optional<StoredEntry> existing, db_->FindByDedupKey(dedup_key));
  if (existing) return ParseSct((existing)->sct);

  if (precertificate && full->size() < 2) {
    return std::unexpected(BadRequest("add-pre-chain: the precertificate's issuer is missing"));
  }
  // RFC 6962 §3.2: the entry the SCT signs, from the chain as submitted (and checked). It points
  // into `full`, which outlives it.
  Result<SignedEntry> signed_entry =
      BuildSignedEntry(precertificate ? LogEntryType::kPrecert : LogEntryType::kX509, leaf,
                       IssuerChain::InOrder(std::span(*full).subspan(1)));
  if (!signed_entry) {
    return std::unexpected(BadRequest(precertificate
                                          ? "precertificate: " + signed_entry.error().message
                                          : signed_entry.error().message));
  }
  EntryChain extra;
  if (precertificate) extra.pre_certificate = chain_der[0];
  // RFC 6962 §3.1: certificate_chain / precertificate_chain, up to the accepted root.
  for (auto issuer = full->begin() + 1; issuer != full->end(); ++issuer) {
    extra.chain.emplace_back(issuer->der().begin(), issuer->der().end());
  }
  Result<Bytes> extra_data = SerializeExtraData(signed_entry->type, extra);
  if (!extra_data) return std::unexpected(BadRequest(extra_data.error().message));
  // Issuers (an appended root included) are kept whichever read API is on, so the
  // static-ct-api can be turned on later and still serve every fingerprint its data tiles name.

  SignedCertificateTimestamp sct;
  sct.log_id = signer_->log_id();
  sct.timestamp_ms = now_ms;
  LogDatabase::NewEntry row{.dedup_key = dedup_key,
                            .extra_data = std::move(*extra_data),
                            .issuers = std::move(extra.chain)};
  // Signs the SCT (RFC 6962 §3.2) for the entry at `leaf_index`; the MerkleTreeLeaf is the
  // signed input itself (ct/log_entry.h), so the leaf hash is of what was signed.
  auto sign = [&](std::optional<uint64_t> leaf_index,
                  LogDatabase::NewEntry& entry) -> Result<void> {
    if (leaf_index) {
      Result<Bytes> extensions = SerializeSctExtensions({.leaf_index = *leaf_index});
      if (!extensions) return std::unexpected(extensions.error());
      sct.extensions = std::move(*extensions);
    }
    ASSIGN_OR_RETURN(Bytes signed_input, BuildSctSignatureInput(sct, *signed_entry));
    Result<DigitallySigned> signature = signer_->Sign(signed_input);
    if (!signature) return std::unexpected(signature.error());
    sct.signature = std::move(*signature);
    ASSIGN_OR_RETURN(Bytes serialized, SerializeSct(sct));
    entry.leaf_hash = HashLeaf(signed_input);
    entry.leaf_input = std::move(signed_input);
    entry.sct = std::move(serialized);
    return {};
  };
  Result<LogDatabase::Appended> appended;
  if (options_.sct_leaf_index) {
    // static-ct-api SCTs name their index, known only to the writer: it signs them in the
    // commit. This caller waits for that commit anyway, so `sct` and `sign` outlive the call.
    appended = db_->AppendEntry(std::move(row), [&](uint64_t index, LogDatabase::NewEntry& entry) {
      return sign(index, entry);
    });
  } else {
    // RFC 6962 SCTs do not depend on the index: sign here, in parallel with other submitters,
    // and leave the writer only the inserts and the one fsync.
    if (Result<void> signed_ok = sign(std::nullopt, row); !signed_ok) {
      return std::unexpected(signed_ok.error());
    }
    appended = db_->AppendEntry(std::move(row));
  }
  if (!appended) return std::unexpected(appended.error());
  // An identical submission was stored first (concurrently, or queued in the same batch): hand
  // out its SCT, as for any resubmission, so the leaf has exactly one entry.
  if (appended->duplicate) return ParseSct(appended->sct);
  return sct;
}

Result<SignedTreeHead> LogService::Integrate(uint64_t now_ms, uint64_t refresh_ms) {
  std::lock_guard lock(integrate_mutex_);
  ASSIGN_OR_RETURN(uint64_t count, db_->EntryCount());
  ASSIGN_OR_RETURN(std::optional<SignedTreeHead> latest, db_->LatestHead());
  bool grew = count > range_.size();
  bool stale = !latest || now_ms >= (latest)->timestamp_ms + refresh_ms;
  if (!grew && !stale) {
    std::lock_guard head_lock(head_mutex_);
    latest_head_ = *latest;
    return *latest;
  }

  std::vector<std::pair<NodeId, MerkleHash>> nodes;
  CompactRange next = range_;
  while (next.size() < count) {
    uint64_t end = std::min(count, next.size() + kIntegrationChunk);
    ASSIGN_OR_RETURN(std::vector<StoredEntry> entries, db_->ReadEntries(next.size(), end));
    if (entries.empty()) return MakeError(ErrorCode::kInternal, "entries missing from the log");
    for (const StoredEntry& entry : entries) {
      if (entry.index != next.size()) {
        return MakeError(ErrorCode::kInternal, "entry index gap at " + std::to_string(next.size()));
      }
      next.Append(entry.leaf_hash,
                  [&](NodeId id, const MerkleHash& hash) { nodes.emplace_back(id, hash); });
    }
  }
  // Heads must not go back in time, even if the clock does.
  uint64_t timestamp = std::max(now_ms, latest ? (latest)->timestamp_ms + 1 : now_ms);
  ASSIGN_OR_RETURN(SignedTreeHead head,
                   SignTreeHead(next.size(), timestamp, next.Root(), *signer_));
  if (Result<void> stored = db_->StoreIntegration(nodes, head); !stored) {
    return std::unexpected(stored.error());
  }
  range_ = std::move(next);
  std::lock_guard head_lock(head_mutex_);
  latest_head_ = head;
  return head;
}

Result<SignedTreeHead> LogService::LatestHead() {
  // Served from memory: every read endpoint asks for it, and only Integrate() changes it, after
  // the head is committed.
  std::lock_guard lock(head_mutex_);
  if (!latest_head_) return MakeError(ErrorCode::kInternal, "no signed tree head yet");
  return *latest_head_;
}

Result<void> LogService::CheckTreeSize(uint64_t tree_size) {
  ASSIGN_OR_RETURN(SignedTreeHead head, LatestHead());
  if (tree_size > head.tree_size) {
    return std::unexpected(BadRequest("tree size " + std::to_string(tree_size) +
                                      " is beyond the current tree (" +
                                      std::to_string(head.tree_size) + ")"));
  }
  return {};
}

Result<std::vector<MerkleHash>> LogService::ConsistencyProof(uint64_t first, uint64_t second) {
  RETURN_IF_ERROR(CheckTreeSize(second));
  Result<ProofPlan> plan = PlanConsistencyProof(first, second);
  if (!plan) return std::unexpected(BadRequest(plan.error().message));
  ASSIGN_OR_RETURN(std::vector<MerkleHash> nodes, db_->ReadNodes(plan->nodes));
  return AssembleProof(*plan, nodes);
}

Result<InclusionAnswer> LogService::ProofByHash(const MerkleHash& leaf_hash, uint64_t tree_size) {
  RETURN_IF_ERROR(CheckTreeSize(tree_size));
  ASSIGN_OR_RETURN(std::optional<uint64_t> index, db_->FindIndexByLeafHash(leaf_hash));
  if (!index || *index >= tree_size) {
    return std::unexpected(BadRequest("no entry with that leaf hash in the tree of size " +
                                      std::to_string(tree_size)));
  }
  Result<ProofPlan> plan = PlanInclusionProof(*index, tree_size);
  if (!plan) return std::unexpected(BadRequest(plan.error().message));
  ASSIGN_OR_RETURN(std::vector<MerkleHash> nodes, db_->ReadNodes(plan->nodes));
  ASSIGN_OR_RETURN(std::vector<MerkleHash> path, AssembleProof(*plan, nodes));
  return InclusionAnswer{*index, std::move(path)};
}

Result<std::vector<StoredEntry>> LogService::Entries(uint64_t start, uint64_t end) {
  ASSIGN_OR_RETURN(SignedTreeHead head, LatestHead());
  if (start > end) return std::unexpected(BadRequest("start is after end"));
  if (start >= head.tree_size) {
    return std::unexpected(BadRequest("start " + std::to_string(start) + " is beyond the tree (" +
                                      Count(head.tree_size, "entry", "entries") + ")"));
  }
  uint64_t last = std::min({end, head.tree_size - 1, start + options_.max_get_entries - 1});
  return db_->ReadEntries(start, last + 1, options_.max_get_entries_bytes);
}

Result<std::pair<StoredEntry, std::vector<MerkleHash>>> LogService::EntryAndProof(
    uint64_t index, uint64_t tree_size) {
  RETURN_IF_ERROR(CheckTreeSize(tree_size));
  Result<ProofPlan> plan = PlanInclusionProof(index, tree_size);
  if (!plan) return std::unexpected(BadRequest(plan.error().message));
  ASSIGN_OR_RETURN(std::vector<StoredEntry> entries, db_->ReadEntries(index, index + 1));
  if (entries.empty()) return MakeError(ErrorCode::kInternal, "entry missing");
  ASSIGN_OR_RETURN(std::vector<MerkleHash> nodes, db_->ReadNodes(plan->nodes));
  ASSIGN_OR_RETURN(std::vector<MerkleHash> path, AssembleProof(*plan, nodes));
  return std::make_pair(std::move(entries.front()), std::move(path));
}

Result<void> LogService::CheckTileInTree(const TileId& tile) {
  ASSIGN_OR_RETURN(SignedTreeHead head, LatestHead());
  uint32_t available = TileWidthInTree(tile.is_data ? 0 : tile.level, tile.index, head.tree_size);
  // A partial tile of an earlier checkpoint is a prefix of what the tree has now; a full tile
  // only exists once complete (tlog-tiles "Partial Tiles").
  if (tile.width == 0 || tile.width > available ||
      (!tile.is_partial() && available != kTileWidth)) {
    return MakeError(ErrorCode::kNotFound, TilePath(tile) + " is not in the tree of size " +
                                               std::to_string(head.tree_size));
  }
  return {};
}

Result<Bytes> LogService::HashTile(const TileId& tile) {
  if (tile.is_data || tile.level < 0 || tile.level > kMaxTileLevel) {
    return MakeError(ErrorCode::kInvalidArgument, "not a hash tile");
  }
  RETURN_IF_ERROR(CheckTileInTree(tile));
  // Hash i of tile (L, N) is the perfect subtree NodeId{8L, N * 256 + i} (ct/tile_path.h).
  ASSIGN_OR_RETURN(std::vector<MerkleHash> hashes,
                   db_->ReadNodeRange(static_cast<uint8_t>(kTileHeight * tile.level),
                                      tile.index * kTileWidth, tile.width));
  Bytes body;
  body.reserve(hashes.size() * kMerkleHashSize);
  for (const MerkleHash& hash : hashes) body.insert(body.end(), hash.begin(), hash.end());
  return body;
}

Result<Bytes> LogService::DataTile(const TileId& tile) {
  if (!tile.is_data) return MakeError(ErrorCode::kInvalidArgument, "not a data tile");
  RETURN_IF_ERROR(CheckTileInTree(tile));
  uint64_t start = tile.index * kTileWidth;
  ASSIGN_OR_RETURN(std::vector<StoredEntry> entries, db_->ReadEntries(start, start + tile.width));
  if (entries.size() != tile.width) {
    return MakeError(ErrorCode::kInternal, "entries missing from the log");
  }
  Bytes body;
  for (const StoredEntry& entry : entries) {
    Result<TileLeaf> leaf = TileLeafFromLogEntry(entry.leaf_input, entry.extra_data);
    if (!leaf) {
      return MakeError(ErrorCode::kInternal,
                       "stored entry " + std::to_string(entry.index) + ": " + leaf.error().message);
    }
    RETURN_IF_ERROR(AppendTileLeaf(*leaf, body));
  }
  return body;
}

Result<Bytes> LogService::Issuer(const Sha256Digest& fingerprint) {
  ASSIGN_OR_RETURN(std::optional<Bytes> der, db_->FindIssuer(fingerprint));
  if (!der) return MakeError(ErrorCode::kNotFound, "no issuer with that fingerprint");
  return std::move(*der);
}

}  // namespace ctkit
