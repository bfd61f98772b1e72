// RFC 4180 CSV tokenizing: one record at a time out of a run of whole records, with the reader's
// robustness rule for quoted line breaks (docs/reader.md). Records without quotes take a SIMD
// path; a record holding a quote is re-read by an exact scalar scanner.
// Not thread-safe: one tokenizer per thread; the free functions are pure.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tsq {

/// A record whose quoted field spans a line break may be at most this long; a longer one is bad
/// quoting (its first line only). Fixed, so that record boundaries never depend on chunk sizes.
inline constexpr size_t kMaxMultilineRecordBytes = 1 << 20;
/// No record (physical line) may be longer than this: such a file is not CSV or JSON Lines.
inline constexpr size_t kMaxRecordBytes = 64 << 20;

enum class CsvScan : uint8_t {
  kRecord,      // a well-formed record (its column count is not checked here)
  kBadQuoting,  // bad quoting: the bad record is the first physical line only
  kNeedMore,    // the text ends before the record's extent is decided
};

/// The extent of one record: text[start, end) is the record without its line end, `next` is
/// where the following record starts, `newlines` the line breaks in [start, next).
struct CsvExtent {
  size_t end = 0;
  size_t next = 0;
  uint64_t newlines = 0;
  CsvScan status = CsvScan::kRecord;
};

/// Decides the extent of the record starting at `start` in text[0, n). `at_end`: the text ends
/// the file (otherwise the answer may be kNeedMore). `expected_fields`: the header's column count
/// (0 = any), needed because a record with a quoted line break is accepted only with exactly that
/// many fields. This is the rule the record splitter cuts chunks by; the tokenizer follows the
/// same rule, so both agree on every boundary.
CsvExtent ScanCsvRecord(const char* text, size_t n, size_t start, bool at_end,
                        size_t expected_fields);

/// One record as tokenized. Views point into the tokenized text or the tokenizer's scratch space
/// and stay valid until the next call to Next().
struct CsvRecord {
  uint64_t line = 0;                         // physical line where the record starts
  std::string_view raw;                      // the record as read, without its final line end
  bool bad_quoting = false;                  // then `fields` is empty
  std::span<const std::string_view> fields;  // unquoted, `""` unescaped, trimmed of blanks
                                             // (outside and inside the quotes)
};

class CsvTokenizer {
 public:
  /// Starts on `text`, a run of whole records that starts at a record boundary and ends either at
  /// one or at the end of the file. `first_line`: the physical line number of text[0].
  void Reset(std::string_view text, uint64_t first_line, size_t expected_fields);
  /// The next non-blank record; false when the text is exhausted.
  bool Next(CsvRecord* record);

  /// Offset just past the last record returned (or blank line skipped).
  size_t position() const { return pos_; }
  /// Physical line number at position().
  uint64_t line() const { return line_; }

  /// Tokenizes every record with the scalar scanner only: the reference the fuzzer compares the
  /// SIMD path against.
  void set_scalar_only(bool v) { scalar_only_ = v; }

 private:
  void LoadBlock(size_t block);
  bool SlowRecord(size_t start, CsvRecord* record);
  bool NextScalar(CsvRecord* record);

  const char* text_ = nullptr;
  size_t size_ = 0;
  size_t pos_ = 0;
  uint64_t line_ = 1;
  size_t expected_fields_ = 0;
  size_t block_ = 0;      // offset of the 64-byte block `mask_` describes
  uint64_t mask_ = 0;     // structural bytes (',', '\n', '"') of that block not yet consumed
  uint64_t special_ = 0;  // the '\n' and '"' among them
  bool scalar_only_ = false;
  std::vector<std::string_view> fields_;  // the fast path writes by index (its size is capacity)
  std::string scratch_;                   // unescaped quoted fields
  std::vector<std::pair<size_t, size_t>> patches_;  // fields whose text is in scratch_
};

}  // namespace tsq
