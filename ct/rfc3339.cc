#include "ct/rfc3339.h"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace ctkit {
namespace {

constexpr int64_t kMsPerSecond = 1000;
constexpr int64_t kSecondsPerDay = 86400;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `count` digits at `pos`, advancing it.
bool ReadDigits(std::string_view text, size_t& pos, size_t count, unsigned& value) {
  if (text.size() - pos < count) return false;
  value = 0;
  for (size_t i = 0; i < count; ++i) {
    char c = text[pos + i];
    if (!IsDigit(c)) return false;
    value = value * 10 + static_cast<unsigned>(c - '0');
  }
  pos += count;
  return true;
}

bool ReadChar(std::string_view text, size_t& pos, char expected) {
  if (pos >= text.size() || text[pos] != expected) return false;
  ++pos;
  return true;
}

std::unexpected<Error> Malformed(std::string_view text, const std::string& what) {
  return MakeError(ErrorCode::kMalformed,
                   "RFC 3339 date-time " + QuoteUntrusted(text) + ": " + what);
}

}  // namespace

Result<int64_t> ParseRfc3339(std::string_view text) {
  size_t pos = 0;
  unsigned year, month, day, hour, minute, second;
  // full-date = date-fullyear "-" date-month "-" date-mday (RFC 3339 §5.6)
  if (!ReadDigits(text, pos, 4, year) || !ReadChar(text, pos, '-') ||
      !ReadDigits(text, pos, 2, month) || !ReadChar(text, pos, '-') ||
      !ReadDigits(text, pos, 2, day)) {
    return Malformed(text, "expected a date YYYY-MM-DD");
  }
  if (pos >= text.size() || (text[pos] != 'T' && text[pos] != 't')) {
    return Malformed(text, "expected \"T\" between date and time");
  }
  ++pos;
  // partial-time = time-hour ":" time-minute ":" time-second [time-secfrac]
  if (!ReadDigits(text, pos, 2, hour) || !ReadChar(text, pos, ':') ||
      !ReadDigits(text, pos, 2, minute) || !ReadChar(text, pos, ':') ||
      !ReadDigits(text, pos, 2, second)) {
    return Malformed(text, "expected a time hh:mm:ss");
  }
  int64_t millis = 0;
  if (pos < text.size() && text[pos] == '.') {
    ++pos;
    size_t digits = 0;
    while (pos < text.size() && IsDigit(text[pos])) {
      // Truncate, never round: keep the first three digits only.
      if (digits < 3) millis = millis * 10 + (text[pos] - '0');
      ++digits;
      ++pos;
    }
    if (digits == 0) return Malformed(text, "\".\" must be followed by fraction digits");
    for (size_t i = digits; i < 3; ++i) millis *= 10;
  }
  // time-offset = "Z" / time-numoffset
  int64_t offset_seconds = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int sign = text[pos] == '+' ? 1 : -1;
    ++pos;
    unsigned offset_hour, offset_minute;
    if (!ReadDigits(text, pos, 2, offset_hour) || !ReadChar(text, pos, ':') ||
        !ReadDigits(text, pos, 2, offset_minute)) {
      return Malformed(text, "expected an offset +hh:mm or -hh:mm");
    }
    if (offset_hour > 23 || offset_minute > 59) return Malformed(text, "offset out of range");
    offset_seconds = sign * static_cast<int64_t>(offset_hour * 3600 + offset_minute * 60);
  } else {
    return Malformed(text, "expected \"Z\" or a numeric offset after the time");
  }
  if (pos != text.size()) return Malformed(text, "unexpected text after the offset");

  if (month < 1 || month > 12) return Malformed(text, "month out of range");
  // RFC 3339 §5.7: the maximum day of each month, leap years included.
  const std::chrono::year_month_day date{std::chrono::year(static_cast<int>(year)),
                                         std::chrono::month(month), std::chrono::day(day)};
  if (!date.ok()) return Malformed(text, "day out of range");
  if (hour > 23) return Malformed(text, "hour out of range");
  if (minute > 59) return Malformed(text, "minute out of range");
  if (second == 60) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "RFC 3339 date-time " + QuoteUntrusted(text) +
                         ": leap second 60 cannot be represented in Unix time");
  }
  if (second > 59) return Malformed(text, "second out of range");

  const int64_t local_seconds =
      std::chrono::sys_days(date).time_since_epoch().count() * kSecondsPerDay + hour * 3600 +
      minute * 60 + second;
  // RFC 3339 §4.2: local time = UTC + offset, so UTC = local time - offset.
  const int64_t unix_ms = (local_seconds - offset_seconds) * kMsPerSecond + millis;
  if (unix_ms < kMinRfc3339Ms || unix_ms > kMaxRfc3339Ms) {
    return MakeError(ErrorCode::kInvalidArgument, "RFC 3339 date-time " + QuoteUntrusted(text) +
                                                      ": outside years 0000..9999 in UTC");
  }
  return unix_ms;
}

std::string FormatRfc3339(int64_t unix_ms) {
  unix_ms = std::clamp(unix_ms, kMinRfc3339Ms, kMaxRfc3339Ms);
  // Floor division, so times before 1970 format correctly.
  int64_t seconds = unix_ms / kMsPerSecond;
  int64_t millis = unix_ms % kMsPerSecond;
  if (millis < 0) {
    millis += kMsPerSecond;
    --seconds;
  }
  int64_t days = seconds / kSecondsPerDay;
  int64_t second_of_day = seconds % kSecondsPerDay;
  if (second_of_day < 0) {
    second_of_day += kSecondsPerDay;
    --days;
  }
  const std::chrono::year_month_day date{std::chrono::sys_days(std::chrono::days(days))};
  char buffer[40];
  int hour = static_cast<int>(second_of_day / 3600);
  int minute = static_cast<int>(second_of_day / 60 % 60);
  int second = static_cast<int>(second_of_day % 60);
  if (millis == 0) {
    std::snprintf(buffer, sizeof(buffer), "%04lld-%02u-%02uT%02d:%02d:%02dZ",
                  static_cast<long long>(int(date.year())), unsigned(date.month()),
                  unsigned(date.day()), hour, minute, second);
  } else {
    std::snprintf(buffer, sizeof(buffer), "%04lld-%02u-%02uT%02d:%02d:%02d.%03dZ",
                  static_cast<long long>(int(date.year())), unsigned(date.month()),
                  unsigned(date.day()), hour, minute, second, static_cast<int>(millis));
  }
  return buffer;
}

Result<int64_t> ParseTimeArgument(std::string_view text) {
  if (text.empty()) return MakeError(ErrorCode::kMalformed, "empty time");
  if (std::all_of(text.begin(), text.end(), IsDigit)) {
    constexpr int64_t kMaxSeconds = kMaxRfc3339Ms / kMsPerSecond;
    int64_t seconds = 0;
    for (char c : text) {
      seconds = seconds * 10 + (c - '0');
      if (seconds > kMaxSeconds) {
        return MakeError(ErrorCode::kInvalidArgument,
                         "Unix time " + QuoteUntrusted(text) + " is after year 9999");
      }
    }
    return seconds * kMsPerSecond;
  }
  Result<int64_t> parsed = ParseRfc3339(text);
  if (!parsed && parsed.error().code == ErrorCode::kMalformed) {
    return MakeError(ErrorCode::kMalformed,
                     "time " + QuoteUntrusted(text) +
                         " is neither Unix seconds nor an RFC 3339 date-time (" +
                         parsed.error().message + ")");
  }
  return parsed;
}

}  // namespace ctkit
