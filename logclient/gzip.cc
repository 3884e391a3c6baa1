#include "logclient/gzip.h"

#include <zlib.h>

#include <algorithm>
#include <limits>

namespace ctkit {
namespace {

// windowBits 15 + 16: gzip wrapper only (zlib manual, inflateInit2/deflateInit2).
constexpr int kGzipWindowBits = 15 + 16;
// zlib counts in uInt; feed it at most this much at a time.
constexpr size_t kChunk = 1 << 20;

}  // namespace

bool HasGzipMagic(ByteSpan data) { return data.size() >= 2 && data[0] == 0x1f && data[1] == 0x8b; }

Result<Bytes> Gunzip(ByteSpan data, size_t max_output) {
  if (!HasGzipMagic(data)) return MakeError(ErrorCode::kMalformed, "not gzip (no magic number)");
  z_stream stream{};
  if (inflateInit2(&stream, kGzipWindowBits) != Z_OK) {
    return MakeError(ErrorCode::kInternal, "zlib failed to initialise");
  }
  struct End {
    z_stream* s;
    ~End() { inflateEnd(s); }
  } end{&stream};
  Bytes out;
  size_t in_offset = 0;
  uint8_t buffer[16384];
  while (true) {
    if (stream.avail_in == 0 && in_offset < data.size()) {
      size_t n = std::min(kChunk, data.size() - in_offset);
      // zlib takes a non-const pointer but does not write through next_in.
      stream.next_in = const_cast<Bytef*>(data.data() + in_offset);
      stream.avail_in = static_cast<uInt>(n);
      in_offset += n;
    }
    stream.next_out = buffer;
    stream.avail_out = sizeof(buffer);
    int status = inflate(&stream, Z_NO_FLUSH);
    size_t produced = sizeof(buffer) - stream.avail_out;
    if (out.size() + produced > max_output) {
      return MakeError(ErrorCode::kTooLarge,
                       "gzip body inflates to more than " + std::to_string(max_output) + " bytes");
    }
    out.insert(out.end(), buffer, buffer + produced);
    if (status == Z_STREAM_END) {
      size_t consumed = in_offset - stream.avail_in;
      if (consumed == data.size()) return out;
      // RFC 1952 §2.2: "A gzip file consists of a series of members"; anything else after a
      // member is garbage.
      ByteSpan rest = data.subspan(consumed);
      if (!HasGzipMagic(rest)) {
        return MakeError(ErrorCode::kMalformed, "trailing bytes after the gzip stream");
      }
      if (inflateReset(&stream) != Z_OK) {
        return MakeError(ErrorCode::kInternal, "zlib failed to reset");
      }
      stream.avail_in = 0;
      in_offset = consumed;
      continue;
    }
    if (status == Z_BUF_ERROR && stream.avail_in == 0 && in_offset == data.size() &&
        produced == 0) {
      return MakeError(ErrorCode::kMalformed, "gzip stream is truncated");
    }
    if (status != Z_OK && status != Z_BUF_ERROR) {
      return MakeError(
          ErrorCode::kMalformed,
          std::string("bad gzip stream: ") +
              (stream.msg != nullptr ? stream.msg : "zlib error " + std::to_string(status)));
    }
  }
}

Result<Bytes> Gzip(ByteSpan data) {
  z_stream stream{};
  if (deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, kGzipWindowBits, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    return MakeError(ErrorCode::kInternal, "zlib failed to initialise");
  }
  if (data.size() > std::numeric_limits<uInt>::max()) {
    deflateEnd(&stream);
    return MakeError(ErrorCode::kInvalidArgument, "too large to gzip in one call");
  }
  Bytes out(deflateBound(&stream, static_cast<uLong>(data.size())));
  stream.next_in = const_cast<Bytef*>(data.data());
  stream.avail_in = static_cast<uInt>(data.size());
  stream.next_out = out.data();
  stream.avail_out = static_cast<uInt>(out.size());
  int status = deflate(&stream, Z_FINISH);
  size_t written = out.size() - stream.avail_out;
  deflateEnd(&stream);
  if (status != Z_STREAM_END) return MakeError(ErrorCode::kInternal, "zlib deflate failed");
  out.resize(written);
  return out;
}

}  // namespace ctkit
