#include "io/byte_source.h"

#include <algorithm>
#include <cassert>
#include <cerrno>
#include <cstring>
#include <limits>
#include <vector>

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include "io/output_file.h"
#include "io/xlsx_source.h"

namespace tsq {
namespace {

constexpr size_t kCompressedBlockBytes = 256 << 10;

class PlainSource final : public ByteSource {
 public:
  PlainSource(std::string path, int fd, uint64_t size) : ByteSource(std::move(path), fd, size) {}

 protected:
  Result<size_t> ReadSome(char* dst, size_t cap) override { return ReadRaw(dst, cap); }
};

class GzipSource final : public ByteSource {
 public:
  GzipSource(std::string path, int fd, uint64_t size)
      : ByteSource(std::move(path), fd, size), in_(new char[kCompressedBlockBytes]) {
    std::memset(&zs_, 0, sizeof(zs_));
    // windowBits 15 + 16: accept only the gzip wrapper (not raw zlib), checking its CRC.
    ok_ = inflateInit2(&zs_, 15 + 16) == Z_OK;
  }
  ~GzipSource() override {
    if (ok_) inflateEnd(&zs_);
  }

 protected:
  Result<size_t> ReadSome(char* dst, size_t cap) override {
    if (!ok_) return Error(ErrorCode::kInternal, "zlib failed to initialise");
    zs_.next_out = reinterpret_cast<Bytef*>(dst);
    zs_.avail_out = static_cast<uInt>(std::min<size_t>(cap, 1u << 30));
    const uInt out_cap = zs_.avail_out;
    for (;;) {
      if (zs_.avail_in == 0 && !eof_) {
        auto n = ReadRaw(in_.get(), kCompressedBlockBytes);
        if (!n) return std::move(n).error();
        if (*n == 0) {
          eof_ = true;
        } else {
          zs_.next_in = reinterpret_cast<Bytef*>(in_.get());
          zs_.avail_in = static_cast<uInt>(*n);
        }
      }
      if (zs_.avail_in == 0 && eof_ && !in_member_) {
        if (!any_member_) return Corrupt("gzip", "empty file");
        return out_cap - zs_.avail_out;
      }
      if (zs_.avail_in > 0) {
        in_member_ = true;
        any_member_ = true;
      }
      const int rc = inflate(&zs_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        // A file of several members is one stream: start the next member, if any.
        in_member_ = false;
        inflateReset(&zs_);
      } else if (rc == Z_BUF_ERROR) {
        if (zs_.avail_out == 0) return out_cap;
        if (zs_.avail_in == 0 && eof_) return Corrupt("gzip", "unexpected end of file");
      } else if (rc != Z_OK) {
        return Corrupt("gzip", zs_.msg != nullptr ? zs_.msg : fmt::format("zlib error {}", rc));
      }
      if (zs_.avail_out == 0) return out_cap;
    }
  }

 private:
  z_stream zs_;
  bool ok_ = false;
  bool eof_ = false;
  bool in_member_ = false;   // bytes of the current member have been given to inflate
  bool any_member_ = false;  // the file held at least one member
  std::unique_ptr<char[]> in_;
};

class ZstdSource final : public ByteSource {
 public:
  ZstdSource(std::string path, int fd, uint64_t size)
      : ByteSource(std::move(path), fd, size),
        dctx_(ZSTD_createDCtx()),
        in_buf_(new char[kCompressedBlockBytes]) {}
  ~ZstdSource() override { ZSTD_freeDCtx(dctx_); }

 protected:
  Result<size_t> ReadSome(char* dst, size_t cap) override {
    if (dctx_ == nullptr) return Error(ErrorCode::kInternal, "zstd failed to initialise");
    ZSTD_outBuffer out = {dst, cap, 0};
    for (;;) {
      if (in_.pos == in_.size && !eof_) {
        auto n = ReadRaw(in_buf_.get(), kCompressedBlockBytes);
        if (!n) return std::move(n).error();
        if (*n == 0) eof_ = true;
        in_ = {in_buf_.get(), *n, 0};
      }
      const size_t in_before = in_.pos;
      const size_t out_before = out.pos;
      // Successive frames decode as one stream: after a frame ends, the context expects the next.
      const size_t ret = ZSTD_decompressStream(dctx_, &out, &in_);
      if (ZSTD_isError(ret)) return Corrupt("zstd", ZSTD_getErrorName(ret));
      const bool progressed = in_.pos != in_before || out.pos != out_before;
      if (progressed) {
        // 0 means the frame was decoded and flushed completely.
        last_ret_ = ret;
        started_ = true;
      }
      if (out.pos == cap) return out.pos;
      if (!progressed && in_.pos == in_.size && eof_) {
        if (!started_) return Corrupt("zstd", "empty file");
        if (last_ret_ != 0) return Corrupt("zstd", "unexpected end of file");
        return out.pos;
      }
    }
  }

