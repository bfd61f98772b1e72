// Zstandard frames behind std::streambuf, for binary files that a serialisation library writes
// through std::ostream and reads through std::istream (the state files). Every frame carries its
// content checksum, so a damaged or truncated file is detected: VerifyZstdFrames() checks a whole
// file before anything in it is trusted.
#pragma once

#include <cstdint>
#include <memory>
#include <streambuf>
#include <string>
#include <string_view>
#include <vector>

#include <zstd.h>

#include "core/result.h"

namespace tsq {

/// Compresses what is written into frames appended to `fd` (not owned). EndFrame() closes the
/// current frame; the next write opens another. The first failure is kept in status() and every
/// later write fails, so that the ostream reports it.
class ZstdOutBuf final : public std::streambuf {
 public:
  ZstdOutBuf(int fd, std::string name, int level = 3);
  /// Appends the frames to `*bytes` instead of a file (a state sent to another process).
  ZstdOutBuf(std::string* bytes, std::string name, int level = 3);
  ~ZstdOutBuf() override;
  ZstdOutBuf(const ZstdOutBuf&) = delete;
  ZstdOutBuf& operator=(const ZstdOutBuf&) = delete;

  /// Compresses what is buffered and ends the frame (a no-op when nothing was written to it).
  Status EndFrame();
  const Status& status() const { return status_; }
  /// Bytes written before compression, in all frames.
  uint64_t bytes_in() const { return bytes_in_; }

 protected:
  int_type overflow(int_type c) override;
  std::streamsize xsputn(const char* s, std::streamsize n) override;

 private:
  bool Compress(const char* data, size_t size, ZSTD_EndDirective mode);
  bool FlushBuffer();

  int fd_ = -1;
  std::string* bytes_ = nullptr;
  std::string name_;
  ZSTD_CCtx* cctx_;
  std::vector<char> in_;   // uncompressed, not yet given to zstd
  std::vector<char> out_;  // one compressed block
  bool frame_open_ = false;
  uint64_t bytes_in_ = 0;
  Status status_;
};

/// Decompresses the frames of `fd` (not owned) from its current offset, one frame at a time: the
/// stream ends at the end of a frame, NextFrame() moves to the next. A decoding failure ends the
/// stream too and is kept in status().
class ZstdInBuf final : public std::streambuf {
 public:
  ZstdInBuf(int fd, std::string name);
  /// Reads the frames in `bytes` (which must outlive this) instead of a file.
  ZstdInBuf(std::string_view bytes, std::string name);
  ~ZstdInBuf() override;
  ZstdInBuf(const ZstdInBuf&) = delete;
  ZstdInBuf& operator=(const ZstdInBuf&) = delete;

  /// Skips what is left of the current frame and starts reading the next. False at the end of
  /// the file (or after a failure).
  bool NextFrame();
  const Status& status() const { return status_; }
  /// Bytes decoded so far, in all frames.
  uint64_t bytes_out() const { return bytes_out_; }

 protected:
  int_type underflow() override;

 private:
  bool Fill();      // decodes more of the current frame into out_
  bool ReadMore();  // reads the next block of the file into in_; false on failure

  int fd_ = -1;
  std::string_view bytes_;  // when reading from memory: what is left of them
  std::string name_;
  ZSTD_DCtx* dctx_;
  std::vector<char> in_buf_;
  ZSTD_inBuffer in_ = {nullptr, 0, 0};
  std::vector<char> out_;
  bool eof_ = false;          // the file has no more bytes
  bool frame_ended_ = false;  // the current frame was decoded whole
  bool in_frame_ = false;     // some of the current frame was decoded
  uint64_t bytes_out_ = 0;
  Status status_;
};

/// Decodes every frame of the file at `path` from `offset` and checks its checksum; an error
/// names the file when it is truncated, damaged or holds no frame. Returns the bytes decoded.
Result<uint64_t> VerifyZstdFrames(const std::string& path, uint64_t offset);

}  // namespace tsq
