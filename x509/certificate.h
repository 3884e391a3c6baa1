// CertificateView: a parsed X.509 certificate (RFC 5280 §4.1) that keeps its DER.
//
// Lifetime: a CertificateView holds its DER in a shared, immutable buffer. Every ByteSpan it
// returns (der(), tbs(), issuer_der(), Extension::encoded, ...) points into that buffer and stays
// valid for as long as this view or any copy of it is alive. Copies are cheap (they share the
// buffer) and the view is immutable, so it may be shared between threads.
//
// Parsing checks everything (names, SANs and the extensions below included) but builds no text
// and hashes nothing: verifying SCTs needs neither. The display forms (issuer(), subject(),
// dns_names(), dotted OIDs, ...) and the fingerprints are computed on first use, once per
// certificate (copies share them too), under std::call_once: safe from any number of threads.
//
// Parsing is strict DER on structure (lengths, tags, INTEGER and time forms, no trailing bytes)
// and checks the extensions ctkit relies on. It accepts a few things RFC 5280 forbids but real
// CAs have issued, where the meaning is unambiguous: serials longer than 20 octets or negative,
// an explicitly encoded DEFAULT value (version v1, Extension.critical FALSE, basicConstraints.cA
// FALSE), unsorted SET OF in names. It rejects what would make the precertificate transforms
// ambiguous: duplicate extensions, and a TBS `signature` that differs from signatureAlgorithm.
//
//   auto cert = CertificateView::Parse(der);
//   if (!cert) { report(cert.error().message); ... }
//   for (const auto& name : cert->dns_names()) ...

#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "base/sha256.h"
#include "x509/extensions.h"

namespace ctkit {

class CertificateView {
 public:
  // Copies `der`, which must be exactly one Certificate with no trailing bytes.
  static Result<CertificateView> Parse(ByteSpan der);
  // Takes ownership of `der` without copying.
  static Result<CertificateView> Parse(Bytes&& der);
  // Shares `der` (which must not be null).
  static Result<CertificateView> Parse(std::shared_ptr<const Bytes> der);

  // The whole Certificate and its SHA-256 (the usual certificate fingerprint).
  ByteSpan der() const { return *der_; }
  const Sha256Digest& sha256() const;
  // The TBSCertificate element, header included: what the CA signed.
  ByteSpan tbs() const { return tbs_; }

  // 1, 2 or 3 (the ASN.1 Version value plus one).
  int version() const { return version_; }
  // serialNumber INTEGER content octets (two's complement, as encoded).
  ByteSpan serial() const { return serial_; }
  // Lowercase hex of the serial's magnitude without the sign octet DER adds to positive values
  // whose top bit is set ("03d33372..." where `openssl x509 -serial` prints "03D33372...").
  // For the rare negative serial, the two's complement octets as encoded.
  std::string serial_hex() const;
  bool serial_is_negative() const { return (serial_[0] & 0x80) != 0; }

  // Outer signatureAlgorithm AlgorithmIdentifier element (identical, byte for byte, to the TBS
  // `signature` field: RFC 5280 §4.1.1.2), its OID in dotted form, and the signature bits.
  ByteSpan signature_algorithm() const { return signature_algorithm_; }
  const std::string& signature_algorithm_oid() const;
  ByteSpan signature() const { return signature_; }

  // Names: the raw Name element and its RFC 4514 text (x509/name.h, escaped for display).
  ByteSpan issuer_der() const { return issuer_der_; }
  const std::string& issuer() const;
  ByteSpan subject_der() const { return subject_der_; }
  const std::string& subject() const;
  // Decoded (unescaped) subject commonName values, in encoded order.
  const std::vector<std::string>& subject_common_names() const;
  // The same, decoded anew on each call into a vector the caller owns: for code that reads the
  // names of each certificate once (the monitor), where filling the shared cache under
  // std::call_once only to copy out of it would cost more than the decoding.
  std::vector<std::string> DecodeSubjectCommonNames() const;

  // Validity, in seconds since the Unix epoch.
  int64_t not_before() const { return not_before_; }
  int64_t not_after() const { return not_after_; }

  // SubjectPublicKeyInfo element and its SHA-256 (RFC 6962 issuer_key_hash, log IDs).
  ByteSpan spki() const { return spki_; }
  const Sha256Digest& spki_sha256() const;
  // OID of the SPKI algorithm, dotted ("1.2.840.10045.2.1" for EC keys).
  const std::string& spki_algorithm_oid() const;