 private:
  ZSTD_DCtx* dctx_;
  std::unique_ptr<char[]> in_buf_;
  ZSTD_inBuffer in_ = {nullptr, 0, 0};
  bool eof_ = false;
  bool started_ = false;
  size_t last_ret_ = 0;
};

bool StartsWith(const char* p, size_t n, const char* magic, size_t m) {
  return n >= m && std::memcmp(p, magic, m) == 0;
}

}  // namespace

ByteSource::ByteSource(std::string path, int fd, uint64_t size_bytes, std::string name)
    : path_(std::move(path)), name_(std::move(name)), fd_(fd), size_bytes_(size_bytes) {
  if (name_.empty()) name_ = path_;
}

ByteSource::~ByteSource() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::unique_ptr<ByteSource>> ByteSource::Open(const std::string& path, bool digest,
                                                     std::string_view sheet) {
  if (!sheet.empty() && !IsXlsxPath(path)) {
    return Error(ErrorCode::kInternal,
                 fmt::format("{}: only a workbook (.xlsx) has sheets", WithSheet(path, sheet)));
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int err = errno;
    if (err == ENOENT || err == ENOTDIR) {
      return Error(ErrorCode::kNotFound, fmt::format("{}: no such file", path));
    }
    return Error(ErrorCode::kIo, fmt::format("{}: cannot open: {}", path, std::strerror(err)));
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    const int err = errno;
    ::close(fd);
    return Error(ErrorCode::kIo, fmt::format("{}: cannot stat: {}", path, std::strerror(err)));
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return Error(ErrorCode::kIo, fmt::format("{}: is a directory, not a file", path));
  }
  // The kernel may then read ahead more aggressively; failure only loses that hint.
  (void)::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  const auto size = static_cast<uint64_t>(st.st_size);
  std::unique_ptr<ByteSource> source;
  if (IsXlsxPath(path)) {
    auto xlsx = OpenXlsxSource(path, fd, size, sheet);  // owns fd from here, even on failure
    if (!xlsx) return std::move(xlsx).error();
    source = std::move(*xlsx);
  } else
    switch (CompressionForPath(path)) {
      case Compression::kGzip:
        source = std::make_unique<GzipSource>(path, fd, size);
        break;
      case Compression::kZstd:
        source = std::make_unique<ZstdSource>(path, fd, size);
        break;
      case Compression::kNone:
        source = std::make_unique<PlainSource>(path, fd, size);
        break;
    }
  if (digest) source->digest_ = std::make_unique<Sha256>();
  TSQ_TRY(source->Prime());
  return source;
}

Status ByteSource::Prime() {
  lookahead_.resize(kTextCheckBytes);
  size_t n = 0;
  while (n < lookahead_.size()) {
    auto got = ReadSome(lookahead_.data() + n, lookahead_.size() - n);
    if (!got) return std::move(got).error();
    if (*got == 0) {
      head_whole_ = true;
      break;
    }
    n += *got;
  }
  lookahead_.resize(n);
  if (StartsWith(lookahead_.data(), n, "\x1f\x8b", 2) ||
      StartsWith(lookahead_.data(), n, "\x28\xb5\x2f\xfd", 4)) {
    return Error(ErrorCode::kCorrupt,
                 fmt::format("{}: not a text file (it holds compressed data; name a gzip file "
                             "*.gz and a zstd file *.zst)",
                             name_));
  }
  if (lookahead_.find('\0') != std::string::npos) {
    return Error(ErrorCode::kCorrupt, fmt::format("{}: not a text file (NUL bytes)", name_));
  }
  return Ok();
}

Status ByteSource::Restrict(uint64_t begin, uint64_t end) {
  if (dynamic_cast<PlainSource*>(this) == nullptr || begin > end || end > size_bytes_ ||
      text_bytes_ != 0 || (begin > 0 && digest_ != nullptr)) {
    return Error(ErrorCode::kInternal,
                 fmt::format("{}: cannot read bytes {} to {} of it alone", name_, begin, end));
  }
  text_limit_ = end - begin;
  if (begin == 0) return Ok();
  std::string().swap(lookahead_);
  lookahead_pos_ = 0;
  head_whole_ = false;
  if (::lseek(fd_, static_cast<off_t>(begin), SEEK_SET) < 0) {
    return Error(ErrorCode::kIo, fmt::format("{}: cannot seek: {}", name_, std::strerror(errno)));
  }
  consumed_bytes_ = begin;
  return Ok();
}

Result<size_t> ByteSource::Read(char* dst, size_t cap) {
  if (text_bytes_ >= text_limit_) return 0;
  cap = static_cast<size_t>(std::min<uint64_t>(cap, text_limit_ - text_bytes_));
  if (lookahead_pos_ < lookahead_.size()) {
    const size_t n = std::min(cap, lookahead_.size() - lookahead_pos_);
    std::memcpy(dst, lookahead_.data() + lookahead_pos_, n);
    lookahead_pos_ += n;
    if (lookahead_pos_ == lookahead_.size()) {
      std::string().swap(lookahead_);  // the look-ahead is done with: give its memory back
      lookahead_pos_ = 0;
    }
    text_bytes_ += n;
    return n;
  }
  auto n = ReadSome(dst, cap);
  if (n) text_bytes_ += *n;
  return n;
}

Result<size_t> ByteSource::ReadRaw(char* dst, size_t cap) {
  for (;;) {
    const ssize_t n = ::read(fd_, dst, cap);
    if (n >= 0) {
      consumed_bytes_ += static_cast<uint64_t>(n);
      if (digest_) digest_->Update(std::string_view(dst, static_cast<size_t>(n)));
      return static_cast<size_t>(n);
    }
    if (errno != EINTR) {
      return Error(ErrorCode::kIo, fmt::format("{}: read failed: {}", name_, std::strerror(errno)));
    }
  }
}

Result<std::string> ByteSource::FinishDigest() {
  assert(digest_ != nullptr);
  std::vector<char> rest(1 << 16);
  for (;;) {
    auto n = ReadRaw(rest.data(), rest.size());
    if (!n) return std::move(n).error();
    if (*n == 0) break;
  }
  std::string hex = digest_->HexDigest();
  digest_.reset();
  return hex;
}

Error ByteSource::Corrupt(const char* codec, const std::string& detail) const {
  return Error(ErrorCode::kCorrupt,
               fmt::format("{}: truncated or corrupt {} stream ({})", name_, codec, detail));
}

}  // namespace tsq
