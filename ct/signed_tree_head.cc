#include "ct/signed_tree_head.h"

#include <nlohmann/json.hpp>

#include "ct/json_input.h"
#include "ct/tls_codec.h"

namespace ctkit {
namespace {

constexpr uint8_t kSignatureTypeTreeHash = 1;  // RFC 6962 §3.2 SignatureType tree_hash(1)

}  // namespace

Bytes TreeHeadSignatureInput(const SignedTreeHead& head) {
  TlsBuilder builder;
  builder
      .AddU8(0)  // v1
      .AddU8(kSignatureTypeTreeHash)
      .AddU64(head.timestamp_ms)
      .AddU64(head.tree_size)
      .AddFixed(head.root_hash);
  return *std::move(builder).Finish();  // fixed-size fields: cannot fail
}

Result<void> VerifySignedTreeHead(const SignedTreeHead& head, const LogKey& key) {
  RETURN_IF_ERROR(key.Verify(TreeHeadSignatureInput(head), head.signature), "tree head signature");
  // RFC 6962 §2.1: the root of the empty tree is SHA-256 of the empty string, so a head of size
  // 0 with another root is no Merkle tree head, however well signed.
  if (head.tree_size == 0 && head.root_hash != EmptyTreeRoot()) {
    return MakeError(ErrorCode::kVerificationFailed,
                     "tree of size 0 with a root other than the empty tree's (RFC 6962 §2.1)");
  }
  return {};
}

Result<SignedTreeHead> SignTreeHead(uint64_t tree_size, uint64_t timestamp_ms,
                                    const MerkleHash& root_hash, const LogSigner& signer) {
  SignedTreeHead head{.tree_size = tree_size, .timestamp_ms = timestamp_ms, .root_hash = root_hash};
  Result<DigitallySigned> signature = signer.Sign(TreeHeadSignatureInput(head));
  if (!signature) return std::unexpected(signature.error());
  head.signature = std::move(*signature);
  return head;
}

Result<SignedTreeHead> ParseSthJson(std::string_view text) {
  ASSIGN_OR_RETURN(nlohmann::json json, ParseJson(text), "get-sth");
  SignedTreeHead head;
  ASSIGN_OR_RETURN(uint64_t size, JsonUint(json, "tree_size"), "get-sth");
  ASSIGN_OR_RETURN(uint64_t timestamp, JsonUint(json, "timestamp"), "get-sth");
  ASSIGN_OR_RETURN(std::string root, JsonString(json, "sha256_root_hash"), "get-sth");
  Result<Bytes> root_bytes = Base64Decode(root);
  Result<MerkleHash> root_hash = root_bytes
                                     ? MerkleHashFromBytes(*root_bytes)
                                     : Result<MerkleHash>(std::unexpected(root_bytes.error()));
  if (!root_hash)
    return std::unexpected(WithContext(root_hash.error(), "get-sth sha256_root_hash"));
  Result<std::string> signature = JsonString(json, "tree_head_signature");
  if (!signature) return std::unexpected(WithContext(signature.error(), "get-sth"));
  Result<Bytes> signature_bytes = Base64Decode(*signature);
  if (!signature_bytes) {
    return std::unexpected(WithContext(signature_bytes.error(), "get-sth tree_head_signature"));
  }
  TlsReader reader(*signature_bytes);
  Result<DigitallySigned> signed_value = ReadDigitallySigned(reader);
  if (!signed_value) {
    return std::unexpected(WithContext(signed_value.error(), "get-sth tree_head_signature"));
  }
  if (Result<void> done = reader.ExpectEmpty("tree_head_signature"); !done) {
    return std::unexpected(WithContext(done.error(), "get-sth"));
  }
  head.tree_size = size;
  head.timestamp_ms = timestamp;
  head.root_hash = *root_hash;
  head.signature = std::move(*signed_value);
  return head;
}

std::string SthToJson(const SignedTreeHead& head) {
  Result<Bytes> encoded = EncodeDigitallySigned(head.signature);
  nlohmann::ordered_json json = {
      {"tree_size", head.tree_size},
      {"timestamp", head.timestamp_ms},
      {"sha256_root_hash", Base64Encode(head.root_hash)},
      {"tree_head_signature", encoded ? Base64Encode(*encoded) : std::string()}};
  return json.dump();
}

}  // namespace ctkit
