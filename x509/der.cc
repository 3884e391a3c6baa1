#include "x509/der.h"

#include <chrono>
#include <cstring>
#include <utility>

namespace ctkit {
namespace {

std::unexpected<Error> Malformed(std::string message) {
  return MakeError(ErrorCode::kMalformed, std::move(message));
}

// Identifier and length octets of the element starting at data[pos] (X.690 §8.1.2, §8.1.3).
struct Header {
  DerTag tag;
  size_t header_size = 0;
  size_t content_size = 0;
};

// Why a header did not parse. The error text is built from it only on the failure path, so
// reading well-formed DER allocates nothing.
enum class HeaderProblem : uint8_t {
  kNone,
  kEndOfData,
  kTruncatedHighTag,
  kHighTagLeadingZero,
  kTagTooLarge,
  kHighTagBelow31,
  kTruncatedLength,
  kIndefiniteLength,
  kReservedLength,
  kLengthTooManyOctets,
  kTruncatedLengthOctets,
  kLengthLeadingZero,
  kLongFormBelow128,
  kLengthExceedsData,
  kUnexpectedTag,  // not a header problem: the element is well formed but has another tag
};

// The general case of ParseHeader: high tag numbers, long-form lengths and every error. Fills in
// `header` as far as it got (the tag, and the length for kLengthExceedsData) for the message.
[[gnu::noinline]] HeaderProblem ParseHeaderSlow(ByteSpan data, size_t pos, Header& header) {
  const size_t start = pos;
  if (pos >= data.size()) return HeaderProblem::kEndOfData;
  const uint8_t first = data[pos++];
  header.tag.tag_class = static_cast<DerTagClass>(first >> 6);
  header.tag.constructed = (first & 0x20) != 0;
  uint32_t number = first & 0x1f;
  if (number == 0x1f) {
    // High tag number form (X.690 §8.1.2.4): base-128, shortest form, only for numbers >= 31.
    number = 0;
    int count = 0;
    while (true) {
      if (pos >= data.size()) return HeaderProblem::kTruncatedHighTag;
      const uint8_t b = data[pos++];
      if (count == 0 && b == 0x80) return HeaderProblem::kHighTagLeadingZero;
      if (++count > 4) return HeaderProblem::kTagTooLarge;
      number = number << 7 | (b & 0x7f);
      if ((b & 0x80) == 0) break;
    }
    if (number < 0x1f) return HeaderProblem::kHighTagBelow31;
    if (number > kMaxDerTagNumber) return HeaderProblem::kTagTooLarge;
  }
  header.tag.number = number;

  if (pos >= data.size()) return HeaderProblem::kTruncatedLength;
  const uint8_t len0 = data[pos++];
  size_t length = 0;
  if (len0 < 0x80) {
    length = len0;
  } else if (len0 == 0x80) {
    return HeaderProblem::kIndefiniteLength;
  } else if (len0 == 0xff) {
    return HeaderProblem::kReservedLength;
  } else {
    const size_t count = len0 & 0x7f;
    if (count > 4) return HeaderProblem::kLengthTooManyOctets;
    if (data.size() - pos < count) return HeaderProblem::kTruncatedLengthOctets;
    if (data[pos] == 0) return HeaderProblem::kLengthLeadingZero;
    for (size_t i = 0; i < count; ++i) length = length << 8 | data[pos++];
    if (length < 0x80) return HeaderProblem::kLongFormBelow128;
  }
  header.header_size = pos - start;
  header.content_size = length;
  if (length > data.size() - pos) return HeaderProblem::kLengthExceedsData;
  return HeaderProblem::kNone;
}

// Parses the header at data[pos] (pos <= data.size()). The common cases in certificates, a low
// tag number with a short-form length or a one- or two-octet long-form length that fits, are
// decided inline; everything else, valid or not, goes through ParseHeaderSlow, which applies
// every rule. Each inline case accepts only what ParseHeaderSlow accepts, with the same result.
inline HeaderProblem ParseHeader(ByteSpan data, size_t pos, Header& header) {
  const size_t available = data.size() - pos;
  if (available >= 2 && (data[pos] & 0x1f) != 0x1f) {
    const uint8_t first = data[pos];
    const uint8_t len0 = data[pos + 1];
    size_t header_size = 0;
    size_t length = 0;
    if (len0 < 0x80) {
      header_size = 2;
      length = len0;
    } else if (len0 == 0x81 && available >= 3 && data[pos + 2] >= 0x80) {
      header_size = 3;  // X.690 §10.1: a long form below 128 is not DER (left to the slow path)
      length = data[pos + 2];
    } else if (len0 == 0x82 && available >= 4 && data[pos + 2] != 0) {
      header_size = 4;  // no leading zero octet, so at least 256
      length = size_t{data[pos + 2]} << 8 | data[pos + 3];
    }
    if (header_size != 0 && length <= available - header_size) {
      header.tag.tag_class = static_cast<DerTagClass>(first >> 6);
      header.tag.constructed = (first & 0x20) != 0;
      header.tag.number = first & 0x1f;
      header.header_size = header_size;
      header.content_size = length;
      return HeaderProblem::kNone;
    }
  }
  return ParseHeaderSlow(data, pos, header);
}

// The message for a header that did not parse; data and pos as given to ParseHeader.
[[gnu::cold, gnu::noinline]] std::unexpected<Error> HeaderError(HeaderProblem problem,
                                                                const Header& header, ByteSpan data,
                                                                size_t pos) {
  switch (problem) {
    case HeaderProblem::kNone:
    case HeaderProblem::kUnexpectedTag:
      break;
    case HeaderProblem::kEndOfData:
      return Malformed("unexpected end of data, expected an element");
    case HeaderProblem::kTruncatedHighTag:
      return Malformed("truncated high tag number");
    case HeaderProblem::kHighTagLeadingZero:
      return Malformed("high tag number has a leading zero group");
    case HeaderProblem::kTagTooLarge:
      return Malformed("tag number too large");
    case HeaderProblem::kHighTagBelow31:
      return Malformed("tag number below 31 in high tag number form");
    case HeaderProblem::kTruncatedLength:
      return Malformed("truncated length after tag " + header.tag.ToString());
    case HeaderProblem::kIndefiniteLength:
      return Malformed("indefinite length is not DER (X.690 §10.1)");
    case HeaderProblem::kReservedLength:
      return Malformed("reserved length octet 0xff (X.690 §8.1.3.5)");
    case HeaderProblem::kLengthTooManyOctets:
      return Malformed("length has more than 4 octets");
    case HeaderProblem::kTruncatedLengthOctets:
      return Malformed("truncated length octets");
    case HeaderProblem::kLengthLeadingZero:
      return Malformed("length has a leading zero octet (X.690 §10.1)");
    case HeaderProblem::kLongFormBelow128:
      return Malformed("long-form length below 128 (X.690 §10.1)");
    case HeaderProblem::kLengthExceedsData: {
      const size_t remaining = data.size() - pos - header.header_size;
      return Malformed(header.tag.ToString() + " length " + std::to_string(header.content_size) +
                       " exceeds the " + std::to_string(remaining) + " remaining bytes");
    }
  }
  return MakeError(ErrorCode::kInternal, "DER header error without a problem");
}

// The element whose header ParseHeader just read at data[pos]; advances pos past it.
DerElement TakeElement(ByteSpan data, size_t& pos, const Header& header) {
  DerElement element;
  element.tag = header.tag;
  element.encoded = data.subspan(pos, header.header_size + header.content_size);
  element.contents = element.encoded.subspan(header.header_size);
  pos += element.encoded.size();
  return element;
}

// Reads the element at data[pos] if it is well formed and has tag `expected`: fills `element`
// and advances pos. Otherwise leaves pos alone and says why (see ReadExpectedError).
inline HeaderProblem ReadExpected(ByteSpan data, size_t& pos, DerTag expected, Header& header,
                                  DerElement& element) {
  const HeaderProblem problem = ParseHeader(data, pos, header);
  if (problem != HeaderProblem::kNone) return problem;
  if (header.tag != expected) return HeaderProblem::kUnexpectedTag;
  element = TakeElement(data, pos, header);
  return HeaderProblem::kNone;
}

[[gnu::cold, gnu::noinline]] std::unexpected<Error> ReadExpectedError(HeaderProblem problem,
                                                                      const Header& header,
                                                                      ByteSpan data, size_t pos,
                                                                      DerTag expected) {
  if (problem == HeaderProblem::kUnexpectedTag) {
    return Malformed("expected " + expected.ToString() + ", found " + header.tag.ToString());
  }
  return std::unexpected(WithContext(HeaderError(problem, header, data, pos).error(),
                                     "reading " + expected.ToString()));
}

bool IsDigit(uint8_t c) { return c >= '0' && c <= '9'; }

// Reads `n` ASCII digits starting at text[pos]; the caller checked they exist. False on a
// non-digit.
bool Digits(ByteSpan text, size_t pos, size_t n, unsigned& value) {
  value = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!IsDigit(text[pos + i])) return false;
    value = value * 10 + (text[pos + i] - '0');
  }
  return true;
}

