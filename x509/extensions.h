// X.509 v3 extensions (RFC 5280 §4.2): the Extension record kept by CertificateView and parsers
// for the extension values ctkit reads. Each parser takes the extnValue contents (the octets
// inside the OCTET STRING) and requires them to be exactly one DER value with no trailing bytes.

#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"

namespace ctkit {

// Extension ::= SEQUENCE { extnID OBJECT IDENTIFIER, critical BOOLEAN DEFAULT FALSE,
//                          extnValue OCTET STRING }
// All spans point into the certificate's DER buffer.
struct Extension {
  ByteSpan oid;            // extnID content octets (compare with x509/oid.h constants)
  std::string oid_string;  // dotted form, or "" if the OID has an arc too wide to print
  bool critical = false;
  ByteSpan value;             // extnValue contents
  ByteSpan encoded;           // the whole Extension element, byte for byte
  size_t offset_in_tbs = 0;   // where `encoded` starts inside the TBSCertificate element
  ByteSpan oid_encoded;       // extnID element (tag, length, contents)
  ByteSpan critical_encoded;  // critical element as encoded, empty when the field is absent
};

// Parses the contents of the [3] extensions field: SEQUENCE SIZE (1..MAX) OF Extension.
// `tbs` is the TBSCertificate element that contains `extensions_der` (for offset_in_tbs).
// Rejects duplicate extensions (RFC 5280 §4.2: "MUST NOT include more than one instance").
Result<std::vector<Extension>> ParseExtensions(ByteSpan extensions_der, ByteSpan tbs, int depth);
// The same, with the same checks, but oid_string left empty: no text is built.
Result<std::vector<Extension>> ParseExtensionsWithoutText(ByteSpan extensions_der, ByteSpan tbs,
                                                          int depth);

// RFC 5280 §4.2.1.6 subjectAltName. dNSNames are returned as written (IA5String, ASCII only);
// iPAddresses are printed (dotted IPv4, RFC 5952 IPv6). Other GeneralName forms are checked
// for being well-formed context-specific elements and otherwise skipped.
struct SubjectAltNames {
  std::vector<std::string> dns_names;
  std::vector<std::string> ip_addresses;
};
Result<SubjectAltNames> ParseSubjectAltName(ByteSpan value);
// The checks of ParseSubjectAltName without building the strings: succeeds exactly when it does.
Result<void> CheckSubjectAltName(ByteSpan value);

// RFC 5280 §4.2.1.3 keyUsage as a mask: bit n of the ASN.1 BIT STRING (digitalSignature = 0,
// ..., decipherOnly = 8) is (1 << n).
enum KeyUsageBit : uint16_t {
  kKeyUsageDigitalSignature = 1 << 0,
  kKeyUsageNonRepudiation = 1 << 1,
  kKeyUsageKeyEncipherment = 1 << 2,
  kKeyUsageDataEncipherment = 1 << 3,
  kKeyUsageKeyAgreement = 1 << 4,
  kKeyUsageKeyCertSign = 1 << 5,
  kKeyUsageCrlSign = 1 << 6,
  kKeyUsageEncipherOnly = 1 << 7,
  kKeyUsageDecipherOnly = 1 << 8,
};
Result<uint16_t> ParseKeyUsage(ByteSpan value);

// RFC 5280 §4.2.1.12 extKeyUsage: the KeyPurposeId OIDs (content octets), at least one.
Result<std::vector<ByteSpan>> ParseExtendedKeyUsage(ByteSpan value);
// The checks of ParseExtendedKeyUsage without building the list: succeeds exactly when it does.
Result<void> CheckExtendedKeyUsage(ByteSpan value);

// RFC 5280 §4.2.1.1 authorityKeyIdentifier: the keyIdentifier octets, if present.
Result<std::optional<ByteSpan>> ParseAuthorityKeyIdentifier(ByteSpan value);

// RFC 5280 §4.2.1.2 subjectKeyIdentifier: the key identifier octets.
Result<ByteSpan> ParseSubjectKeyIdentifier(ByteSpan value);

// RFC 5280 §4.2.1.9 basicConstraints.
struct BasicConstraints {
  bool is_ca = false;
  std::optional<uint64_t> path_len;
};
Result<BasicConstraints> ParseBasicConstraints(ByteSpan value);

// "192.0.2.1" for 4 bytes, RFC 5952 text ("2001:db8::1") for 16, an error otherwise.
Result<std::string> FormatIpAddress(ByteSpan address);

}  // namespace ctkit
