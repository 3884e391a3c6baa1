#include "x509/der.h"

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

Result<Header> ParseHeader(ByteSpan data, size_t pos) {
  const size_t start = pos;
  if (pos >= data.size()) return Malformed("unexpected end of data, expected an element");
  const uint8_t first = data[pos++];
  Header header;
  header.tag.tag_class = static_cast<DerTagClass>(first >> 6);
  header.tag.constructed = (first & 0x20) != 0;
  uint32_t number = first & 0x1f;
  if (number == 0x1f) {
    // High tag number form (X.690 §8.1.2.4): base-128, shortest form, only for numbers >= 31.
    number = 0;
    int count = 0;
    while (true) {
      if (pos >= data.size()) return Malformed("truncated high tag number");
      const uint8_t b = data[pos++];
      if (count == 0 && b == 0x80) return Malformed("high tag number has a leading zero group");
      if (++count > 4) return Malformed("tag number too large");
      number = number << 7 | (b & 0x7f);
      if ((b & 0x80) == 0) break;
    }
    if (number < 0x1f) return Malformed("tag number below 31 in high tag number form");
    if (number > kMaxDerTagNumber) return Malformed("tag number too large");
  }
  header.tag.number = number;

  if (pos >= data.size()) return Malformed("truncated length after tag " + header.tag.ToString());
  const uint8_t len0 = data[pos++];
  size_t length = 0;
  if (len0 < 0x80) {
    length = len0;
  } else if (len0 == 0x80) {
    return Malformed("indefinite length is not DER (X.690 §10.1)");
  } else if (len0 == 0xff) {
    return Malformed("reserved length octet 0xff (X.690 §8.1.3.5)");
  } else {
    const size_t count = len0 & 0x7f;
    if (count > 4) return Malformed("length has more than 4 octets");
    if (data.size() - pos < count) return Malformed("truncated length octets");
    if (data[pos] == 0) return Malformed("length has a leading zero octet (X.690 §10.1)");
    for (size_t i = 0; i < count; ++i) length = length << 8 | data[pos++];
    if (length < 0x80) return Malformed("long-form length below 128 (X.690 §10.1)");
  }
  if (length > data.size() - pos) {
    return Malformed(header.tag.ToString() + " length " + std::to_string(length) + " exceeds the " +
                     std::to_string(data.size() - pos) + " remaining bytes");
  }
  header.header_size = pos - start;
  header.content_size = length;
  return header;
}

bool IsDigit(uint8_t c) { return c >= '0' && c <= '9'; }

// Reads `n` ASCII digits starting at text[pos]; the caller checked they exist.
Result<unsigned> Digits(ByteSpan text, size_t pos, size_t n) {
  unsigned value = 0;
  for (size_t i = 0; i < n; ++i) {
    if (!IsDigit(text[pos + i])) return Malformed("time has a non-digit character");
    value = value * 10 + (text[pos + i] - '0');
  }
  return value;
}

