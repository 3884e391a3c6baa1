#include "x509/name.h"

#include <cstdint>
#include <utility>

#include "base/terminal_text.h"
#include "base/utf8.h"
#include "x509/oid.h"

namespace ctkit {
namespace {

struct KnownAttribute {
  std::string_view oid;  // content octets
  const char* short_name;
};

// RFC 4514 §3 keywords, then the names OpenSSL prints for other attributes common in WebPKI
// certificates (EV subjects in particular).
constexpr KnownAttribute kKnownAttributes[] = {
    {"\x55\x04\x03", "CN"},                                    // 2.5.4.3
    {"\x55\x04\x07", "L"},                                     // 2.5.4.7
    {"\x55\x04\x08", "ST"},                                    // 2.5.4.8
    {"\x55\x04\x0a", "O"},                                     // 2.5.4.10
    {"\x55\x04\x0b", "OU"},                                    // 2.5.4.11
    {"\x55\x04\x06", "C"},                                     // 2.5.4.6
    {"\x55\x04\x09", "street"},                                // 2.5.4.9
    {"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x19", "DC"},        // 0.9.2342.19200300.100.1.25
    {"\x09\x92\x26\x89\x93\xf2\x2c\x64\x01\x01", "UID"},       // 0.9.2342.19200300.100.1.1
    {"\x55\x04\x04", "SN"},                                    // 2.5.4.4
    {"\x55\x04\x05", "serialNumber"},                          // 2.5.4.5
    {"\x55\x04\x0c", "title"},                                 // 2.5.4.12
    {"\x55\x04\x0f", "businessCategory"},                      // 2.5.4.15
    {"\x55\x04\x11", "postalCode"},                            // 2.5.4.17
    {"\x55\x04\x2a", "GN"},                                    // 2.5.4.42
    {"\x55\x04\x2b", "initials"},                              // 2.5.4.43
    {"\x55\x04\x2e", "dnQualifier"},                           // 2.5.4.46
    {"\x55\x04\x61", "organizationIdentifier"},                // 2.5.4.97
    {"\x2a\x86\x48\x86\xf7\x0d\x01\x09\x01", "emailAddress"},  // 1.2.840.113549.1.9.1
    {"\x2b\x06\x01\x04\x01\x82\x37\x3c\x02\x01\x01", "jurisdictionL"},   // 1.3.6.1.4.1.311.60.2.1.1
    {"\x2b\x06\x01\x04\x01\x82\x37\x3c\x02\x01\x02", "jurisdictionST"},  // 1.3.6.1.4.1.311.60.2.1.2
    {"\x2b\x06\x01\x04\x01\x82\x37\x3c\x02\x01\x03", "jurisdictionC"},   // 1.3.6.1.4.1.311.60.2.1.3
};

constexpr char kUpperHex[] = "0123456789ABCDEF";

void AppendHexEscape(uint8_t byte, std::string& out) {
  out += '\\';
  out += kUpperHex[byte >> 4];
  out += kUpperHex[byte & 0x0f];
}

void AppendUtf8(uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xc0 | cp >> 6);
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xe0 | cp >> 12);
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  } else {
    out += static_cast<char>(0xf0 | cp >> 18);
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3f));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3f));
    out += static_cast<char>(0x80 | (cp & 0x3f));
  }
}

bool IsScalarValue(uint32_t cp) { return cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff); }

// Appends the character at text[pos] (one code point, or one byte of invalid UTF-8) with
// NameToString's display escaping: '\' doubled, invalid UTF-8 and the characters TerminalSafe
// escapes (base/terminal_text.h) as \XX per byte; returns its length in bytes.
size_t AppendDisplayChar(std::string_view text, size_t pos, std::string& out) {
  char32_t cp;
  const size_t len = DecodeUtf8(text, pos, &cp);
  if (len == 0) {
    AppendHexEscape(static_cast<uint8_t>(text[pos]), out);
    return 1;
  }
  if (cp == '\\') {
    out += "\\\\";
  } else if (IsTerminalControl(cp)) {
    for (size_t k = 0; k < len; ++k) AppendHexEscape(static_cast<uint8_t>(text[pos + k]), out);
  } else {
    out.append(text.substr(pos, len));
  }
  return len;
}

