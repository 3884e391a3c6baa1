#include "x509/extensions.h"

#include <utility>

#include "x509/der.h"
#include "x509/oid.h"

namespace ctkit {
namespace {

std::unexpected<Error> Malformed(std::string message) {
  return MakeError(ErrorCode::kMalformed, std::move(message));
}

constexpr char kLowerHex[] = "0123456789abcdef";

}  // namespace

namespace {

std::string OidForMessage(ByteSpan oid) {
  auto dotted = OidToString(oid);
  return dotted ? *dotted : "#" + HexEncode(oid);
}

Result<std::vector<Extension>> ReadExtensions(ByteSpan extensions_der, ByteSpan tbs, int depth,
                                              bool with_oid_strings) {
  DerReader outer(extensions_der, depth);
  ASSIGN_OR_RETURN(DerReader list, outer.ReadSequence(), "Extensions");
  RETURN_IF_ERROR(outer.ExpectEnd("[3] extensions"));
  if (list.empty()) return Malformed("Extensions is empty (RFC 5280 §4.1: SIZE (1..MAX))");

  // Count first, so the vector is allocated once (the loop below does all the checking).
  size_t count = 0;
  DerReader counter = list;
  while (!counter.empty() && counter.ReadAnyElement()) ++count;
  std::vector<Extension> extensions;
  extensions.reserve(count);
  while (!list.empty()) {
    ASSIGN_OR_RETURN(auto element, list.ReadFullElement(kDerSequence), "Extension");
    Extension ext;
    ext.encoded = element.encoded;
    ext.offset_in_tbs = static_cast<size_t>(element.encoded.data() - tbs.data());

    DerReader fields(element.contents, list.depth() + 1);
    ASSIGN_OR_RETURN(DerElement oid, fields.ReadFullElement(kDerOid), "Extension extnID");
    ext.oid_encoded = oid.encoded;
    RETURN_IF_ERROR(CheckDerOid(oid.contents), "Extension extnID");
    ext.oid = oid.contents;
    if (with_oid_strings) {
      auto dotted = OidToString(ext.oid);
      ext.oid_string = dotted ? *dotted : "";
    }

    // critical BOOLEAN DEFAULT FALSE. DER (X.690 §11.5) omits a FALSE default, but an explicit
    // FALSE is unambiguous and common enough in issued certificates that it is accepted; the raw
    // bytes are kept, so the precertificate transforms stay byte exact either way.
    ASSIGN_OR_RETURN(std::optional<DerElement> critical, fields.ReadOptionalElement(kDerBoolean));
    if (critical.has_value()) {
      ASSIGN_OR_RETURN(auto flag, ParseDerBoolean(critical->contents), "Extension critical");
      ext.critical = flag;
      ext.critical_encoded = critical->encoded;
    }
    ASSIGN_OR_RETURN(ext.value, fields.ReadOctetString(), "Extension extnValue");
    RETURN_IF_ERROR(fields.ExpectEnd("Extension"));

    for (const Extension& other : extensions) {
      if (OidEquals(other.oid, ext.oid)) {
        return Malformed("duplicate extension " + OidForMessage(ext.oid) + " (RFC 5280 §4.2)");
      }
    }
    extensions.push_back(std::move(ext));
  }
  return extensions;
}

}  // namespace

Result<std::vector<Extension>> ParseExtensions(ByteSpan extensions_der, ByteSpan tbs, int depth) {
  return ReadExtensions(extensions_der, tbs, depth, /*with_oid_strings=*/true);
}

Result<std::vector<Extension>> ParseExtensionsWithoutText(ByteSpan extensions_der, ByteSpan tbs,
                                                          int depth) {
  return ReadExtensions(extensions_der, tbs, depth, /*with_oid_strings=*/false);
}

namespace {

// subjectAltName with every check; the names are collected into `out` when it is not null.
// ParseSubjectAltName and CheckSubjectAltName share it, so they accept exactly the same values.
Result<void> ReadSubjectAltName(ByteSpan value, SubjectAltNames* out) {
  DerReader outer(value);
  ASSIGN_OR_RETURN(DerReader names, outer.ReadSequence(), "subjectAltName");
  RETURN_IF_ERROR(outer.ExpectEnd("subjectAltName"));
  if (names.empty()) return Malformed("subjectAltName is empty (RFC 5280 §4.2.1.6)");
  if (out != nullptr) {
    // Size the list once: count the dNSNames first (headers only; the loop below checks all).
    size_t dns_count = 0;
    DerReader counter = names;
    while (!counter.empty()) {
      auto name = counter.ReadAnyElement();
      if (!name) break;
      dns_count += name->tag == DerContextTag(2, false);
    }
    out->dns_names.reserve(out->dns_names.size() + dns_count);
  }
  while (!names.empty()) {
    ASSIGN_OR_RETURN(auto name, names.ReadAnyElement(), "subjectAltName GeneralName");
    if (name.tag.tag_class != DerTagClass::kContextSpecific || name.tag.number > 8) {
      return Malformed("subjectAltName has a GeneralName with tag " + name.tag.ToString());
    }
    if (name.tag == DerContextTag(2, false)) {  // dNSName [2] IA5String
      if (!IsAscii(name.contents)) return Malformed("subjectAltName dNSName is not IA5String");
      if (out != nullptr) {
        out->dns_names.emplace_back(reinterpret_cast<const char*>(name.contents.data()),
                                    name.contents.size());
      }
    } else if (name.tag == DerContextTag(7, false)) {  // iPAddress [7] OCTET STRING
      const size_t size = name.contents.size();
      if (out == nullptr && (size == 4 || size == 16)) continue;  // what FormatIpAddress accepts
      ASSIGN_OR_RETURN(auto text, FormatIpAddress(name.contents), "subjectAltName iPAddress");
      if (out != nullptr) out->ip_addresses.push_back(std::move(text));
    } else if (name.tag.number == 2 || name.tag.number == 7) {
      return Malformed("subjectAltName " + name.tag.ToString() + " must be primitive");
    }
  }
  return {};
}

}  // namespace

Result<SubjectAltNames> ParseSubjectAltName(ByteSpan value) {
  SubjectAltNames result;
  RETURN_IF_ERROR(ReadSubjectAltName(value, &result));
  return result;
}

Result<void> CheckSubjectAltName(ByteSpan value) { return ReadSubjectAltName(value, nullptr); }

Result<uint16_t> ParseKeyUsage(ByteSpan value) {
  DerReader reader(value);
  ASSIGN_OR_RETURN(auto bits, reader.ReadBitString(), "keyUsage");
  RETURN_IF_ERROR(reader.ExpectEnd("keyUsage"));
  uint16_t mask = 0;
  // Named bits beyond decipherOnly (8) are undefined; they are ignored.
  for (size_t i = 0; i < bits.bytes.size() && i < 2; ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      if ((bits.bytes[i] & (0x80 >> bit)) == 0) continue;
      const size_t n = i * 8 + bit;
      if (n <= 8) mask |= static_cast<uint16_t>(1u << n);
    }
  }
  return mask;
}

