// What certspotter would say of a certificate, computed with OpenSSL alone (never with ctkit's
// parser), for tests that check ctkit's hook values against it.

#pragma once

#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include <cctype>
#include <ctime>
#include <memory>
#include <string>

#include "base/bytes.h"

namespace ctkit::testing {

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
inline std::unique_ptr<X509, X509Free> Decode(const Bytes& der) {
  const unsigned char* in = der.data();
  return std::unique_ptr<X509, X509Free>(d2i_X509(nullptr, &in, static_cast<long>(der.size())));
}

inline std::string OpenSslSha256Hex(const unsigned char* data, size_t size) {
  unsigned char digest[32];
  unsigned int length = 0;
  EVP_Digest(data, size, digest, &length, EVP_sha256(), nullptr);
  return HexEncode(ByteSpan(digest, length));
}

// The expected values of certspotter's fields for `der`, from OpenSSL alone.
struct OpenSslView {
  std::string cert_sha256;  // of the DER
  std::string tbs_sha256;   // of the TBSCertificate (a certificate without SCT list or poison)
  std::string pubkey_sha256, serial, issuer_dn, subject_dn, not_before, not_after;
  int64_t not_before_unix = 0, not_after_unix = 0;
};

inline OpenSslView ViewWithOpenSsl(const Bytes& der) {
  auto x = Decode(der);
  OpenSslView view;
  view.cert_sha256 = OpenSslSha256Hex(der.data(), der.size());
  unsigned char* tbs = nullptr;
  const int tbs_length = i2d_re_X509_tbs(x.get(), &tbs);
  view.tbs_sha256 = OpenSslSha256Hex(tbs, static_cast<size_t>(tbs_length));
  OPENSSL_free(tbs);
  unsigned char* spki = nullptr;
  const int spki_length = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x.get()), &spki);
  view.pubkey_sha256 = OpenSslSha256Hex(spki, static_cast<size_t>(spki_length));
  OPENSSL_free(spki);
  BIGNUM* serial = ASN1_INTEGER_to_BN(X509_get0_serialNumber(x.get()), nullptr);
  char* hex = BN_bn2hex(serial);
  view.serial = hex;
  OPENSSL_free(hex);
  BN_free(serial);
  for (char& c : view.serial) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  view.serial.erase(0, view.serial.find_first_not_of('0'));
  auto dn = [](const X509_NAME* name) {
    std::string out;
    for (int i = 0; i < X509_NAME_entry_count(name); ++i) {
      const X509_NAME_ENTRY* entry = X509_NAME_get_entry(name, i);
      unsigned char* utf8 = nullptr;
      const int length = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(entry));
      out += (out.empty() ? "" : ", ") +
             std::string(OBJ_nid2sn(OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry)))) + "=" +
             std::string(reinterpret_cast<char*>(utf8), static_cast<size_t>(length));
      OPENSSL_free(utf8);
    }
    return out;
  };
  view.issuer_dn = dn(X509_get_issuer_name(x.get()));
  view.subject_dn = dn(X509_get_subject_name(x.get()));
  auto rfc3339 = [](const ASN1_TIME* time, int64_t* unix) {
    struct tm tm{};
    ASN1_TIME_to_tm(time, &tm);
    if (unix != nullptr) *unix = timegm(&tm);
    char buffer[32];
    strftime(buffer, sizeof(buffer), "%Y-%m-%dT%H:%M:%SZ", &tm);
    return std::string(buffer);
  };
  view.not_before = rfc3339(X509_get0_notBefore(x.get()), &view.not_before_unix);
  view.not_after = rfc3339(X509_get0_notAfter(x.get()), &view.not_after_unix);
  return view;
}

}  // namespace ctkit::testing
