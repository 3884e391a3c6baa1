#include "ct/sct_verify.h"

#include <array>

namespace ctkit {
namespace {

constexpr uint64_t kU16Max = 0xffff;

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

// RFC 6962 §3.2: the signed struct, hashed piecewise, the signed_entry where it lies (no copy of
// the possibly large entry per SCT). The SCT must be v1 with encodable extensions.
Sha256Digest SignatureInputDigest(const SignedCertificateTimestamp& sct, const SignedEntry& entry) {
  const auto prefix = SignedPrefix(sct, entry.type);
  const uint8_t extensions_length[2] = {static_cast<uint8_t>(sct.extensions.size() >> 8),
                                        static_cast<uint8_t>(sct.extensions.size())};
  Sha256Hasher hasher;
  hasher.Update(prefix);
  entry.HashEncoding(hasher);
  return hasher.Update(extensions_length).Update(sct.extensions).Finish();
}

}  // namespace

SctStatus VerifySct(const SignedCertificateTimestamp& sct, const SignedEntry& entry,
                    const LogKeyring& keyring, std::optional<uint64_t> now_ms) {
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
  if (!key->VerifyDigest(SignatureInputDigest(sct, entry), sct.signature)) {
    return SctStatus::kInvalidSignature;
  }
  // RFC 6962 §5.2: "TLS clients MUST reject SCTs whose timestamp is in the future."
  if (now_ms && sct.timestamp_ms > *now_ms) return SctStatus::kFutureTimestamp;
  return SctStatus::kValid;
}

Result<Bytes> BuildSctSignatureInput(const SignedCertificateTimestamp& sct,
                                     const SignedEntry& entry) {
  if (sct.version != SctVersion::kV1) {
    return MakeError(ErrorCode::kInvalidArgument, "SCT version is not v1");
  }
  if (sct.extensions.size() > kU16Max) {
    return MakeError(ErrorCode::kInvalidArgument, "SCT extensions over 2^16-1 bytes");
  }
  const auto prefix = SignedPrefix(sct, entry.type);
  Bytes out(prefix.begin(), prefix.end());
  out.reserve(prefix.size() + entry.encoded_size() + 2 + sct.extensions.size());
  entry.AppendEncoding(out);
  out.push_back(static_cast<uint8_t>(sct.extensions.size() >> 8));
  out.push_back(static_cast<uint8_t>(sct.extensions.size()));
  out.insert(out.end(), sct.extensions.begin(), sct.extensions.end());
  return out;
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
