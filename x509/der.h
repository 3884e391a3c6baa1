// A zero-copy, bounds-checked DER reader for untrusted input (ITU-T X.690 §8 and §10/§11), in
// the spirit of BoringSSL's CBS.
//
// A DerReader is a cursor over a ByteSpan it does not own: every ByteSpan it returns points into
// that same buffer, so the buffer must outlive the reader and everything read from it.
//
// Only DER is accepted: definite lengths in their shortest form, high tag numbers in their
// shortest form, primitive encodings for the string types. Every function returns a Result with a
// precise reason and leaves the reader unchanged on error only where documented (peeks); after a
// failed Read* the reader's position is unspecified and the reader should be dropped.
//
//   DerReader cert(der);
//   auto seq = cert.ReadSequence();           // child reader over the SEQUENCE contents
//   if (!seq) return std::unexpected(seq.error());
//   auto serial = seq->ReadInteger();
//   ...
//   if (auto done = seq->ExpectEnd("TBSCertificate"); !done) return std::unexpected(done.error());

#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/bytes.h"
#include "base/error.h"

namespace ctkit {

// X.690 §8.1.2.2, bits 8-7 of the identifier octet.
enum class DerTagClass : uint8_t {
  kUniversal = 0,
  kApplication = 1,
  kContextSpecific = 2,
  kPrivate = 3,
};

struct DerTag {
  DerTagClass tag_class = DerTagClass::kUniversal;
  bool constructed = false;
  uint32_t number = 0;

  friend bool operator==(const DerTag&, const DerTag&) = default;

  // "SEQUENCE", "INTEGER", "[3] constructed", "[APPLICATION 7]": for error messages.
  std::string ToString() const;
};

// Universal tags used by X.509 (X.680 §8.6 table 1).
inline constexpr DerTag kDerBoolean{DerTagClass::kUniversal, false, 1};
inline constexpr DerTag kDerInteger{DerTagClass::kUniversal, false, 2};
inline constexpr DerTag kDerBitString{DerTagClass::kUniversal, false, 3};
inline constexpr DerTag kDerOctetString{DerTagClass::kUniversal, false, 4};
inline constexpr DerTag kDerNull{DerTagClass::kUniversal, false, 5};
inline constexpr DerTag kDerOid{DerTagClass::kUniversal, false, 6};
inline constexpr DerTag kDerUtf8String{DerTagClass::kUniversal, false, 12};
inline constexpr DerTag kDerSequence{DerTagClass::kUniversal, true, 16};
inline constexpr DerTag kDerSet{DerTagClass::kUniversal, true, 17};
inline constexpr DerTag kDerNumericString{DerTagClass::kUniversal, false, 18};
inline constexpr DerTag kDerPrintableString{DerTagClass::kUniversal, false, 19};
inline constexpr DerTag kDerTeletexString{DerTagClass::kUniversal, false, 20};
inline constexpr DerTag kDerIa5String{DerTagClass::kUniversal, false, 22};
inline constexpr DerTag kDerUtcTime{DerTagClass::kUniversal, false, 23};
inline constexpr DerTag kDerGeneralizedTime{DerTagClass::kUniversal, false, 24};
inline constexpr DerTag kDerVisibleString{DerTagClass::kUniversal, false, 26};
inline constexpr DerTag kDerUniversalString{DerTagClass::kUniversal, false, 28};
inline constexpr DerTag kDerBmpString{DerTagClass::kUniversal, false, 30};

// [n] context-specific tag: constructed for EXPLICIT tagging and for IMPLICIT tagging of a
// constructed type, primitive for IMPLICIT tagging of a primitive type (X.690 §8.14).
constexpr DerTag DerContextTag(uint32_t number, bool constructed) {
  return DerTag{DerTagClass::kContextSpecific, constructed, number};
}

// Limits that keep hostile input cheap. Certificates nest about 10 levels deep; tag numbers
// above 2^28 and lengths above 2^32 - 1 do not occur in anything ctkit reads.
inline constexpr int kMaxDerDepth = 32;
inline constexpr uint32_t kMaxDerTagNumber = (1u << 28) - 1;

// One TLV element. All three spans point into the reader's buffer.
struct DerElement {
  DerTag tag;
  ByteSpan contents;  // the value octets
  ByteSpan encoded;   // identifier and length octets followed by the contents
  size_t header_size() const { return encoded.size() - contents.size(); }
};

// INTEGER (X.690 §8.3): the two's complement content octets, already checked to be minimal.
struct DerInteger {
  ByteSpan bytes;
  bool IsNegative() const { return (bytes[0] & 0x80) != 0; }
};

// BIT STRING (X.690 §8.6): the octets after the unused-bits octet; the unused bits of the last
// octet are zero (DER, X.690 §11.2.1).
struct DerBitString {
  ByteSpan bytes;
  uint8_t unused_bits = 0;
};

class DerReader {
 public:
  // depth counts the constructed elements enclosing `data`; children get depth + 1, and a child
  // deeper than kMaxDerDepth is refused.
  explicit DerReader(ByteSpan data, int depth = 0) : data_(data), depth_(depth) {}
  // A reader over a temporary buffer would dangle as soon as the statement ends.
  explicit DerReader(Bytes&& data, int depth = 0) = delete;

