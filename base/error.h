// Errors returned by every parser and verifier in ctkit.
//
// Functions that read untrusted bytes return Result<T>: either the value or an Error that says
// precisely what was wrong. They never throw and never abort.

#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>

namespace ctkit {

enum class ErrorCode {
  kMalformed,           // input bytes or text do not parse
  kInvalidArgument,     // well-formed input with values out of range (e.g. index >= size)
  kVerificationFailed,  // a proof, signature or hash check did not hold
  kUnsupported,         // a version or algorithm ctkit does not implement
  kNotFound,            // a file, key or entry that was asked for does not exist
  kIo,                  // reading or writing a local file failed
  kNetwork,             // a log or peer could not be reached or misbehaved on the wire
  kInternal,            // a bug in ctkit; never caused by input
  kTooLarge,            // input over one of ctkit's size caps (a response, a field, an inflated
                        // body): well-formed or not, it is not read
};

struct Error {
  ErrorCode code;
  std::string message;
};

template <typename T>
using Result = std::expected<T, Error>;

// Shorthand for `return MakeError(ErrorCode::kMalformed, "...")` in functions returning Result.
inline std::unexpected<Error> MakeError(ErrorCode code, std::string message) {
  return std::unexpected(Error{code, std::move(message)});
}

// Prefixes an error's message with context, keeping its code: "proof node 3: not hex".
inline Error WithContext(Error error, const std::string& context) {
  error.message = context + ": " + error.message;
  return error;
}

// Untrusted text for an error message: at most 40 characters, quoted, every byte outside
// printable ASCII shown as '?', so hostile input cannot forge lines or terminal escapes.
inline std::string QuoteUntrusted(std::string_view text) {
  constexpr size_t kMax = 40;
  std::string out = "\"";
  for (char c : text.substr(0, kMax)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (text.size() > kMax) out += "...";
  return out + "\"";
}

}  // namespace ctkit
