#include "model/row_binder.h"

#include <charconv>
#include <cmath>

#include "core/timestamp.h"

namespace tsq {
namespace {

inline char Lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; }

bool EqualsLower(std::string_view text, std::string_view lower) {
  if (text.size() != lower.size()) return false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (Lower(text[i]) != lower[i]) return false;
  }
  return true;
}

// Removes the values pushed for columns [0, count) by the checking pass.
void Rollback(const RecordSchema& schema, size_t count, Batch* batch) {
  for (size_t c = 0; c < count; ++c) {
    ColumnData& col = batch->columns[c];
    switch (schema.columns[c].type) {
      case ColumnType::kTimestamp:
      case ColumnType::kInt:
        col.i64.pop_back();
        break;
      case ColumnType::kNumber:
        col.f64.pop_back();
        break;
      case ColumnType::kBool:
      case ColumnType::kEnum:
        col.u8.pop_back();
        break;
      case ColumnType::kDict:
      case ColumnType::kText:
        break;  // appended only once the record is accepted
    }
  }
}

}  // namespace

std::optional<bool> ParseBool(std::string_view t) {
  if (t.size() == 1) {
    switch (t[0]) {
      case '1':
      case 'y':
      case 'Y':
        return true;
      case '0':
      case 'n':
      case 'N':
        return false;
      default:
        return std::nullopt;
    }
  }
  if (EqualsLower(t, "true")) return true;
  if (EqualsLower(t, "false")) return false;
  return std::nullopt;
}

std::optional<double> ParseNumber(std::string_view t) {
  double v = 0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || end != t.data() + t.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

std::optional<int64_t> ParseInt(std::string_view t) {
  int64_t v = 0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || end != t.data() + t.size()) return std::nullopt;
  return v;
}

int EnumCode(std::span<const std::string_view> values, std::string_view text) {
  for (size_t i = 0; i < values.size(); ++i) {
    if (values[i] == text) return static_cast<int>(i);
  }
  return -1;
}

bool RowBinder::Bind(const std::string_view* values, uint64_t line, Batch* batch,
                     DictionaryCache* dict, BindFailure* failure) const {
  const std::span<const ColumnSpec> columns = schema_->columns;
  const size_t n = columns.size();
  // Checking pass, in contract order: fixed-width values go straight into the batch (and are
  // rolled back on failure); text and dictionary values wait for the commit pass, so a rejected
  // record never reaches the dictionary.
  for (size_t c = 0; c < n; ++c) {
    const ColumnSpec& spec = columns[c];
    const std::string_view v = values[c];
    ColumnData& col = batch->columns[c];
    auto fail = [&](BadRowReason reason) {
      failure->reason = reason;
      failure->column = static_cast<int>(c);
      Rollback(*schema_, c, batch);
      return false;
    };
    if (v.empty()) {
      if (spec.required) return fail(BadRowReason::kMissingRequired);
      switch (spec.type) {
        case ColumnType::kTimestamp:
        case ColumnType::kInt:
          col.i64.push_back(kMissingInt);
          break;
        case ColumnType::kNumber:
          col.f64.push_back(std::numeric_limits<double>::quiet_NaN());
          break;
        case ColumnType::kBool:
        case ColumnType::kEnum:
          col.u8.push_back(kMissingCode);
          break;
        case ColumnType::kDict:
        case ColumnType::kText:
          break;
      }
      continue;
    }
    switch (spec.type) {
      case ColumnType::kTimestamp: {
        const std::optional<Micros> t = ParseTimestamp(v, local_offset_s_);
        if (!t) return fail(BadRowReason::kBadTimestamp);
        col.i64.push_back(*t);
        break;
      }
      case ColumnType::kNumber: {
        const std::optional<double> d = ParseNumber(v);
        if (!d) return fail(BadRowReason::kBadNumber);
        col.f64.push_back(*d);
        break;
      }
      case ColumnType::kInt: {
        const std::optional<int64_t> i = ParseInt(v);
        if (!i) return fail(BadRowReason::kBadNumber);
        col.i64.push_back(*i);
        break;
      }
      case ColumnType::kBool: {
        const std::optional<bool> b = ParseBool(v);
        if (!b) return fail(BadRowReason::kBadBool);
        col.u8.push_back(*b ? 1 : 0);
        break;
      }
      case ColumnType::kEnum: {
        const int code = EnumCode(spec.enum_values, v);
        if (code < 0) return fail(BadRowReason::kUnknownEnum);
        col.u8.push_back(static_cast<uint8_t>(code));
        break;
      }
      case ColumnType::kDict:
      case ColumnType::kText:
        break;
    }
  }
  for (const OrderedPair& pair : schema_->ordered_pairs) {
    const int64_t start = batch->columns[pair.start_column].i64.back();
    const int64_t end = batch->columns[pair.end_column].i64.back();
    if (start != kMissingInt && end != kMissingInt && end < start) {
      failure->reason = BadRowReason::kEndBeforeStart;
      failure->column = pair.end_column;
      Rollback(*schema_, n, batch);
      return false;
    }
  }
  for (size_t c = 0; c < n; ++c) {
    const ColumnType type = columns[c].type;
    if (type == ColumnType::kDict) {
      batch->columns[c].ids.push_back(values[c].empty() ? kMissingId : dict->Intern(values[c]));
    } else if (type == ColumnType::kText) {
      batch->columns[c].text.Append(values[c]);
    }
  }
  batch->line.push_back(line);
  ++batch->rows;
  return true;
}

}  // namespace tsq