  // Extensions in encoded order (empty for v1/v2 certificates or when the field is absent).
  const std::vector<Extension>& extensions() const;
  // The extension with this OID (content octets, see x509/oid.h), or nullptr. Points into
  // extensions().
  const Extension* FindExtension(ByteSpan oid) const;
  // The same records with oid_string left empty, available without building any text: for code
  // that works on the bytes (the precertificate transforms, SCT verification).
  std::span<const Extension> raw_extensions() const { return extensions_; }
  const Extension* FindRawExtension(ByteSpan oid) const;

  // subjectAltName dNSNames and iPAddresses; empty without the extension.
  const std::vector<std::string>& dns_names() const;
  const std::vector<std::string>& ip_addresses() const;
  // Both, decoded anew on each call (see DecodeSubjectCommonNames).
  SubjectAltNames DecodeSubjectAltNames() const;
  // keyUsage mask (KeyUsageBit), absent without the extension.
  std::optional<uint16_t> key_usage() const { return key_usage_; }
  // extKeyUsage purposes, dotted; empty without the extension.
  const std::vector<std::string>& extended_key_usages() const;
  bool HasExtendedKeyUsage(ByteSpan oid) const;
  // authorityKeyIdentifier: the whole extension value (an AuthorityKeyIdentifier SEQUENCE) and
  // its keyIdentifier octets.
  std::optional<ByteSpan> authority_key_identifier_value() const;
  std::optional<ByteSpan> authority_key_id() const { return authority_key_id_; }
  // subjectKeyIdentifier octets.
  std::optional<ByteSpan> subject_key_id() const { return subject_key_id_; }
  std::optional<BasicConstraints> basic_constraints() const { return basic_constraints_; }

  // RFC 6962 §3.1: carries the poison extension, critical, with value ASN.1 NULL (05 00).
  bool IsPrecertificate() const;
  // RFC 6962 §3.1: extKeyUsage contains 1.3.6.1.4.1.11129.2.4.4.
  bool IsPrecertificateSigningCert() const;
  // RFC 6962 §3.3: the TLS-encoded SignedCertificateTimestampList from extension
  // 1.3.6.1.4.1.11129.2.4.2, whose extnValue is an OCTET STRING wrapping it. kNotFound without
  // the extension, kMalformed if the value is not exactly one OCTET STRING. The SCTs themselves
  // are not parsed here.
  Result<ByteSpan> EmbeddedSctList() const;

  // Where the fields the precertificate transforms edit sit inside tbs() (x509/precert.h).
  struct TbsLayout {
    size_t contents_offset = 0;  // first byte after the TBS SEQUENCE header
    size_t issuer_offset = 0;    // the issuer Name element
    size_t issuer_size = 0;
    size_t extensions_offset = 0;  // the [3] element; == tbs().size() when absent
  };
  const TbsLayout& tbs_layout() const { return layout_; }

 private:
  CertificateView() = default;
  Result<void> ParseDer();
  Result<void> ParseTbs(ByteSpan tbs);
  Result<void> ReadKnownExtensions();

  // What is computed on first use (certificate.cc), shared by copies like der_; Owned holds a
  // parsed copy of the DER and the Lazy state in one allocation.
  struct Lazy;
  struct Owned;
  Lazy& Names() const;
  Lazy& CommonNames() const;
  Lazy& SanNames() const;
  Lazy& OidTexts() const;
  // Calls visit(purpose OID octets) for each extKeyUsage purpose until it returns true; returns
  // whether one did.
  template <typename Visit>
  bool ForEachExtendedKeyUsage(Visit visit) const;

  std::shared_ptr<const Bytes> der_;
  std::shared_ptr<Lazy> lazy_;
  ByteSpan tbs_;
  TbsLayout layout_;
  int version_ = 1;
  ByteSpan serial_;
  ByteSpan signature_algorithm_;
  ByteSpan signature_algorithm_oid_bytes_;  // content octets
  ByteSpan signature_;
  ByteSpan issuer_der_;
  ByteSpan subject_der_;
  int64_t not_before_ = 0;
  int64_t not_after_ = 0;
  ByteSpan spki_;
  ByteSpan spki_algorithm_oid_bytes_;         // content octets
  std::vector<Extension> extensions_;         // oid_string empty; extensions() has the text
  std::optional<ByteSpan> subject_alt_name_;  // the checked extension value
  std::optional<uint16_t> key_usage_;
  std::optional<ByteSpan> extended_key_usage_;  // the checked extension value
  std::optional<ByteSpan> authority_key_id_;
  std::optional<ByteSpan> subject_key_id_;
  std::optional<BasicConstraints> basic_constraints_;
};

}  // namespace ctkit
