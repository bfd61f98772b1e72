// ByteSource: the decompressed text of one input file, read sequentially in large blocks. The
// codec follows the name: ".gz" (every gzip member in turn), ".zst" (every zstd frame), ".xlsx" (a
// workbook's sheet as CSV text, io/xlsx_source.h), else plain.
// Not thread-safe: one reader per source.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "io/sha256.h"

namespace tsq {

class ByteSource {
 public:
  /// Text bytes checked for NUL: enough to catch binary and misnamed compressed files without a
  /// second pass over gigabytes of text.
  static constexpr uint64_t kTextCheckBytes = 64 << 10;

  /// Opens `path` and reads its first kTextCheckBytes of text: a file that is not text (NUL bytes
  /// there, or compressed data under a plain name) fails here, before any of it is parsed, as do
  /// a missing file (kNotFound) and an unreadable one (kIo). Errors name the file.
  /// With `digest`, every on-disk byte read is also hashed (SHA-256), so that a file's digest costs
  /// no second read of it (see FinishDigest).
  /// With `sheet`, `path` is a workbook (.xlsx) and the text is the rows of its sheet of that
  /// name; without, a workbook's text is its first sheet's rows.
  static Result<std::unique_ptr<ByteSource>> Open(const std::string& path, bool digest = false,
                                                  std::string_view sheet = {});

  virtual ~ByteSource();
  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;

  /// Reads up to `cap` (> 0) bytes of text into `dst`; returns 0 only at the end of the stream.
  /// Fails with kCorrupt on a truncated or damaged compressed stream and with kIo when the system
  /// read fails.
  Result<size_t> Read(char* dst, size_t cap);

  const std::string& path() const { return path_; }
  /// How messages name the source: its path, "path[sheet]" for a workbook's sheet.
  const std::string& name() const { return name_; }
  /// Size of the file on disk.
  uint64_t size_bytes() const { return size_bytes_; }
  /// On-disk bytes consumed so far (for progress).
  uint64_t consumed_bytes() const { return consumed_bytes_; }
  /// Text bytes returned so far (after decompression).
  uint64_t text_bytes() const { return text_bytes_; }
  /// The first text of the file (up to kTextCheckBytes), as Open() read it; valid until the first
  /// Read(). `whole`: it is all of the text.
  std::string_view head() const { return lookahead_; }
  bool head_is_whole() const { return head_whole_; }
  /// A plain (uncompressed) file only, before the first Read(): the text becomes the file's bytes
  /// [begin, end), as when the ranks of a cluster share one file by byte ranges. From `begin` 0
  /// the look-ahead is kept (and a digest still covers the whole file: FinishDigest() reads the
  /// rest); from another `begin` there is no digest.
  Status Restrict(uint64_t begin, uint64_t end);

  /// SHA-256 (lowercase hex) of the whole file, as sha256sum prints it: hashes whatever the codec
  /// left unread, then finishes. Call once, after the text is read. REQUIRES: opened with digest.
  Result<std::string> FinishDigest();

 protected:
  /// `name`: how messages name the source, when not by its path.
  ByteSource(std::string path, int fd, uint64_t size_bytes, std::string name = {});

  /// Produces at least one byte of text unless the stream has ended (then 0).
  virtual Result<size_t> ReadSome(char* dst, size_t cap) = 0;
  /// Reads raw file bytes; 0 at end of file.
  Result<size_t> ReadRaw(char* dst, size_t cap);
  Error Corrupt(const char* codec, const std::string& detail) const;
  /// For sources that read the file by other means than ReadRaw (a workbook through minizip):
  /// the on-disk bytes consumed so far, for progress.
  void SetConsumedBytes(uint64_t n) { consumed_bytes_ = n; }

 private:
  // Reads the look-ahead and checks that it is text.
  Status Prime();

  std::string path_;
  std::string name_;
  int fd_ = -1;
  uint64_t size_bytes_ = 0;
  uint64_t consumed_bytes_ = 0;
  uint64_t text_bytes_ = 0;
  std::string lookahead_;  // the first text, read by Open() and served first
  size_t lookahead_pos_ = 0;
  bool head_whole_ = false;
  uint64_t text_limit_ = UINT64_MAX;  // text bytes served at most (Restrict)
  std::unique_ptr<Sha256> digest_;    // set when opened with digest
};

}  // namespace tsq
