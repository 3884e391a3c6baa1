// Test-only certificates made with OpenSSL: a CA and leaves (or precertificates) it signs, so
// tests can submit as many distinct chains as they need; and CAs it issues (intermediates,
// Precertificate Signing Certificates, or "CAs" that are nothing of the kind) for chain checks.

#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/bytes.h"

namespace ctkit::testing {

struct PkeyDeleter {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
struct X509Deleter {
  void operator()(X509* cert) const { X509_free(cert); }
};

inline Bytes ToDer(X509* cert) {
  int length = i2d_X509(cert, nullptr);
  Bytes der(static_cast<size_t>(length));
  unsigned char* out = der.data();
  i2d_X509(cert, &out);
  return der;
}

// What a TestCa's certificate says of itself, as OpenSSL configuration values; an empty value
// leaves the extension out. The default is a plain root's.
struct CaProfile {
  std::string basic_constraints = "critical,CA:TRUE";  // RFC 5280 §4.2.1.9: "...,pathlen:0"
  std::string key_usage;           // RFC 5280 §4.2.1.3: "critical,keyCertSign,cRLSign"
  std::string extended_key_usage;  // RFC 5280 §4.2.1.12: "critical,1.3.6.1.4.1.11129.2.4.4"
};

class TestCa {
 public:
  // A self-signed root.
  explicit TestCa(const std::string& name, const CaProfile& profile = {})
      : TestCa(name, profile, nullptr) {}

  // A certificate for `name`, with this CA's key signing it, whose own key signs what the
  // returned TestCa issues: an intermediate, a Precertificate Signing Certificate, or (with a
  // leaf's profile) a leaf whose key an attacker uses as if it were a CA's.
  TestCa IssueCa(const std::string& name, const CaProfile& profile = {}) const {
    return TestCa(name, profile, this);
  }

  Bytes der() const { return ToDer(cert_.get()); }

  // A leaf for `dns_name`, valid for `days`; with `precertificate`, it carries the critical
  // poison extension (RFC 6962 §3.1).
  Bytes IssueLeaf(const std::string& dns_name, long serial, bool precertificate = false,
                  long days = 90) const {
    return IssueLeafForNames({dns_name}, serial, precertificate, days);
  }

  // The same for several DNS names: the first is also the subject CN.
  Bytes IssueLeafForNames(const std::vector<std::string>& dns_names, long serial,
                          bool precertificate = false, long days = 90) const {
    return IssueLeafWith({.common_names = {dns_names.front()},
                          .dns_names = dns_names,
                          .serial = serial,
                          .precertificate = precertificate,
                          .days = days});
  }

  // What a leaf holds, byte for byte as given (hostile names included: NUL, spaces, non-ASCII
  // octets in a dNSName, which OpenSSL encodes without checking).
  struct LeafSpec {
    std::vector<std::string> common_names;  // subject CNs (UTF8String); none: empty subject
    std::vector<std::string> dns_names;     // subjectAltName dNSNames
    std::vector<Bytes> ip_addresses;        // subjectAltName iPAddresses (raw octets)
    // The subjectAltName extension's value as given instead of one built from the above.
    std::optional<Bytes> raw_subject_alt_name;
    long serial = 1;
    bool precertificate = false;  // carries the critical poison extension (RFC 6962 §3.1)
    long days = 90;
  };

  Bytes IssueLeafWith(const LeafSpec& spec) const {
    std::unique_ptr<EVP_PKEY, PkeyDeleter> leaf_key(EVP_EC_gen("P-256"));
    std::unique_ptr<X509, X509Deleter> leaf(X509_new());
    X509_set_version(leaf.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(leaf.get()), spec.serial);
    for (const std::string& cn : spec.common_names) {
      X509_NAME_add_entry_by_txt(X509_get_subject_name(leaf.get()), "CN", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(cn.data()),
                                 static_cast<int>(cn.size()), -1, 0);
    }
    X509_set_issuer_name(leaf.get(), X509_get_subject_name(cert_.get()));
    X509_gmtime_adj(X509_getm_notBefore(leaf.get()), -3600);
    X509_gmtime_adj(X509_getm_notAfter(leaf.get()), 86400L * spec.days);
    X509_set_pubkey(leaf.get(), leaf_key.get());
    AddExtension(leaf.get(), cert_.get(), NID_authority_key_identifier, "keyid:always");
    if (spec.raw_subject_alt_name) {
      AddRawExtension(leaf.get(), NID_subject_alt_name, false, *spec.raw_subject_alt_name);
    } else if (!spec.dns_names.empty() || !spec.ip_addresses.empty()) {
      GENERAL_NAMES* names = sk_GENERAL_NAME_new_null();
      auto add = [&](int type, const void* data, size_t size) {
        ASN1_STRING* value =
            ASN1_STRING_type_new(type == GEN_DNS ? V_ASN1_IA5STRING : V_ASN1_OCTET_STRING);
        ASN1_STRING_set(value, data, static_cast<int>(size));
        GENERAL_NAME* name = GENERAL_NAME_new();
        GENERAL_NAME_set0_value(name, type, value);
        sk_GENERAL_NAME_push(names, name);
      };
      for (const std::string& dns : spec.dns_names) add(GEN_DNS, dns.data(), dns.size());
      for (const Bytes& ip : spec.ip_addresses) add(GEN_IPADD, ip.data(), ip.size());
      X509_add1_ext_i2d(leaf.get(), NID_subject_alt_name, names, 0, X509V3_ADD_DEFAULT);
      GENERAL_NAMES_free(names);
    }
    if (spec.precertificate) {
      static const uint8_t kNull[] = {0x05, 0x00};  // 1.3.6.1.4.1.11129.2.4.3: critical NULL
      AddRawExtension(leaf.get(), NID_ct_precert_poison, true, Bytes(kNull, kNull + sizeof(kNull)));
    }
    X509_sign(leaf.get(), key_.get(), EVP_sha256());
    return ToDer(leaf.get());
  }

