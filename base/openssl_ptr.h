// UniquePtr (base/unique_ptr.h) for libcrypto's object types, so no file writes its own deleter:
//
//   UniquePtr<EVP_PKEY> key(d2i_PUBKEY(nullptr, &data, length));
//   UniquePtr<EVP_MD_CTX> context(EVP_MD_CTX_new());
//
// Buffers libcrypto allocates for the caller (i2d_*, BIO_get_mem_data copies) are
// OpensslBuffer, freed with OPENSSL_free. libssl's types are registered in audit/, the one
// folder that links it.

#pragma once

#include <openssl/types.h>
#include <openssl/x509.h>  // X509_EXTENSION, X509_STORE_CTX are not in types.h

#include <memory>

#include "base/unique_ptr.h"

CTKIT_DECLARE_DELETER(BIO)
CTKIT_DECLARE_DELETER(BIGNUM)
CTKIT_DECLARE_DELETER(EVP_MD_CTX)
CTKIT_DECLARE_DELETER(EVP_PKEY)
CTKIT_DECLARE_DELETER(EVP_PKEY_CTX)
CTKIT_DECLARE_DELETER(X509)
CTKIT_DECLARE_DELETER(X509_EXTENSION)
CTKIT_DECLARE_DELETER(X509_STORE)
CTKIT_DECLARE_DELETER(X509_STORE_CTX)

namespace ctkit {

struct OpensslFree {
  void operator()(void* buffer) const;
};
template <typename T>
using OpensslBuffer = std::unique_ptr<T, OpensslFree>;

}  // namespace ctkit
