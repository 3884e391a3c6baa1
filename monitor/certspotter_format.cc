#include "monitor/certspotter_format.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <ctime>
#include <string_view>

#include "ct/rfc3339.h"
#include "monitor/idna.h"
#include "x509/name.h"
#include "x509/oid.h"
#include "x509/pem.h"

namespace ctkit {
namespace {

constexpr std::string_view kUnparsableLabel = "<unparsable>";

bool IsAsciiText(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// certspotter keeps a label whose characters are all tab or printable ASCII.
bool IsSaneLabel(std::string_view label) {
  return std::all_of(label.begin(), label.end(), [](char c) {
    const auto b = static_cast<unsigned char>(c);
    return b == '\t' || (b >= 0x20 && b <= 0x7e);
  });
}

std::string_view TrimSpace(std::string_view text) {
  constexpr std::string_view kSpace = " \t\n\v\f\r";
  const size_t start = text.find_first_not_of(kSpace);
  if (start == std::string_view::npos) return {};
  return text.substr(start, text.find_last_not_of(kSpace) - start + 1);
}

// Trimmed, trailing dots cut, ASCII-lowercased; each label kept when sane, else (with `unicode`,
// for commonNames) its A-label when it has one, else "<unparsable>".
std::string SanitizeDnsName(std::string_view value, bool unicode) {
  std::string name(TrimSpace(value));
  while (!name.empty() && name.back() == '.') name.pop_back();
  AsciiLowercase(name);
  std::string out;
  size_t start = 0;
  while (true) {
    const size_t dot = name.find('.', start);
    std::string label = name.substr(start, dot == std::string::npos ? dot : dot - start);
    if (unicode && !IsAsciiText(label)) {
      Result<std::string> ascii = DomainToAscii(label);
      label = ascii && IsSaneLabel(*ascii) && ascii->find('.') == std::string::npos
                  ? *ascii
                  : std::string(kUnparsableLabel);
    } else if (!IsSaneLabel(label)) {
      label = std::string(kUnparsableLabel);
    }
    if (!out.empty() || start > 0) out += '.';
    out += label;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return out;
}

// An IP address written as text, in Go's form (net.IP.String), or "" when `text` is not one.
std::string ParseIpText(const std::string& text) {
  std::array<unsigned char, 16> address{};
  char buffer[INET6_ADDRSTRLEN] = {};
  if (inet_pton(AF_INET, text.c_str(), address.data()) == 1) {
    return inet_ntop(AF_INET, address.data(), buffer, sizeof(buffer)) ? buffer : "";
  }
  if (text.find(':') != std::string::npos &&
      inet_pton(AF_INET6, text.c_str(), address.data()) == 1) {
    const bool mapped = std::all_of(address.begin(), address.begin() + 10,
                                    [](unsigned char b) { return b == 0; }) &&
                        address[10] == 0xff && address[11] == 0xff;
    if (mapped)
      return inet_ntop(AF_INET, address.data() + 12, buffer, sizeof(buffer)) ? buffer : "";
    return inet_ntop(AF_INET6, address.data(), buffer, sizeof(buffer)) ? buffer : "";
  }
  return "";
}

void AddUnique(std::vector<std::string>& list, std::string value) {
  if (value.empty()) return;
  if (std::find(list.begin(), list.end(), value) == list.end()) list.push_back(std::move(value));
}

// One value after its prefixes were split off (certspotter's add...final).
void AddFinal(CertspotterIdentifiers& ids, const std::string& value, bool common_name) {
  if (std::string ip = ParseIpText(value); !ip.empty()) {
    AddUnique(ids.ip_addresses, std::move(ip));
  } else if (common_name) {
    if (value.find(' ') == std::string::npos)
      AddUnique(ids.dns_names, SanitizeDnsName(value, true));
  } else {
    AddUnique(ids.dns_names, SanitizeDnsName(value, false));
  }
}

void AddSplitAtSlash(CertspotterIdentifiers& ids, const std::string& value, bool common_name) {
  if (size_t slash = value.find('/'); slash != std::string::npos) {
    AddFinal(ids, value.substr(0, slash), common_name);
  }
  AddFinal(ids, value, common_name);
}

void AddValue(CertspotterIdentifiers& ids, std::string value, bool common_name) {
  for (std::string_view prefix : {"http://", "https://"}) {
    if (value.starts_with(prefix)) {
      value.erase(0, prefix.size());
      break;
    }
  }
  if (size_t nul = value.find('\0'); nul != std::string::npos) {
    AddSplitAtSlash(ids, value.substr(0, nul), common_name);
  }
  AddSplitAtSlash(ids, value, common_name);
}

// certspotter's names for the attribute types it knows (2.5.4.x); others are dotted OIDs.
std::string AttributeLabel(ByteSpan type) {
  if (type.size() == 3 && type[0] == 0x55 && type[1] == 0x04) {
    switch (type[2]) {
      case 3:
        return "CN";
      case 5:
        return "serialNumber";
      case 6:
        return "C";
      case 7:
        return "L";
      case 8:
        return "ST";
      case 9:
        return "street";
      case 10:
        return "O";
      case 11:
        return "OU";
      case 17:
        return "postalCode";
      default:
        break;
    }
  }
  Result<std::string> dotted = OidToString(type);
  return dotted ? *dotted : "#" + HexEncode(type);
}

}  // namespace

CertspotterIdentifiers CertspotterIdentifiersOf(const CertificateView& cert) {
  CertspotterIdentifiers ids;
  for (std::string& cn : cert.DecodeSubjectCommonNames()) AddValue(ids, std::move(cn), true);
  SubjectAltNames sans = cert.DecodeSubjectAltNames();
  for (std::string& dns : sans.dns_names) AddValue(ids, std::move(dns), false);
  for (const std::string& ip : sans.ip_addresses) {
    std::string go = ParseIpText(ip);
    AddUnique(ids.ip_addresses, go.empty() ? ip : go);
  }
  return ids;
}

std::string CertspotterDistinguishedName(ByteSpan name_der) {
  Result<std::vector<RelativeDistinguishedName>> rdns = ParseName(name_der);
  if (!rdns) return "";
  std::string out;
  for (const RelativeDistinguishedName& rdn : *rdns) {
    if (rdn.empty()) continue;
    const NameAttribute& attribute = rdn.front();
    if (!out.empty()) out += ", ";
    out += AttributeLabel(attribute.type) + "=";
    Result<std::string> value = DecodeDirectoryString(attribute.value);
    out += value ? *value : "#" + HexEncode(attribute.value.encoded);
  }
  return out;
}

std::string CertspotterSerial(ByteSpan serial) {
  if (serial.empty()) return "0";
  Bytes magnitude(serial.begin(), serial.end());
  const bool negative = (magnitude[0] & 0x80) != 0;
  if (negative) {  // two's complement: invert and add one
    for (uint8_t& b : magnitude) b = static_cast<uint8_t>(~b);
    for (size_t i = magnitude.size(); i-- > 0;) {
      if (++magnitude[i] != 0) break;
    }
  }
  std::string hex = HexEncode(magnitude);
  const size_t first = hex.find_first_not_of('0');
  hex = first == std::string::npos ? "0" : hex.substr(first);
  return negative ? "-" + hex : hex;
}

std::string CertspotterTime(int64_t unix_seconds) {
  const time_t t = static_cast<time_t>(unix_seconds);
  struct tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return FormatRfc3339(unix_seconds * 1000);
  char buffer[64];
  const size_t n = strftime(buffer, sizeof(buffer), "%Y-%m-%d %H:%M:%S +0000 UTC", &tm);
  return std::string(buffer, n);
}

nlohmann::ordered_json CertspotterCertInfo(const CertificateView& cert) {
  CertspotterIdentifiers ids = CertspotterIdentifiersOf(cert);
  return {{"pubkey_sha256", HexEncode(cert.spki_sha256())},
          {"dns_names", ids.dns_names},
          {"ip_addresses", ids.ip_addresses},
          {"not_before", FormatRfc3339(cert.not_before() * 1000)},
          {"not_after", FormatRfc3339(cert.not_after() * 1000)},
          {"subject_dn", CertspotterDistinguishedName(cert.subject_der())},
          {"issuer_dn", CertspotterDistinguishedName(cert.issuer_der())},
          {"serial", CertspotterSerial(cert.serial())}};
}

std::string PemCertificates(const std::vector<Bytes>& chain) {
  std::string pem;
  for (const Bytes& der : chain) pem += PemEncode("CERTIFICATE", der);
  return pem;
}

}  // namespace ctkit