  // The final certificate this CA issues for `precertificate`, which a Precertificate Signing
  // Certificate it issued signed (RFC 6962 §3.1): the precertificate's TBS with this CA as the
  // issuer (name, and authorityKeyIdentifier at the same position), and the poison replaced by
  // the SCT list extension (RFC 6962 §3.3) holding `sct_list`, the TLS-encoded
  // SignedCertificateTimestampList. Its TBS without the SCT list is what the logs signed.
  Bytes IssueFromPrecertificate(const Bytes& precertificate, const Bytes& sct_list) const {
    const unsigned char* in = precertificate.data();
    std::unique_ptr<X509, X509Deleter> cert(
        d2i_X509(nullptr, &in, static_cast<long>(precertificate.size())));
    X509_EXTENSION_free(
        X509_delete_ext(cert.get(), X509_get_ext_by_NID(cert.get(), NID_ct_precert_poison, -1)));
    X509_set_issuer_name(cert.get(), X509_get_subject_name(cert_.get()));
    const int aki = X509_get_ext_by_NID(cert.get(), NID_authority_key_identifier, -1);
    X509_EXTENSION_free(X509_delete_ext(cert.get(), aki));
    X509V3_CTX context;
    X509V3_set_ctx(&context, cert_.get(), cert.get(), nullptr, nullptr, 0);
    X509_EXTENSION* own_aki =
        X509V3_EXT_conf_nid(nullptr, &context, NID_authority_key_identifier, "keyid:always");
    X509_add_ext(cert.get(), own_aki, aki);
    X509_EXTENSION_free(own_aki);
    // RFC 6962 §3.3: the extension's value is an OCTET STRING that holds the list.
    ASN1_OCTET_STRING* list = ASN1_OCTET_STRING_new();
    ASN1_OCTET_STRING_set(list, sct_list.data(), static_cast<int>(sct_list.size()));
    unsigned char* list_der = nullptr;
    const int list_size = i2d_ASN1_OCTET_STRING(list, &list_der);
    const Bytes list_octets(list_der, list_der + list_size);
    OPENSSL_free(list_der);
    ASN1_OCTET_STRING_free(list);
    AddRawExtension(cert.get(), NID_ct_precert_scts, false, list_octets);
    X509_sign(cert.get(), key_.get(), EVP_sha256());
    return ToDer(cert.get());
  }

 private:
  TestCa(const std::string& name, const CaProfile& profile, const TestCa* issuer)
      : key_(EVP_EC_gen("P-256")) {
    cert_.reset(X509_new());
    X509* issuer_cert = issuer ? issuer->cert_.get() : cert_.get();
    X509_set_version(cert_.get(), 2);
    ASN1_INTEGER_set(X509_get_serialNumber(cert_.get()), issuer ? 2 : 1);
    SetName(X509_get_subject_name(cert_.get()), name);
    X509_set_issuer_name(cert_.get(), X509_get_subject_name(issuer_cert));
    X509_gmtime_adj(X509_getm_notBefore(cert_.get()), -86400);
    X509_gmtime_adj(X509_getm_notAfter(cert_.get()), 86400L * 3650);
    X509_set_pubkey(cert_.get(), key_.get());
    for (auto [nid, value] : {std::pair{NID_basic_constraints, &profile.basic_constraints},
                              {NID_key_usage, &profile.key_usage},
                              {NID_ext_key_usage, &profile.extended_key_usage}}) {
      if (!value->empty()) AddExtension(cert_.get(), issuer_cert, nid, *value);
    }
    AddExtension(cert_.get(), cert_.get(), NID_subject_key_identifier, "hash");
    if (issuer) {
      AddExtension(cert_.get(), issuer_cert, NID_authority_key_identifier, "keyid:always");
    }
    X509_sign(cert_.get(), issuer ? issuer->key_.get() : key_.get(), EVP_sha256());
  }

  static void SetName(X509_NAME* name, const std::string& common_name) {
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(common_name.c_str()), -1, -1,
                               0);
  }
  static void AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
    X509V3_CTX context;
    X509V3_set_ctx(&context, issuer, cert, nullptr, nullptr, 0);
    X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &context, nid, value.c_str());
    X509_add_ext(cert, extension, -1);
    X509_EXTENSION_free(extension);
  }

  static void AddRawExtension(X509* cert, int nid, bool critical, const Bytes& value) {
    ASN1_OCTET_STRING* octets = ASN1_OCTET_STRING_new();
    ASN1_OCTET_STRING_set(octets, value.data(), static_cast<int>(value.size()));
    X509_EXTENSION* extension = X509_EXTENSION_create_by_NID(nullptr, nid, critical, octets);
    X509_add_ext(cert, extension, -1);
    X509_EXTENSION_free(extension);
    ASN1_OCTET_STRING_free(octets);
  }

  std::unique_ptr<EVP_PKEY, PkeyDeleter> key_;
  std::unique_ptr<X509, X509Deleter> cert_;
};

}  // namespace ctkit::testing
