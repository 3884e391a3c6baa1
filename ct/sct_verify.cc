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

}  // namespace

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

Result<SignedEntry> PrecertSignedEntryInPlace(const Sha256Digest& issuer_key_hash,
                                              Bytes&& tbs_der) {
  // Same bounds as the TlsBuilder path: opaque TBSCertificate<1..2^24-1>.
  if (tbs_der.empty() || tbs_der.size() > kU24Max)
    return PrecertSignedEntry(issuer_key_hash, ByteSpan(tbs_der));
  const size_t size = tbs_der.size();
  std::array<uint8_t, 32 + 3> prefix;
  std::copy(issuer_key_hash.begin(), issuer_key_hash.end(), prefix.begin());
  prefix[32] = static_cast<uint8_t>(size >> 16);
  prefix[33] = static_cast<uint8_t>(size >> 8);
  prefix[34] = static_cast<uint8_t>(size);
  tbs_der.insert(tbs_der.begin(), prefix.begin(), prefix.end());
  return SignedEntry{LogEntryType::kPrecert, std::move(tbs_der)};
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
  if (sct.version != SctVersion::kV1) return SctStatus::kUnsupportedVersion;
  // RFC 6962 §2.1.4. Decided before the log look-up: no log may sign this way, so the answer
  // does not depend on which log claims the SCT (and a P-384 log never enters a keyring).
  const DigitallySigned& signature = sct.signature;
  if (signature.hash_algorithm != HashAlgorithm::kSha256 ||
      (signature.signature_algorithm != SignatureAlgorithm::kEcdsa &&
       signature.signature_algorithm != SignatureAlgorithm::kRsa)) {
    return SctStatus::kUnsupportedAlgorithm;
  }
  std::shared_ptr<const LogKey> key = keyring.Find(sct.log_id);
  if (!key) return SctStatus::kUnknownLog;
  // A parsed SCT cannot carry more; a hand-built one can, and then has no encoding.
  if (sct.extensions.size() > kU16Max) return SctStatus::kMalformed;

  // Hash the signed structure piecewise: no copy of the (possibly large) entry per SCT.
  const auto prefix = SignedPrefix(sct, entry.type);
  const uint8_t extensions_length[2] = {static_cast<uint8_t>(sct.extensions.size() >> 8),
                                        static_cast<uint8_t>(sct.extensions.size())};
  Sha256Digest digest = Sha256Hasher()
                            .Update(prefix)
                            .Update(entry.encoded)
                            .Update(extensions_length)
                            .Update(sct.extensions)
                            .Finish();
  if (auto verified = key->VerifyDigest(digest, signature); !verified) {
    return verified.error().code == ErrorCode::kUnsupported ? SctStatus::kUnsupportedAlgorithm
                                                            : SctStatus::kInvalidSignature;
  }
  // RFC 6962 §5.2: "TLS clients MUST reject SCTs whose timestamp is in the future."
  if (now_ms && sct.timestamp_ms > *now_ms) return SctStatus::kFutureTimestamp;
  return SctStatus::kValid;
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