// Validates month..second (which start at text[pos]) and converts to Unix seconds.
Result<int64_t> FinishTime(ByteSpan text, size_t pos, int64_t year) {
  unsigned month, day, hour, minute, second;
  if (!Digits(text, pos, 2, month) || !Digits(text, pos + 2, 2, day) ||
      !Digits(text, pos + 4, 2, hour) || !Digits(text, pos + 6, 2, minute) ||
      !Digits(text, pos + 8, 2, second)) {
    return Malformed("time has a non-digit character");
  }
  if (text[pos + 10] != 'Z') return Malformed("time must end in 'Z' (X.690 §11.7, §11.8)");
  if (month < 1 || month > 12) return Malformed("time has month " + std::to_string(month));
  const std::chrono::year_month_day date{std::chrono::year(static_cast<int>(year)),
                                         std::chrono::month(month), std::chrono::day(day)};
  if (!date.ok()) {
    return Malformed("time has day " + std::to_string(day) + " of month " + std::to_string(month));
  }
  // X.690 allows no leap seconds in these forms that RFC 5280 certificates use.
  if (hour > 23 || minute > 59 || second > 59) return Malformed("time of day out of range");
  return std::chrono::sys_days(date).time_since_epoch().count() * 86400 + hour * 3600 +
         minute * 60 + second;
}

}  // namespace

