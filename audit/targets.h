// What `ctkit audit` is pointed at, expanded into one target per certificate source:
//   - a file: PEM or DER, a leaf optionally followed by its chain;
//   - a directory: every *.pem, *.crt, *.cer and *.der file below it, recursively, in sorted
//     order (symbolic links to directories are not followed, so a loop cannot hang the audit);
//   - HOST:PORT or [IPV6]:PORT: a live TLS endpoint (audit/tls_fetcher.h).
// An argument that names an existing path is a path, whatever it looks like; anything else must
// be an endpoint, or expansion fails with kNotFound naming the argument.

#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace ctkit::audit {

// More targets than this is a mistake (a directory tree of the wrong size), not an audit.
inline constexpr size_t kMaxTargets = 1'000'000;

struct Endpoint {
  std::string host;  // a name, an IPv4 literal, or an IPv6 literal without brackets
  uint16_t port = 0;
};

struct AuditTarget {
  enum class Kind { kFile, kEndpoint };
  Kind kind = Kind::kFile;
  std::string name;             // the path, or "host:port" as given
  bool from_directory = false;  // found by walking a directory: non-certificates are skipped
  Endpoint endpoint;            // kEndpoint only
};

// "host:port", "[::1]:443". kInvalidArgument for a missing or out-of-range port, an empty host,
// or characters no host name or address literal has.
Result<Endpoint> ParseEndpoint(std::string_view text);

// Expands command-line arguments in order (see the file comment). kNotFound for an argument that
// is neither an existing path nor an endpoint, kIo for an unreadable directory,
// kInvalidArgument beyond kMaxTargets.
Result<std::vector<AuditTarget>> ExpandTargets(std::span<const std::string> arguments);

}  // namespace ctkit::audit
