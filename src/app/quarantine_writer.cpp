#include "app/quarantine_writer.h"

#include <fmt/format.h>

#include "io/csv_writer.h"

namespace tsq {

Result<std::unique_ptr<QuarantineWriter>> QuarantineWriter::Open(const std::string& path) {
  auto out = OutputFile::Create(path);
  if (!out) return std::move(out).error();
  std::unique_ptr<QuarantineWriter> w(new QuarantineWriter(std::move(*out)));
  w->status_ = w->out_->Write("file,line,column,reason,raw\n");
  return w;
}

void QuarantineWriter::Add(const std::vector<std::string>& files, const BadRow& row) {
  if (!status_) return;
  line_.clear();
  AppendCsvField(&line_, files[row.file_index]);
  fmt::format_to(std::back_inserter(line_), ",{},", row.line);
  AppendCsvField(&line_, row.column);
  line_ += ',';
  line_ += BadRowReasonName(row.reason);
  line_ += ',';
  AppendCsvField(&line_, row.raw);
  line_ += '\n';
  status_ = out_->Write(line_);
  ++rows_;
}

Status QuarantineWriter::Commit() {
  if (!status_) return status_;
  return out_->Commit();
}

}  // namespace tsq
