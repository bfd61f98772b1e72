#include "io/text_scan.h"

#include <algorithm>
#include <cstring>

#include <simdjson.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace tsq {

size_t CountNewlines(const char* p, size_t n) {
  size_t count = 0;
  size_t i = 0;
#if defined(__SSE2__)
  // Compare results (0 or -1 per byte) are subtracted into byte counters, which are summed with
  // psadbw before they can overflow: no popcount needed, so this stays baseline x86-64.
  const __m128i nl = _mm_set1_epi8('\n');
  while (i + 16 <= n) {
    __m128i acc = _mm_setzero_si128();
    const size_t rounds = std::min<size_t>((n - i) / 16, 255);
    for (size_t r = 0; r < rounds; ++r, i += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(v, nl));
    }
    const __m128i sums = _mm_sad_epu8(acc, _mm_setzero_si128());
    count += static_cast<size_t>(_mm_cvtsi128_si32(sums)) +
             static_cast<size_t>(_mm_cvtsi128_si32(_mm_srli_si128(sums, 8)));
  }
#endif
  for (; i < n; ++i) count += p[i] == '\n';
  return count;
}

LineStats ScanLines(const char* p, size_t n) {
  LineStats out;
  size_t i = 0;
#if defined(__SSE2__)
  const __m128i nl = _mm_set1_epi8('\n');
  const __m128i quote = _mm_set1_epi8('"');
  __m128i quotes = _mm_setzero_si128();
  while (i + 16 <= n) {
    __m128i acc = _mm_setzero_si128();
    const size_t rounds = std::min<size_t>((n - i) / 16, 255);
    for (size_t r = 0; r < rounds; ++r, i += 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      acc = _mm_sub_epi8(acc, _mm_cmpeq_epi8(v, nl));
      quotes = _mm_or_si128(quotes, _mm_cmpeq_epi8(v, quote));
    }
    const __m128i sums = _mm_sad_epu8(acc, _mm_setzero_si128());
    out.newlines += static_cast<size_t>(_mm_cvtsi128_si32(sums)) +
                    static_cast<size_t>(_mm_cvtsi128_si32(_mm_srli_si128(sums, 8)));
  }
  out.has_quote = _mm_movemask_epi8(quotes) != 0;
#endif
  for (; i < n; ++i) {
    out.newlines += p[i] == '\n';
    out.has_quote |= p[i] == '"';
  }
  return out;
}

bool IsAscii(const char* p, size_t n) {
  size_t i = 0;
  uint64_t bits = 0;
  for (; i + 8 <= n; i += 8) {
    uint64_t w;
    std::memcpy(&w, p + i, 8);
    bits |= w;
  }
  for (; i < n; ++i) bits |= static_cast<uint8_t>(p[i]);
  return (bits & 0x8080808080808080ull) == 0;
}

bool IsValidUtf8(const char* p, size_t n) { return simdjson::validate_utf8(p, n); }

}  // namespace tsq
