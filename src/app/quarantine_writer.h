// Writes quarantined rows to a CSV a person can open in a spreadsheet:
// file,line,column,reason,raw — in file/line order, atomically (nothing is left on failure).
// The file is valid UTF-8: invalid bytes of a raw line are escaped (see EscapeInvalidUtf8).
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "io/output_file.h"
#include "model/read.h"

namespace tsq {

/// `raw` with every byte that is not part of valid UTF-8 written as the four characters \xNN, so
/// the quarantine file opens in any tool while still showing which bytes were wrong.
std::string EscapeInvalidUtf8(std::string_view raw);

class QuarantineWriter {
 public:
  static Result<std::unique_ptr<QuarantineWriter>> Open(const std::string& path);
  /// Keeps the rows in memory, each with its file and line (a rank of a distributed run sends
  /// them to rank 0, which writes the file with WriteFile()).
  static std::unique_ptr<QuarantineWriter> InMemory();
  /// Writes the rows InMemory() writers kept (concatenated in any order) under the header, in
  /// the order of their files by `file_order` (of InputFile::name), then of their lines.
  static Status WriteFile(const std::string& path, std::string_view rows,
                          const std::function<size_t(std::string_view file)>& file_order);

  /// Appends one row; `files` is the list the row's file_index refers to, and the row's file is
  /// written as InputFile::name. A write error is kept and reported by Commit().
  void Add(const std::vector<InputFile>& files, const BadRow& row);
  Status Commit();
  uint64_t rows() const { return rows_; }
  /// InMemory(): the rows so far, handed over.
  std::string TakeRows() { return std::move(memory_); }

 private:
  explicit QuarantineWriter(std::unique_ptr<OutputFile> out) : out_(std::move(out)) {}
  std::unique_ptr<OutputFile> out_;  // nullptr: in memory
  std::string memory_;
  std::string line_;
  Status status_;
  uint64_t rows_ = 0;
};

}  // namespace tsq
