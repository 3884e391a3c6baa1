// OCSP responses for tests, built with OpenSSL: no real OCSP response carrying SCTs is in
// testdata/, so the SCT, verify and audit tests build them around real SCT lists. A basic
// response's SingleResponse for a certificate may carry extension 1.3.6.1.4.1.11129.2.4.5 =
// OCTET STRING(TLS SignedCertificateTimestampList) (RFC 6962 §3.3). Responses are signed by a
// throwaway self-signed responder: they must be signed to be encoded, and ctkit does not (and
// need not, for SCTs) check the responder's signature.

#pragma once

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/ocsp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "base/bytes.h"

namespace ctkit::testing {

template <typename T, void (*Free)(T*)>
struct OpenSslDeleter {
  void operator()(T* p) const { Free(p); }
};
using X509Ptr = std::unique_ptr<X509, OpenSslDeleter<X509, X509_free>>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter<EVP_PKEY, EVP_PKEY_free>>;
using OcspBasicPtr =
    std::unique_ptr<OCSP_BASICRESP, OpenSslDeleter<OCSP_BASICRESP, OCSP_BASICRESP_free>>;
using OcspResponsePtr =
    std::unique_ptr<OCSP_RESPONSE, OpenSslDeleter<OCSP_RESPONSE, OCSP_RESPONSE_free>>;
using OctetsPtr =
    std::unique_ptr<ASN1_OCTET_STRING, OpenSslDeleter<ASN1_OCTET_STRING, ASN1_OCTET_STRING_free>>;
using ExtensionPtr =
    std::unique_ptr<X509_EXTENSION, OpenSslDeleter<X509_EXTENSION, X509_EXTENSION_free>>;
using ObjectPtr = std::unique_ptr<ASN1_OBJECT, OpenSslDeleter<ASN1_OBJECT, ASN1_OBJECT_free>>;
using TimePtr = std::unique_ptr<ASN1_TIME, OpenSslDeleter<ASN1_TIME, ASN1_TIME_free>>;

// The first certificate of PEM text (nullptr if there is none).
inline X509Ptr X509FromPem(std::string_view pem) {
  std::unique_ptr<BIO, int (*)(BIO*)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())),
                                          BIO_free);
  return X509Ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

// The DER of an OpenSSL object, e.g. Der<OCSP_RESPONSE, i2d_OCSP_RESPONSE>(response).
template <typename T, int (*Encode)(const T*, unsigned char**)>
Bytes Der(const T* value) {
  unsigned char* der = nullptr;
  int size = Encode(value, &der);
  EXPECT_GT(size, 0);
  Bytes out(der, der + std::max(size, 0));
  OPENSSL_free(der);
  return out;
}

// RFC 6962 §3.3: extnValue = DER(OCTET STRING(SignedCertificateTimestampList)).
inline ExtensionPtr OcspSctListExtension(const Bytes& sct_list) {
  OctetsPtr list(ASN1_OCTET_STRING_new());
  ASN1_OCTET_STRING_set(list.get(), sct_list.data(), static_cast<int>(sct_list.size()));
  Bytes inner = Der<ASN1_OCTET_STRING, i2d_ASN1_OCTET_STRING>(list.get());
  OctetsPtr value(ASN1_OCTET_STRING_new());
  ASN1_OCTET_STRING_set(value.get(), inner.data(), static_cast<int>(inner.size()));
  ObjectPtr oid(OBJ_txt2obj("1.3.6.1.4.1.11129.2.4.5", 1));
  return ExtensionPtr(X509_EXTENSION_create_by_OBJ(nullptr, oid.get(), 0, value.get()));
}

// A successful basic OCSP response with one SingleResponse (status good) per `subjects` entry,
// all issued by `issuer`; each carries `sct_list` in the SCT extension as many times as its
// count says (0: none; 2: a duplicated extension, which is malformed).
inline Bytes BuildOcspResponse(X509* issuer, const std::vector<std::pair<X509*, int>>& subjects,
                               const Bytes& sct_list) {
  PkeyPtr responder_key(EVP_EC_gen("P-256"));
  X509Ptr responder(X509_new());
  X509_NAME* name = X509_get_subject_name(responder.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("responder"), -1, -1, 0);
  X509_set_issuer_name(responder.get(), name);
  X509_gmtime_adj(X509_getm_notBefore(responder.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(responder.get()), 3600);
  X509_set_pubkey(responder.get(), responder_key.get());
  X509_sign(responder.get(), responder_key.get(), EVP_sha256());

  OcspBasicPtr basic(OCSP_BASICRESP_new());
  TimePtr now(X509_gmtime_adj(nullptr, 0));
  for (const auto& [subject, copies] : subjects) {
    OCSP_CERTID* id = OCSP_cert_to_id(nullptr, subject, issuer);
    OCSP_SINGLERESP* single = OCSP_basic_add1_status(basic.get(), id, V_OCSP_CERTSTATUS_GOOD, 0,
                                                     nullptr, now.get(), now.get());
    OCSP_CERTID_free(id);
    EXPECT_TRUE(single);
    for (int i = 0; i < copies; ++i) {
      ExtensionPtr extension = OcspSctListExtension(sct_list);
      EXPECT_EQ(OCSP_SINGLERESP_add_ext(single, extension.get(), -1), 1);
    }
  }
  EXPECT_EQ(OCSP_basic_sign(basic.get(), responder.get(), responder_key.get(), EVP_sha256(),
                            nullptr, OCSP_NOCERTS),
            1);
  OcspResponsePtr response(OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, basic.get()));
  return Der<OCSP_RESPONSE, i2d_OCSP_RESPONSE>(response.get());
}

// The common case: one certificate, with the SCT list when given.
inline Bytes BuildOcspResponse(X509* subject, X509* issuer, const std::optional<Bytes>& sct_list) {
  return BuildOcspResponse(issuer, {{subject, sct_list ? 1 : 0}}, sct_list.value_or(Bytes{}));
}

}  // namespace ctkit::testing
