#include "logclient/static_log_client.h"

#include <algorithm>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>

#include "ct/checkpoint.h"
#include "ct/log_entry.h"
#include "ct/sct.h"
#include "ct/tile_path.h"
#include "logclient/gzip.h"
#include "merkle/merkle_proof_plan.h"
#include "merkle/merkle_verify.h"

namespace ctkit {
namespace {

std::string_view AsText(const Bytes& bytes) {
  return std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

// The root of a perfect subtree from its 2^k leaves (hashes of one tile level), k <= 8.
MerkleHash FoldPerfect(std::vector<MerkleHash> level) {
  while (level.size() > 1) {
    for (size_t i = 0; i < level.size() / 2; ++i) {
      level[i] = HashChildren(level[2 * i], level[2 * i + 1]);
    }
    level.resize(level.size() / 2);
  }
  return level.front();
}

// A body that may be gzip: `expected` is the exact plain size when known (hash tiles), which
// settles the one ambiguity (a hash tile may start with the magic bytes by chance). Data tiles
// start with a big-endian millisecond timestamp whose first byte stays 0 for millions of years,
// and checkpoints with text, so for them the magic number alone decides.
Result<Bytes> MaybeGunzip(std::string body, size_t max_bytes,
                          std::optional<size_t> expected = std::nullopt) {
  Bytes bytes(body.begin(), body.end());
  if (expected && bytes.size() == *expected) return bytes;
  if (!HasGzipMagic(bytes)) return bytes;
  return Gunzip(bytes, max_bytes);
}

}  // namespace

std::string OriginFromSubmissionUrl(std::string_view url) {
  if (size_t scheme = url.find("://"); scheme != std::string_view::npos) {
    url.remove_prefix(scheme + 3);
  }
  while (url.ends_with('/')) url.remove_suffix(1);
  return std::string(url);
}

struct StaticLogClient::Impl {
  std::string base_url;
  std::shared_ptr<const LogKey> key;
  StaticLogClientOptions options;
  std::unique_ptr<HttpFetcher> http;

  mutable std::mutex mutex;  // guards everything below
  StaticLogClientStats counters;
  std::optional<uint64_t> latest_size;  // of the latest checkpoint seen (verified if a key)
  // Hash tiles by (level, index): the widest version fetched. Tiles never change (tlog-tiles),
  // so a narrower one is a prefix of it.
  std::map<std::pair<int, uint64_t>, std::vector<MerkleHash>> tiles;
  std::deque<std::pair<int, uint64_t>> tile_order;  // insertion order, for eviction
  std::map<Sha256Digest, Bytes> issuers;
  size_t issuer_bytes = 0;  // the DER bytes in `issuers`

  std::string Url(const std::string& path) const { return base_url + path; }
  std::string Log() const { return "log " + base_url; }

  Result<std::string> Fetch(const std::string& url, size_t max_bytes = 0) {
    return http->Get(url, {404}, max_bytes);
  }

  Result<void> CheckHead(const SignedTreeHead& head, const char* which) const {
    if (!key) return {};
    if (Result<void> ok = VerifySignedTreeHead(head, *key); !ok) {
      return std::unexpected(WithContext(ok.error(), std::string(which) + " (" + Log() + ")"));
    }
    return {};
  }

  void NoteSize(uint64_t size) {
    std::lock_guard lock(mutex);
    if (!latest_size || size > *latest_size) latest_size = size;
  }

  Result<std::string> CheckpointNote() {
    std::string url = Url("checkpoint");
    ASSIGN_OR_RETURN(std::string body, Fetch(url, kMaxNoteBytes));
    ASSIGN_OR_RETURN(Bytes plain, MaybeGunzip(std::move(body), kMaxNoteBytes), "log " + url);
    return std::string(AsText(plain));
  }

  // The origin to verify `note` under: the expected one, else the one the note names.
  Result<std::string> OriginOf(std::string_view note, const std::string& url) const {
    if (!options.origin.empty()) return options.origin;
    ASSIGN_OR_RETURN(SignedNote parsed, ParseSignedNote(note), "log " + url + ": checkpoint");
    ASSIGN_OR_RETURN(Checkpoint checkpoint, ParseCheckpointText(parsed.text), "log " + url);
    return checkpoint.origin;
  }

