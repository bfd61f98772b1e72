#include "app/quarantine_writer.h"

#include <fmt/format.h>

#include "io/csv_writer.h"

namespace tsq {
namespace {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if the bytes there are not UTF-8.
size_t Utf8SequenceLength(std::string_view s, size_t i) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  size_t len = 0;
  if (c >= 0xC2 && c <= 0xDF)
    len = 2;
  else if (c >= 0xE0 && c <= 0xEF)
    len = 3;
  else if (c >= 0xF0 && c <= 0xF4)
    len = 4;
  if (len == 0 || i + len > s.size()) return 0;
  for (size_t k = 1; k < len; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
  }
  // Overlong forms, surrogates and code points past U+10FFFF.
  if (c == 0xE0 && b(i + 1) < 0xA0) return 0;
  if (c == 0xED && b(i + 1) > 0x9F) return 0;
  if (c == 0xF0 && b(i + 1) < 0x90) return 0;
  if (c == 0xF4 && b(i + 1) > 0x8F) return 0;
  return len;
}

}  // namespace

std::string EscapeInvalidUtf8(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (size_t i = 0; i < raw.size();) {
    const size_t len = Utf8SequenceLength(raw, i);
    if (len == 0) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(raw[i]));
      ++i;
    } else {
      out.append(raw.substr(i, len));
      i += len;
    }
  }
  return out;
}

namespace {
constexpr std::string_view kHeader = "file,line,column,reason,raw\n";
}  // namespace

Result<std::unique_ptr<QuarantineWriter>> QuarantineWriter::Open(const std::string& path) {
  auto out = OutputFile::Create(path);
  if (!out) return std::move(out).error();
  std::unique_ptr<QuarantineWriter> w(new QuarantineWriter(std::move(*out)));
  w->status_ = w->out_->Write(kHeader);
  return w;
}

std::unique_ptr<QuarantineWriter> QuarantineWriter::InMemory() {
  return std::unique_ptr<QuarantineWriter>(new QuarantineWriter(nullptr));
}

Status QuarantineWriter::WriteFile(const std::string& path, std::string_view rows) {
  auto out = OutputFile::Create(path);
  if (!out) return std::move(out).error();
  TSQ_TRY((*out)->Write(kHeader));
  TSQ_TRY((*out)->Write(rows));
  return (*out)->Commit();
}

void QuarantineWriter::Add(const std::vector<InputFile>& files, const BadRow& row) {
  if (!status_) return;
  line_.clear();
  AppendCsvField(&line_, files[row.file_index].name());
  fmt::format_to(std::back_inserter(line_), ",{},", row.line);
  AppendCsvField(&line_, row.column);
  line_ += ',';
  line_ += BadRowReasonName(row.reason);
  line_ += ',';
  AppendCsvField(&line_, EscapeInvalidUtf8(row.raw));
  line_ += '\n';
  if (out_ == nullptr) {
    memory_ += line_;
  } else {
    status_ = out_->Write(line_);
  }
  ++rows_;
}

Status QuarantineWriter::Commit() {
  if (!status_) return status_;
  if (out_ == nullptr) return Ok();
  return out_->Commit();
}

}  // namespace tsq
