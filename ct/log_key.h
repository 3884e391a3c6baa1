// A CT log's public key, and the TLS `digitally-signed` values it verifies (SCTs, tree heads).
//
// RFC 6962 §2.1.4: logs sign with ECDSA over NIST P-256 or with RSA (PKCS#1 v1.5), always with
// SHA-256. Nothing else is accepted here: a P-384 key or a SHA-384 signature is kUnsupported,
// never "valid" — a verifier that accepts more than the RFC allows accepts what browsers reject.
//
// A LogKey is parsed once from its DER SubjectPublicKeyInfo (the form of log lists and RFC 6962
// §3.2's log_id = SHA-256(SPKI)) and is immutable afterwards, so one instance is shared by every
// thread through shared_ptr<const LogKey>. Verification does no key parsing and no provider
// look-up per call: the OpenSSL verify context is set up at load time, and each thread verifies
// on its own copy of it, made on the thread's first use of the key and reused afterwards.
//
// ECDSA signatures must be strict DER (X.690 §10): minimal lengths, minimal positive INTEGERs,
// no trailing bytes. A non-DER encoding of a valid (r, s) is rejected even if a lax parser would
// accept it; otherwise one signature has many encodings and a log's SCTs become malleable.

#pragma once

#include <openssl/types.h>

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>
#include <unordered_map>

#include "base/bytes.h"
#include "base/error.h"
#include "base/openssl_ptr.h"
#include "base/sha256.h"
#include "ct/tls_codec.h"

namespace ctkit {

// RFC 6962 §3.2: "SHA-256 hash of the log's public key", the key in DER SubjectPublicKeyInfo.
using LogId = std::array<uint8_t, 32>;

// RFC 5246 §7.4.1.4.1. Parsing keeps any byte value; only kSha256 verifies (RFC 6962 §2.1.4).
enum class HashAlgorithm : uint8_t {
  kNone = 0,
  kMd5 = 1,
  kSha1 = 2,
  kSha224 = 3,
  kSha256 = 4,
  kSha384 = 5,
  kSha512 = 6,
};

// RFC 5246 §7.4.1.4.1. Only kRsa and kEcdsa are used by CT logs.
enum class SignatureAlgorithm : uint8_t {
  kAnonymous = 0,
  kRsa = 1,
  kDsa = 2,
  kEcdsa = 3,
};

// RFC 5246 §4.7 `digitally-signed` as the TLS 1.2 structure encodes it:
//   struct { SignatureAndHashAlgorithm algorithm; opaque signature<0..2^16-1>; } DigitallySigned;
struct DigitallySigned {
  HashAlgorithm hash_algorithm = HashAlgorithm::kSha256;
  SignatureAlgorithm signature_algorithm = SignatureAlgorithm::kEcdsa;
  Bytes signature;

  bool operator==(const DigitallySigned&) const = default;
};

// RFC 6962 §2.1.4: logs sign with SHA-256, using ECDSA (P-256) or RSA. Every other hash or
// signature algorithm is one no log may use, and ctkit implements none of them.
bool IsRfc6962SignatureAlgorithm(const DigitallySigned& signature);

// Reads one DigitallySigned from `reader` (kMalformed on truncation or a bad length).
Result<DigitallySigned> ReadDigitallySigned(TlsReader& reader);
// Appends its encoding (the builder fails if the signature exceeds 2^16-1 bytes).
void AddDigitallySigned(TlsBuilder& builder, const DigitallySigned& value);
// Its encoding alone: what get-sth's tree_head_signature and add-chain's signature carry in
// base64, and what stores keep (kInvalidArgument over 2^16-1 bytes).
Result<Bytes> EncodeDigitallySigned(const DigitallySigned& value);

enum class LogKeyAlgorithm {
  kEcdsaP256Sha256,  // RFC 6962 §2.1.4 "ECDSA ... NIST P-256 curve"
  kRsaSha256,        // RFC 6962 §2.1.4 "RSA signatures (RSASSA-PKCS1-v1_5 with SHA-256)"
};

// RSA keys shorter than this are refused: RFC 6962 §2.1.4 "using a key of at least 2048 bits".
inline constexpr int kMinRsaLogKeyBits = 2048;
// And longer than this too: no log uses one, and a huge modulus makes every verify expensive.
inline constexpr int kMaxRsaLogKeyBits = 8192;

class LogKey {
 public:
  // Parses a DER SubjectPublicKeyInfo. kMalformed if it is not exactly one DER SPKI (trailing
  // bytes, BER forms), kUnsupported for any key other than P-256 or RSA of 2048..8192 bits.
  static Result<std::shared_ptr<const LogKey>> FromSpkiDer(ByteSpan spki_der);

  // Parses a PEM "PUBLIC KEY" block (text before it, such as `openssl -text` output, is skipped),
  // then as FromSpkiDer.
  static Result<std::shared_ptr<const LogKey>> FromPem(std::string_view pem);

  ~LogKey();
  LogKey(const LogKey&) = delete;
  LogKey& operator=(const LogKey&) = delete;

  const LogId& log_id() const { return log_id_; }
  LogKeyAlgorithm algorithm() const { return algorithm_; }
  const Bytes& spki_der() const { return spki_der_; }

  // Verifies `signature` over `message`. Errors:
  //   kUnsupported         the hash is not SHA-256, or the signature algorithm is not one a log
  //                        may use (RFC 6962 §2.1.4)
  //   kVerificationFailed  the signature algorithm does not match this key's type, the ECDSA
  //                        signature is not strict DER, or the signature does not verify
  Result<void> Verify(ByteSpan message, const DigitallySigned& signature) const;

  // As Verify, given SHA-256(message): lets callers hash a structure piecewise without building
  // it (the SCT hot path).
  Result<void> VerifyDigest(const Sha256Digest& message_digest,
                            const DigitallySigned& signature) const;

 private:
  LogKey() = default;

  Bytes spki_der_;
  LogId log_id_{};
  LogKeyAlgorithm algorithm_ = LogKeyAlgorithm::kEcdsaP256Sha256;
  size_t max_signature_size_ = 0;
  UniquePtr<EVP_PKEY> pkey_;
  // Initialised for verification with SHA-256 (and PKCS#1 padding for RSA) once. Calls verify on
  // a per-thread duplicate (log_key.cc), so concurrent calls never share mutable state.
  UniquePtr<EVP_PKEY_CTX> verify_template_;
  // Process-unique, never reused (unlike the address): names this key in per-thread caches.
  uint64_t serial_ = 0;
};

// True when `signature` is exactly the DER encoding of ECDSA-Sig-Value (RFC 3279 §2.2.3,
// SEQUENCE { r INTEGER, s INTEGER }) with positive r and s of at most `max_integer_size` bytes.
bool IsStrictDerEcdsaSignature(ByteSpan signature, size_t max_integer_size = 33);

// The set of known log keys, looked up by log_id (RFC 6962 §3.2). Each key is parsed once and
// shared; a keyring is safe to read from many threads once filled.
class LogKeyring {
 public:
  // Adds `key`; returns false (and keeps the existing key) if its log_id is already present.
  bool Add(std::shared_ptr<const LogKey> key);

  // The key with this log_id, or nullptr; valid while the keyring holds the key. A plain
  // pointer: threads verifying against the same log take no shared reference count.
  const LogKey* FindKey(const LogId& log_id) const;

  size_t size() const { return keys_.size(); }

 private:
  struct LogIdHash {
    size_t operator()(const LogId& id) const;
  };
  std::unordered_map<LogId, std::shared_ptr<const LogKey>, LogIdHash> keys_;
};

}  // namespace ctkit