bool IsLeapYear(int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

unsigned DaysInMonth(int64_t year, unsigned month) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

// Validates month..second (which start at text[pos]) and converts to Unix seconds.
Result<int64_t> FinishTime(ByteSpan text, size_t pos, int64_t year) {
  auto month = Digits(text, pos, 2);
  auto day = Digits(text, pos + 2, 2);
  auto hour = Digits(text, pos + 4, 2);
  auto minute = Digits(text, pos + 6, 2);
  auto second = Digits(text, pos + 8, 2);
  if (!month || !day || !hour || !minute || !second) {
    return Malformed("time has a non-digit character");
  }
  if (text[pos + 10] != 'Z') return Malformed("time must end in 'Z' (X.690 §11.7, §11.8)");
  if (*month < 1 || *month > 12) return Malformed("time has month " + std::to_string(*month));
  if (*day < 1 || *day > DaysInMonth(year, *month)) {
    return Malformed("time has day " + std::to_string(*day) + " of month " +
                     std::to_string(*month));
  }
  // X.690 allows no leap seconds in these forms that RFC 5280 certificates use.
  if (*hour > 23 || *minute > 59 || *second > 59) return Malformed("time of day out of range");
  return DaysFromCivil(year, *month, *day) * 86400 + *hour * 3600 + *minute * 60 + *second;
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
  auto header = ParseHeader(data_, pos_);
  if (!header) return std::unexpected(header.error());
  return header->tag;
}

bool DerReader::PeekTagIs(DerTag tag) const {
  auto peeked = PeekTag();
  return peeked && *peeked == tag;
}

Result<DerElement> DerReader::ReadAnyElement() {
  auto header = ParseHeader(data_, pos_);
  if (!header) return std::unexpected(header.error());
  DerElement element;
  element.tag = header->tag;
  element.encoded = data_.subspan(pos_, header->header_size + header->content_size);
  element.contents = element.encoded.subspan(header->header_size);
  pos_ += element.encoded.size();
  return element;
}

Result<DerElement> DerReader::ReadFullElement(DerTag expected) {
  auto header = ParseHeader(data_, pos_);
  if (!header)
    return std::unexpected(WithContext(header.error(), "reading " + expected.ToString()));
  if (header->tag != expected) {
    return Malformed("expected " + expected.ToString() + ", found " + header->tag.ToString());
  }
  return ReadAnyElement();
}

Result<ByteSpan> DerReader::ReadElement(DerTag expected) {
  auto element = ReadFullElement(expected);
  if (!element) return std::unexpected(element.error());
  return element->contents;
}

Result<DerReader> DerReader::ReadConstructed(DerTag expected) {
  if (!expected.constructed)
    return MakeError(ErrorCode::kInternal, "ReadConstructed on primitive tag");
  if (depth_ + 1 > kMaxDerDepth) {
    return Malformed("nesting deeper than " + std::to_string(kMaxDerDepth) + " levels");
  }
  auto contents = ReadElement(expected);
  if (!contents) return std::unexpected(contents.error());
  return DerReader(*contents, depth_ + 1);
}

Result<std::optional<DerElement>> DerReader::ReadOptionalElement(DerTag tag) {
  if (empty() || !PeekTagIs(tag)) return std::optional<DerElement>();
  auto element = ReadAnyElement();
  if (!element) return std::unexpected(element.error());
  return std::optional<DerElement>(*element);
}

Result<std::optional<DerReader>> DerReader::ReadOptionalConstructed(DerTag tag) {
  if (empty() || !PeekTagIs(tag)) return std::optional<DerReader>();
  auto child = ReadConstructed(tag);
  if (!child) return std::unexpected(child.error());
  return std::optional<DerReader>(*child);
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
  auto contents = ReadElement(kDerInteger);
  if (!contents) return std::unexpected(contents.error());
  if (auto ok = CheckDerInteger(*contents); !ok) return std::unexpected(ok.error());
  return DerInteger{*contents};
}

Result<uint64_t> DerReader::ReadUint64() {
  auto integer = ReadInteger();
  if (!integer) return std::unexpected(integer.error());
  if (integer->IsNegative()) return Malformed("INTEGER is negative");
  ByteSpan bytes = integer->bytes;
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
  auto contents = ReadElement(kDerBoolean);
  if (!contents) return std::unexpected(contents.error());
  return ParseDerBoolean(*contents);
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
  auto contents = ReadElement(kDerOid);
  if (!contents) return std::unexpected(contents.error());
  if (auto ok = CheckDerOid(*contents); !ok) return std::unexpected(ok.error());
  return *contents;
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
  auto contents = ReadElement(kDerBitString);
  if (!contents) return std::unexpected(contents.error());
  return ParseDerBitString(*contents);
}

Result<ByteSpan> DerReader::ReadOctetString() { return ReadElement(kDerOctetString); }

Result<void> DerReader::ReadNull() {
  auto contents = ReadElement(kDerNull);
  if (!contents) return std::unexpected(contents.error());
  if (!contents->empty()) return Malformed("NULL has content octets");
  return {};
}

int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day) {
  // Howard Hinnant's days_from_civil: days since 1970-01-01.
  year -= month <= 2;
  const int64_t era = (year >= 0 ? year : year - 399) / 400;
  const int64_t yoe = year - era * 400;
  const int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Result<int64_t> ParseUtcTime(ByteSpan contents) {
  // DER form (X.690 §11.8) is exactly YYMMDDHHMMSSZ.
  if (contents.size() != 13) return Malformed("UTCTime must be YYMMDDHHMMSSZ (13 characters)");
  auto yy = Digits(contents, 0, 2);
  if (!yy) return std::unexpected(yy.error());
  const int64_t year = *yy >= 50 ? 1900 + *yy : 2000 + *yy;  // RFC 5280 §4.1.2.5.1
  return FinishTime(contents, 2, year);
}

Result<int64_t> ParseGeneralizedTime(ByteSpan contents) {
  // RFC 5280 §4.1.2.5.2: YYYYMMDDHHMMSSZ, no fractional seconds.
  if (contents.size() != 15) {
    return Malformed("GeneralizedTime must be YYYYMMDDHHMMSSZ (15 characters)");
  }
  auto yyyy = Digits(contents, 0, 4);
  if (!yyyy) return std::unexpected(yyyy.error());
  return FinishTime(contents, 4, *yyyy);
}

Result<int64_t> DerReader::ReadTime() {
  if (PeekTagIs(kDerUtcTime)) {
    auto contents = ReadElement(kDerUtcTime);
    if (!contents) return std::unexpected(contents.error());
    return ParseUtcTime(*contents);
  }
  if (PeekTagIs(kDerGeneralizedTime)) {
    auto contents = ReadElement(kDerGeneralizedTime);
    if (!contents) return std::unexpected(contents.error());
    return ParseGeneralizedTime(*contents);
  }
  auto tag = PeekTag();
  if (!tag) return std::unexpected(WithContext(tag.error(), "reading a time"));
  return Malformed("expected UTCTime or GeneralizedTime, found " + tag->ToString());
}

Result<void> DerReader::ExpectEnd(std::string_view what) const {
  if (!empty()) {
    return Malformed(std::string(what) + " has " + std::to_string(remaining()) + " trailing bytes");
  }
  return {};
}

Result<DerElement> ParseSingleDerElement(ByteSpan data) {
  DerReader reader(data);
  auto element = reader.ReadAnyElement();
  if (!element) return std::unexpected(element.error());
  if (auto end = reader.ExpectEnd("DER element"); !end) return std::unexpected(end.error());
  return *element;
}

}  // namespace ctkit