// RFC 4514 §2.4 escaping on top of the display escaping.
std::string EscapeRfc4514Value(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (size_t i = 0; i < value.size();) {
    const char c = value[i];
    const bool special = c == '"' || c == '+' || c == ',' || c == ';' || c == '<' || c == '>';
    const bool leading = i == 0 && (c == ' ' || c == '#');
    const bool trailing = i + 1 == value.size() && c == ' ';
    if (special || leading || trailing) {
      out += '\\';
      out += c;
      ++i;
    } else {
      i += AppendDisplayChar(value, i, out);
    }
  }
  return out;
}

Result<std::string> DecodeAscii(ByteSpan bytes, const char* type) {
  if (!IsAscii(bytes)) {
    return MakeError(ErrorCode::kMalformed, std::string(type) + " has a non-ASCII byte");
  }
  return std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size());
}

std::string ValueToString(const DerElement& value) {
  auto decoded = DecodeDirectoryString(value);
  if (decoded) return std::move(*decoded);
  return "#" + HexEncode(value.encoded);  // RFC 4514 §2.4: BER encoding in hex
}

}  // namespace

namespace {

// Walks a Name (SEQUENCE OF SET OF AttributeTypeAndValue) with every structural check, calling
// on_rdn() before each RDN and on_attribute(NameAttribute) for each of its attributes. ParseName
// and CheckName share it, so a name CheckName accepts is one ParseName accepts.
template <typename OnRdn, typename OnAttribute>
Result<void> WalkName(ByteSpan name_der, OnRdn on_rdn, OnAttribute on_attribute) {
  DerReader outer(name_der);
  ASSIGN_OR_RETURN(DerReader name, outer.ReadSequence(), "Name");
  RETURN_IF_ERROR(outer.ExpectEnd("Name"));
  while (!name.empty()) {
    ASSIGN_OR_RETURN(DerReader set, name.ReadConstructed(kDerSet), "Name RDN");
    // X.501: RelativeDistinguishedName ::= SET SIZE (1..MAX).
    if (set.empty()) return MakeError(ErrorCode::kMalformed, "Name has an empty RDN");
    on_rdn();
    while (!set.empty()) {
      ASSIGN_OR_RETURN(auto atv, set.ReadSequence(), "Name attribute");
      ASSIGN_OR_RETURN(auto type, atv.ReadOid(), "Name attribute type");
      ASSIGN_OR_RETURN(auto value, atv.ReadAnyElement(), "Name attribute value");
      RETURN_IF_ERROR(atv.ExpectEnd("Name attribute"));
      on_attribute(NameAttribute{type, value});
    }
  }
  return {};
}

}  // namespace

Result<std::vector<RelativeDistinguishedName>> ParseName(ByteSpan name_der) {
  std::vector<RelativeDistinguishedName> rdns;
  RETURN_IF_ERROR(WalkName(
      name_der, [&] { rdns.emplace_back(); },
      [&](const NameAttribute& attribute) { rdns.back().push_back(attribute); }));
  return rdns;
}

Result<void> CheckName(ByteSpan name_der) {
  return WalkName(name_der, [] {}, [](const NameAttribute&) {});
}

std::string AttributeTypeName(ByteSpan type) {
  for (const auto& known : kKnownAttributes) {
    if (OidEquals(type, AsBytes(known.oid))) return known.short_name;
  }
  auto dotted = OidToString(type);
  return dotted ? *dotted : "#" + HexEncode(type);
}

