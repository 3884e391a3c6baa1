// certspotter's encodings of a certificate's fields, so that hooks written for certspotter read
// the same values from ctkit (docs/man/ctkit-hooks.5.scd; certspotter-script(8), "JSON FILE
// FORMAT" and "Discovered certificate information"):
//
//   nlohmann::ordered_json info = CertspotterCertInfo(view);
//   info["dns_names"];      // ["www.example.com", ...]: CNs, then DNS SANs, as certspotter reads
//   info["not_before"];     // "2025-01-01T00:00:00Z"
//   CertspotterTime(1735689600);  // "2025-01-01 00:00:00 +0000 UTC", certspotter's NOT_BEFORE
//
// Every value is computed from the certificate's own bytes. Names are hostile text: the values
// keep what the certificate says (JSON escapes it); callers that print them make them safe.

#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/bytes.h"
#include "x509/certificate.h"

namespace ctkit {

// The identifiers certspotter extracts (its Identifiers): from each subject commonName (in
// encoded order) and then each subjectAltName dNSName, an "http://" or "https://" prefix cut,
// the part before a NUL and before a '/' taken as well as the whole value; a value that is an IP
// address goes to ip_addresses, a commonName holding a space is skipped, any other value is
// trimmed of surrounding white space and trailing dots and lowercased, each label that is not
// printable ASCII becoming its A-label (commonNames only) or "<unparsable>". iPAddress SANs of 4
// or 16 octets go to ip_addresses, written as Go writes them (IPv4-mapped IPv6 as IPv4). No
// duplicates, first occurrence kept.
struct CertspotterIdentifiers {
  std::vector<std::string> dns_names;
  std::vector<std::string> ip_addresses;
};
CertspotterIdentifiers CertspotterIdentifiersOf(const CertificateView& cert);

// A Name as certspotter prints SUBJECT_DN and ISSUER_DN: RDNs in encoded order separated by
// ", ", the first attribute of each as TYPE=value with C, O, OU, CN, serialNumber, L, ST, street,
// postalCode or the dotted OID as TYPE; a value that is no string is written '#' + hex. The
// value is not escaped (certspotter does not escape either). Empty when the Name does not parse.
std::string CertspotterDistinguishedName(ByteSpan name_der);

// The serial number as certspotter's SERIAL: lowercase hex of its value without leading zeros
// ("0" for zero), '-' before the magnitude of a negative one.
std::string CertspotterSerial(ByteSpan serial_content);

// Unix seconds as certspotter's NOT_BEFORE and NOT_AFTER (Go's time.Time.String in UTC):
// "2023-01-31 03:47:26 +0000 UTC".
std::string CertspotterTime(int64_t unix_seconds);

// certspotter's JSON object for a certificate, the fields it derives from the certificate alone:
// "pubkey_sha256" (hex SHA-256 of the SubjectPublicKeyInfo), "dns_names", "ip_addresses",
// "not_before", "not_after" (RFC 3339), "subject_dn", "issuer_dn", "serial". The caller adds
// what comes from the log entry ("tbs_sha256", "cert_sha256", "log_uri", "entry_index",
// "watch_item").
nlohmann::ordered_json CertspotterCertInfo(const CertificateView& cert);

// PEM "CERTIFICATE" blocks of `chain`, in order, 64 characters a line (RFC 7468 §2).
std::string PemCertificates(const std::vector<Bytes>& chain);

}  // namespace ctkit
