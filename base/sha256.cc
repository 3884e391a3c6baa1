// The low-level SHA256_* functions are deprecated in OpenSSL 3 in favour of EVP, but EVP
// re-initialises a provider context on every digest; these work on a stack context and are the
// fastest SHA-256 OpenSSL offers (same assembly, SHA-NI when the CPU has it).
#define OPENSSL_SUPPRESS_DEPRECATED
#include "base/sha256.h"

#include <openssl/sha.h>

namespace ctkit {

// Not OpenSSL's one-shot SHA256(): in OpenSSL 3 it goes through EVP_Q_digest, which fetches the
// algorithm (a lock and allocations) on every call.
Sha256Digest Sha256(ByteSpan data) {
  SHA256_CTX context;
  SHA256_Init(&context);
  SHA256_Update(&context, data.data(), data.size());
  Sha256Digest out;
  SHA256_Final(out.data(), &context);
  return out;
}

Sha256Hasher::Sha256Hasher() { SHA256_Init(&context_); }

Sha256Hasher& Sha256Hasher::Update(ByteSpan data) {
  SHA256_Update(&context_, data.data(), data.size());
  return *this;
}

Sha256Digest Sha256Hasher::Finish() {
  Sha256Digest out;
  SHA256_Final(out.data(), &context_);
  return out;
}

}  // namespace ctkit