Result<std::string> NameToString(ByteSpan name_der) {
  ASSIGN_OR_RETURN(auto rdns, ParseName(name_der));
  std::string out;
  for (auto rdn = rdns.rbegin(); rdn != rdns.rend(); ++rdn) {
    if (!out.empty()) out += ',';
    for (size_t i = 0; i < rdn->size(); ++i) {
      if (i > 0) out += '+';
      const NameAttribute& attribute = (*rdn)[i];
      out += AttributeTypeName(attribute.type);
      out += '=';
      auto decoded = DecodeDirectoryString(attribute.value);
      out += decoded ? EscapeRfc4514Value(*decoded) : "#" + HexEncode(attribute.value.encoded);
    }
  }
  return out;
}

Result<std::vector<std::string>> NameAttributeValues(ByteSpan name_der, ByteSpan type) {
  // Straight from the walk, without ParseName's vector of RDNs: a monitor asks every
  // certificate for its commonNames.
  std::vector<std::string> values;
  RETURN_IF_ERROR(WalkName(
      name_der, [] {},
      [&](const NameAttribute& attribute) {
        if (OidEquals(attribute.type, type)) values.push_back(ValueToString(attribute.value));
      }));
  return values;
}

Result<std::string> DecodeDirectoryString(const DerElement& value) {
  const DerTag tag = value.tag;
  const ByteSpan bytes = value.contents;
  if (tag == kDerPrintableString) return DecodeAscii(bytes, "PrintableString");
  if (tag == kDerIa5String) return DecodeAscii(bytes, "IA5String");
  if (tag == kDerVisibleString) return DecodeAscii(bytes, "VisibleString");
  if (tag == kDerNumericString) return DecodeAscii(bytes, "NumericString");
  if (tag == kDerUtf8String) {
    std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    for (size_t i = 0; i < text.size();) {
      if (static_cast<uint8_t>(text[i]) < 0x80) {  // ASCII, by far the most common
        ++i;
        continue;
      }
      char32_t cp;
      const size_t len = DecodeUtf8(text, i, &cp);
      if (len == 0) return MakeError(ErrorCode::kMalformed, "UTF8String is not valid UTF-8");
      i += len;
    }
    return std::string(text);
  }
  if (tag == kDerTeletexString) {
    std::string out;
    for (uint8_t b : bytes) AppendUtf8(b, out);
    return out;
  }
  if (tag == kDerBmpString) {
    if (bytes.size() % 2 != 0) return MakeError(ErrorCode::kMalformed, "BMPString has odd length");
    std::string out;
    for (size_t i = 0; i < bytes.size(); i += 2) {
      uint32_t unit = uint32_t{bytes[i]} << 8 | bytes[i + 1];
      if (unit >= 0xd800 && unit <= 0xdbff && i + 3 < bytes.size()) {
        const uint32_t low = uint32_t{bytes[i + 2]} << 8 | bytes[i + 3];
        if (low >= 0xdc00 && low <= 0xdfff) {
          unit = 0x10000 + ((unit - 0xd800) << 10) + (low - 0xdc00);
          i += 2;
        }
      }
      if (!IsScalarValue(unit)) {
        return MakeError(ErrorCode::kMalformed, "BMPString has an unpaired surrogate");
      }
      AppendUtf8(unit, out);
    }
    return out;
  }
  if (tag == kDerUniversalString) {
    if (bytes.size() % 4 != 0) {
      return MakeError(ErrorCode::kMalformed, "UniversalString length is not a multiple of 4");
    }
    std::string out;
    for (size_t i = 0; i < bytes.size(); i += 4) {
      const uint32_t cp = uint32_t{bytes[i]} << 24 | uint32_t{bytes[i + 1]} << 16 |
                          uint32_t{bytes[i + 2]} << 8 | bytes[i + 3];
      if (!IsScalarValue(cp)) {
        return MakeError(ErrorCode::kMalformed, "UniversalString has an invalid code point");
      }
      AppendUtf8(cp, out);
    }
    return out;
  }
  return MakeError(ErrorCode::kUnsupported, tag.ToString() + " is not a string type");
}

}  // namespace ctkit