  // The size of the latest checkpoint, to choose tile widths: verified with a key; without
  // one, as the log says (a lie then only makes tile requests fail).
  Result<uint64_t> TreeSizeCovering(uint64_t end) {
    {
      std::lock_guard lock(mutex);
      if (latest_size && end < *latest_size) return *latest_size;
    }
    std::string url = Url("checkpoint");
    uint64_t size = 0;
    if (key) {
      ASSIGN_OR_RETURN(StaticCheckpoint checkpoint, VerifiedCheckpoint());
      size = checkpoint.head.tree_size;
    } else {
      ASSIGN_OR_RETURN(std::string note, CheckpointNote());
      Result<SignedNote> parsed = ParseSignedNote(note);
      if (!parsed)
        return std::unexpected(WithContext(parsed.error(), "log " + url + ": checkpoint"));
      ASSIGN_OR_RETURN(Checkpoint checkpoint, ParseCheckpointText(parsed->text), "log " + url);
      size = checkpoint.tree_size;
      NoteSize(size);
    }
    if (end >= size) {
      return MakeError(ErrorCode::kInvalidArgument,
                       Log() + ": entry " + std::to_string(end) + " is not below the tree size " +
                           std::to_string(size) + " of the log's checkpoint");
    }
    return size;
  }

  Result<StaticCheckpoint> VerifiedCheckpoint() {
    if (!key) {
      return MakeError(ErrorCode::kInvalidArgument,
                       Log() + ": no log key to verify the checkpoint with");
    }
    std::string url = Url("checkpoint");
    Result<std::string> note = CheckpointNote();
    if (!note) return std::unexpected(note.error());
    Result<std::string> origin = OriginOf(*note, url);
    if (!origin) return std::unexpected(origin.error());
    Result<SignedTreeHead> head = VerifyCheckpoint(*note, *origin, *key);
    if (!head) return std::unexpected(WithContext(head.error(), "log " + url));
    NoteSize(head->tree_size);
    return StaticCheckpoint{
        .head = std::move(*head), .origin = std::move(*origin), .note = std::move(*note)};
  }

  // One tile request: the body of tile `tile`, or of the full tile when its partial version is
  // gone. `full` reports which one answered.
  Result<Bytes> FetchTile(TileId tile, std::optional<size_t> plain_size_per_entry, bool& full,
                          std::string& url) {
    url = Url(TilePath(tile));
    Result<std::string> body = Fetch(url);
    full = !tile.is_partial();
    if (!body && body.error().code == ErrorCode::kNotFound && tile.is_partial()) {
      // tlog-tiles "Partial Tiles": a partial tile may be deleted once the full one exists.
      tile.width = kTileWidth;
      url = Url(TilePath(tile));
      body = Fetch(url);
      full = true;
    }
    if (!body) return std::unexpected(body.error());
    std::optional<size_t> expected;
    if (plain_size_per_entry) expected = *plain_size_per_entry * tile.width;
    ASSIGN_OR_RETURN(Bytes plain,
                     MaybeGunzip(std::move(*body), options.http.max_response_bytes, expected),
                     "log " + url);
    return plain;
  }

  Result<std::vector<MerkleHash>> HashTile(int level, uint64_t index, uint32_t width) {
    if (level < 0 || level > kMaxTileLevel || width == 0 || width > kTileWidth) {
      return MakeError(ErrorCode::kInvalidArgument, Log() + ": no hash tile at level " +
                                                        std::to_string(level) + " of width " +
                                                        std::to_string(width));
    }
    {
      std::lock_guard lock(mutex);
      auto it = tiles.find({level, index});
      if (it != tiles.end() && it->second.size() >= width) {
        return std::vector<MerkleHash>(it->second.begin(), it->second.begin() + width);
      }
    }
    bool full = false;
    std::string url;
    Result<Bytes> body =
        FetchTile({.level = level, .index = index, .width = width}, kMerkleHashSize, full, url);
    if (!body) return std::unexpected(body.error());
    size_t got_width = full ? kTileWidth : width;
    // tlog-tiles: a tile is exactly its hashes back to back, 32 bytes each.
    if (body->size() != got_width * kMerkleHashSize) {
      return MakeError(ErrorCode::kMalformed,
                       "log " + url + ": hash tile of " + std::to_string(body->size()) +
                           " bytes, expected " + std::to_string(got_width * kMerkleHashSize) +
                           " (" + std::to_string(got_width) + " hashes)");
    }
    std::vector<MerkleHash> hashes(got_width);
    for (size_t i = 0; i < got_width; ++i) {
      std::copy_n(body->begin() + static_cast<std::ptrdiff_t>(i * kMerkleHashSize), kMerkleHashSize,
                  hashes[i].begin());
    }
    {
      std::lock_guard lock(mutex);
      ++counters.hash_tile_fetches;
      auto key_pair = std::make_pair(level, index);
      auto [it, inserted] = tiles.try_emplace(key_pair);
      if (inserted) {
        tile_order.push_back(key_pair);
        while (tile_order.size() > std::max<size_t>(1, options.max_cached_tiles)) {
          tiles.erase(tile_order.front());
          tile_order.pop_front();
        }
      }
      auto found = tiles.find(key_pair);
      if (found != tiles.end() && found->second.size() < hashes.size()) found->second = hashes;
    }
    hashes.resize(width);
    return hashes;
  }

