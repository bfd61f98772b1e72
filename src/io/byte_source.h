// ByteSource: the decompressed text of one input file, read sequentially in large blocks. The
// codec follows the name: ".gz" (every gzip member in turn), ".zst" (every zstd frame), else plain.
// Not thread-safe: one reader per source.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/result.h"

namespace tsq {

class ByteSource {
 public:
  /// Opens `path`. A missing file is kNotFound, an unreadable one kIo; both name the file.
  static Result<std::unique_ptr<ByteSource>> Open(const std::string& path);

  virtual ~ByteSource();
  ByteSource(const ByteSource&) = delete;
  ByteSource& operator=(const ByteSource&) = delete;

  /// Reads up to `cap` (> 0) bytes of text into `dst`; returns 0 only at the end of the stream.
  /// Fails with kCorrupt on a truncated or damaged compressed stream, or when the first block of
  /// text holds NUL bytes (not a text file), and with kIo when the system read fails.
  Result<size_t> Read(char* dst, size_t cap);

  const std::string& path() const { return path_; }
  /// Size of the file on disk.
  uint64_t size_bytes() const { return size_bytes_; }
  /// On-disk bytes consumed so far (for progress).
  uint64_t consumed_bytes() const { return consumed_bytes_; }
  /// Text bytes returned so far (after decompression).
  uint64_t text_bytes() const { return text_bytes_; }

 protected:
  ByteSource(std::string path, int fd, uint64_t size_bytes);

  /// Produces at least one byte of text unless the stream has ended (then 0).
  virtual Result<size_t> ReadSome(char* dst, size_t cap) = 0;
  /// Reads raw file bytes; 0 at end of file.
  Result<size_t> ReadRaw(char* dst, size_t cap);
  Error Corrupt(const char* codec, const std::string& detail) const;

  std::string path_;
  int fd_ = -1;
  uint64_t size_bytes_ = 0;
  uint64_t consumed_bytes_ = 0;
  uint64_t text_bytes_ = 0;
};

}  // namespace tsq
