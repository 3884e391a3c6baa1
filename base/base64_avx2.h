// The AVX2 bulk of Base64Decode (base/bytes.cc); internal to base.
//
// Decodes whole blocks of 32 characters of the standard alphabet (RFC 4648 §4, no padding)
// with the lookup-table method of Muła and Lemire ("Faster Base64 Encoding and Decoding using
// AVX2 Instructions", ACM TOPS 2018): every character is checked against the alphabet, as the
// scalar loop checks it. The scalar loop does the rest: the tail, the padded last quad, and any
// block holding a character outside the alphabet (so the error names the same offset).

#pragma once

#include <cstddef>
#include <cstdint>

namespace ctkit::base64_internal {

// Decodes blocks of 32 characters from `in` (at most `in_size` characters) into `out`, each
// block writing 32 bytes of which 24 are output, so a block is taken only while 32 bytes of
// `out_room` remain. Stops before the first block holding a character outside the alphabet
// ('=' included). Returns the characters consumed (a multiple of 32; 24 bytes written for
// each 32); 0 when the CPU has no AVX2 or this is not an x86-64 build.
size_t DecodeBlocksAvx2(const char* in, size_t in_size, uint8_t* out, size_t out_room);

}  // namespace ctkit::base64_internal
