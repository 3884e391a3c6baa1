// Errors returned by every parser and verifier in ctkit.
//
// Functions that read untrusted bytes return Result<T>: either the value or an Error that says
// precisely what was wrong. They never throw and never abort.

#pragma once

#include <expected>
#include <string>
#include <string_view>
#include <utility>

#include "base/terminal_text.h"
#include "base/utf8.h"

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

// Untrusted text for an error message: its first 40 bytes (never half a UTF-8 character),
// quoted, "..." when cut, with controls, bidi controls and invalid UTF-8 escaped as
// TerminalSafe does (base/terminal_text.h), so hostile input cannot forge lines or terminal
// escapes: QuoteUntrusted("a\x1b[2Jb") is "\"a\\x1b[2Jb\"".
inline std::string QuoteUntrusted(std::string_view text) {
  constexpr size_t kMax = 40;
  const size_t kept = Utf8PrefixLength(text, kMax);
  std::string out = "\"";
  out += TerminalSafe(text.substr(0, kept));
  out += kept < text.size() ? "...\"" : "\"";
  return out;
}

}  // namespace ctkit
