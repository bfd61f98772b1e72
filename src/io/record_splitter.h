// RecordSplitter: cuts the text of a ByteSource into chunks of whole records, so that workers can
// tokenize chunks in parallel. Each chunk knows its sequence number and the physical line number
// of its first byte. Memory is bounded by the chunk size (plus one record), never the file size.
// Not thread-safe: one splitter per file, driven by one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "io/byte_source.h"

namespace tsq {

/// A growable byte buffer whose contents are always followed by kTextPadding readable bytes.
class TextBuffer {
 public:
  char* data() { return data_.get(); }
  const char* data() const { return data_.get(); }
  size_t size() const { return size_; }
  size_t capacity() const { return capacity_; }
  std::string_view view() const { return std::string_view(data_.get(), size_); }

  /// Makes room for `cap` bytes, keeping the contents.
  void Reserve(size_t cap);
  /// REQUIRES: n <= capacity().
  void Resize(size_t n) { size_ = n; }
  void Assign(std::string_view bytes);
  void Clear() { size_ = 0; }
  void Swap(TextBuffer& other) noexcept {
    std::swap(data_, other.data_);
    std::swap(size_, other.size_);
    std::swap(capacity_, other.capacity_);
  }

 private:
  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
  size_t capacity_ = 0;
};

enum class TextFormat : uint8_t {
  kCsv,        // records end at line breaks outside quotes (see ScanCsvRecord)
  kJsonLines,  // every line is a record
};

/// Where a splitter cuts `text` (which starts at a record boundary and is followed by more text):
/// just past its last whole record, 0 if there is none. `expected_fields` as for ScanCsvRecord.
/// When it comes cheaply, `*newlines` receives the line breaks before the cut, else kUncounted.
inline constexpr uint64_t kUncounted = ~uint64_t{0};
size_t FindRecordCut(const char* text, size_t n, TextFormat format, size_t expected_fields,
                     uint64_t* newlines);

/// Whole records of one file, handed to a worker.
struct Chunk {
  uint64_t seq = 0;         // 0, 1, 2... within the file
  uint64_t first_line = 1;  // physical line number of the first byte
  bool last = false;        // the chunk ends the file
  TextBuffer text;
};

class RecordSplitter {
 public:
  /// `chunk_bytes`: the text per chunk (a chunk grows beyond it only to hold one long record).
  RecordSplitter(ByteSource* source, TextFormat format, size_t chunk_bytes);

  /// CSV only, before the first Next(): reads the header, the first non-blank record (after a
  /// UTF-8 BOM). Returns false when the text holds no record at all. A header with bad quoting is
  /// kSchema.
  Result<bool> ReadHeader(std::vector<std::string>* names, uint64_t* line);
  /// The header's column count, by which multi-line CSV records are judged.
  void set_expected_fields(size_t n) { expected_fields_ = n; }
  /// Before the first Next(), for a source that starts at a record boundary inside a file
  /// (ByteSource::Restrict): its first byte is on physical line `line`, and there is no BOM.
  void StartMidFile(uint64_t line) {
    line_ = line;
    bom_checked_ = true;
  }

  /// Fills `chunk` (reusing its buffer) with the next run of whole records; false at the end of
  /// the text. Errors: those of the source, and kCorrupt for a record longer than
  /// kMaxRecordBytes.
  Result<bool> Next(Chunk* chunk);

  ByteSource* source() const { return source_; }

 private:
  // Reads from the source into `buf` until it holds `target` bytes or the text ends.
  Status Fill(TextBuffer* buf, size_t target);
  // Drops a UTF-8 BOM at the very start of the text.
  Status SkipBom(TextBuffer* buf);
  Error TooLong(uint64_t line) const;

  ByteSource* source_;
  TextFormat format_;
  size_t chunk_bytes_;
  size_t expected_fields_ = 0;
  TextBuffer carry_;  // text read but not yet handed out
  bool eof_ = false;
  bool bom_checked_ = false;
  bool done_ = false;
  uint64_t line_ = 1;  // physical line number of carry_[0]
  uint64_t seq_ = 0;
};

}  // namespace tsq