namespace {

// extKeyUsage with every check; the purposes are collected into `out` when it is not null.
Result<void> ReadExtendedKeyUsage(ByteSpan value, std::vector<ByteSpan>* out) {
  DerReader outer(value);
  ASSIGN_OR_RETURN(DerReader list, outer.ReadSequence(), "extKeyUsage");
  RETURN_IF_ERROR(outer.ExpectEnd("extKeyUsage"));
  if (list.empty()) return Malformed("extKeyUsage is empty (RFC 5280 §4.2.1.12)");
  while (!list.empty()) {
    ASSIGN_OR_RETURN(auto oid, list.ReadOid(), "extKeyUsage");
    if (out != nullptr) out->push_back(oid);
  }
  return {};
}

}  // namespace

Result<std::vector<ByteSpan>> ParseExtendedKeyUsage(ByteSpan value) {
  std::vector<ByteSpan> purposes;
  RETURN_IF_ERROR(ReadExtendedKeyUsage(value, &purposes));
  return purposes;
}

Result<void> CheckExtendedKeyUsage(ByteSpan value) { return ReadExtendedKeyUsage(value, nullptr); }

Result<std::optional<ByteSpan>> ParseAuthorityKeyIdentifier(ByteSpan value) {
  // AuthorityKeyIdentifier ::= SEQUENCE {
  //   keyIdentifier [0] KeyIdentifier OPTIONAL, authorityCertIssuer [1] GeneralNames OPTIONAL,
  //   authorityCertSerialNumber [2] CertificateSerialNumber OPTIONAL }  (IMPLICIT tags)
  DerReader outer(value);
  ASSIGN_OR_RETURN(auto aki, outer.ReadSequence(), "authorityKeyIdentifier");
  RETURN_IF_ERROR(outer.ExpectEnd("authorityKeyIdentifier"));
  ASSIGN_OR_RETURN(std::optional<DerElement> key_id,
                   aki.ReadOptionalElement(DerContextTag(0, false)));
  RETURN_IF_ERROR(aki.ReadOptionalElement(DerContextTag(1, true)));
  ASSIGN_OR_RETURN(auto serial, aki.ReadOptionalElement(DerContextTag(2, false)));
  if (serial.has_value()) {
    RETURN_IF_ERROR(CheckDerInteger(serial->contents), "authorityCertSerialNumber");
  }
  RETURN_IF_ERROR(aki.ExpectEnd("authorityKeyIdentifier"));
  if (!key_id.has_value()) return std::optional<ByteSpan>();
  return std::optional<ByteSpan>(key_id->contents);
}

