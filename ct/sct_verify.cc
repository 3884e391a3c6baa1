#include "ct/sct_verify.h"

#include <algorithm>
#include <array>

#include "ct/tls_codec.h"

namespace ctkit {
namespace {

constexpr uint64_t kU16Max = 0xffff;
constexpr uint64_t kU24Max = 0xffffff;

// version(1) signature_type(1) timestamp(8) entry_type(2): the fixed part before signed_entry.
constexpr size_t kSignedPrefixSize = 12;

std::array<uint8_t, kSignedPrefixSize> SignedPrefix(const SignedCertificateTimestamp& sct,
                                                    LogEntryType type) {
  std::array<uint8_t, kSignedPrefixSize> out{};
  out[0] = static_cast<uint8_t>(sct.version);
  out[1] = kSignatureTypeCertificateTimestamp;
  for (int i = 0; i < 8; ++i) out[2 + i] = static_cast<uint8_t>(sct.timestamp_ms >> (56 - 8 * i));
  out[10] = static_cast<uint8_t>(static_cast<uint16_t>(type) >> 8);
  out[11] = static_cast<uint8_t>(static_cast<uint16_t>(type));
  return out;
}

// The three octets of a TLS 24-bit length (RFC 5246 §4.3), at `out`.
void PutU24(size_t value, uint8_t* out) {
  out[0] = static_cast<uint8_t>(value >> 16);
  out[1] = static_cast<uint8_t>(value >> 8);
  out[2] = static_cast<uint8_t>(value);
}

// RFC 6962 §3.2: the signed struct, hashed piecewise: `add_entry` feeds the signed_entry's
// encoding to the hasher. The SCT must be v1 with encodable extensions.
template <typename AddEntry>
Sha256Digest SignatureInputDigest(const SignedCertificateTimestamp& sct, LogEntryType type,
                                  AddEntry add_entry) {
  const auto prefix = SignedPrefix(sct, type);
  const uint8_t extensions_length[2] = {static_cast<uint8_t>(sct.extensions.size() >> 8),
                                        static_cast<uint8_t>(sct.extensions.size())};
  Sha256Hasher hasher;
  hasher.Update(prefix);
  add_entry(hasher);
  return hasher.Update(extensions_length).Update(sct.extensions).Finish();
}

// VerifySct's checks in order; `digest` computes the signed input's hash when they get that far.
template <typename Digest>
SctStatus VerifyWith(const SignedCertificateTimestamp& sct, const LogKeyring& keyring,
                     std::optional<uint64_t> now_ms, Digest digest) {
  if (sct.version != SctVersion::kV1) return SctStatus::kUnsupportedVersion;
  // A plain pointer: a shared_ptr copy per SCT would make threads that verify against the same
  // log bump one reference count from several cores.
  const LogKey* key = keyring.FindKey(sct.log_id);
  if (key == nullptr) {
    // Signed in a way no log may sign (RFC 6962 §2.1.4), which ctkit implements for no log:
    // said as such, whichever log the SCT names (a P-384 log never enters a keyring).
    return IsRfc6962SignatureAlgorithm(sct.signature) ? SctStatus::kUnknownLog
                                                      : SctStatus::kUnsupportedAlgorithm;
  }
  // A parsed SCT cannot carry more; a hand-built one can, and then has no encoding.
  if (sct.extensions.size() > kU16Max) return SctStatus::kMalformed;
  // The log's key decides: a hash or signature algorithm that is not the key's own (SHA-1 or
  // SHA-384 on a P-256/SHA-256 log, RSA on an ECDSA log) is a signature that cannot be the log's.
  if (!key->VerifyDigest(digest(), sct.signature)) return SctStatus::kInvalidSignature;
  // RFC 6962 §5.2: "TLS clients MUST reject SCTs whose timestamp is in the future."
  if (now_ms && sct.timestamp_ms > *now_ms) return SctStatus::kFutureTimestamp;
  return SctStatus::kValid;
}

}  // namespace

Bytes SignedEntryPieces::Concatenate() const {
  size_t size = prefix_size;
  for (ByteSpan range : body) size += range.size();
  Bytes out;
  out.reserve(size);
  out.insert(out.end(), prefix.begin(), prefix.begin() + prefix_size);
  for (ByteSpan range : body) out.insert(out.end(), range.begin(), range.end());
  return out;
}

Result<SignedEntryPieces> X509SignedEntryPieces(ByteSpan certificate_der) {
  // Out of bounds: the TlsBuilder path words the error.
  if (certificate_der.empty() || certificate_der.size() > kU24Max) {
    Result<SignedEntry> failed = X509SignedEntry(certificate_der);
    if (!failed) return std::unexpected(failed.error());
  }
  SignedEntryPieces entry;
  entry.type = LogEntryType::kX509;
  PutU24(certificate_der.size(), entry.prefix.data());
  entry.prefix_size = 3;
  entry.body.push_back(certificate_der);
  return entry;
}

Result<SignedEntryPieces> PrecertSignedEntryPieces(const Sha256Digest& issuer_key_hash,
                                                   std::span<const ByteSpan> tbs_ranges) {
  size_t tbs_size = 0;
  for (ByteSpan range : tbs_ranges) tbs_size += range.size();
  if (tbs_size == 0 || tbs_size > kU24Max) {
    Bytes tbs;
    for (ByteSpan range : tbs_ranges) tbs.insert(tbs.end(), range.begin(), range.end());
    Result<SignedEntry> failed = PrecertSignedEntry(issuer_key_hash, tbs);
    if (!failed) return std::unexpected(failed.error());
  }
  SignedEntryPieces entry;
  entry.type = LogEntryType::kPrecert;
  std::copy(issuer_key_hash.begin(), issuer_key_hash.end(), entry.prefix.begin());
  PutU24(tbs_size, entry.prefix.data() + issuer_key_hash.size());
  entry.prefix_size = issuer_key_hash.size() + 3;
  entry.body.assign(tbs_ranges.begin(), tbs_ranges.end());
  return entry;
}

Result<SignedEntry> X509SignedEntry(ByteSpan certificate_der) {
  TlsBuilder builder;
  builder.AddVector(1, kU24Max, certificate_der);
  auto encoded = std::move(builder).Finish();
  if (!encoded) return std::unexpected(WithContext(encoded.error(), "ASN.1Cert"));
  return SignedEntry{LogEntryType::kX509, std::move(*encoded)};
}

Result<SignedEntry> PrecertSignedEntry(const Sha256Digest& issuer_key_hash, ByteSpan tbs_der) {
  TlsBuilder builder;
  builder.AddFixed(issuer_key_hash).AddVector(1, kU24Max, tbs_der);
  auto encoded = std::move(builder).Finish();
  if (!encoded) return std::unexpected(WithContext(encoded.error(), "PreCert"));
  return SignedEntry{LogEntryType::kPrecert, std::move(*encoded)};
}

Result<Bytes> BuildSctSignatureInput(const SignedCertificateTimestamp& sct,
                                     const SignedEntry& entry) {
  if (sct.version != SctVersion::kV1) {
    return MakeError(ErrorCode::kInvalidArgument, "SCT version is not v1");
  }
  TlsBuilder builder;
  builder.AddFixed(SignedPrefix(sct, entry.type))
      .AddFixed(entry.encoded)
      .AddVector(0, kU16Max, sct.extensions);
  return std::move(builder).Finish();
}

std::string_view SctStatusName(SctStatus status) {
  switch (status) {
    case SctStatus::kValid:
      return "valid";
    case SctStatus::kUnknownLog:
      return "unknown_log";
    case SctStatus::kInvalidSignature:
      return "invalid_signature";
    case SctStatus::kFutureTimestamp:
      return "future_timestamp";
    case SctStatus::kUnsupportedVersion:
      return "unsupported_version";
    case SctStatus::kMalformed:
      return "malformed";
    case SctStatus::kUnsupportedAlgorithm:
      return "unsupported_algorithm";
    case SctStatus::kUntrustedAtTime:
      return "untrusted_at_time";
    case SctStatus::kUnverifiableNoIssuer:
      return "unverifiable_no_issuer";
  }
  return "unknown";
}

SctStatus VerifySct(const SignedCertificateTimestamp& sct, const SignedEntry& entry,
                    const LogKeyring& keyring, std::optional<uint64_t> now_ms) {
  // Hash the signed structure piecewise: no copy of the (possibly large) entry per SCT.
  return VerifyWith(sct, keyring, now_ms, [&] {
    return SignatureInputDigest(sct, entry.type,
                                [&](Sha256Hasher& hasher) { hasher.Update(entry.encoded); });
  });
}

Sha256Digest SctSignatureInputDigest(const SignedCertificateTimestamp& sct,
                                     const SignedEntryPieces& entry) {
  return SignatureInputDigest(sct, entry.type, [&](Sha256Hasher& hasher) {
    hasher.Update(ByteSpan(entry.prefix.data(), entry.prefix_size));
    for (ByteSpan range : entry.body) hasher.Update(range);
  });
}

SctStatus VerifySct(const SignedCertificateTimestamp& sct, const SignedEntryPieces& entry,
                    const LogKeyring& keyring, std::optional<uint64_t> now_ms) {
  return VerifyWith(sct, keyring, now_ms, [&] { return SctSignatureInputDigest(sct, entry); });
}

SctStatus VerifySerializedSct(ByteSpan serialized_sct, const SignedEntry& entry,
                              const LogKeyring& keyring, std::optional<uint64_t> now_ms) {
  auto sct = ParseSct(serialized_sct);
  if (!sct) {
    return sct.error().code == ErrorCode::kUnsupported ? SctStatus::kUnsupportedVersion
                                                       : SctStatus::kMalformed;
  }
  return VerifySct(*sct, entry, keyring, now_ms);
}

}  // namespace ctkit
