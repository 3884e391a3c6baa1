#include "audit/log_inclusion.h"

#include <optional>
#include <string>
#include <vector>

#include "ct/log_entry.h"
#include "ct/sct_verify.h"
#include "ct/signed_entry.h"
#include "logclient/log_client.h"
#include "logclient/static_log_client.h"

namespace ctkit::audit {
namespace {

// The embedded SCTs of `leaf` from the log with `key`.
Result<std::vector<SignedCertificateTimestamp>> EmbeddedSctsFrom(const CertificateView& leaf,
                                                                 const LogKey& key) {
  ASSIGN_OR_RETURN(ByteSpan list, leaf.EmbeddedSctList(),
                   leaf.IsPrecertificate()
                       ? "a precertificate carries no SCTs; give the final certificate"
                       : "embedded SCT list");
  ASSIGN_OR_RETURN(std::vector<Bytes> serialized, ParseSctList(list), "embedded SCT list");
  std::vector<SignedCertificateTimestamp> ours;
  for (const Bytes& item : serialized) {
    Result<SignedCertificateTimestamp> sct = ParseSct(item);
    if (sct && sct->log_id == key.log_id()) ours.push_back(*sct);
  }
  if (ours.empty()) {
    return MakeError(ErrorCode::kNotFound,
                     "the certificate has no embedded SCT from this log (log id " +
                         Base64Encode(key.log_id()) + ")");
  }
  return ours;
}

// A static-ct-api log has no lookup by hash: the SCT's leaf_index extension names the entry.
Result<uint64_t> ProveAtLeafIndex(StaticLogClient& client, const PromisedLeaf& leaf,
                                  const SignedTreeHead& head) {
  Result<SctExtensions> extensions = ParseSctExtensions(leaf.sct.extensions);
  if (!extensions || !extensions->leaf_index) {
    return MakeError(ErrorCode::kVerificationFailed,
                     "the log's SCT carries no leaf_index extension, which every SCT of a "
                     "static-ct-api log must (static-ct-api \"SCT Extension\")");
  }
  uint64_t index = *extensions->leaf_index;
  if (index >= head.tree_size) return MakeError(ErrorCode::kNotFound, "not in the tree yet");
  RETURN_IF_ERROR(client.ProveInclusionAt(leaf.leaf_hash, index, head));
  return index;
}

Result<uint64_t> ProveLeaf(LogReader& reader, const PromisedLeaf& leaf,
                           const SignedTreeHead& head) {
  if (auto* client = dynamic_cast<LogClient*>(&reader)) {
    return client->ProveInclusion(leaf.leaf_hash, head);
  }
  if (auto* tiles = dynamic_cast<StaticLogClient*>(&reader)) {
    return ProveAtLeafIndex(*tiles, leaf, head);
  }
  return MakeError(ErrorCode::kUnsupported, "no inclusion proofs from this kind of log reader");
}

}  // namespace

Result<PromisedLeaf> PromisedLeafOf(const CertificateView& leaf,
                                    std::span<const CertificateView> others, const LogKey& key,
                                    std::string_view missing_issuer_hint) {
  ASSIGN_OR_RETURN(std::vector<SignedCertificateTimestamp> ours, EmbeddedSctsFrom(leaf, key));
  Result<SignedEntry> signed_entry = SignedEntryForSct(leaf, others, SctDelivery::kEmbedded);
  if (!signed_entry && signed_entry.error().code == ErrorCode::kNotFound) {
    return MakeError(ErrorCode::kInvalidArgument, "the issuer certificate (" + leaf.issuer() +
                                                      ") is needed to rebuild the logged entry; " +
                                                      std::string(missing_issuer_hint));
  }
  RETURN_IF_ERROR(signed_entry, "precertificate entry");
  std::optional<PromisedLeaf> found;
  for (const SignedCertificateTimestamp& sct : ours) {
    PromisedLeaf candidate{.sct = sct, .leaf_hash = {}, .sct_signature_valid = false};
    ASSIGN_OR_RETURN(candidate.leaf_hash, LeafHashOf(EntryForSct(sct, *signed_entry)));
    Result<Bytes> input = BuildSctSignatureInput(sct, *signed_entry);
    candidate.sct_signature_valid = input && key.Verify(*input, sct.signature).has_value();
    // Prefer an SCT whose signature holds: only that one promises this very entry.
    if (!found || (!found->sct_signature_valid && candidate.sct_signature_valid)) {
      found = candidate;
    }
  }
  return *found;
}

Result<uint64_t> ProveLeafInHead(LogReader& reader, const PromisedLeaf& leaf,
                                 const SignedTreeHead& head) {
  Result<uint64_t> index = ProveLeaf(reader, leaf, head);
  if (index || index.error().code != ErrorCode::kNotFound) return index;
  // RFC 6962 §3: a log incorporates an entry within its maximum merge delay of the SCT.
  std::string reason = "the log's tree of size " + std::to_string(head.tree_size) +
                       " does not contain the certificate's leaf";
  if (leaf.sct.timestamp_ms > head.timestamp_ms) {
    reason += " (the SCT is newer than the tree head: within the log's merge delay)";
  }
  return MakeError(ErrorCode::kVerificationFailed, reason);
}

}  // namespace ctkit::audit