  Result<std::vector<TileLeaf>> DataTile(uint64_t index, uint32_t width) {
    if (width == 0 || width > kTileWidth) {
      return MakeError(ErrorCode::kInvalidArgument,
                       Log() + ": no data tile of width " + std::to_string(width));
    }
    bool full = false;
    std::string url;
    Result<Bytes> body =
        FetchTile({.is_data = true, .index = index, .width = width}, std::nullopt, full, url);
    if (!body) return std::unexpected(body.error());
    ASSIGN_OR_RETURN(std::vector<TileLeaf> leaves, ParseDataTile(*body, full ? kTileWidth : width),
                     "log " + url + ": data tile");
    leaves.resize(width);
    std::lock_guard lock(mutex);
    ++counters.data_tile_fetches;
    return leaves;
  }

  std::string IssuerCachePath(const std::string& hex) const {
    return options.issuer_cache_dir + "/" + hex;
  }

  Result<Bytes> Issuer(const Sha256Digest& fingerprint) {
    {
      std::lock_guard lock(mutex);
      auto it = issuers.find(fingerprint);
      if (it != issuers.end()) return it->second;
    }
    std::string hex = HexEncode(fingerprint);
    std::optional<Bytes> der;
    if (!options.issuer_cache_dir.empty()) {
      std::ifstream in(IssuerCachePath(hex), std::ios::binary);
      if (in) {
        Bytes data;
        char buffer[8192];
        while (in && data.size() <= kMaxIssuerBytes) {
          in.read(buffer, sizeof(buffer));
          data.insert(data.end(), buffer, buffer + in.gcount());
        }
        // A file that is not what its name says (corrupted, tampered) is ignored and refetched.
        if (data.size() <= kMaxIssuerBytes && Sha256(data) == fingerprint) {
          der = std::move(data);
          std::lock_guard lock(mutex);
          ++counters.issuer_disk_hits;
        }
      }
    }
    if (!der) {
      // static-ct-api "Issuers": issuer/<fingerprint>, the lowercase hex SHA-256 of the DER.
      std::string url = Url("issuer/" + hex);
      Result<std::string> body = Fetch(url, kMaxIssuerBytes);
      {
        std::lock_guard lock(mutex);
        ++counters.issuer_fetches;
      }
      if (!body) return std::unexpected(body.error());
      Bytes data(body->begin(), body->end());
      if (Sha256(data) != fingerprint) {
        return MakeError(ErrorCode::kVerificationFailed,
                         "log " + url + ": the certificate served does not hash to " + hex);
      }
      if (!options.issuer_cache_dir.empty()) StoreIssuer(hex, data);
      der = std::move(data);
    }
    std::lock_guard lock(mutex);
    // Both bounds: a hostile log could name thousands of distinct issuers of up to
    // kMaxIssuerBytes each. Clearing is crude but cheap; real logs name a few hundred issuers.
    if (issuers.size() >= std::max<size_t>(1, options.max_cached_issuers) ||
        issuer_bytes + der->size() > options.max_cached_issuer_bytes) {
      issuers.clear();
      issuer_bytes = 0;
    }
    if (issuers.emplace(fingerprint, *der).second) issuer_bytes += der->size();
    return *der;
  }

