#include "ct/log_entry.h"

#include <algorithm>

#include "ct/tls_codec.h"

namespace ctkit {
namespace {

constexpr uint64_t kU16Max = 0xffff;
constexpr uint64_t kU24Max = 0xffffff;
// Bounds a chain in extra_data: far above any real chain, far below what exhausts memory.
constexpr size_t kMaxChainCertificates = 64;

// Walks a certificate_chain<0..2^24-1>, handing each certificate to `on_certificate` as a view.
template <typename OnCertificate>
Result<void> ReadCertificateChain(TlsReader& reader, OnCertificate on_certificate) {
  ASSIGN_OR_RETURN(ByteSpan list, reader.ReadVector(0, kU24Max), "certificate chain");
  TlsReader certificates(list);
  size_t count = 0;
  while (!certificates.empty()) {
    if (count == kMaxChainCertificates) {
      return MakeError(ErrorCode::kMalformed, "certificate chain has more than " +
                                                  std::to_string(kMaxChainCertificates) +
                                                  " certificates");
    }
    Result<ByteSpan> cert = certificates.ReadVector(1, kU24Max);
    if (!cert) {
      return std::unexpected(
          WithContext(cert.error(), "chain certificate " + std::to_string(count)));
    }
    on_certificate(*cert);
    ++count;
  }
  return {};
}

// RFC 6962 §4.6 extra_data for `type`: returns the pre_certificate (empty for x509_entry) and
// hands each chain certificate to `on_certificate`, all as views into `extra_data`.
template <typename OnCertificate>
Result<ByteSpan> WalkExtraData(LogEntryType type, ByteSpan extra_data,
                               OnCertificate on_certificate) {
  TlsReader reader(extra_data);
  ByteSpan pre_certificate;
  if (type == LogEntryType::kPrecert) {
    ASSIGN_OR_RETURN(ByteSpan precert, reader.ReadVector(1, kU24Max), "pre_certificate");
    pre_certificate = precert;
  }
  if (Result<void> chain = ReadCertificateChain(reader, on_certificate); !chain) {
    return std::unexpected(chain.error());
  }
  if (Result<void> done = reader.ExpectEmpty("extra_data"); !done) {
    return std::unexpected(done.error());
  }
  return pre_certificate;
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
    return MakeError(
        ErrorCode::kUnsupported,
        "MerkleTreeLeaf leaf_type " + std::to_string(*leaf_type) + " is not timestamped_entry");
  }
  TimestampedEntry entry;
  ASSIGN_OR_RETURN(uint64_t timestamp, reader.ReadU64(), "timestamp");
  entry.timestamp_ms = timestamp;
  ASSIGN_OR_RETURN(uint16_t type, reader.ReadU16(), "entry_type");
  // The signed_entry decoded into its fields; the certificate or TBS copied once, as is.
  if (type == static_cast<uint16_t>(LogEntryType::kX509)) {
    ASSIGN_OR_RETURN(ByteSpan cert, reader.ReadVector(1, kU24Max), "ASN.1Cert");
    ASSIGN_OR_RETURN(entry.signed_entry, X509SignedEntry(cert));
  } else if (type == static_cast<uint16_t>(LogEntryType::kPrecert)) {
    ASSIGN_OR_RETURN(ByteSpan key_hash, reader.ReadFixed(kSha256Size), "issuer_key_hash");
    ASSIGN_OR_RETURN(ByteSpan tbs, reader.ReadVector(1, kU24Max), "TBSCertificate");
    Sha256Digest issuer_key_hash;
    std::copy(key_hash.begin(), key_hash.end(), issuer_key_hash.begin());
    ASSIGN_OR_RETURN(entry.signed_entry, PrecertSignedEntry(issuer_key_hash, tbs));
  } else {
    return MakeError(ErrorCode::kMalformed, "unknown entry_type " + std::to_string(type));
  }
  ASSIGN_OR_RETURN(ByteSpan extensions, reader.ReadVector(0, kU16Max), "extensions");
  entry.extensions.assign(extensions.begin(), extensions.end());
  if (Result<void> done = reader.ExpectEmpty("MerkleTreeLeaf"); !done) {
    return std::unexpected(done.error());
  }
  return entry;
}

Result<Bytes> SerializeMerkleTreeLeaf(const TimestampedEntry& entry) {
  if (entry.signed_entry.der_size() == 0) {
    return MakeError(ErrorCode::kInvalidArgument, "signed_entry has no certificate or TBS");
  }
  TlsBuilder head;
  head.AddU8(0)  // v1
      .AddU8(0)  // timestamped_entry
      .AddU64(entry.timestamp_ms)
      .AddU16(static_cast<uint16_t>(entry.signed_entry.type));
  TlsBuilder tail;
  tail.AddVector(0, kU16Max, entry.extensions);
  ASSIGN_OR_RETURN(Bytes leaf, std::move(head).Finish());
  ASSIGN_OR_RETURN(Bytes extensions, std::move(tail).Finish(), "extensions");
  // The signed_entry between the two, appended from wherever it lies.
  leaf.reserve(leaf.size() + entry.signed_entry.encoded_size() + extensions.size());
  entry.signed_entry.AppendEncoding(leaf);
  leaf.insert(leaf.end(), extensions.begin(), extensions.end());
  return leaf;
}

Result<MerkleHash> LeafHashOf(const TimestampedEntry& entry) {
  ASSIGN_OR_RETURN(Bytes leaf, SerializeMerkleTreeLeaf(entry));
  return HashLeaf(leaf);
}

TimestampedEntry EntryForSct(const SignedCertificateTimestamp& sct, SignedEntry signed_entry) {
  return {.timestamp_ms = sct.timestamp_ms,
          .signed_entry = std::move(signed_entry),
          .extensions = sct.extensions};
}

Result<EntryChain> ParseExtraData(LogEntryType type, ByteSpan extra_data) {
  EntryChain result;
  ASSIGN_OR_RETURN(ByteSpan precert, WalkExtraData(type, extra_data, [&](ByteSpan cert) {
                     result.chain.emplace_back(cert.begin(), cert.end());
                   }));
  result.pre_certificate.assign(precert.begin(), precert.end());
  return result;
}

Result<ByteSpan> CheckExtraData(LogEntryType type, ByteSpan extra_data) {
  return WalkExtraData(type, extra_data, [](ByteSpan) {});
}

Result<Bytes> SerializeExtraData(LogEntryType type, const EntryChain& chain) {
  TlsBuilder certificates;
  for (const Bytes& cert : chain.chain) certificates.AddVector(1, kU24Max, cert);
  ASSIGN_OR_RETURN(Bytes list, std::move(certificates).Finish());
  TlsBuilder builder;
  if (type == LogEntryType::kPrecert) builder.AddVector(1, kU24Max, chain.pre_certificate);
  builder.AddVector(0, kU24Max, list);
  return std::move(builder).Finish();
}

}  // namespace ctkit
