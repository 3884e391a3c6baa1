// gzip (RFC 1952) for static-ct-api responses: logs and the CDNs in front of them may serve
// tiles gzip-compressed, with Content-Encoding (which libcurl undoes when it has zlib) or as
// stored gzip files without it. Inflating is bounded, as the input is untrusted: a small body
// must not expand into gigabytes.

#pragma once

#include <cstddef>

#include "base/bytes.h"
#include "base/error.h"

namespace ctkit {

// RFC 1952 §2.3.1: ID1 = 31, ID2 = 139.
bool HasGzipMagic(ByteSpan data);

// The decompressed contents of one or more concatenated gzip members (RFC 1952 §2.2).
// kMalformed for anything that is not complete, valid gzip (bad header, bad CRC, truncated,
// trailing bytes) or that inflates to more than `max_output` bytes.
Result<Bytes> Gunzip(ByteSpan data, size_t max_output);

// gzip-compresses `data` (for tests and fixtures).
Result<Bytes> Gzip(ByteSpan data);

}  // namespace ctkit