std::string DerTag::ToString() const {
  if (tag_class == DerTagClass::kUniversal) {
    switch (number) {
      case 1:
        return "BOOLEAN";
      case 2:
        return "INTEGER";
      case 3:
        return "BIT STRING";
      case 4:
        return "OCTET STRING";
      case 5:
        return "NULL";
      case 6:
        return "OBJECT IDENTIFIER";
      case 12:
        return "UTF8String";
      case 16:
        return constructed ? "SEQUENCE" : "primitive SEQUENCE";
      case 17:
        return constructed ? "SET" : "primitive SET";
      case 19:
        return "PrintableString";
      case 22:
        return "IA5String";
      case 23:
        return "UTCTime";
      case 24:
        return "GeneralizedTime";
      default:
        break;
    }
    return "[UNIVERSAL " + std::to_string(number) + "]" + (constructed ? " constructed" : "");
  }
  std::string prefix;
  if (tag_class == DerTagClass::kApplication) prefix = "APPLICATION ";
  if (tag_class == DerTagClass::kPrivate) prefix = "PRIVATE ";
  return "[" + prefix + std::to_string(number) + "]" + (constructed ? " constructed" : "");
}

Result<DerTag> DerReader::PeekTag() const {
  Header header;
  const HeaderProblem problem = ParseHeader(data_, pos_, header);
  if (problem != HeaderProblem::kNone) return HeaderError(problem, header, data_, pos_);
  return header.tag;
}

bool DerReader::PeekTagIs(DerTag tag) const {
  Header header;
  return ParseHeader(data_, pos_, header) == HeaderProblem::kNone && header.tag == tag;
}

Result<DerElement> DerReader::ReadAnyElement() {
  Header header;
  const HeaderProblem problem = ParseHeader(data_, pos_, header);
  if (problem != HeaderProblem::kNone) return HeaderError(problem, header, data_, pos_);
  return TakeElement(data_, pos_, header);
}

Result<DerElement> DerReader::ReadFullElement(DerTag expected) {
  Header header;
  DerElement element;
  const HeaderProblem problem = ReadExpected(data_, pos_, expected, header, element);
  if (problem != HeaderProblem::kNone) {
    return ReadExpectedError(problem, header, data_, pos_, expected);
  }
  return element;
}

