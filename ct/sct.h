// Signed Certificate Timestamps (RFC 6962 §3.2), SCT lists (§3.3) and the static-ct-api SCT
// extensions (c2sp.org/static-ct-api, "SCT Extension").
//
// An SCT is a log's promise to include a certificate. Its signature is checked by
// sct_verify.h; this file only moves between bytes and structure. Parsing is strict: every
// length exact, no trailing bytes, and a version other than v1 is reported as kUnsupported (its
// layout is unknown, so it is neither parsed nor called malformed).

#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "base/bytes.h"
#include "base/error.h"
#include "ct/log_key.h"

namespace ctkit {

// RFC 6962 §3.2: `enum { v1(0), (255) } Version;`
enum class SctVersion : uint8_t { kV1 = 0 };

// RFC 6962 §3.2:
//   struct {
//     Version sct_version;
//     LogID id;                    // opaque key_id[32]
//     uint64 timestamp;            // ms since the epoch
//     CtExtensions extensions;     // opaque CtExtensions<0..2^16-1>
//     digitally-signed struct { ... } signature;
//   } SignedCertificateTimestamp;
struct SignedCertificateTimestamp {
  SctVersion version = SctVersion::kV1;
  LogId log_id{};
  uint64_t timestamp_ms = 0;
  Bytes extensions;  // raw CtExtensions; signed as they are, see ParseSctExtensions
  DigitallySigned signature;

  bool operator==(const SignedCertificateTimestamp&) const = default;
};

// Parses one serialized SCT, which must use all of `serialized`.
// kUnsupported: sct_version is not v1. kMalformed: anything else wrong.
Result<SignedCertificateTimestamp> ParseSct(ByteSpan serialized);

// The TLS encoding of `sct` (kInvalidArgument if not v1 or a field is too long).
Result<Bytes> SerializeSct(const SignedCertificateTimestamp& sct);

// RFC 6962 §3.3:
//   opaque SerializedSCT<1..2^16-1>;
//   struct { SerializedSCT sct_list <1..2^16-1>; } SignedCertificateTimestampList;
// Returns each SerializedSCT, unparsed: the list is opaque per SCT so that "out-of-date clients
// can still parse old SCTs while skipping over new SCTs whose versions they don't understand"
// (§3.3), so callers parse (and judge) each one separately.
// kMalformed: an empty list, an empty SCT, a length that does not match, trailing bytes.
Result<std::vector<Bytes>> ParseSctList(ByteSpan list);

// The list encoding of already serialized SCTs (kInvalidArgument if empty or too long).
Result<Bytes> SerializeSctList(std::span<const Bytes> serialized_scts);

// The CtExtensions that static-ct-api defines (c2sp.org/static-ct-api, "SCT Extension"):
//   enum { leaf_index(0), (255) } ExtensionType;
//   struct { ExtensionType extension_type; opaque extension_data<0..2^16-1>; } Extension;
//   Extension CtExtensions<0..2^16-1>;
//   uint8 uint40[5]; uint40 LeafIndex;
// The SCT's extensions field holds the Extension entries back to back (its own u16 prefix is
// the list's length). RFC 6962 logs send no extensions; static-ct-api logs MUST send leaf_index.
inline constexpr uint8_t kSctExtensionLeafIndex = 0;
inline constexpr uint64_t kMaxLeafIndex = (uint64_t{1} << 40) - 1;

struct SctExtensions {
  std::optional<uint64_t> leaf_index;  // the entry's 0-based index in the log

  bool operator==(const SctExtensions&) const = default;
};

// Parses an SCT's extensions field. Unknown extension types are skipped (the spec lets logs add
// them); kMalformed for truncation, a duplicated type ("MUST NOT be included"), or a leaf_index
// whose data is not exactly 5 bytes.
Result<SctExtensions> ParseSctExtensions(ByteSpan extensions);

// The extensions field for `extensions` (empty when there is nothing to say);
// kInvalidArgument if leaf_index exceeds 2^40-1.
Result<Bytes> SerializeSctExtensions(const SctExtensions& extensions);

}  // namespace ctkit
