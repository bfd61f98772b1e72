#include "io/zstd_stream.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

namespace tsq {
namespace {

constexpr size_t kBlockBytes = size_t{256} << 10;

}  // namespace

ZstdOutBuf::ZstdOutBuf(std::string* bytes, std::string name, int level)
    : ZstdOutBuf(-1, std::move(name), level) {
  bytes_ = bytes;
}

ZstdOutBuf::ZstdOutBuf(int fd, std::string name, int level)
    : fd_(fd), name_(std::move(name)), cctx_(ZSTD_createCCtx()) {
  in_.reserve(kBlockBytes);
  out_.resize(ZSTD_CStreamOutSize());
  if (cctx_ == nullptr) {
    status_ = Error(ErrorCode::kInternal, "zstd failed to initialise");
    return;
  }
  ZSTD_CCtx_setParameter(cctx_, ZSTD_c_compressionLevel, level);
  ZSTD_CCtx_setParameter(cctx_, ZSTD_c_checksumFlag, 1);
}

ZstdOutBuf::~ZstdOutBuf() { ZSTD_freeCCtx(cctx_); }

bool ZstdOutBuf::Compress(const char* data, size_t size, ZSTD_EndDirective mode) {
  ZSTD_inBuffer input = {data, size, 0};
  for (;;) {
    ZSTD_outBuffer output = {out_.data(), out_.size(), 0};
    const size_t remaining = ZSTD_compressStream2(cctx_, &output, &input, mode);
    if (ZSTD_isError(remaining)) {
      status_ = Error(ErrorCode::kInternal,
                      fmt::format("{}: zstd: {}", name_, ZSTD_getErrorName(remaining)));
      return false;
    }
    const char* p = out_.data();
    size_t left = output.pos;
    if (bytes_ != nullptr) {
      bytes_->append(p, left);
      left = 0;
    }
    while (left > 0) {
      const ssize_t n = ::write(fd_, p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        status_ =
            Error(ErrorCode::kIo, fmt::format("{}: cannot write: {}", name_, std::strerror(errno)));
        return false;
      }
      p += n;
      left -= static_cast<size_t>(n);
    }
    const bool done = mode == ZSTD_e_end ? remaining == 0 : input.pos == input.size;
    if (done) return true;
  }
}

bool ZstdOutBuf::FlushBuffer() {
  if (in_.empty()) return true;
  const bool ok = Compress(in_.data(), in_.size(), ZSTD_e_continue);
  in_.clear();
  return ok;
}

std::streamsize ZstdOutBuf::xsputn(const char* s, std::streamsize n) {
  if (!status_) return 0;
  frame_open_ = true;
  const auto size = static_cast<size_t>(n);
  bytes_in_ += size;
  if (in_.size() + size > kBlockBytes) {
    if (!FlushBuffer()) return 0;
    if (size >= kBlockBytes) return Compress(s, size, ZSTD_e_continue) ? n : 0;
  }
  in_.insert(in_.end(), s, s + size);
  return n;
}

ZstdOutBuf::int_type ZstdOutBuf::overflow(int_type c) {
  if (traits_type::eq_int_type(c, traits_type::eof())) return traits_type::not_eof(c);
  const char ch = traits_type::to_char_type(c);
  return xsputn(&ch, 1) == 1 ? c : traits_type::eof();
}

Status ZstdOutBuf::EndFrame() {
  if (!status_) return status_;
  if (!frame_open_) return Ok();
  const bool ok = Compress(in_.data(), in_.size(), ZSTD_e_end);
  in_.clear();
  frame_open_ = false;
  if (!ok) return status_;
  return Ok();
}

ZstdInBuf::ZstdInBuf(std::string_view bytes, std::string name) : ZstdInBuf(-1, std::move(name)) {
  bytes_ = bytes;
}

ZstdInBuf::ZstdInBuf(int fd, std::string name)
    : fd_(fd), name_(std::move(name)), dctx_(ZSTD_createDCtx()) {
  in_buf_.resize(ZSTD_DStreamInSize());
  out_.resize(ZSTD_DStreamOutSize());
  if (dctx_ == nullptr) status_ = Error(ErrorCode::kInternal, "zstd failed to initialise");
}

ZstdInBuf::~ZstdInBuf() { ZSTD_freeDCtx(dctx_); }

bool ZstdInBuf::ReadMore() {
  if (fd_ < 0) {
    // From memory: hand zstd the rest at once.
    in_ = {bytes_.data(), bytes_.size(), 0};
    bytes_ = {};
    if (in_.size == 0) eof_ = true;
    return true;
  }
  ssize_t n;
  do {
    n = ::read(fd_, in_buf_.data(), in_buf_.size());
  } while (n < 0 && errno == EINTR);
  if (n < 0) {
    status_ =
        Error(ErrorCode::kIo, fmt::format("{}: cannot read: {}", name_, std::strerror(errno)));
    return false;
  }
  if (n == 0) eof_ = true;
  in_ = {in_buf_.data(), static_cast<size_t>(n), 0};
  return true;
}

bool ZstdInBuf::Fill() {
  if (!status_ || frame_ended_) return false;
  for (;;) {
    if (in_.pos == in_.size && !eof_ && !ReadMore()) return false;
    ZSTD_outBuffer out = {out_.data(), out_.size(), 0};
    const size_t in_before = in_.pos;
    const size_t ret = ZSTD_decompressStream(dctx_, &out, &in_);
    if (ZSTD_isError(ret)) {
      status_ =
          Error(ErrorCode::kCorrupt, fmt::format("{}: zstd: {}", name_, ZSTD_getErrorName(ret)));
      return false;
    }
    if (in_.pos != in_before || out.pos > 0) in_frame_ = true;
    if (ret == 0) frame_ended_ = true;
    if (out.pos > 0) {
      bytes_out_ += out.pos;
      setg(out_.data(), out_.data(), out_.data() + out.pos);
      return true;
    }
    if (frame_ended_) return false;
    if (in_.pos == in_.size && eof_) {
      if (in_frame_) {
        status_ = Error(ErrorCode::kCorrupt, fmt::format("{}: truncated", name_));
      }
      return false;
    }
  }
}

ZstdInBuf::int_type ZstdInBuf::underflow() {
  if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
  if (!Fill()) return traits_type::eof();
  return traits_type::to_int_type(*gptr());
}

bool ZstdInBuf::NextFrame() {
  while (Fill()) {
  }
  if (!status_) return false;
  setg(nullptr, nullptr, nullptr);
  frame_ended_ = false;
  in_frame_ = false;
  // Whether another frame follows: some input is left, or the file has more.
  if (in_.pos == in_.size && !eof_ && !ReadMore()) return false;
  return in_.pos < in_.size;
}

Result<uint64_t> VerifyZstdFrames(const std::string& path, uint64_t offset) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Error(errno == ENOENT ? ErrorCode::kNotFound : ErrorCode::kIo,
                 fmt::format("{}: cannot open: {}", path, std::strerror(errno)));
  }
  Status st;
  uint64_t decoded = 0;
  if (::lseek(fd, static_cast<off_t>(offset), SEEK_SET) < 0) {
    st = Error(ErrorCode::kIo, fmt::format("{}: cannot seek: {}", path, std::strerror(errno)));
  } else {
    ZstdInBuf buf(fd, path);
    const bool empty = buf.sgetc() == std::char_traits<char>::eof();
    // NextFrame() decodes the rest of each frame, which checks its checksum at its end.
    while (buf.NextFrame()) {
    }
    st = buf.status();
    if (st && empty) st = Error(ErrorCode::kCorrupt, fmt::format("{}: truncated", path));
    decoded = buf.bytes_out();
  }
  ::close(fd);
  if (!st) return st.error();
  return decoded;
}

}  // namespace tsq
