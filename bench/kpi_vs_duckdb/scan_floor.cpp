// The scan floor: the least any reader of a CSV file must do, which is to read every byte once and
// find the line breaks. N threads each read an equal byte range of every file with pread into
// their own 1 MiB buffer and count '\n'. Prints the line and byte counts, so that the work cannot
// be optimised away. tsq's calls indicators are compared with this in run.sh.
//
//   scan_floor --threads N FILE...
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr size_t kBlock = size_t{1} << 20;

// Counts line breaks in [from, to) of `fd`; -1 on a read error.
int64_t CountLines(int fd, uint64_t from, uint64_t to) {
  std::vector<char> buf(kBlock);
  int64_t lines = 0;
  for (uint64_t at = from; at < to;) {
    const size_t want = static_cast<size_t>(std::min<uint64_t>(kBlock, to - at));
    const ssize_t got = pread(fd, buf.data(), want, static_cast<off_t>(at));
    if (got <= 0) return -1;
    lines += std::count(buf.data(), buf.data() + got, '\n');
    at += static_cast<uint64_t>(got);
  }
  return lines;
}

}  // namespace

int main(int argc, char** argv) {
  int threads = 2;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
      threads = std::atoi(argv[++i]);
    } else if (argv[i][0] == '-') {
      std::fprintf(stderr, "usage: scan_floor [--threads N] FILE...\n");
      return 2;
    } else {
      files.emplace_back(argv[i]);
    }
  }
  if (threads < 1 || files.empty()) {
    std::fprintf(stderr, "usage: scan_floor [--threads N] FILE...\n");
    return 2;
  }
  int64_t lines = 0;
  uint64_t bytes = 0;
  for (const std::string& path : files) {
    const int fd = open(path.c_str(), O_RDONLY);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
      std::perror(path.c_str());
      return 1;
    }
    const uint64_t size = static_cast<uint64_t>(st.st_size);
    std::vector<int64_t> counts(static_cast<size_t>(threads));
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
      workers.emplace_back([&, t] {
        counts[t] = CountLines(fd, size * t / threads, size * (t + 1) / threads);
      });
    }
    for (std::thread& w : workers) w.join();
    for (int64_t c : counts) {
      if (c < 0) {
        std::fprintf(stderr, "%s: read error\n", path.c_str());
        return 1;
      }
      lines += c;
    }
    bytes += size;
    close(fd);
  }
  std::printf("{\"lines\": %lld, \"bytes\": %llu}\n", static_cast<long long>(lines),
              static_cast<unsigned long long>(bytes));
  return 0;
}
