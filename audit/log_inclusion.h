// Is this certificate in this log? The proof `ctkit log inclusion` gives for one certificate
// and one log, over either API:
//   1. the leaf the log promised: from the certificate's embedded SCTs (RFC 6962 §3.3) by the
//      log's key, the precert_entry rebuilt from the certificate and its issuer (RFC 6962 §3.2,
//      ct/signed_entry.h) with the SCT's timestamp and extensions (ct/log_entry.h EntryForSct),
//      and its leaf hash;
//   2. that leaf proven in the tree of a verified head: an RFC 6962 log finds it by hash
//      (get-proof-by-hash, §4.5); a static-ct-api log has no such lookup, so the SCT's leaf_index
//      extension (static-ct-api "SCT Extension") says where it is and the proof comes from
//      hash tiles.
//
//   Result<PromisedLeaf> leaf = PromisedLeafOf(cert, chain, *key, "give it with --issuer");
//   Result<SignedTreeHead> head = reader->GetSth();
//   Result<uint64_t> index = ProveLeafInHead(*reader, *leaf, *head);
//
// audit/inclusion_prover.h asks the same of every valid SCT of an audit, with the MMD in mind.

#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "base/error.h"
#include "ct/log_key.h"
#include "ct/sct.h"
#include "ct/signed_tree_head.h"
#include "logclient/log_reader.h"
#include "merkle/merkle_hash.h"
#include "x509/certificate.h"

namespace ctkit::audit {

// The entry a log's SCT promised for a certificate.
struct PromisedLeaf {
  SignedCertificateTimestamp sct;
  MerkleHash leaf_hash{};
  bool sct_signature_valid = false;  // only then does the log stand behind this very entry
};

// The leaf of the SCT embedded in `leaf` (a final certificate) by the log with `key`, its issuer
// found among `others` in any order. Of several SCTs from the log, one whose signature holds is
// preferred. Errors:
//   kNotFound         no embedded SCT from this log, or no SCT list at all (for a
//                     precertificate: "a precertificate carries no SCTs; give the final
//                     certificate")
//   kInvalidArgument  the issuer is not among `others`: "the issuer certificate (<issuer>) is
//                     needed to rebuild the logged entry; " and `missing_issuer_hint`
//   kMalformed ...    an SCT list or an entry that cannot be read or built
Result<PromisedLeaf> PromisedLeafOf(const CertificateView& leaf,
                                    std::span<const CertificateView> others, const LogKey& key,
                                    std::string_view missing_issuer_hint);

// Proves `leaf` is in the tree of `head` (verified, from `reader`); returns its index. When the
// tree does not hold it, kVerificationFailed: "the log's tree of size N does not contain the
// certificate's leaf", noting when the SCT is newer than the head (within the log's merge delay,
// RFC 6962 §3). A static-ct-api SCT without a leaf_index extension is kVerificationFailed too;
// other errors are the log client's (kNetwork when the log cannot be reached).
Result<uint64_t> ProveLeafInHead(LogReader& reader, const PromisedLeaf& leaf,
                                 const SignedTreeHead& head);

}  // namespace ctkit::audit
