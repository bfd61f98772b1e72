// Byte scans the reader runs over every chunk of text: counting line ends and validating UTF-8.
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tsq {

/// Readable bytes every text buffer keeps after its end, so that 64-byte block loads (the CSV
/// tokenizer, simdjson) never run off the allocation.
inline constexpr size_t kTextPadding = 64;

/// Number of '\n' bytes in [p, p + n).
size_t CountNewlines(const char* p, size_t n);

/// Newlines in [p, p + n) and whether any byte is '"': the record splitter's one pass over a
/// block (a block without quotes is cut at its last line break).
struct LineStats {
  size_t newlines = 0;
  bool has_quote = false;
};
LineStats ScanLines(const char* p, size_t n);

/// True when [p, p + n) is valid UTF-8 (no overlongs, surrogates or code points above U+10FFFF).
bool IsValidUtf8(const char* p, size_t n);

/// True when every byte of [p, p + n) is below 0x80.
bool IsAscii(const char* p, size_t n);

}  // namespace tsq
