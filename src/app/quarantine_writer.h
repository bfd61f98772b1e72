// Writes quarantined rows to a CSV a person can open in a spreadsheet:
// file,line,column,reason,raw — in file/line order, atomically (nothing is left on failure).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "io/output_file.h"
#include "model/read.h"

namespace tsq {

class QuarantineWriter {
 public:
  static Result<std::unique_ptr<QuarantineWriter>> Open(const std::string& path);

  /// Appends one row; `files` is the list the row's file_index refers to. A write error is kept
  /// and reported by Commit().
  void Add(const std::vector<std::string>& files, const BadRow& row);
  Status Commit();
  uint64_t rows() const { return rows_; }

 private:
  explicit QuarantineWriter(std::unique_ptr<OutputFile> out) : out_(std::move(out)) {}
  std::unique_ptr<OutputFile> out_;
  std::string line_;
  Status status_;
  uint64_t rows_ = 0;
};

}  // namespace tsq
