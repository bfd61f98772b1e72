#include "io/output_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

namespace tsq {
namespace {

constexpr size_t kBufferBytes = 1 << 20;

class PlainFile final : public OutputFile {
 public:
  using OutputFile::OutputFile;
  friend class OutputFile;

 protected:
  Status Encode(std::string_view in, bool /*finish*/) override { return WriteRaw(in); }
};

class GzipFile final : public OutputFile {
 public:
  GzipFile(std::unique_ptr<StagedFile> staged, int fd, int level)
      : OutputFile(std::move(staged), fd) {
    std::memset(&zs_, 0, sizeof(zs_));
    // windowBits 15 + 16 asks zlib for a gzip wrapper rather than a raw zlib stream.
    ok_ = deflateInit2(&zs_, level == 0 ? 6 : level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) ==
          Z_OK;
    out_.resize(kBufferBytes);
  }
  ~GzipFile() override {
    if (ok_) deflateEnd(&zs_);
  }

 protected:
  Status Encode(std::string_view in, bool finish) override {
    if (!ok_) return Error(ErrorCode::kInternal, "zlib failed to initialise");
    zs_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
    zs_.avail_in = static_cast<uInt>(in.size());
    int rc = Z_OK;
    do {
      zs_.next_out = reinterpret_cast<Bytef*>(out_.data());
      zs_.avail_out = static_cast<uInt>(out_.size());
      rc = deflate(&zs_, finish ? Z_FINISH : Z_NO_FLUSH);
      if (rc == Z_STREAM_ERROR) return Error(ErrorCode::kInternal, "zlib deflate failed");
      TSQ_TRY(WriteRaw(std::string_view(out_.data(), out_.size() - zs_.avail_out)));
    } while (zs_.avail_out == 0 || (finish && rc != Z_STREAM_END));
    return Ok();
  }

 private:
  z_stream zs_;
  bool ok_ = false;
  std::string out_;
};

class ZstdFile final : public OutputFile {
 public:
  ZstdFile(std::unique_ptr<StagedFile> staged, int fd, int level)
      : OutputFile(std::move(staged), fd), cctx_(ZSTD_createCCtx()) {
    ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, level == 0 ? 3 : level);
    out_.resize(ZSTD_CStreamOutSize());
  }
  ~ZstdFile() override { ZSTD_freeCCtx(cctx_); }

 protected:
  Status Encode(std::string_view in, bool finish) override {
    ZSTD_inBuffer input = {in.data(), in.size(), 0};
    const ZSTD_EndDirective mode = finish ? ZSTD_e_end : ZSTD_e_continue;
    for (;;) {
      ZSTD_outBuffer output = {out_.data(), out_.size(), 0};
      const size_t remaining = ZSTD_compressStream2(cctx_, &output, &input, mode);
      if (ZSTD_isError(remaining)) {
        return Error(ErrorCode::kInternal,
                     fmt::format("zstd compression failed: {}", ZSTD_getErrorName(remaining)));
      }
      TSQ_TRY(WriteRaw(std::string_view(out_.data(), output.pos)));
      const bool done = finish ? remaining == 0 : input.pos == input.size;
      if (done) break;
    }
    return Ok();
  }

 private:
  ZSTD_CCtx* cctx_;
  std::string out_;
};

}  // namespace

Compression CompressionForPath(std::string_view path) {
  if (path.ends_with(".gz")) return Compression::kGzip;
  if (path.ends_with(".zst")) return Compression::kZstd;
  return Compression::kNone;
}

StagedFile::StagedFile(std::string path)
    : path_(std::move(path)), staging_path_(fmt::format("{}.tmp-{}", path_, ::getpid())) {}

StagedFile::~StagedFile() {
  if (!committed_) ::unlink(staging_path_.c_str());
}

Status StagedFile::Commit() {
  if (std::rename(staging_path_.c_str(), path_.c_str()) != 0) {
    return Error(ErrorCode::kIo,
                 fmt::format("{}: cannot rename into place: {}", path_, std::strerror(errno)));
  }
  committed_ = true;
  return Ok();
}

Status WriteFileAtomically(const std::string& path, std::string_view bytes) {
  auto file = OutputFile::Create(path);
  if (!file) return std::move(file).error();
  TSQ_TRY((*file)->Write(bytes));
  return (*file)->Commit();
}

OutputFile::OutputFile(std::unique_ptr<StagedFile> staged, int fd)
    : staged_(std::move(staged)), fd_(fd) {
  buffer_.reserve(kBufferBytes);
}

OutputFile::~OutputFile() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::unique_ptr<OutputFile>> OutputFile::Create(const std::string& path, int level) {
  auto staged = std::make_unique<StagedFile>(path);
  const int fd =
      ::open(staged->staging_path().c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Error(ErrorCode::kIo, fmt::format("{}: cannot create: {}", path, std::strerror(errno)));
  }
  switch (CompressionForPath(path)) {
    case Compression::kGzip:
      return std::unique_ptr<OutputFile>(new GzipFile(std::move(staged), fd, level));
    case Compression::kZstd:
      return std::unique_ptr<OutputFile>(new ZstdFile(std::move(staged), fd, level));
    case Compression::kNone:
      break;
  }
  return std::unique_ptr<OutputFile>(new PlainFile(std::move(staged), fd));
}

Status OutputFile::Write(std::string_view bytes) {
  bytes_in_ += bytes.size();
  if (buffer_.size() + bytes.size() < kBufferBytes) {
    buffer_.append(bytes);
    return Ok();
  }
  TSQ_TRY(Encode(buffer_, false));
  buffer_.clear();
  if (bytes.size() >= kBufferBytes) return Encode(bytes, false);
  buffer_.append(bytes);
  return Ok();
}

Status OutputFile::Commit() {
  TSQ_TRY(Encode(buffer_, true));
  buffer_.clear();
  if (::close(fd_) != 0) {
    fd_ = -1;
    return Error(ErrorCode::kIo, fmt::format("{}: cannot write: {}", path(), std::strerror(errno)));
  }
  fd_ = -1;
  return staged_->Commit();
}

Status OutputFile::WriteRaw(std::string_view out) {
  const char* p = out.data();
  size_t left = out.size();
  while (left > 0) {
    const ssize_t n = ::write(fd_, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error(ErrorCode::kIo,
                   fmt::format("{}: cannot write: {}", path(), std::strerror(errno)));
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
  return Ok();
}

}  // namespace tsq
