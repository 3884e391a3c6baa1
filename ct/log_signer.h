// A log's private key: signs SCTs (RFC 6962 §3.2) and tree heads (§3.5) with ECDSA P-256 and
// SHA-256, the algorithm every current log uses (RFC 6962 §2.1.4). Used by the local log server
// (`ctkit log serve`) and `ctkit log keygen`; ctkit never needs a public log's private key.
//
// The key is stored as an unencrypted PKCS#8 PEM file. Signing is thread-safe (each call uses its
// own OpenSSL context).

#pragma once

#include <openssl/evp.h>

#include <memory>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"
#include "base/openssl_ptr.h"
#include "ct/log_key.h"

namespace ctkit {

class LogSigner {
 public:
  // A fresh P-256 key.
  static Result<std::shared_ptr<const LogSigner>> Generate();
  // An unencrypted PKCS#8 (or SEC1 "EC PRIVATE KEY") PEM holding a P-256 key.
  static Result<std::shared_ptr<const LogSigner>> FromPem(std::string_view pem);

  ~LogSigner();
  LogSigner(const LogSigner&) = delete;
  LogSigner& operator=(const LogSigner&) = delete;

  // Unencrypted PKCS#8 PEM of the private key.
  std::string PrivateKeyPem() const;
  // DER SubjectPublicKeyInfo of the public key, the `key` of a log list entry.
  const Bytes& public_key_der() const { return public_key_der_; }
  // SHA-256 of public_key_der(): the log ID (RFC 6962 §3.2).
  const LogId& log_id() const { return log_id_; }
  // The public half, for verifying what this signer signed.
  std::shared_ptr<const LogKey> public_key() const { return public_key_; }

  // A DigitallySigned (SHA-256, ECDSA, DER signature) over `message`.
  Result<DigitallySigned> Sign(ByteSpan message) const;

 private:
  LogSigner() = default;
  static Result<std::shared_ptr<const LogSigner>> FromPkey(EVP_PKEY* key);

  UniquePtr<EVP_PKEY> pkey_;
  Bytes public_key_der_;
  LogId log_id_{};
  std::shared_ptr<const LogKey> public_key_;
};

}  // namespace ctkit
