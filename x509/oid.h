// OBJECT IDENTIFIERs (X.690 §8.19) as their DER content octets, the form DerReader::ReadOid
// returns. Comparing two OIDs is comparing those octets: DER gives every OID one encoding.

#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"

namespace ctkit {

// Dotted-decimal text ("1.3.6.1.4.1.11129.2.4.3"). Arcs of any size up to 32 content octets
// (224 bits, enough for 2.25.<UUID>) are printed exactly; larger ones fail with kUnsupported.
// `oid` must be valid content octets (as checked by DerReader::ReadOid); anything else fails.
Result<std::string> OidToString(ByteSpan oid);

// Content octets for dotted-decimal text; arcs must fit in 64 bits, the first arc is 0, 1 or 2
// and the second is below 40 unless the first is 2 (X.690 §8.19.4).
Result<Bytes> OidFromString(std::string_view dotted);

inline bool OidEquals(ByteSpan a, ByteSpan b) { return std::ranges::equal(a, b); }

// OIDs the x509 library acts on, as content octets.
namespace oid {
// RFC 5280 §4.2.1 certificate extensions.
inline constexpr std::array<uint8_t, 3> kSubjectKeyIdentifier{0x55, 0x1d, 0x0e};    // 2.5.29.14
inline constexpr std::array<uint8_t, 3> kKeyUsage{0x55, 0x1d, 0x0f};                // 2.5.29.15
inline constexpr std::array<uint8_t, 3> kSubjectAltName{0x55, 0x1d, 0x11};          // 2.5.29.17
inline constexpr std::array<uint8_t, 3> kBasicConstraints{0x55, 0x1d, 0x13};        // 2.5.29.19
inline constexpr std::array<uint8_t, 3> kAuthorityKeyIdentifier{0x55, 0x1d, 0x23};  // 2.5.29.35
inline constexpr std::array<uint8_t, 3> kExtendedKeyUsage{0x55, 0x1d, 0x25};        // 2.5.29.37
// RFC 6962 §3.3: 1.3.6.1.4.1.11129.2.4.2, the embedded SignedCertificateTimestampList.
inline constexpr std::array<uint8_t, 10> kCtSctList{0x2b, 0x06, 0x01, 0x04, 0x01,
                                                    0xd6, 0x79, 0x02, 0x04, 0x02};
// RFC 6962 §3.1: 1.3.6.1.4.1.11129.2.4.3, the precertificate poison extension.
inline constexpr std::array<uint8_t, 10> kCtPoison{0x2b, 0x06, 0x01, 0x04, 0x01,
                                                   0xd6, 0x79, 0x02, 0x04, 0x03};
// RFC 6962 §3.1: 1.3.6.1.4.1.11129.2.4.4, the Precertificate Signing Certificate EKU.
inline constexpr std::array<uint8_t, 10> kCtPrecertSigning{0x2b, 0x06, 0x01, 0x04, 0x01,
                                                           0xd6, 0x79, 0x02, 0x04, 0x04};
}  // namespace oid

}  // namespace ctkit
