#include "base/openssl_ptr.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

CTKIT_DEFINE_DELETER(BIO, BIO_free)
CTKIT_DEFINE_DELETER(BIGNUM, BN_free)
CTKIT_DEFINE_DELETER(EVP_MD_CTX, EVP_MD_CTX_free)
CTKIT_DEFINE_DELETER(EVP_PKEY, EVP_PKEY_free)
CTKIT_DEFINE_DELETER(EVP_PKEY_CTX, EVP_PKEY_CTX_free)
CTKIT_DEFINE_DELETER(X509, X509_free)
CTKIT_DEFINE_DELETER(X509_EXTENSION, X509_EXTENSION_free)
CTKIT_DEFINE_DELETER(X509_STORE, X509_STORE_free)
CTKIT_DEFINE_DELETER(X509_STORE_CTX, X509_STORE_CTX_free)

namespace ctkit {

void OpensslFree::operator()(void* buffer) const { OPENSSL_free(buffer); }

}  // namespace ctkit
