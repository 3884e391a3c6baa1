// SHA-256 through OpenSSL's one-block-at-a-time API: no allocation per hash, which matters on
// the Merkle hot path (a proof of n nodes costs n+1 hashes of 65 bytes each).

#pragma once

#include <openssl/sha.h>

#include <array>
#include <cstdint>

#include "base/bytes.h"

namespace ctkit {

inline constexpr size_t kSha256Size = 32;
using Sha256Digest = std::array<uint8_t, kSha256Size>;

Sha256Digest Sha256(ByteSpan data);

// Incremental hashing over several pieces, state on the stack.
class Sha256Hasher {
 public:
  Sha256Hasher();
  Sha256Hasher& Update(ByteSpan data);
  Sha256Digest Finish();

 private:
  SHA256_CTX context_;
};

}  // namespace ctkit
