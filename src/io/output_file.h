// Every file tsq writes appears whole or not at all. StagedFile is the one mechanism: the writer —
// OutputFile below, a library such as libxlsxwriter, a browser printing a PDF — fills
// "<path>.tmp-<pid>" and Commit() renames it into place, so a run that fails leaves no
// half-written output. OutputFile streams bytes into a staged file, compressed by its extension
// (.gz, .zst, else plain). Not thread-safe: one writer per file.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"

namespace tsq {

/// A file that appears at `path` only when complete. Whoever writes it writes staging_path();
/// Commit() renames that into place; without Commit() the staged file is removed.
class StagedFile {
 public:
  explicit StagedFile(std::string path);
  ~StagedFile();
  StagedFile(const StagedFile&) = delete;
  StagedFile& operator=(const StagedFile&) = delete;

  const std::string& path() const { return path_; }
  const std::string& staging_path() const { return staging_path_; }
  /// Renames the staged file to path(); an error names path().
  Status Commit();

 private:
  std::string path_;
  std::string staging_path_;
  bool committed_ = false;
};

/// Writes `bytes` to `path` atomically (compressed by its extension).
Status WriteFileAtomically(const std::string& path, std::string_view bytes);

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
  const std::string& path() const { return staged_->path(); }
  /// Bytes given to Write() so far (before compression).
  uint64_t bytes_written() const { return bytes_in_; }

 protected:
  OutputFile(std::unique_ptr<StagedFile> staged, int fd);
  /// Compresses (or copies) `in` into the file; `finish` ends the stream.
  virtual Status Encode(std::string_view in, bool finish) = 0;
  Status WriteRaw(std::string_view out);

  std::unique_ptr<StagedFile> staged_;
  int fd_ = -1;
  uint64_t bytes_in_ = 0;
  std::string buffer_;  // pending uncompressed bytes
};

}  // namespace tsq