  bool empty() const { return pos_ == data_.size(); }
  size_t remaining() const { return data_.size() - pos_; }
  // Bytes consumed so far, i.e. the offset of the next element within the reader's data.
  size_t offset() const { return pos_; }
  int depth() const { return depth_; }
  ByteSpan data() const { return data_; }

  // Tag of the next element, without consuming anything. Fails at the end of data or on a
  // malformed identifier.
  Result<DerTag> PeekTag() const;
  // True if the next element exists and has this tag (a malformed identifier is "false").
  bool PeekTagIs(DerTag tag) const;

  // Reads the next element, whatever its tag.
  Result<DerElement> ReadAnyElement();
  // Reads the next element, which must have tag `expected`; returns its contents.
  Result<ByteSpan> ReadElement(DerTag expected);
  // Same, returning the whole element (header and contents) when the raw bytes must be kept.
  Result<DerElement> ReadFullElement(DerTag expected);
  // Reads a constructed element with tag `expected` and returns a reader over its contents, one
  // level deeper.
  Result<DerReader> ReadConstructed(DerTag expected);
  Result<DerReader> ReadSequence() { return ReadConstructed(kDerSequence); }

  // OPTIONAL / DEFAULT fields: consumes the next element only if it has tag `tag`.
  Result<std::optional<DerElement>> ReadOptionalElement(DerTag tag);
  Result<std::optional<DerReader>> ReadOptionalConstructed(DerTag tag);

  // Typed reads (universal tags). Each checks the DER rules for its type.
  Result<DerInteger> ReadInteger();
  // INTEGER that must be non-negative and fit in 64 bits (versions, small counters).
  Result<uint64_t> ReadUint64();
  Result<bool> ReadBoolean();
  // Returns the OID's content octets, validated per X.690 §8.19 (see x509/oid.h to print them).
  Result<ByteSpan> ReadOid();
  Result<DerBitString> ReadBitString();
  Result<ByteSpan> ReadOctetString();
  Result<void> ReadNull();
  // UTCTime or GeneralizedTime, whichever comes next, as seconds since the Unix epoch.
  Result<int64_t> ReadTime();

  // Fails unless every byte was consumed: DER structures carry no trailing data.
  Result<void> ExpectEnd(std::string_view what) const {
    if (empty()) return {};
    return TrailingBytesError(what);
  }

 private:
  Result<void> TrailingBytesError(std::string_view what) const;

  ByteSpan data_;
  size_t pos_ = 0;
  int depth_ = 0;
};

// Parses a single DER element that must span all of `data` (no trailing bytes).
Result<DerElement> ParseSingleDerElement(ByteSpan data);

// Value checks shared by the reader and by callers holding IMPLICIT-tagged contents.
Result<void> CheckDerInteger(ByteSpan contents);
Result<void> CheckDerOid(ByteSpan contents);
Result<bool> ParseDerBoolean(ByteSpan contents);
Result<DerBitString> ParseDerBitString(ByteSpan contents);
// RFC 5280 §4.1.2.5.1: "YYMMDDHHMMSSZ", YY >= 50 means 19YY.
Result<int64_t> ParseUtcTime(ByteSpan contents);
// RFC 5280 §4.1.2.5.2: "YYYYMMDDHHMMSSZ", no fractional seconds.
Result<int64_t> ParseGeneralizedTime(ByteSpan contents);

// True if no octet has its top bit set: the ASCII-only string types (IA5String, PrintableString,
// ..., X.680 §41) and dNSNames (RFC 5280 §4.2.1.6).
bool IsAscii(ByteSpan bytes);

}  // namespace ctkit
