// Building and signing X.509 certificates for the mock CA, with OpenSSL.
//
// A logged certificate is built twice from one LeafSpec (RFC 6962 §3.1): first as a
// precertificate whose last extension is the critical poison, then, once the logs answered, as
// the final certificate whose last extension is the SCT list instead. Everything else (serial,
// validity, key, names, the other extensions and their order) is identical, so the final
// certificate's TBS without the SCT list equals the precertificate's TBS without the poison:
// exactly what the logs signed.

#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "base/openssl_ptr.h"

namespace ctkit {

using PrivateKey = UniquePtr<EVP_PKEY>;
using X509Ptr = UniquePtr<X509>;

enum class KeyType { kEcdsaP256, kRsa2048 };

Result<PrivateKey> GeneratePrivateKey(KeyType type);
// 16 random bytes, positive, without a leading zero (RFC 5280 §4.1.2.2; CA/B Forum: 64+ bits).
Bytes RandomSerial();
std::string PrivateKeyToPem(EVP_PKEY* key);
Result<PrivateKey> PrivateKeyFromPem(std::string_view pem);
std::string CertificateToPem(ByteSpan der);
Bytes CertificateToDer(X509* cert);

// A CA certificate with its key.
struct CaCredentials {
  PrivateKey key;
  X509Ptr certificate;
};

// A self-signed root, or an intermediate signed by `parent`, valid for `days`.
Result<CaCredentials> CreateCaCertificate(const std::string& common_name,
                                          const std::string& organization, KeyType type, int days,
                                          const CaCredentials* parent);
Result<CaCredentials> LoadCaCredentials(std::string_view cert_pem, std::string_view key_pem);

struct LeafSpec {
  // DNS names and IP address literals (ca/certificate_name.h); the first is also the subject CN.
  std::vector<std::string> dns_names;
  Bytes serial;            // positive, at most 20 bytes (RFC 5280 §4.1.2.2)
  int64_t not_before = 0;  // Unix seconds
  int64_t not_after = 0;
  EVP_PKEY* subject_key = nullptr;  // public half goes into the certificate
};

enum class LeafKind {
  kPrecertificate,  // last extension: poison (critical NULL)
  kWithSctList,     // last extension: SCT list (the TLS SignedCertificateTimestampList)
  kPlain,           // no CT extension (CT logging disabled)
};

// Builds and signs the leaf. `sct_list` is the TLS-encoded list, for kWithSctList only.
Result<Bytes> BuildLeafCertificate(const CaCredentials& issuer, const LeafSpec& spec, LeafKind kind,
                                   ByteSpan sct_list = {});

}  // namespace ctkit