Result<ByteSpan> DerReader::ReadElement(DerTag expected) {
  Header header;
  DerElement element;
  const HeaderProblem problem = ReadExpected(data_, pos_, expected, header, element);
  if (problem != HeaderProblem::kNone) {
    return ReadExpectedError(problem, header, data_, pos_, expected);
  }
  return element.contents;
}

Result<DerReader> DerReader::ReadConstructed(DerTag expected) {
  if (!expected.constructed)
    return MakeError(ErrorCode::kInternal, "ReadConstructed on primitive tag");
  if (depth_ + 1 > kMaxDerDepth) {
    return Malformed("nesting deeper than " + std::to_string(kMaxDerDepth) + " levels");
  }
  ASSIGN_OR_RETURN(ByteSpan contents, ReadElement(expected));
  return DerReader(contents, depth_ + 1);
}

Result<std::optional<DerElement>> DerReader::ReadOptionalElement(DerTag tag) {
  // A next element that is absent, malformed or differently tagged is "not present": the read
  // of the field that follows reports it.
  Header header;
  if (ParseHeader(data_, pos_, header) != HeaderProblem::kNone || header.tag != tag) {
    return std::optional<DerElement>();
  }
  return std::optional<DerElement>(TakeElement(data_, pos_, header));
}

Result<std::optional<DerReader>> DerReader::ReadOptionalConstructed(DerTag tag) {
  if (!PeekTagIs(tag)) return std::optional<DerReader>();
  ASSIGN_OR_RETURN(DerReader child, ReadConstructed(tag));
  return std::optional<DerReader>(child);
}

Result<void> CheckDerInteger(ByteSpan contents) {
  // X.690 §8.3.1 and §8.3.2: at least one octet, and the first nine bits not all equal.
  if (contents.empty()) return Malformed("INTEGER has no content octets");
  if (contents.size() > 1) {
    if (contents[0] == 0x00 && (contents[1] & 0x80) == 0) {
      return Malformed("INTEGER has a redundant leading 0x00 (X.690 §8.3.2)");
    }
    if (contents[0] == 0xff && (contents[1] & 0x80) != 0) {
      return Malformed("INTEGER has a redundant leading 0xff (X.690 §8.3.2)");
    }
  }
  return {};
}

Result<DerInteger> DerReader::ReadInteger() {
  ASSIGN_OR_RETURN(auto contents, ReadElement(kDerInteger));
  RETURN_IF_ERROR(CheckDerInteger(contents));
  return DerInteger{contents};
}

Result<uint64_t> DerReader::ReadUint64() {
  ASSIGN_OR_RETURN(auto integer, ReadInteger());
  if (integer.IsNegative()) return Malformed("INTEGER is negative");
  ByteSpan bytes = integer.bytes;
  if (bytes.size() > 1 && bytes[0] == 0) bytes = bytes.subspan(1);
  if (bytes.size() > 8) return Malformed("INTEGER does not fit in 64 bits");
  uint64_t value = 0;
  for (uint8_t b : bytes) value = value << 8 | b;
  return value;
}

Result<bool> ParseDerBoolean(ByteSpan contents) {
  // X.690 §8.2.1 and §11.1: one octet, 0x00 or 0xff.
  if (contents.size() != 1) return Malformed("BOOLEAN must have exactly one content octet");
  if (contents[0] == 0x00) return false;
  if (contents[0] == 0xff) return true;
  return Malformed("BOOLEAN true must be 0xff in DER (X.690 §11.1)");
}

Result<bool> DerReader::ReadBoolean() {
  ASSIGN_OR_RETURN(auto contents, ReadElement(kDerBoolean));
  return ParseDerBoolean(contents);
}

Result<void> CheckDerOid(ByteSpan contents) {
  // X.690 §8.19.2: subidentifiers in shortest base-128 form, the last octet of each has bit 8
  // clear.
  if (contents.empty()) return Malformed("OBJECT IDENTIFIER is empty");
  bool at_start = true;
  for (uint8_t b : contents) {
    if (at_start && b == 0x80)
      return Malformed("OBJECT IDENTIFIER subidentifier has a leading 0x80");
    at_start = (b & 0x80) == 0;
  }
  if (!at_start) return Malformed("OBJECT IDENTIFIER ends inside a subidentifier");
  return {};
}

