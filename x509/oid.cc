#include "x509/oid.h"

#include <charconv>
#include <vector>

namespace ctkit {
namespace {

constexpr size_t kMaxArcOctets = 32;

// Appends the decimal text of a base-128 arc given as its 7-bit groups, using base-1e9 limbs so
// arcs wider than 64 bits print exactly.
void AppendArcDecimal(ByteSpan groups, std::string& out) {
  if (groups.size() <= 9) {  // 63 bits: the common case, no big-number arithmetic
    uint64_t value = 0;
    for (uint8_t g : groups) value = value << 7 | (g & 0x7f);
    out += std::to_string(value);
    return;
  }
  std::vector<uint32_t> limbs{0};  // little-endian, base 1e9
  for (uint8_t g : groups) {
    uint64_t carry = g & 0x7f;
    for (uint32_t& limb : limbs) {
      const uint64_t v = uint64_t{limb} * 128 + carry;
      limb = static_cast<uint32_t>(v % 1000000000);
      carry = v / 1000000000;
    }
    if (carry != 0) limbs.push_back(static_cast<uint32_t>(carry));
  }
  out += std::to_string(limbs.back());
  for (size_t i = limbs.size() - 1; i-- > 0;) {
    std::string part = std::to_string(limbs[i]);
    out.append(9 - part.size(), '0');
    out += part;
  }
}

void AppendBase128(uint64_t value, Bytes& out) {
  uint8_t groups[10];
  int n = 0;
  do {
    groups[n++] = value & 0x7f;
    value >>= 7;
  } while (value != 0);
  while (n-- > 0) out.push_back(static_cast<uint8_t>(groups[n] | (n > 0 ? 0x80 : 0)));
}

}  // namespace

Result<std::string> OidToString(ByteSpan oid) {
  if (oid.empty() || (oid.back() & 0x80) != 0) {
    return MakeError(ErrorCode::kMalformed, "OBJECT IDENTIFIER is empty or truncated");
  }
  std::string out;
  size_t start = 0;
  bool first = true;
  for (size_t i = 0; i < oid.size(); ++i) {
    if ((oid[i] & 0x80) != 0) continue;
    ByteSpan arc = oid.subspan(start, i + 1 - start);
    start = i + 1;
    if (arc[0] == 0x80) {
      return MakeError(ErrorCode::kMalformed, "OBJECT IDENTIFIER subidentifier has a leading 0x80");
    }
    if (arc.size() > kMaxArcOctets) {
      return MakeError(ErrorCode::kUnsupported, "OBJECT IDENTIFIER arc wider than 224 bits");
    }
    if (!first) {
      out += '.';
      AppendArcDecimal(arc, out);
      continue;
    }
    first = false;
    // X.690 §8.19.4: the first subidentifier is 40 * arc1 + arc2; arc1 is 2 when it is >= 80.
    if (arc.size() > 9) {
      return MakeError(ErrorCode::kUnsupported, "OBJECT IDENTIFIER first subidentifier too large");
    }
    uint64_t value = 0;
    for (uint8_t g : arc) value = value << 7 | (g & 0x7f);
    if (value < 40) {
      out = "0." + std::to_string(value);
    } else if (value < 80) {
      out = "1." + std::to_string(value - 40);
    } else {
      out = "2." + std::to_string(value - 80);
    }
  }
  return out;
}

Result<Bytes> OidFromString(std::string_view dotted) {
  std::vector<uint64_t> arcs;
  size_t pos = 0;
  while (true) {
    const size_t dot = dotted.find('.', pos);
    std::string_view part =
        dotted.substr(pos, dot == std::string_view::npos ? dotted.npos : dot - pos);
    if (part.empty() || (part.size() > 1 && part[0] == '0')) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "bad OID arc in \"" + std::string(dotted) + "\"");
    }
    uint64_t value = 0;
    auto [end, ec] = std::from_chars(part.data(), part.data() + part.size(), value);
    if (ec != std::errc() || end != part.data() + part.size()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       "bad OID arc in \"" + std::string(dotted) + "\"");
    }
    arcs.push_back(value);
    if (dot == std::string_view::npos) break;
    pos = dot + 1;
  }
  if (arcs.size() < 2 || arcs[0] > 2 || (arcs[0] < 2 && arcs[1] >= 40) ||
      arcs[1] > UINT64_MAX - 80) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "bad first arcs in OID \"" + std::string(dotted) + "\"");
  }
  Bytes out;
  AppendBase128(arcs[0] * 40 + arcs[1], out);
  for (size_t i = 2; i < arcs.size(); ++i) AppendBase128(arcs[i], out);
  return out;
}

}  // namespace ctkit
