#include "engine/spill.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

namespace tsq {

Result<std::shared_ptr<SpillDir>> SpillDir::Create(const std::string& parent) {
  std::string base = parent;
  if (base.empty()) {
    const char* tmp = std::getenv("TMPDIR");
    base = tmp != nullptr && *tmp != '\0' ? tmp : "/tmp";
  }
  std::string templ = base + "/tsq-spill-XXXXXX";
  if (::mkdtemp(templ.data()) == nullptr) {
    return Error(ErrorCode::kIo, fmt::format("cannot create a spill directory in {}: {}", base,
                                             std::strerror(errno)));
  }
  return std::shared_ptr<SpillDir>(new SpillDir(templ));
}

SpillDir::~SpillDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);  // best effort: a leftover temp dir harms nobody
}

Status AppendToFile(const std::string& path, const void* data, size_t bytes) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Error(ErrorCode::kIo, fmt::format("spilling to {}: {}", path, std::strerror(errno)));
  }
  const char* p = static_cast<const char*>(data);
  while (bytes > 0) {
    const ssize_t n = ::write(fd, p, bytes);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      return Error(ErrorCode::kIo, fmt::format("spilling to {}: {}", path, std::strerror(err)));
    }
    p += n;
    bytes -= static_cast<size_t>(n);
  }
  if (::close(fd) != 0) {
    return Error(ErrorCode::kIo, fmt::format("spilling to {}: {}", path, std::strerror(errno)));
  }
  return {};
}

Result<size_t> RecordFileBytes(const std::string& path, size_t record_size) {
  std::error_code ec;
  const uintmax_t bytes = std::filesystem::file_size(path, ec);
  if (ec) {
    return Error(ErrorCode::kIo, fmt::format("reading spilled {}: {}", path, ec.message()));
  }
  if (bytes % record_size != 0) {
    return Error(ErrorCode::kCorrupt,
                 fmt::format("spilled {} was cut short ({} bytes)", path, bytes));
  }
  return static_cast<size_t>(bytes);
}

Status ReadFileInto(const std::string& path, void* dst, size_t bytes) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return Error(ErrorCode::kIo, fmt::format("reading spilled {}: {}", path, std::strerror(errno)));
  }
  char* p = static_cast<char*>(dst);
  while (bytes > 0) {
    const ssize_t n = ::read(fd, p, bytes);
    if (n <= 0) {
      if (n < 0 && errno == EINTR) continue;
      const std::string why = n < 0 ? std::strerror(errno) : "the file is shorter than expected";
      ::close(fd);
      return Error(ErrorCode::kIo, fmt::format("reading spilled {}: {}", path, why));
    }
    p += n;
    bytes -= static_cast<size_t>(n);
  }
  ::close(fd);
  return {};
}

}  // namespace tsq
