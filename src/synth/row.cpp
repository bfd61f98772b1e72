#include "synth/row.h"

#include <algorithm>

#include "io/csv_writer.h"

namespace tsq::synth {
namespace {

void AppendJsonString(std::string* out, std::string_view v) {
  out->push_back('"');
  for (const char c : v) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out->push_back('\\');
      out->push_back(c);
    } else if (c == '\n') {
      out->append("\\n");
    } else if (c == '\r') {
      out->append("\\r");
    } else if (c == '\t') {
      out->append("\\t");
    } else if (u < 0x20) {
      static constexpr char kHex[] = "0123456789abcdef";
      out->append("\\u00");
      out->push_back(kHex[u >> 4]);
      out->push_back(kHex[u & 15]);
    } else {
      // Bytes >= 0x80 pass through: valid UTF-8 stays readable, and a planted invalid byte
      // stays invalid.
      out->push_back(c);
    }
  }
  out->push_back('"');
}

int CountLineBreaks(std::string_view v) {
  return static_cast<int>(std::count(v.begin(), v.end(), '\n'));
}

}  // namespace

FileLayout FileLayout::Make(RecordType type, OutputFormat format) {
  FileLayout layout;
  layout.type = type;
  layout.format = format;
  const RecordSchema& schema = SchemaOf(type);
  layout.contract_columns = static_cast<int>(schema.columns.size());
  for (int i = 0; i < layout.contract_columns; ++i) {
    const ColumnSpec& c = schema.columns[i];
    layout.order.push_back(i);
    layout.names.emplace_back(c.name);
    layout.numeric.push_back(c.type == ColumnType::kNumber || c.type == ColumnType::kInt);
    // Only the porting reject reason is free text written by people; every other column holds
    // ids, codes and numbers that never need quoting.
    layout.free_text.push_back(type == RecordType::kPorting && i == col::porting::kRejectReason);
  }
  return layout;
}

void FileLayout::AddExtraColumn(std::string name) {
  order.push_back(static_cast<int>(names.size()));
  names.push_back(std::move(name));
  numeric.push_back(0);
  free_text.push_back(0);
}

std::string FileLayout::Header() const {
  if (format == OutputFormat::kJsonl) return {};
  std::string h;
  if (bom) h.append("\xEF\xBB\xBF");
  for (size_t i = 0; i < order.size(); ++i) {
    if (i > 0) h.push_back(',');
    h.append(names[order[i]]);
  }
  h.append(crlf ? "\r\n" : "\n");
  return h;
}

int AppendRow(const FileLayout& layout, const RowBuilder& row, const EmitMode& mode,
              std::string* out) {
  int lines = 1;
  const size_t positions = layout.order.size();
  if (layout.format == OutputFormat::kCsv) {
    const size_t written = mode.kind == EmitKind::kDropLastField ? positions - 1 : positions;
    for (size_t p = 0; p < written; ++p) {
      if (p > 0) out->push_back(',');
      const int field = layout.order[p];
      const std::string_view v = row.Get(field);
      if (mode.kind == EmitKind::kRawField && field == mode.field) {
        out->append(v);
      } else if (layout.free_text[field] || row.forced_string(field)) {
        AppendCsvField(out, v);
        lines += CountLineBreaks(v);
      } else {
        out->append(v);
      }
    }
    if (mode.kind == EmitKind::kExtraField) out->append(",1");
    out->append(layout.crlf ? "\r\n" : "\n");
    return lines;
  }

  out->push_back('{');
  bool first = true;
  for (size_t p = 0; p < positions; ++p) {
    const int field = layout.order[p];
    const std::string_view v = row.Get(field);
    if (v.empty() && !layout.json_nulls) continue;
    if (!first) out->push_back(',');
    first = false;
    out->push_back('"');
    out->append(layout.names[field]);
    out->append("\":");
    if (v.empty()) {
      out->append("null");
    } else if (layout.numeric[field] && !row.forced_string(field)) {
      out->append(v);
    } else {
      AppendJsonString(out, v);
    }
  }
  if (mode.kind == EmitKind::kBrokenJson) {
    // Cut the last (ASCII) byte and the closing brace, as a truncated export line would be; the
    // line stays valid UTF-8, so the failure is the JSON itself.
    out->pop_back();
  } else {
    out->push_back('}');
  }
  out->push_back('\n');
  return lines;
}

}  // namespace tsq::synth
