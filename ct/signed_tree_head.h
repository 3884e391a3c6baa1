// Signed tree heads (RFC 6962 §3.5, §4.3): a log's signed statement of its tree size and root.
//
//   digitally-signed struct {
//     Version version;                        // v1(0)
//     SignatureType signature_type = tree_hash;  // 1
//     uint64 timestamp;
//     uint64 tree_size;
//     opaque sha256_root_hash[32];
//   } TreeHeadSignature;
//
// get-sth answers {"tree_size", "timestamp", "sha256_root_hash" (base64), "tree_head_signature"
// (base64 of the TLS DigitallySigned)}. A head is only evidence once its signature verified
// under a key from the log list; sizes and roots are never trusted from anything else.

#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"
#include "ct/log_key.h"
#include "ct/log_signer.h"
#include "merkle/merkle_hash.h"

namespace ctkit {

struct SignedTreeHead {
  uint64_t tree_size = 0;
  uint64_t timestamp_ms = 0;
  MerkleHash root_hash{};
  DigitallySigned signature;

  bool operator==(const SignedTreeHead&) const = default;
};

// The TreeHeadSignature bytes the log signs for `head` (its signature field is ignored).
Bytes TreeHeadSignatureInput(const SignedTreeHead& head);

// kVerificationFailed unless `head.signature` is `key`'s signature over the head, and the head
// is a tree head at all: of size 0, only with the empty tree's root (RFC 6962 §2.1). Every
// head ctkit uses, from get-sth or a checkpoint, passes through here.
Result<void> VerifySignedTreeHead(const SignedTreeHead& head, const LogKey& key);

// Signs size, timestamp and root into a complete head.
Result<SignedTreeHead> SignTreeHead(uint64_t tree_size, uint64_t timestamp_ms,
                                    const MerkleHash& root_hash, const LogSigner& signer);

// The get-sth JSON response, strictly parsed (kMalformed names the field), and its encoding.
Result<SignedTreeHead> ParseSthJson(std::string_view json);
std::string SthToJson(const SignedTreeHead& head);

}  // namespace ctkit
