// Text encodings of operators' exports. Systems and Excel in China often write GB18030 (or its
// subset GBK); tsq works in UTF-8, so such files are decoded as they are read. Every byte that
// delimits a CSV or JSON Lines record (newline, comma, quote, braces) is ASCII in GB18030 and
// never part of a multi-byte character, so a file can be cut into records first and each chunk
// decoded on its own, in parallel.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <iconv.h>

#include "core/result.h"

namespace tsq {

enum class TextEncoding : uint8_t {
  kUtf8,
  kGb18030,
  kGbk,
  kAuto,  // UTF-8 when the file's first bytes are valid UTF-8, else GB18030
};

/// "utf-8", "gb18030", "gbk", "auto".
const char* EncodingName(TextEncoding e);

/// Parses a --encoding value (case-insensitive; "utf8", "gb2312" are taken too: GB2312 text is
/// GB18030 text). An error lists the choices.
Result<TextEncoding> ParseEncoding(std::string_view text);

/// The encoding of a file whose first bytes are `sample` (`complete`: the sample is the whole
/// file): UTF-8 when the sample is valid UTF-8 (a character cut at its end is allowed when it
/// is not complete), else GB18030.
TextEncoding DetectEncoding(std::string_view sample, bool complete);

/// Decodes GB18030 or GBK text to UTF-8. A byte sequence the encoding cannot decode becomes the
/// byte 0xFF, which is never valid UTF-8, so the reader quarantines the record that held it.
/// Not thread-safe: one per worker.
class TextDecoder {
 public:
  /// REQUIRES: `from` is kGb18030 or kGbk.
  explicit TextDecoder(TextEncoding from);
  ~TextDecoder();
  TextDecoder(const TextDecoder&) = delete;
  TextDecoder& operator=(const TextDecoder&) = delete;

  /// Replaces `out` with `in` decoded; returns the number of undecodable sequences.
  size_t Decode(std::string_view in, std::string* out);
  /// The same into a caller's buffer of at least MaxDecodedSize(in.size()) bytes; returns the
  /// decoded size.
  size_t DecodeInto(std::string_view in, char* out, size_t* undecodable);
  /// A bound on the UTF-8 size of `n` bytes: GBK's one-byte 0x80 is U+20AC, three bytes in UTF-8
  /// (two-byte characters take at most 3, four-byte ones 4).
  static size_t MaxDecodedSize(size_t n) { return 3 * n + 4; }

 private:
  iconv_t cd_;
};

}  // namespace tsq
