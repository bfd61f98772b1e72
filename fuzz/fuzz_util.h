// Shared by the reader's fuzz targets: an invariant check that aborts (libFuzzer reports it), and
// ReadTable over an input written to a temporary file, with its outcome in comparable form.
#pragma once

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <string>
#include <vector>

#include <unistd.h>

#include "model/read.h"

#define FUZZ_CHECK(cond)                                                                 \
  do {                                                                                   \
    if (!(cond)) {                                                                       \
      std::fprintf(stderr, "invariant failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      std::abort();                                                                      \
    }                                                                                    \
  } while (0)

namespace tsq::fuzz {

/// Everything a ReadTable produced, comparable across chunk sizes and thread counts.
struct ReadOutcome {
  bool ok = false;
  std::string error;               // when !ok
  std::vector<std::string> bad;    // "line:column:reason", in delivery order
  std::vector<uint64_t> accepted;  // lines of accepted rows, sorted
  uint64_t rows_read = 0;
  uint64_t quarantined = 0;
  bool operator==(const ReadOutcome&) const = default;
};

/// Writes `bytes` to a per-process file named `name` and reads it as `type`.
inline ReadOutcome ReadBytes(RecordType type, const std::string& name, const std::string& bytes,
                             int threads, size_t chunk_bytes) {
  const std::string path = (std::filesystem::temp_directory_path() /
                            ("tsq_fuzz_" + std::to_string(::getpid()) + "_" + name))
                               .string();
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  ReadOutcome out;
  ReadOptions options;
  options.threads = threads;
  options.chunk_bytes = chunk_bytes;
  options.batch_rows = 5;
  options.on_bad_row = [&](const BadRow& b) {
    out.bad.push_back(std::to_string(b.line) + ":" + b.column + ":" + BadRowReasonName(b.reason));
  };
  StringDictionary dict;
  std::mutex mu;
  auto reports = ReadTable(type, {{path}}, &dict, options, [&](int worker, const Batch& b) {
    FUZZ_CHECK(worker >= 0 && worker < threads);
    FUZZ_CHECK(b.rows > 0 && b.rows <= 5 && b.line.size() == b.rows);
    for (const ColumnData& c : b.columns) {
      FUZZ_CHECK(c.i64.size() + c.f64.size() + c.ids.size() + c.u8.size() + c.text.offsets.size() -
                     1 ==
                 b.rows);
      for (uint32_t id : c.ids) FUZZ_CHECK(id == kMissingId || id < dict.size());
    }
    std::lock_guard lock(mu);
    out.accepted.insert(out.accepted.end(), b.line.begin(), b.line.end());
  });
  std::filesystem::remove(path);
  if (!reports) {
    // Rows before a fatal problem late in a file may have been seen; only the error counts.
    ReadOutcome failed;
    failed.error = reports.error().message;
    return failed;
  }
  out.ok = true;
  const FileReport& r = (*reports)[0];
  FUZZ_CHECK(r.rows_read == r.rows_accepted + r.rows_quarantined);
  uint64_t by_reason = 0;
  for (uint64_t n : r.quarantined_by_reason) by_reason += n;
  FUZZ_CHECK(by_reason == r.rows_quarantined);
  FUZZ_CHECK(out.bad.size() == r.rows_quarantined);
  FUZZ_CHECK(out.accepted.size() == r.rows_accepted);
  FUZZ_CHECK(r.text_bytes <= bytes.size());
  std::sort(out.accepted.begin(), out.accepted.end());
  out.rows_read = r.rows_read;
  out.quarantined = r.rows_quarantined;
  return out;
}

}  // namespace tsq::fuzz
