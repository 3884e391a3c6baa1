#include "base/base64_avx2.h"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define CTKIT_BASE64_AVX2 1
#endif

namespace ctkit::base64_internal {

#ifdef CTKIT_BASE64_AVX2
namespace {

bool CpuHasAvx2() {
  static const bool has = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
  }();
  return has;
}

// Muła and Lemire, section 3.2 ("vectorized lookup: pshufb with bitmask"). For each character,
// lut_lo[low nibble] & lut_hi[high nibble] is nonzero exactly when the character is not in
// A-Z a-z 0-9 + / ; lut_roll[high nibble, or 1 for '/'] is what to add to get its 6-bit value.
__attribute__((target("avx2"))) size_t DecodeBlocks(const char* in, size_t in_size, uint8_t* out,
                                                    size_t out_room) {
  const __m256i lut_lo =
      _mm256_setr_epi8(0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x13, 0x1a, 0x1b,
                       0x1b, 0x1b, 0x1a, 0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
                       0x13, 0x1a, 0x1b, 0x1b, 0x1b, 0x1a);
  const __m256i lut_hi =
      _mm256_setr_epi8(0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08, 0x10, 0x10, 0x10, 0x10, 0x10,
                       0x10, 0x10, 0x10, 0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08, 0x10, 0x10,
                       0x10, 0x10, 0x10, 0x10, 0x10, 0x10);
  const __m256i lut_roll =
      _mm256_setr_epi8(0, 16, 19, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0, 0, 16, 19, 4, -65,
                       -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0);
  const __m256i mask_2f = _mm256_set1_epi8(0x2f);
  // Packing: four 6-bit values per 32-bit lane into three bytes, then the bytes in order.
  const __m256i merge_pairs = _mm256_set1_epi32(0x01400140);
  const __m256i merge_quads = _mm256_set1_epi32(0x00011000);
  const __m256i order = _mm256_setr_epi8(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1, 2,
                                         1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1);
  const __m256i gather = _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 7, 7);

  size_t consumed = 0;
  size_t written = 0;
  while (consumed + 32 <= in_size && written + 32 <= out_room) {
    __m256i chars = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(in + consumed));
    const __m256i hi_nibbles = _mm256_and_si256(_mm256_srli_epi32(chars, 4), mask_2f);
    const __m256i lo_nibbles = _mm256_and_si256(chars, mask_2f);
    const __m256i lo = _mm256_shuffle_epi8(lut_lo, lo_nibbles);
    const __m256i hi = _mm256_shuffle_epi8(lut_hi, hi_nibbles);
    if (!_mm256_testz_si256(lo, hi)) break;  // a character outside the alphabet
    const __m256i is_slash = _mm256_cmpeq_epi8(chars, mask_2f);
    const __m256i roll = _mm256_shuffle_epi8(lut_roll, _mm256_add_epi8(is_slash, hi_nibbles));
    const __m256i values = _mm256_add_epi8(chars, roll);
    const __m256i pairs = _mm256_maddubs_epi16(values, merge_pairs);
    const __m256i quads = _mm256_madd_epi16(pairs, merge_quads);
    const __m256i bytes = _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(quads, order), gather);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(out + written), bytes);
    consumed += 32;
    written += 24;
  }
  return consumed;
}

}  // namespace

size_t DecodeBlocksAvx2(const char* in, size_t in_size, uint8_t* out, size_t out_room) {
  return CpuHasAvx2() ? DecodeBlocks(in, in_size, out, out_room) : 0;
}

#else

size_t DecodeBlocksAvx2(const char*, size_t, uint8_t*, size_t) { return 0; }

#endif

}  // namespace ctkit::base64_internal
