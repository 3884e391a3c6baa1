#include "ct/tls_codec.h"

#include <utility>

#include "base/plural.h"

namespace ctkit {
namespace {

// ReadUint narrowed to T; the width guarantees the value fits. (g++ 12's std::expected has no
// transform().)
template <typename T>
Result<T> ReadNarrow(TlsReader& reader, size_t size) {
  ASSIGN_OR_RETURN(auto value, reader.ReadUint(size));
  return static_cast<T>(value);
}

}  // namespace

size_t TlsLengthPrefixSize(uint64_t ceiling) {
  size_t size = 1;
  while (size < 8 && (ceiling >> (8 * size)) != 0) ++size;
  return size;
}

Result<uint64_t> TlsReader::ReadUint(size_t size) {
  if (size == 0 || size > 8) {
    return MakeError(ErrorCode::kInternal, "integer width " + std::to_string(size));
  }
  if (data_.size() < size) {
    return MakeError(ErrorCode::kMalformed, "truncated: a " + Count(size, "byte") +
                                                " integer with " + Count(data_.size(), "byte") +
                                                " left");
  }
  uint64_t value = 0;
  for (size_t i = 0; i < size; ++i) value = (value << 8) | data_[i];
  data_ = data_.subspan(size);
  return value;
}

Result<uint8_t> TlsReader::ReadU8() { return ReadNarrow<uint8_t>(*this, 1); }

Result<uint16_t> TlsReader::ReadU16() { return ReadNarrow<uint16_t>(*this, 2); }

Result<uint32_t> TlsReader::ReadU24() { return ReadNarrow<uint32_t>(*this, 3); }

Result<uint32_t> TlsReader::ReadU32() { return ReadNarrow<uint32_t>(*this, 4); }

Result<uint64_t> TlsReader::ReadU40() { return ReadUint(5); }

Result<uint64_t> TlsReader::ReadU64() { return ReadUint(8); }

Result<ByteSpan> TlsReader::ReadFixed(size_t size) {
  if (data_.size() < size) {
    return MakeError(ErrorCode::kMalformed, "truncated: need " + Count(size, "byte") + ", " +
                                                std::to_string(data_.size()) + " left");
  }
  ByteSpan out = data_.first(size);
  data_ = data_.subspan(size);
  return out;
}

Result<ByteSpan> TlsReader::ReadVector(uint64_t floor, uint64_t ceiling) {
  if (floor > ceiling || ceiling > kMaxTlsVectorCeiling) {
    return MakeError(ErrorCode::kInternal, "bad vector bounds <" + std::to_string(floor) + ".." +
                                               std::to_string(ceiling) + ">");
  }
  // Read on a copy so a failure consumes nothing.
  TlsReader copy = *this;
  ASSIGN_OR_RETURN(auto length, copy.ReadUint(TlsLengthPrefixSize(ceiling)), "vector length");
  if (length < floor || length > ceiling) {
    return MakeError(ErrorCode::kMalformed, "vector length " + std::to_string(length) +
                                                " outside <" + std::to_string(floor) + ".." +
                                                std::to_string(ceiling) + ">");
  }
  if (length > copy.remaining()) {
    return MakeError(ErrorCode::kMalformed, "vector length " + std::to_string(length) +
                                                " exceeds the " + Count(copy.remaining(), "byte") +
                                                " left");
  }
  auto body = copy.ReadFixed(static_cast<size_t>(length));
  if (body) *this = copy;
  return body;
}

Result<void> TlsReader::ExpectEmpty(std::string_view what) const {
  if (data_.empty()) return {};
  return MakeError(ErrorCode::kMalformed,
                   std::string(what) + ": " + Count(data_.size(), "trailing byte"));
}

void TlsBuilder::Fail(std::string message) {
  if (error_.empty()) error_ = std::move(message);
}

TlsBuilder& TlsBuilder::AddUint(uint64_t value, size_t size) {
  if (size == 0 || size > 8) {
    Fail("integer width " + std::to_string(size));
    return *this;
  }
  if (size < 8 && (value >> (8 * size)) != 0) {
    Fail(std::to_string(value) + " does not fit in " + Count(size, "byte"));
    return *this;
  }
  for (size_t i = size; i-- > 0;) out_.push_back(static_cast<uint8_t>(value >> (8 * i)));
  return *this;
}

TlsBuilder& TlsBuilder::AddU8(uint8_t value) { return AddUint(value, 1); }
TlsBuilder& TlsBuilder::AddU16(uint16_t value) { return AddUint(value, 2); }
TlsBuilder& TlsBuilder::AddU24(uint32_t value) { return AddUint(value, 3); }
TlsBuilder& TlsBuilder::AddU32(uint32_t value) { return AddUint(value, 4); }
TlsBuilder& TlsBuilder::AddU40(uint64_t value) { return AddUint(value, 5); }
TlsBuilder& TlsBuilder::AddU64(uint64_t value) { return AddUint(value, 8); }

TlsBuilder& TlsBuilder::AddFixed(ByteSpan bytes) {
  out_.insert(out_.end(), bytes.begin(), bytes.end());
  return *this;
}

TlsBuilder& TlsBuilder::AddVector(uint64_t floor, uint64_t ceiling, ByteSpan bytes) {
  if (floor > ceiling || ceiling > kMaxTlsVectorCeiling) {
    Fail("bad vector bounds <" + std::to_string(floor) + ".." + std::to_string(ceiling) + ">");
    return *this;
  }
  if (bytes.size() < floor || bytes.size() > ceiling) {
    Fail("vector of " + Count(bytes.size(), "byte") + " outside <" + std::to_string(floor) + ".." +
         std::to_string(ceiling) + ">");
    return *this;
  }
  AddUint(bytes.size(), TlsLengthPrefixSize(ceiling));
  return AddFixed(bytes);
}

Result<Bytes> TlsBuilder::Finish() && {
  if (!error_.empty()) return MakeError(ErrorCode::kInvalidArgument, error_);
  return std::move(out_);
}

}  // namespace ctkit