Result<ByteSpan> DerReader::ReadOid() {
  ASSIGN_OR_RETURN(auto contents, ReadElement(kDerOid));
  RETURN_IF_ERROR(CheckDerOid(contents));
  return contents;
}

Result<DerBitString> ParseDerBitString(ByteSpan contents) {
  // X.690 §8.6.2: the first octet counts the unused bits of the last octet (0..7, and 0 when
  // there are no further octets); DER sets those bits to zero (§11.2.1).
  if (contents.empty()) return Malformed("BIT STRING has no unused-bits octet");
  const uint8_t unused = contents[0];
  if (unused > 7) return Malformed("BIT STRING unused-bits octet above 7");
  if (contents.size() == 1 && unused != 0) return Malformed("empty BIT STRING with unused bits");
  if (unused != 0 && (contents.back() & ((1u << unused) - 1)) != 0) {
    return Malformed("BIT STRING unused bits are not zero (X.690 §11.2.1)");
  }
  return DerBitString{contents.subspan(1), unused};
}

Result<DerBitString> DerReader::ReadBitString() {
  ASSIGN_OR_RETURN(auto contents, ReadElement(kDerBitString));
  return ParseDerBitString(contents);
}

Result<ByteSpan> DerReader::ReadOctetString() { return ReadElement(kDerOctetString); }

Result<void> DerReader::ReadNull() {
  ASSIGN_OR_RETURN(ByteSpan contents, ReadElement(kDerNull));
  if (!contents.empty()) return Malformed("NULL has content octets");
  return {};
}

Result<int64_t> ParseUtcTime(ByteSpan contents) {
  // DER form (X.690 §11.8) is exactly YYMMDDHHMMSSZ.
  if (contents.size() != 13) return Malformed("UTCTime must be YYMMDDHHMMSSZ (13 characters)");
  unsigned yy;
  if (!Digits(contents, 0, 2, yy)) return Malformed("time has a non-digit character");
  const int64_t year = yy >= 50 ? 1900 + yy : 2000 + yy;  // RFC 5280 §4.1.2.5.1
  return FinishTime(contents, 2, year);
}

Result<int64_t> ParseGeneralizedTime(ByteSpan contents) {
  // RFC 5280 §4.1.2.5.2: YYYYMMDDHHMMSSZ, no fractional seconds.
  if (contents.size() != 15) {
    return Malformed("GeneralizedTime must be YYYYMMDDHHMMSSZ (15 characters)");
  }
  unsigned yyyy;
  if (!Digits(contents, 0, 4, yyyy)) return Malformed("time has a non-digit character");
  return FinishTime(contents, 4, yyyy);
}

Result<int64_t> DerReader::ReadTime() {
  Header header;
  const HeaderProblem problem = ParseHeader(data_, pos_, header);
  if (problem != HeaderProblem::kNone) {
    return std::unexpected(
        WithContext(HeaderError(problem, header, data_, pos_).error(), "reading a time"));
  }
  if (header.tag == kDerUtcTime) return ParseUtcTime(TakeElement(data_, pos_, header).contents);
  if (header.tag == kDerGeneralizedTime) {
    return ParseGeneralizedTime(TakeElement(data_, pos_, header).contents);
  }
  return Malformed("expected UTCTime or GeneralizedTime, found " + header.tag.ToString());
}

Result<void> DerReader::TrailingBytesError(std::string_view what) const {
  return Malformed(std::string(what) + " has " + std::to_string(remaining()) + " trailing bytes");
}

bool IsAscii(ByteSpan bytes) {
  // Eight octets at a time: names and dNSNames are a few dozen octets, too short for the
  // compiler's vectorised loop to pay off.
  constexpr uint64_t kHighBits = 0x8080808080808080ull;
  size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    uint64_t word;
    std::memcpy(&word, bytes.data() + i, sizeof(word));
    if ((word & kHighBits) != 0) return false;
  }
  uint8_t rest = 0;
  for (; i < bytes.size(); ++i) rest |= bytes[i];
  return (rest & 0x80) == 0;
}

Result<DerElement> ParseSingleDerElement(ByteSpan data) {
  DerReader reader(data);
  ASSIGN_OR_RETURN(auto element, reader.ReadAnyElement());
  RETURN_IF_ERROR(reader.ExpectEnd("DER element"));
  return element;
}

}  // namespace ctkit