  // Best effort: a cache that cannot be written only costs a refetch next time. Written to a
  // temporary name and renamed, so a reader never sees half a certificate.
  void StoreIssuer(const std::string& hex, const Bytes& der) const {
    std::error_code ignored;
    std::filesystem::create_directories(options.issuer_cache_dir, ignored);
    std::string path = IssuerCachePath(hex);
    std::string temporary = path + ".tmp" + std::to_string(reinterpret_cast<uintptr_t>(this));
    {
      std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
      if (!out) return;
      out.write(reinterpret_cast<const char*>(der.data()),
                static_cast<std::streamsize>(der.size()));
      if (!out) {
        std::filesystem::remove(temporary, ignored);
        return;
      }
    }
    std::filesystem::rename(temporary, path, ignored);
    if (ignored) std::filesystem::remove(temporary, ignored);
  }

  // The hash of NodeId `node` in a tree of `tree_size`, from the tile that holds it: level l is
  // in tile level l / 8, as the root of 2^(l % 8) consecutive hashes of that level.
  Result<MerkleHash> NodeHash(const NodeId& node, uint64_t tree_size) {
    int tile_level = node.level / kTileHeight;
    int within = node.level % kTileHeight;
    if (tile_level > kMaxTileLevel) {
      return MakeError(ErrorCode::kUnsupported,
                       Log() + ": tree too large for static-ct-api tiles (node level " +
                           std::to_string(node.level) + ")");
    }
    uint64_t first = node.index << within;  // first hash at tile_level
    uint64_t count = uint64_t{1} << within;
    uint64_t tile_index = first / kTileWidth;
    uint64_t offset = first % kTileWidth;
    uint32_t width = TileWidthInTree(tile_level, tile_index, tree_size);
    if (width < offset + count) {
      return MakeError(ErrorCode::kInternal, Log() + ": proof node outside the tree");
    }
    ASSIGN_OR_RETURN(std::vector<MerkleHash> tile, HashTile(tile_level, tile_index, width));
    return FoldPerfect(
        std::vector<MerkleHash>(tile.begin() + static_cast<std::ptrdiff_t>(offset),
                                tile.begin() + static_cast<std::ptrdiff_t>(offset + count)));
  }

  Result<std::vector<MerkleHash>> ProofFromPlan(const ProofPlan& plan, uint64_t tree_size) {
    std::vector<MerkleHash> hashes;
    hashes.reserve(plan.nodes.size());
    for (const NodeId& node : plan.nodes) {
      ASSIGN_OR_RETURN(MerkleHash hash, NodeHash(node, tree_size));
      hashes.push_back(hash);
    }
    return AssembleProof(plan, hashes);
  }