Result<ByteSpan> ParseSubjectKeyIdentifier(ByteSpan value) {
  DerReader reader(value);
  ASSIGN_OR_RETURN(auto key_id, reader.ReadOctetString(), "subjectKeyIdentifier");
  RETURN_IF_ERROR(reader.ExpectEnd("subjectKeyIdentifier"));
  return key_id;
}

Result<BasicConstraints> ParseBasicConstraints(ByteSpan value) {
  DerReader outer(value);
  ASSIGN_OR_RETURN(DerReader fields, outer.ReadSequence(), "basicConstraints");
  RETURN_IF_ERROR(outer.ExpectEnd("basicConstraints"));
  BasicConstraints result;
  // cA BOOLEAN DEFAULT FALSE: an explicit FALSE is accepted, as for Extension.critical.
  if (fields.PeekTagIs(kDerBoolean)) {
    ASSIGN_OR_RETURN(result.is_ca, fields.ReadBoolean(), "basicConstraints cA");
  }
  if (!fields.empty()) {
    ASSIGN_OR_RETURN(result.path_len, fields.ReadUint64(), "basicConstraints pathLen");
  }
  RETURN_IF_ERROR(fields.ExpectEnd("basicConstraints"));
  return result;
}

Result<std::string> FormatIpAddress(ByteSpan address) {
  if (address.size() == 4) {
    return std::to_string(address[0]) + "." + std::to_string(address[1]) + "." +
           std::to_string(address[2]) + "." + std::to_string(address[3]);
  }
  if (address.size() != 16) {
    return Malformed("IP address has " + std::to_string(address.size()) + " octets, not 4 or 16");
  }
  uint16_t groups[8];
  for (int i = 0; i < 8; ++i)
    groups[i] = static_cast<uint16_t>(address[2 * i] << 8 | address[2 * i + 1]);
  // RFC 5952 §4.2: "::" replaces the longest run of two or more zero groups, the first if tied.
  int best_start = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (groups[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && groups[j] == 0) ++j;
    if (j - i > best_len && j - i >= 2) {
      best_start = i;
      best_len = j - i;
    }
    i = j;
  }
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    // RFC 5952 §4.1 and §4.3: no leading zeros, lowercase.
    bool started = false;
    for (int shift = 12; shift >= 0; shift -= 4) {
      const int nibble = (groups[i] >> shift) & 0xf;
      if (nibble != 0 || started || shift == 0) {
        out += kLowerHex[nibble];
        started = true;
      }
    }
  }
  return out;
}

}  // namespace ctkit
