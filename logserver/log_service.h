// A small, durable CT log (RFC 6962 §3-§4), independent of HTTP: accepts submissions and hands
// out SCTs, integrates accepted entries into its Merkle tree, signs tree heads, and answers the
// read API with proofs. logserver/http_server.h puts it on the network.
//
// Durability: an entry is committed to the database, at its final index, before its SCT is
// returned (concurrent submissions share one commit, logserver/log_database.h "Group commit");
// Integrate() later hashes committed entries into the tree. A crash between the two
// loses nothing: on restart the tree resumes from the last signed head and integrates the rest.
//
// Errors: kInvalidArgument for a bad request (HTTP 400), anything else is the log's fault (500).
// Thread-safe: submissions, reads and Integrate() may run concurrently.

#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <vector>

#include "base/error.h"
#include "ct/log_entry.h"
#include "ct/log_signer.h"
#include "ct/sct.h"
#include "ct/signed_tree_head.h"
#include "ct/tile_path.h"
#include "logserver/log_database.h"
#include "merkle/compact_range.h"
#include "x509/certificate.h"

namespace ctkit {

struct LogServiceOptions {
  // Accepted roots for add-chain / add-pre-chain: every stored chain ends at one (RFC 6962 §3.1,
  // §4.1; a root the submitter left out is appended, logserver/chain_check.h).
  std::vector<CertificateView> roots;
  // With no roots, accept chains to any root (a staging log). Open() refuses empty `roots`
  // without it, so that no log accepts everything by omission.
  bool accept_any_root = false;
  // SCTs carry the static-ct-api leaf_index extension (c2sp.org/static-ct-api).
  bool sct_leaf_index = false;
  // Most certificates a submitted chain may have (leaf included; an appended root not counted).
  size_t max_chain_length = 10;
  // Largest certificate (DER bytes) a submitted chain may hold: every entry is stored and
  // served for ever, so one oversized submission would cost every reader (a stored DoS).
  size_t max_cert_bytes = 64 * 1024;
  // Largest get-entries batch served; longer ranges are clamped (RFC 6962 §4.6 allows it).
  uint64_t max_get_entries = 256;
  // get-entries also stops before the entries' leaf_input and extra_data would pass this many
  // bytes, but always returns at least one entry (RFC 6962 §4.6: a log may return fewer).
  size_t max_get_entries_bytes = 8 << 20;
};

struct InclusionAnswer {
  uint64_t leaf_index = 0;
  std::vector<MerkleHash> audit_path;
};

class LogService {
 public:
  // Opens (or creates) the log in `database_path`. A new log signs an empty tree head at once.
  // kInvalidArgument when `options` has no roots and not accept_any_root.
  static Result<std::unique_ptr<LogService>> Open(const std::string& database_path,
                                                  std::shared_ptr<const LogSigner> signer,
                                                  LogServiceOptions options, uint64_t now_ms);

  // RFC 6962 §4.1 add-chain (precertificate = false) and §4.2 add-pre-chain (true). `chain` is
  // the submitted DER certificates, leaf first: at most max_chain_length of them, each at most
  // max_cert_bytes, checked by CheckChain (logserver/chain_check.h). The stored extra_data and
  // issuers are the checked chain above the leaf, ending at an accepted root (RFC 6962 §3.1).
  // The same leaf submitted again gets the same SCT.
  Result<SignedCertificateTimestamp> AddChain(std::span<const Bytes> chain, bool precertificate,
                                              uint64_t now_ms);

  // Integrates every accepted entry and signs a new head when the tree grew, or when the last
  // head is older than `refresh_ms` (so heads stay fresh within the MMD). Returns the latest head.
  Result<SignedTreeHead> Integrate(uint64_t now_ms, uint64_t refresh_ms);

  // The read API (RFC 6962 §4.3-§4.8), over the tree of the latest signed head.
  Result<SignedTreeHead> LatestHead();
  Result<std::vector<MerkleHash>> ConsistencyProof(uint64_t first, uint64_t second);
  Result<InclusionAnswer> ProofByHash(const MerkleHash& leaf_hash, uint64_t tree_size);
  // Entries [start, end] clamped to the tree, to max_get_entries and to max_get_entries_bytes.
  Result<std::vector<StoredEntry>> Entries(uint64_t start, uint64_t end);
  Result<std::pair<StoredEntry, std::vector<MerkleHash>>> EntryAndProof(uint64_t index,
                                                                        uint64_t tree_size);

  // The static-ct-api monitoring read path (c2sp.org/static-ct-api "Monitoring APIs"), over the
  // tree of the latest signed head, like the RFC 6962 read API. A tile exists when the tree
  // holds at least `tile.width` hashes (entries) of it: a full tile once all 256 are in the
  // tree, a partial one of any width up to what the tree has (so the partial tiles of every
  // earlier checkpoint stay available). kNotFound otherwise, and for an unknown issuer.
  //   HashTile: the 32-byte hashes of tree level 8 * tile.level, concatenated.
  //   DataTile: the entries' TileLeaf encodings (ct/tile_leaf.h), concatenated.
  //   Issuer:   the DER certificate with that SHA-256 fingerprint.
  Result<Bytes> HashTile(const TileId& tile);
  Result<Bytes> DataTile(const TileId& tile);
  Result<Bytes> Issuer(const Sha256Digest& fingerprint);

  const LogServiceOptions& options() const { return options_; }
  const LogSigner& signer() const { return *signer_; }

 private:
  LogService(std::unique_ptr<LogDatabase> db, std::shared_ptr<const LogSigner> signer,
             LogServiceOptions options)
      : db_(std::move(db)), signer_(std::move(signer)), options_(std::move(options)) {}
  Result<void> CheckTreeSize(uint64_t tree_size);
  // kNotFound unless the latest tree has `tile` at (at least) its width.
  Result<void> CheckTileInTree(const TileId& tile);

  std::unique_ptr<LogDatabase> db_;
  std::shared_ptr<const LogSigner> signer_;
  LogServiceOptions options_;
  std::mutex integrate_mutex_;                 // one integration at a time; guards range_
  CompactRange range_;                         // the integrated tree's frontier
  std::mutex head_mutex_;                      // guards latest_head_
  std::optional<SignedTreeHead> latest_head_;  // the last head committed, once Open() is done
};

}  // namespace ctkit
