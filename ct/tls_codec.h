// The TLS presentation language (RFC 5246 §4, RFC 8446 §3) as RFC 6962 uses it: big-endian
// integers, fixed-size opaque arrays, and variable-length vectors `opaque v<floor..ceiling>`.
//
// TlsReader reads from a span it does not own, in the manner of BoringSSL's CBS: every read is
// checked against the bytes that remain, every vector length against its floor and ceiling, and a
// failed read returns ErrorCode::kMalformed without consuming anything. It never throws and never
// reads out of bounds. TlsBuilder is the matching writer (BoringSSL's CBB): a value that does not
// fit its field makes the builder fail, and Finish() reports the first such error.
//
// Vector length prefixes are as wide as the ceiling needs (RFC 8446 §3.4): a vector declared
// <0..2^16-1> has a 2-byte prefix, <1..2^24-1> a 3-byte one. Callers pass the declared bounds and
// the width follows, so code reads like the structure definitions it implements.

#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"

namespace ctkit {

// Largest ceiling a vector may declare here: 2^32-1, a 4-byte prefix. RFC 6962 needs at most 3.
inline constexpr uint64_t kMaxTlsVectorCeiling = 0xffffffff;

// Bytes needed to hold `ceiling` (1 for ceiling < 256, 2 below 2^16, ...); the prefix width of a
// vector <floor..ceiling>.
size_t TlsLengthPrefixSize(uint64_t ceiling);

class TlsReader {
 public:
  explicit TlsReader(ByteSpan data) : data_(data) {}

  size_t remaining() const { return data_.size(); }
  bool empty() const { return data_.empty(); }
  // The unread bytes, without consuming them.
  ByteSpan rest() const { return data_; }

  Result<uint8_t> ReadU8();
  Result<uint16_t> ReadU16();
  Result<uint32_t> ReadU24();
  Result<uint32_t> ReadU32();
  Result<uint64_t> ReadU40();
  Result<uint64_t> ReadU64();
  // A big-endian unsigned integer of `size` bytes, 1 <= size <= 8.
  Result<uint64_t> ReadUint(size_t size);

  // `opaque name[size]`: exactly `size` bytes.
  Result<ByteSpan> ReadFixed(size_t size);

  // `opaque name<floor..ceiling>`: a length prefix of TlsLengthPrefixSize(ceiling) bytes, then
  // that many bytes. The length must lie in [floor, ceiling] and within the remaining input.
  Result<ByteSpan> ReadVector(uint64_t floor, uint64_t ceiling);

  // Fails with kMalformed when bytes remain: a structure must use its input exactly.
  // `what` names the structure in the message ("SCT: 1 trailing byte").
  Result<void> ExpectEmpty(std::string_view what) const;

 private:
  ByteSpan data_;
};

class TlsBuilder {
 public:
  TlsBuilder() = default;

  TlsBuilder& AddU8(uint8_t value);
  TlsBuilder& AddU16(uint16_t value);
  TlsBuilder& AddU24(uint32_t value);  // fails if value >= 2^24
  TlsBuilder& AddU32(uint32_t value);
  TlsBuilder& AddU40(uint64_t value);  // fails if value >= 2^40
  TlsBuilder& AddU64(uint64_t value);
  // `value` as `size` big-endian bytes, 1 <= size <= 8; fails if it does not fit.
  TlsBuilder& AddUint(uint64_t value, size_t size);

  // `opaque name[n]`: the bytes as they are.
  TlsBuilder& AddFixed(ByteSpan bytes);

  // `opaque name<floor..ceiling>`: fails if bytes.size() is outside [floor, ceiling].
  TlsBuilder& AddVector(uint64_t floor, uint64_t ceiling, ByteSpan bytes);

  bool ok() const { return error_.empty(); }
  size_t size() const { return out_.size(); }

  // The encoding, or the first error (kInvalidArgument: the value was ours and did not fit).
  Result<Bytes> Finish() &&;

 private:
  void Fail(std::string message);

  Bytes out_;
  std::string error_;
};

}  // namespace ctkit
