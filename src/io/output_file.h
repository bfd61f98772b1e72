// OutputFile: writes a file atomically, compressed by its extension (.gz, .zst, else plain).
// Bytes go to "<path>.tmp-<pid>" and reach `path` only on Commit(), so a run that fails leaves no
// half-written output. Not thread-safe: one writer per file.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace tsq {

enum class Compression { kNone, kGzip, kZstd };

/// Compression implied by a file name: ".gz" -> gzip, ".zst" -> zstd, else none.
Compression CompressionForPath(std::string_view path);

class OutputFile {
 public:
  /// Opens the temporary file. `level`: compression level, 0 = the codec's default.
  static Result<std::unique_ptr<OutputFile>> Create(const std::string& path, int level = 0);
  virtual ~OutputFile();

  /// Appends bytes (buffered; compressed as they stream).
  Status Write(std::string_view bytes);
  /// Flushes, finishes the compressed stream and renames the file into place.
  Status Commit();
  const std::string& path() const { return path_; }
  /// Bytes given to Write() so far (before compression).
  uint64_t bytes_written() const { return bytes_in_; }

 protected:
  OutputFile(std::string path, std::string tmp_path, int fd);
  /// Compresses (or copies) `in` into the file; `finish` ends the stream.
  virtual Status Encode(std::string_view in, bool finish) = 0;
  Status WriteRaw(std::string_view out);

  std::string path_;
  std::string tmp_path_;
  int fd_ = -1;
  bool committed_ = false;
  uint64_t bytes_in_ = 0;
  std::string buffer_;  // pending uncompressed bytes
};

}  // namespace tsq