  // The LogEntry get-entries would serve for `leaf` at `index` (RFC 6962 §4.6).
  Result<LogEntry> ToLogEntry(uint64_t index, const TileLeaf& leaf) {
    std::string what = Log() + ": entry " + std::to_string(index);
    // static-ct-api "Log entries": the extensions hold the entry's leaf_index.
    ASSIGN_OR_RETURN(SctExtensions extensions,
                     ParseSctExtensions(leaf.timestamped_entry.extensions), what + " extensions");
    if (extensions.leaf_index && *extensions.leaf_index != index) {
      return MakeError(ErrorCode::kVerificationFailed, what + ": its leaf_index extension says " +
                                                           std::to_string(*extensions.leaf_index));
    }
    EntryChain chain;
    chain.pre_certificate = leaf.pre_certificate;
    for (const Sha256Digest& fingerprint : leaf.certificate_chain) {
      ASSIGN_OR_RETURN(Bytes issuer, Issuer(fingerprint));
      chain.chain.push_back(std::move(issuer));
    }
    LogEntryType type = leaf.timestamped_entry.signed_entry.type;
    ASSIGN_OR_RETURN(Bytes extra_data, SerializeExtraData(type, chain), what + " extra_data");
    ASSIGN_OR_RETURN(Bytes leaf_input, SerializeMerkleTreeLeaf(leaf.timestamped_entry), what);
    if (options.http.keep_malformed_entries) {
      return MakeLenientLogEntry(index, std::move(leaf_input), std::move(extra_data));
    }
    ASSIGN_OR_RETURN(LogEntry entry,
                     MakeLogEntry(index, std::move(leaf_input), std::move(extra_data)), what);
    return entry;
  }
};

StaticLogClient::StaticLogClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
StaticLogClient::~StaticLogClient() = default;
StaticLogClient::StaticLogClient(StaticLogClient&&) noexcept = default;
StaticLogClient& StaticLogClient::operator=(StaticLogClient&&) noexcept = default;

Result<StaticLogClient> StaticLogClient::Create(std::string monitoring_url,
                                                std::shared_ptr<const LogKey> key,
                                                StaticLogClientOptions options) {
  RETURN_IF_ERROR(CheckLogUrl(monitoring_url));
  if (Result<void> ok = CheckLogClientOptions(options.http); !ok) {
    return std::unexpected(ok.error());
  }
  if (!options.origin.empty() && !IsValidNoteKeyName(options.origin)) {
    return MakeError(
        ErrorCode::kInvalidArgument,
        "checkpoint origin " + QuoteUntrusted(options.origin) + " is not a valid note key name");
  }
  if (!monitoring_url.ends_with('/')) monitoring_url += '/';
  auto impl = std::make_unique<Impl>();
  impl->base_url = std::move(monitoring_url);
  impl->key = std::move(key);
  impl->options = std::move(options);
  // Tiles are binary, checkpoints text; gzip is accepted through Accept-Encoding (libcurl).
  ASSIGN_OR_RETURN(impl->http,
                   HttpFetcher::Create(impl->options.http, {.headers = {"Accept: */*"}}));
  return StaticLogClient(std::move(impl));
}

const std::string& StaticLogClient::base_url() const { return impl_->base_url; }
const std::shared_ptr<const LogKey>& StaticLogClient::key() const { return impl_->key; }

LogClientStats StaticLogClient::http_stats() const { return impl_->http->stats(); }

StaticLogClientStats StaticLogClient::stats() const {
  std::lock_guard lock(impl_->mutex);
  StaticLogClientStats stats = impl_->counters;
  stats.http = impl_->http->stats();
  return stats;
}

Result<std::string> StaticLogClient::GetCheckpointNote() { return impl_->CheckpointNote(); }

Result<StaticCheckpoint> StaticLogClient::GetCheckpoint() { return impl_->VerifiedCheckpoint(); }

Result<SignedTreeHead> StaticLogClient::GetSth() {
  ASSIGN_OR_RETURN(StaticCheckpoint checkpoint, impl_->VerifiedCheckpoint());
  return std::move(checkpoint.head);
}

Result<std::vector<MerkleHash>> StaticLogClient::GetHashTile(int level, uint64_t index,
                                                             uint32_t width) {
  return impl_->HashTile(level, index, width);
}

Result<std::vector<TileLeaf>> StaticLogClient::GetDataTile(uint64_t index, uint32_t width) {
  return impl_->DataTile(index, width);
}

Result<Bytes> StaticLogClient::GetIssuer(const Sha256Digest& fingerprint) {
  return impl_->Issuer(fingerprint);
}

Result<std::vector<LogEntry>> StaticLogClient::GetEntriesBatch(uint64_t start, uint64_t end) {
  if (start > end) {
    return MakeError(ErrorCode::kInvalidArgument, impl_->Log() + ": entries start " +
                                                      std::to_string(start) + " after end " +
                                                      std::to_string(end));
  }
  ASSIGN_OR_RETURN(uint64_t tree_size, impl_->TreeSizeCovering(end));
  uint64_t tile_index = start / kTileWidth;
  uint32_t width = TileWidthInTree(0, tile_index, tree_size);  // >= 1: start < end < size
  ASSIGN_OR_RETURN(std::vector<TileLeaf> leaves, impl_->DataTile(tile_index, width));
  uint64_t first = tile_index * kTileWidth;
  uint64_t last = std::min(end, first + width - 1);
  std::vector<LogEntry> entries;
  entries.reserve(static_cast<size_t>(last - start + 1));
  for (uint64_t index = start; index <= last; ++index) {
    ASSIGN_OR_RETURN(LogEntry entry, impl_->ToLogEntry(index, (leaves)[index - first]));
    entries.push_back(std::move(entry));
  }
  if (impl_->options.check_data_tiles) {
    // The level-0 hash tile of the same index holds these entries' leaf hashes (static-ct-api
    // "Log entries"); every entry of the tile is compared, not only those returned.
    ASSIGN_OR_RETURN(std::vector<MerkleHash> hashes, impl_->HashTile(0, tile_index, width));
    for (uint32_t i = 0; i < width; ++i) {
      Result<MerkleHash> hash = LeafHashOf((leaves)[i].timestamped_entry);
      if (!hash || *hash != (hashes)[i]) {
        return MakeError(ErrorCode::kVerificationFailed,
                         impl_->Log() +
                             TilePath({.is_data = true, .index = tile_index, .width = width}) +
                             ": entry " + std::to_string(first + i) +
                             " does not hash to the level 0 hash tile's leaf hash");
      }
    }
  }
  return entries;
}

Result<std::vector<MerkleHash>> StaticLogClient::GetInclusionProof(uint64_t index,
                                                                   uint64_t tree_size) {
  if (index >= tree_size) {
    return MakeError(ErrorCode::kInvalidArgument,
                     impl_->Log() + ": leaf index " + std::to_string(index) +
                         " is not below tree size " + std::to_string(tree_size));
  }
  ASSIGN_OR_RETURN(ProofPlan plan, PlanInclusionProof(index, tree_size), impl_->Log());
  return impl_->ProofFromPlan(plan, tree_size);
}

Result<std::vector<MerkleHash>> StaticLogClient::GetConsistencyProof(uint64_t first,
                                                                     uint64_t second) {
  if (first == 0 || first > second) {
    return MakeError(ErrorCode::kInvalidArgument,
                     impl_->Log() + ": no consistency proof from size " + std::to_string(first) +
                         " to " + std::to_string(second));
  }
  if (first == second) return std::vector<MerkleHash>();
  ASSIGN_OR_RETURN(ProofPlan plan, PlanConsistencyProof(first, second), impl_->Log());
  return impl_->ProofFromPlan(plan, second);
}

Result<EntryAndProof> StaticLogClient::GetEntryAndProof(uint64_t index, uint64_t tree_size) {
  if (index >= tree_size) {
    return MakeError(ErrorCode::kInvalidArgument,
                     impl_->Log() + ": leaf index " + std::to_string(index) +
                         " is not below tree size " + std::to_string(tree_size));
  }
  uint64_t tile_index = index / kTileWidth;
  Result<std::vector<TileLeaf>> leaves =
      impl_->DataTile(tile_index, TileWidthInTree(0, tile_index, tree_size));
  if (!leaves) return std::unexpected(leaves.error());
  ASSIGN_OR_RETURN(LogEntry entry, impl_->ToLogEntry(index, (*leaves)[index % kTileWidth]));
  ASSIGN_OR_RETURN(std::vector<MerkleHash> proof, GetInclusionProof(index, tree_size));
  return EntryAndProof{std::move(entry), std::move(proof)};
}

Result<void> StaticLogClient::VerifyConsistencyBetween(const SignedTreeHead& old_sth,
                                                       const SignedTreeHead& new_sth) {
  RETURN_IF_ERROR(impl_->CheckHead(old_sth, "old tree head"));
  RETURN_IF_ERROR(impl_->CheckHead(new_sth, "new tree head"));
  return VerifyHeadsConsistent(
      old_sth, new_sth, impl_->Log(), "consistency proof (from hash tiles)",
      [this](uint64_t first, uint64_t second) { return GetConsistencyProof(first, second); });
}

Result<void> StaticLogClient::ProveInclusionAt(const MerkleHash& leaf_hash, uint64_t index,
                                               const SignedTreeHead& sth) {
  if (Result<void> ok = impl_->CheckHead(sth, "tree head"); !ok) return ok;
  ASSIGN_OR_RETURN(std::vector<MerkleHash> proof, GetInclusionProof(index, sth.tree_size));
  if (Result<void> ok = VerifyInclusion(leaf_hash, index, sth.tree_size, proof, sth.root_hash);
      !ok) {
    return std::unexpected(ProofFailure(
        ok.error(), impl_->Log() + ": inclusion proof (from hash tiles) for leaf " +
                        std::to_string(index) + " in tree size " + std::to_string(sth.tree_size)));
  }
  return {};
}

Result<void> StaticLogClient::ProveEntry(const LogEntry& entry, const SignedTreeHead& sth) {
  return ProveInclusionAt(entry.leaf_hash, entry.index, sth);
}

}  // namespace ctkit
