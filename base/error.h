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

// Early return of an error, as absl's RETURN_IF_ERROR / ASSIGN_OR_RETURN and Rust's `?`. The
// enclosing function returns a Result<U> (any U):
//
//   RETURN_IF_ERROR(store.Put(row));                 // Put returns Result<void> or Result<T>
//   ASSIGN_OR_RETURN(auto head, client.GetSth());    // head is the value, not the Result
//   ASSIGN_OR_RETURN(size, ParseSize(text), "size"); // the error's message gains "size: "
//
// A third argument, where given, is context for WithContext.
#define CTKIT_CONCAT_INNER_(a, b) a##b
#define CTKIT_CONCAT_(a, b) CTKIT_CONCAT_INNER_(a, b)

#define RETURN_IF_ERROR(...)                                         \
  CTKIT_RETURN_IF_ERROR_PICK_(__VA_ARGS__, CTKIT_RETURN_IF_ERROR_2_, \
                              CTKIT_RETURN_IF_ERROR_1_)(__VA_ARGS__)
#define CTKIT_RETURN_IF_ERROR_PICK_(a, b, macro, ...) macro
#define CTKIT_RETURN_IF_ERROR_1_(expr)                          \
  do {                                                          \
    if (auto&& ctkit_result_ = (expr); !ctkit_result_) {        \
      return std::unexpected(std::move(ctkit_result_).error()); \
    }                                                           \
  } while (0)
#define CTKIT_RETURN_IF_ERROR_2_(expr, context)                                                  \
  do {                                                                                           \
    if (auto&& ctkit_result_ = (expr); !ctkit_result_) {                                         \
      return std::unexpected(::ctkit::WithContext(std::move(ctkit_result_).error(), (context))); \
    }                                                                                            \
  } while (0)

#define ASSIGN_OR_RETURN(lhs, ...)                                                                 \
  CTKIT_ASSIGN_OR_RETURN_PICK_(__VA_ARGS__, CTKIT_ASSIGN_OR_RETURN_2_, CTKIT_ASSIGN_OR_RETURN_1_)( \
      CTKIT_CONCAT_(ctkit_result_, __LINE__), lhs, __VA_ARGS__)
#define CTKIT_ASSIGN_OR_RETURN_PICK_(a, b, macro, ...) macro
#define CTKIT_ASSIGN_OR_RETURN_1_(tmp, lhs, expr)           \
  auto tmp = (expr);                                        \
  if (!tmp) return std::unexpected(std::move(tmp).error()); \
  lhs = std::move(tmp).value()
#define CTKIT_ASSIGN_OR_RETURN_2_(tmp, lhs, expr, context)                                   \
  auto tmp = (expr);                                                                         \
  if (!tmp) return std::unexpected(::ctkit::WithContext(std::move(tmp).error(), (context))); \
  lhs = std::move(tmp).value()
