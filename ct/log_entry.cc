#include "ct/log_entry.h"

#include "ct/tls_codec.h"

namespace ctkit {
namespace {

constexpr uint64_t kU16Max = 0xffff;
constexpr uint64_t kU24Max = 0xffffff;
// Bounds a chain in extra_data: far above any real chain, far below what exhausts memory.
constexpr size_t kMaxChainCertificates = 64;

Result<std::vector<Bytes>> ReadCertificateChain(TlsReader& reader) {
  Result<ByteSpan> list = reader.ReadVector(0, kU24Max);
  if (!list) return std::unexpected(WithContext(list.error(), "certificate chain"));
  TlsReader certificates(*list);
  std::vector<Bytes> chain;
  while (!certificates.empty()) {
    if (chain.size() == kMaxChainCertificates) {
      return MakeError(ErrorCode::kMalformed, "certificate chain has more than " +
                                                  std::to_string(kMaxChainCertificates) +
                                                  " certificates");
    }
    Result<ByteSpan> cert = certificates.ReadVector(1, kU24Max);
    if (!cert) {
      return std::unexpected(
          WithContext(cert.error(), "chain certificate " + std::to_string(chain.size())));
    }
    chain.emplace_back(cert->begin(), cert->end());
  }
  return chain;
}

}  // namespace

Result<TimestampedEntry> ParseMerkleTreeLeaf(ByteSpan leaf_input) {
  TlsReader reader(leaf_input);
  Result<uint8_t> version = reader.ReadU8();
  Result<uint8_t> leaf_type = version ? reader.ReadU8() : Result<uint8_t>(0);
  if (!version || !leaf_type) return MakeError(ErrorCode::kMalformed, "MerkleTreeLeaf truncated");
  if (*version != 0) {
    return MakeError(ErrorCode::kUnsupported,
                     "MerkleTreeLeaf version " + std::to_string(*version) + " is not v1");
  }
  if (*leaf_type != 0) {
    return MakeError(ErrorCode::kUnsupported, "MerkleTreeLeaf leaf_type " +
                                                  std::to_string(*leaf_type) +
                                                  " is not timestamped_entry");
  }
  TimestampedEntry entry;
  Result<uint64_t> timestamp = reader.ReadU64();
  if (!timestamp) return std::unexpected(WithContext(timestamp.error(), "timestamp"));
  entry.timestamp_ms = *timestamp;
  Result<uint16_t> type = reader.ReadU16();
  if (!type) return std::unexpected(WithContext(type.error(), "entry_type"));
  TlsBuilder encoded;
  if (*type == static_cast<uint16_t>(LogEntryType::kX509)) {
    Result<ByteSpan> cert = reader.ReadVector(1, kU24Max);
    if (!cert) return std::unexpected(WithContext(cert.error(), "ASN.1Cert"));
    encoded.AddVector(1, kU24Max, *cert);
    entry.signed_entry.type = LogEntryType::kX509;
  } else if (*type == static_cast<uint16_t>(LogEntryType::kPrecert)) {
    Result<ByteSpan> key_hash = reader.ReadFixed(kSha256Size);
    if (!key_hash) return std::unexpected(WithContext(key_hash.error(), "issuer_key_hash"));
    Result<ByteSpan> tbs = reader.ReadVector(1, kU24Max);
    if (!tbs) return std::unexpected(WithContext(tbs.error(), "TBSCertificate"));
    encoded.AddFixed(*key_hash).AddVector(1, kU24Max, *tbs);
    entry.signed_entry.type = LogEntryType::kPrecert;
  } else {
    return MakeError(ErrorCode::kMalformed, "unknown entry_type " + std::to_string(*type));
  }
  Result<Bytes> signed_entry = std::move(encoded).Finish();
  if (!signed_entry) return std::unexpected(signed_entry.error());
  entry.signed_entry.encoded = std::move(*signed_entry);
  Result<ByteSpan> extensions = reader.ReadVector(0, kU16Max);
  if (!extensions) return std::unexpected(WithContext(extensions.error(), "extensions"));
  entry.extensions.assign(extensions->begin(), extensions->end());
  if (Result<void> done = reader.ExpectEmpty("MerkleTreeLeaf"); !done) {
    return std::unexpected(done.error());
  }
  return entry;
}

Result<Bytes> SerializeMerkleTreeLeaf(const TimestampedEntry& entry) {
  TlsBuilder builder;
  builder.AddU8(0)  // v1
      .AddU8(0)     // timestamped_entry
      .AddU64(entry.timestamp_ms)
      .AddU16(static_cast<uint16_t>(entry.signed_entry.type))
      .AddFixed(entry.signed_entry.encoded)
      .AddVector(0, kU16Max, entry.extensions);
  return std::move(builder).Finish();
}

Result<MerkleHash> LeafHashOf(const TimestampedEntry& entry) {
  Result<Bytes> leaf = SerializeMerkleTreeLeaf(entry);
  if (!leaf) return std::unexpected(leaf.error());
  return HashLeaf(*leaf);
}

TimestampedEntry EntryForSct(const SignedCertificateTimestamp& sct, SignedEntry signed_entry) {
  return {.timestamp_ms = sct.timestamp_ms,
          .signed_entry = std::move(signed_entry),
          .extensions = sct.extensions};
}

Result<DecodedSignedEntry> DecodeSignedEntry(const SignedEntry& entry) {
  TlsReader reader(entry.encoded);
  DecodedSignedEntry decoded;
  if (entry.type == LogEntryType::kX509) {
    Result<ByteSpan> cert = reader.ReadVector(1, kU24Max);
    if (!cert) return std::unexpected(WithContext(cert.error(), "ASN.1Cert"));
    decoded.certificate = *cert;
  } else {
    Result<ByteSpan> key_hash = reader.ReadFixed(kSha256Size);
    if (!key_hash) return std::unexpected(WithContext(key_hash.error(), "issuer_key_hash"));
    std::copy(key_hash->begin(), key_hash->end(), decoded.issuer_key_hash.begin());
    Result<ByteSpan> tbs = reader.ReadVector(1, kU24Max);
    if (!tbs) return std::unexpected(WithContext(tbs.error(), "TBSCertificate"));
    decoded.tbs_certificate = *tbs;
  }
  if (Result<void> done = reader.ExpectEmpty("signed_entry"); !done) {
    return std::unexpected(done.error());
  }
  return decoded;
}

Result<EntryChain> ParseExtraData(LogEntryType type, ByteSpan extra_data) {
  TlsReader reader(extra_data);
  EntryChain result;
  if (type == LogEntryType::kPrecert) {
    Result<ByteSpan> precert = reader.ReadVector(1, kU24Max);
    if (!precert) return std::unexpected(WithContext(precert.error(), "pre_certificate"));
    result.pre_certificate.assign(precert->begin(), precert->end());
  }
  Result<std::vector<Bytes>> chain = ReadCertificateChain(reader);
  if (!chain) return std::unexpected(chain.error());
  result.chain = std::move(*chain);
  if (Result<void> done = reader.ExpectEmpty("extra_data"); !done) {
    return std::unexpected(done.error());
  }
  return result;
}

Result<Bytes> SerializeExtraData(LogEntryType type, const EntryChain& chain) {
  TlsBuilder certificates;
  for (const Bytes& cert : chain.chain) certificates.AddVector(1, kU24Max, cert);
  Result<Bytes> list = std::move(certificates).Finish();
  if (!list) return std::unexpected(list.error());
  TlsBuilder builder;
  if (type == LogEntryType::kPrecert) builder.AddVector(1, kU24Max, chain.pre_certificate);
  builder.AddVector(0, kU24Max, *list);
  return std::move(builder).Finish();
}

}  // namespace ctkit
