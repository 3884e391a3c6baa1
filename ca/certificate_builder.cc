#include "ca/certificate_builder.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include "ca/certificate_name.h"
#include "x509/der.h"
#include "x509/der_writer.h"
#include "x509/pem.h"

namespace ctkit {
namespace {

Result<void> SetName(X509_NAME* name, const std::string& common_name,
                     const std::string& organization) {
  if (!organization.empty() &&
      X509_NAME_add_entry_by_txt(name, "O", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(organization.c_str()), -1,
                                 -1, 0) != 1) {
    return MakeError(ErrorCode::kInvalidArgument, "bad organization name");
  }
  if (X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(common_name.c_str()), -1,
                                 -1, 0) != 1) {
    return MakeError(ErrorCode::kInvalidArgument, "bad common name");
  }
  return {};
}

// An extension given in OpenSSL's config syntax ("critical,CA:TRUE"), added last.
Result<void> AddConfExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX context;
  X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
  UniquePtr<X509_EXTENSION> extension(X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str()));
  if (!extension || X509_add_ext(cert, extension.get(), -1) != 1) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "cannot add extension " + std::string(OBJ_nid2sn(nid)) + " = " + value);
  }
  return {};
}

// An extension whose extnValue content octets are `value` (already DER), added last.
Result<void> AddRawExtension(X509* cert, const char* oid, bool critical, ByteSpan value) {
  ASN1_OBJECT* object = OBJ_txt2obj(oid, 1);
  ASN1_OCTET_STRING* octets = ASN1_OCTET_STRING_new();
  X509_EXTENSION* extension = nullptr;
  if (object && octets &&
      ASN1_OCTET_STRING_set(octets, value.data(), static_cast<int>(value.size())) == 1) {
    extension = X509_EXTENSION_create_by_OBJ(nullptr, object, critical ? 1 : 0, octets);
  }
  bool added = extension != nullptr && X509_add_ext(cert, extension, -1) == 1;
  X509_EXTENSION_free(extension);
  ASN1_OCTET_STRING_free(octets);
  ASN1_OBJECT_free(object);
  if (!added) return MakeError(ErrorCode::kInternal, std::string("cannot add extension ") + oid);
  return {};
}

Result<void> Sign(X509* cert, EVP_PKEY* key) {
  if (X509_sign(cert, key, EVP_sha256()) <= 0)
    return MakeError(ErrorCode::kInternal, "signing failed");
  return {};
}

Result<void> SetSerial(X509* cert, ByteSpan serial) {
  BIGNUM* number = BN_bin2bn(serial.data(), static_cast<int>(serial.size()), nullptr);
  bool ok = number != nullptr && BN_to_ASN1_INTEGER(number, X509_get_serialNumber(cert)) != nullptr;
  BN_free(number);
  if (!ok) return MakeError(ErrorCode::kInternal, "cannot set the serial number");
  return {};
}

}  // namespace

Bytes RandomSerial() {
  Bytes serial(16);
  RAND_bytes(serial.data(), static_cast<int>(serial.size()));
  serial[0] &= 0x7f;  // positive
  serial[0] |= 0x01;  // and no leading zero byte: exactly 16 bytes
  return serial;
}

Result<PrivateKey> GeneratePrivateKey(KeyType type) {
  EVP_PKEY* key = type == KeyType::kEcdsaP256 ? EVP_EC_gen("P-256") : EVP_RSA_gen(2048);
  if (key == nullptr) return MakeError(ErrorCode::kInternal, "key generation failed");
  return PrivateKey(key);
}

std::string PrivateKeyToPem(EVP_PKEY* key) {
  UniquePtr<BIO> bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_PKCS8PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  char* data = nullptr;
  long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(length));
}

Result<PrivateKey> PrivateKeyFromPem(std::string_view pem) {
  UniquePtr<BIO> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* key = PEM_read_bio_PrivateKey(
      bio.get(), nullptr, [](char*, int, int, void*) { return 0; }, nullptr);
  if (key == nullptr) return MakeError(ErrorCode::kMalformed, "not an unencrypted PEM private key");
  return PrivateKey(key);
}

std::string CertificateToPem(ByteSpan der) { return PemEncode("CERTIFICATE", der); }

Bytes CertificateToDer(X509* cert) {
  int length = i2d_X509(cert, nullptr);
  Bytes der(length > 0 ? static_cast<size_t>(length) : 0);
  unsigned char* out = der.data();
  if (length > 0) i2d_X509(cert, &out);
  return der;
}

