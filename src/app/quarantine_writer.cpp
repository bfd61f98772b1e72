#include "app/quarantine_writer.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <vector>

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

// In memory, a row is framed so that rank 0 can order rows without parsing CSV: the file's name
// (u32 length, bytes), the line (u64), the row as the file has it (u32 length, bytes).
namespace {

struct FramedRow {
  std::string_view file;
  uint64_t line = 0;
  std::string_view csv;
};

template <typename T>
bool Take(std::string_view* in, T* v) {
  if (in->size() < sizeof(T)) return false;
  std::memcpy(v, in->data(), sizeof(T));
  in->remove_prefix(sizeof(T));
  return true;
}

bool TakeText(std::string_view* in, std::string_view* text) {
  uint32_t n = 0;
  if (!Take(in, &n) || in->size() < n) return false;
  *text = in->substr(0, n);
  in->remove_prefix(n);
  return true;
}

}  // namespace

Status QuarantineWriter::WriteFile(const std::string& path, std::string_view rows,
                                   const std::function<size_t(std::string_view file)>& file_order) {
  std::vector<FramedRow> framed;
  while (!rows.empty()) {
    FramedRow r;
    if (!TakeText(&rows, &r.file) || !Take(&rows, &r.line) || !TakeText(&rows, &r.csv)) {
      return Error(ErrorCode::kInternal, "quarantined rows: a cut row from a rank");
    }
    framed.push_back(r);
  }
  std::map<std::string_view, size_t> order;
  for (const FramedRow& r : framed) {
    if (!order.contains(r.file)) order.emplace(r.file, file_order(r.file));
  }
  std::stable_sort(framed.begin(), framed.end(), [&](const FramedRow& a, const FramedRow& b) {
    const size_t x = order[a.file], y = order[b.file];
    return x != y ? x < y : a.line < b.line;
  });
  auto out = OutputFile::Create(path);
  if (!out) return std::move(out).error();
  TSQ_TRY((*out)->Write(kHeader));
  for (const FramedRow& r : framed) TSQ_TRY((*out)->Write(r.csv));
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
    const std::string file = files[row.file_index].name();
    const auto u32 = [&](size_t n) {
      const uint32_t v = static_cast<uint32_t>(n);
      memory_.append(reinterpret_cast<const char*>(&v), sizeof(v));
    };
    u32(file.size());
    memory_ += file;
    const uint64_t line = row.line;
    memory_.append(reinterpret_cast<const char*>(&line), sizeof(line));
    u32(line_.size());
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
