// One output row at a time: a RowBuilder collects a record's field texts (in contract column
// order, plus any extra columns a file carries), and AppendRow() writes it as CSV or JSON Lines
// in the file's own column order. Malformed rows for `--bad` are made here too, by an EmitMode
// that breaks the row at the text level (quoting, field count, JSON syntax).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/schema.h"

namespace tsq::synth {

enum class OutputFormat : uint8_t { kCsv, kJsonl };

/// How one output file lays out its record type.
struct FileLayout {
  RecordType type = RecordType::kCalls;
  OutputFormat format = OutputFormat::kCsv;
  int contract_columns = 0;
  /// File position -> field index: < contract_columns is a contract column, above an extra one.
  std::vector<int> order;
  std::vector<std::string> names;  // per field index (contract names, then extra names)
  std::vector<uint8_t> numeric;    // per field index: JSON number when well-formed
  std::vector<uint8_t> free_text;  // per field index: may hold commas, quotes or line breaks
  bool crlf = false;               // CSV line ends (an Excel-style export)
  bool bom = false;                // UTF-8 BOM before the CSV header
  bool json_nulls = false;         // JSON: missing values as null instead of absent keys

  /// Contract order, no extra columns.
  static FileLayout Make(RecordType type, OutputFormat format);
  /// Adds an unknown column (readers ignore it) at the end of the file's columns.
  void AddExtraColumn(std::string name);
  int field_count() const { return static_cast<int>(names.size()); }
  /// The header line with its line end (and BOM); empty for JSON Lines.
  std::string Header() const;
};

/// Field texts of one row. Each field is a slice of one reused buffer.
class RowBuilder {
 public:
  explicit RowBuilder(int fields) : begin_(fields), end_(fields), force_string_(fields) {}

  void Clear() {
    buf_.clear();
    std::fill(begin_.begin(), begin_.end(), 0u);
    std::fill(end_.begin(), end_.end(), 0u);
    std::fill(force_string_.begin(), force_string_.end(), uint8_t{0});
  }
  /// Starts field `field`: append its text to the returned buffer, then call End().
  std::string* Begin(int field) {
    current_ = field;
    begin_[field] = static_cast<uint32_t>(buf_.size());
    return &buf_;
  }
  void End() { end_[current_] = static_cast<uint32_t>(buf_.size()); }
  void Set(int field, std::string_view v) {
    Begin(field)->append(v);
    End();
  }
  void SetEmpty(int field) { begin_[field] = end_[field] = 0; }
  /// JSON: write this field as a string even in a numeric column (a malformed number).
  void ForceString(int field) { force_string_[field] = 1; }

  std::string_view Get(int field) const {
    return std::string_view(buf_).substr(begin_[field], end_[field] - begin_[field]);
  }
  bool forced_string(int field) const { return force_string_[field] != 0; }
  int fields() const { return static_cast<int>(begin_.size()); }

 private:
  std::string buf_;
  std::vector<uint32_t> begin_;
  std::vector<uint32_t> end_;
  std::vector<uint8_t> force_string_;
  int current_ = 0;
};

/// How AppendRow() writes a row: normally, or broken on purpose.
enum class EmitKind : uint8_t {
  kNormal,
  kRawField,       // `field` verbatim, never quoted: for a stray quote (CSV)
  kDropLastField,  // one field fewer than the header (CSV)
  kExtraField,     // one field more than the header (CSV)
  kBrokenJson,     // an object cut short (JSON Lines)
};
struct EmitMode {
  EmitKind kind = EmitKind::kNormal;
  int field = -1;
};

/// Appends `row` to `out` with its line end. Returns the number of physical lines it took
/// (more than 1 when a quoted field holds line breaks).
int AppendRow(const FileLayout& layout, const RowBuilder& row, const EmitMode& mode,
              std::string* out);

}  // namespace tsq::synth
