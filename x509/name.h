// X.501 Names (RFC 5280 §4.1.2.4) read from their raw DER, and printed for people.
//
// Names are attacker controlled: the printable form escapes everything that could confuse a
// terminal or a log reader, and no function here re-encodes a name (RFC 6962 verifiers must keep
// the issuer's bytes exactly, see x509/precert.h).

#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "x509/der.h"

namespace ctkit {

// One AttributeTypeAndValue. Spans point into the name's buffer.
struct NameAttribute {
  ByteSpan type;     // OID content octets
  DerElement value;  // the value element as encoded (any ASN.1 type)
};

// RelativeDistinguishedName: SET SIZE (1..MAX) OF AttributeTypeAndValue.
using RelativeDistinguishedName = std::vector<NameAttribute>;

// Parses `name_der`, a whole Name element (SEQUENCE OF RDN), in encoded order. The SET OF
// ordering rule of DER (X.690 §11.6) is not enforced: many real CAs break it.
Result<std::vector<RelativeDistinguishedName>> ParseName(ByteSpan name_der);

// The checks of ParseName without building anything: succeeds exactly when ParseName does, and
// then NameToString and NameAttributeValues succeed too.
Result<void> CheckName(ByteSpan name_der);

// RFC 4514 string: RDNs in reverse order separated by ',', multi-valued RDNs joined by '+',
// attribute types by their usual short names (CN, O, OU, C, L, ST, DC, UID, serialNumber,
// emailAddress, ... as OpenSSL spells them) or as a dotted OID. String values are decoded to
// UTF-8 and escaped (RFC 4514 §2.4, plus invalid UTF-8 and the characters TerminalSafe escapes
// in base/terminal_text.h, as \XX per byte); a value that is not a decodable string is printed as
// '#' and the hex of its encoding.
Result<std::string> NameToString(ByteSpan name_der);

// Decoded values (UTF-8, unescaped) of every attribute of `type` in encoded order, e.g. the
// subject's commonNames. Values that do not decode are returned as '#' + hex of the element.
Result<std::vector<std::string>> NameAttributeValues(ByteSpan name_der, ByteSpan type);

// Decodes a DirectoryString-like value to UTF-8: UTF8String (validated), PrintableString,
// IA5String, VisibleString, NumericString (ASCII), TeletexString (as Latin-1, like OpenSSL),
// BMPString (UTF-16BE) and UniversalString (UTF-32BE). Other types fail with kUnsupported.
Result<std::string> DecodeDirectoryString(const DerElement& value);

// Short name for an attribute type ("CN") or its dotted OID.
std::string AttributeTypeName(ByteSpan type);

}  // namespace ctkit
