#include "logclient/log_reader.h"

#include <iterator>

#include "merkle/merkle_proof_plan.h"
#include "merkle/merkle_verify.h"

namespace ctkit {

Result<std::vector<LogEntry>> LogReader::GetEntries(uint64_t start, uint64_t end) {
  if (start > end) return GetEntriesBatch(start, end);  // the same error
  std::vector<LogEntry> entries;
  uint64_t next = start;
  while (true) {
    Result<std::vector<LogEntry>> batch = GetEntriesBatch(next, end);
    if (!batch) return batch;
    uint64_t got = batch->size();  // >= 1 and <= end - next + 1
    if (entries.empty()) {
      entries = std::move(*batch);
    } else {
      std::move(batch->begin(), batch->end(), std::back_inserter(entries));
    }
    if (got > end - next) break;  // reached `end` (written to avoid overflow at UINT64_MAX)
    next += got;
  }
  return entries;
}

Result<MerkleHash> LogReader::LeafHashWithoutEntry(uint64_t index, const SignedTreeHead& head) {
  if (index >= head.tree_size) {
    return MakeError(ErrorCode::kInvalidArgument, "leaf index " + std::to_string(index) +
                                                      " is not below tree size " +
                                                      std::to_string(head.tree_size));
  }
  if (index == 0 && head.tree_size == 1) return head.root_hash;
  ASSIGN_OR_RETURN(ProofPlan plan, index == 0 ? PlanInclusionProof(1, head.tree_size)
                                              : PlanConsistencyProof(index, index + 1));
  std::optional<size_t> element = LeafElement(plan, index);
  if (!element)
    return MakeError(ErrorCode::kInternal, "no proof element is leaf " + std::to_string(index));
  std::vector<MerkleHash> proof;
  if (index == 0) {
    ASSIGN_OR_RETURN(EntryAndProof second, GetEntryAndProof(1, head.tree_size));
    proof = std::move(second.audit_path);
  } else {
    ASSIGN_OR_RETURN(std::vector<MerkleHash> consistency, GetSthConsistency(index, index + 1));
    proof = std::move(consistency);
  }
  if (proof.size() != plan.element_ends.size()) {
    return MakeError(ErrorCode::kMalformed,
                     "log " + base_url() + ": " +
                         (index == 0 ? "audit path of leaf 1"
                                     : "consistency proof from " + std::to_string(index) + " to " +
                                           std::to_string(index + 1)) +
                         " has " + std::to_string(proof.size()) + " nodes, not " +
                         std::to_string(plan.element_ends.size()));
  }
  return proof[*element];
}

Error ProofFailure(const Error& error, const std::string& what) {
  return Error{ErrorCode::kVerificationFailed, what + ": " + error.message};
}

Result<void> VerifyHeadsConsistent(const SignedTreeHead& old_sth, const SignedTreeHead& new_sth,
                                   const std::string& log, const std::string& proof_name,
                                   const ConsistencyProofFetch& fetch_proof) {
  if (old_sth.tree_size > new_sth.tree_size) {
    return MakeError(ErrorCode::kVerificationFailed,
                     log + ": tree shrank from " + std::to_string(old_sth.tree_size) + " to " +
                         std::to_string(new_sth.tree_size));
  }
  if (old_sth.tree_size == new_sth.tree_size) {
    if (old_sth.root_hash != new_sth.root_hash) {
      return MakeError(
          ErrorCode::kVerificationFailed,
          log + ": two different roots for tree size " + std::to_string(old_sth.tree_size));
    }
    return {};
  }
  if (old_sth.tree_size == 0) return {};  // every tree extends the empty tree
  ASSIGN_OR_RETURN(std::vector<MerkleHash> proof,
                   fetch_proof(old_sth.tree_size, new_sth.tree_size));
  if (Result<void> ok = VerifyConsistency(old_sth.tree_size, new_sth.tree_size, proof,
                                          old_sth.root_hash, new_sth.root_hash);
      !ok) {
    return std::unexpected(ProofFailure(ok.error(), log + ": " + proof_name + " from " +
                                                        std::to_string(old_sth.tree_size) + " to " +
                                                        std::to_string(new_sth.tree_size)));
  }
  return {};
}

}  // namespace ctkit