Result<CaCredentials> CreateCaCertificate(const std::string& common_name,
                                          const std::string& organization, KeyType type, int days,
                                          const CaCredentials* parent) {
  ASSIGN_OR_RETURN(PrivateKey key, GeneratePrivateKey(type));
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  RETURN_IF_ERROR(SetSerial(cert.get(), RandomSerial()));
  if (Result<void> ok = SetName(X509_get_subject_name(cert.get()), common_name, organization);
      !ok) {
    return std::unexpected(ok.error());
  }
  X509* issuer = parent ? parent->certificate.get() : cert.get();
  X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400L * days);
  X509_set_pubkey(cert.get(), key.get());
  for (auto [nid, value] : {std::pair{NID_basic_constraints,
                                      parent ? "critical,CA:TRUE,pathlen:0" : "critical,CA:TRUE"},
                            {NID_key_usage, "critical,keyCertSign,cRLSign"},
                            {NID_subject_key_identifier, "hash"}}) {
    RETURN_IF_ERROR(AddConfExtension(cert.get(), issuer, nid, value));
  }
  if (parent) {
    if (Result<void> ok =
            AddConfExtension(cert.get(), issuer, NID_authority_key_identifier, "keyid:always");
        !ok) {
      return std::unexpected(ok.error());
    }
  }
  if (Result<void> ok = Sign(cert.get(), parent ? parent->key.get() : key.get()); !ok) {
    return std::unexpected(ok.error());
  }
  return CaCredentials{std::move(key), std::move(cert)};
}

Result<CaCredentials> LoadCaCredentials(std::string_view cert_pem, std::string_view key_pem) {
  UniquePtr<BIO> bio(BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size())));
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!cert) return MakeError(ErrorCode::kMalformed, "not a PEM certificate");
  ASSIGN_OR_RETURN(PrivateKey key, PrivateKeyFromPem(key_pem));
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    return MakeError(ErrorCode::kInvalidArgument, "the CA key does not match its certificate");
  }
  return CaCredentials{std::move(key), std::move(cert)};
}

Result<Bytes> BuildLeafCertificate(const CaCredentials& issuer, const LeafSpec& spec, LeafKind kind,
                                   ByteSpan sct_list) {
  if (spec.dns_names.empty())
    return MakeError(ErrorCode::kInvalidArgument, "a certificate needs a name");
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  RETURN_IF_ERROR(SetSerial(cert.get(), spec.serial));
  if (Result<void> ok = SetName(X509_get_subject_name(cert.get()), spec.dns_names.front(), "");
      !ok) {
    return std::unexpected(ok.error());
  }
  X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer.certificate.get()));
  ASN1_TIME_set(X509_getm_notBefore(cert.get()), static_cast<time_t>(spec.not_before));
  ASN1_TIME_set(X509_getm_notAfter(cert.get()), static_cast<time_t>(spec.not_after));
  X509_set_pubkey(cert.get(), spec.subject_key);
  std::string san;
  // Names were checked (ca/certificate_name.h): no comma can add a name of another type here.
  for (const std::string& name : spec.dns_names) {
    san += std::string(san.empty() ? "" : ",") + (IsIpAddressLiteral(name) ? "IP:" : "DNS:") + name;
  }
  for (auto [nid, value] : {std::pair{NID_basic_constraints, std::string("critical,CA:FALSE")},
                            {NID_key_usage, std::string("critical,digitalSignature")},
                            {NID_ext_key_usage, std::string("serverAuth")},
                            {NID_authority_key_identifier, std::string("keyid:always")},
                            {NID_subject_alt_name, san}}) {
    if (Result<void> ok = AddConfExtension(cert.get(), issuer.certificate.get(), nid, value); !ok) {
      return std::unexpected(ok.error());
    }
  }
  if (kind == LeafKind::kPrecertificate) {
    static const uint8_t kNull[] = {0x05, 0x00};  // RFC 6962 §3.1: poison, critical, ASN.1 NULL
    if (Result<void> ok = AddRawExtension(cert.get(), "1.3.6.1.4.1.11129.2.4.3", true, kNull);
        !ok) {
      return std::unexpected(ok.error());
    }
  } else if (kind == LeafKind::kWithSctList) {
    // RFC 6962 §3.3: the extnValue is an OCTET STRING wrapping the TLS SCT list.
    Bytes wrapped;
    AppendDerElement(wrapped, kDerOctetString, sct_list);
    if (Result<void> ok = AddRawExtension(cert.get(), "1.3.6.1.4.1.11129.2.4.2", false, wrapped);
        !ok) {
      return std::unexpected(ok.error());
    }
  }
  RETURN_IF_ERROR(Sign(cert.get(), issuer.key.get()));
  return CertificateToDer(cert.get());
}

}  // namespace ctkit
