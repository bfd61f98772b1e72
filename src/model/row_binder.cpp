#include "model/row_binder.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

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

inline bool TwoDigits(const char* p, int32_t* out) {
  const unsigned hi = static_cast<unsigned>(p[0] - '0');
  const unsigned lo = static_cast<unsigned>(p[1] - '0');
  if (hi > 9 || lo > 9) return false;
  *out = static_cast<int32_t>(hi * 10 + lo);
  return true;
}

constexpr double kPow10[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                             1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

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
  // Fast path: [-]digits[.digits] with at most 15 digits. The mantissa and the power of ten are
  // then exact doubles, so one correctly rounded division gives exactly what from_chars gives.
  {
    const char* p = t.data();
    const char* end = p + t.size();
    const bool negative = p < end && *p == '-';
    p += negative;
    uint64_t mantissa = 0;
    int digits = 0;
    int fraction = -1;  // digits after the point; -1 = no point yet
    for (; p < end; ++p) {
      const unsigned d = static_cast<unsigned>(*p - '0');
      if (d <= 9) {
        mantissa = mantissa * 10 + d;
        ++digits;
        fraction += fraction >= 0;
      } else if (*p == '.' && fraction < 0 && digits > 0) {
        fraction = 0;
      } else {
        break;
      }
    }
    if (p == end && digits > 0 && digits <= 15 && fraction != 0) {
      double v = static_cast<double>(mantissa);
      if (fraction > 0) v /= kPow10[fraction];
      return negative ? -v : v;
    }
  }
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
  // Vocabularies are a few short words: a byte loop beats a call to memcmp per candidate.
  for (size_t i = 0; i < values.size(); ++i) {
    const std::string_view v = values[i];
    if (v.size() != text.size() || v[0] != text[0]) continue;
    size_t k = 1;
    while (k < v.size() && v[k] == text[k]) ++k;
    if (k == v.size()) return static_cast<int>(i);
  }
  return -1;
}

void RowBinder::ResolveIds(Batch* batch, BindState* state) const {
  // Lookups of values from a large vocabulary (cells) miss the cache one after the other; done a
  // group at a time, with every slot of the group prefetched first, the misses overlap.
  constexpr size_t kGroup = 16;
  DictInterner::Probe probes[kGroup];
  const std::vector<BindState::PendingId>& pending = state->pending;
  for (size_t i = 0; i < pending.size(); i += kGroup) {
    const size_t m = std::min(kGroup, pending.size() - i);
    for (size_t j = 0; j < m; ++j) {
      const BindState::PendingId& p = pending[i + j];
      probes[j] = state->interners[p.column].Prepare(p.value);
    }
    for (size_t j = 0; j < m; ++j) {
      const BindState::PendingId& p = pending[i + j];
      batch->columns[p.column].ids[p.row] = state->interners[p.column].Intern(p.value, probes[j]);
    }
  }
  state->pending.clear();
}

std::optional<Micros> RowBinder::Timestamp(std::string_view v, BindState* state) const {
  const char* p = v.data();
  if (v.size() == 19 && state->has_date && std::memcmp(p, state->date, 10) == 0) {
    // Same date as the last valid timestamp: only the clock needs checking. These are exactly
    // ParseTimestamp's checks for a 19-character value.
    int32_t hour = 0;
    int32_t minute = 0;
    int32_t second = 0;
    if ((p[10] == ' ' || p[10] == 'T') && p[13] == ':' && p[16] == ':' &&
        TwoDigits(p + 11, &hour) && TwoDigits(p + 14, &minute) && TwoDigits(p + 17, &second) &&
        hour <= 23 && minute <= 59 && second <= 59) {
      return state->midnight + (hour * 3600 + minute * 60 + second) * kMicrosPerSecond;
    }
    return std::nullopt;
  }
  const std::optional<Micros> t = ParseTimestamp(v, local_offset_s_);
  if (t) {
    // A value that parsed starts with a valid "YYYY-MM-DD".
    CivilDate d;
    int32_t hi = 0;
    int32_t lo = 0;
    TwoDigits(p, &hi);
    TwoDigits(p + 2, &lo);
    d.year = hi * 100 + lo;
    TwoDigits(p + 5, &d.month);
    TwoDigits(p + 8, &d.day);
    std::memcpy(state->date, p, 10);
    state->midnight = LocalMidnight(d, local_offset_s_);
    state->has_date = true;
  }
  return t;
}

bool RowBinder::Bind(const std::string_view* values, uint64_t line, Batch* batch, BindState* state,
                     BindFailure* failure) const {
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
        const std::optional<Micros> t = Timestamp(v, state);
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
  const uint32_t row = static_cast<uint32_t>(batch->rows);
  for (size_t c = 0; c < n; ++c) {
    const ColumnType type = columns[c].type;
    const std::string_view v = values[c];
    if (type == ColumnType::kDict) {
      uint32_t id = kMissingId;
      if (!v.empty()) {
        if (v.data() >= state->stable.data() &&
            v.data() + v.size() <= state->stable.data() + state->stable.size()) {
          state->pending.push_back({row, static_cast<uint32_t>(c), v});
        } else {
          id = state->interners[c].Intern(v);
        }
      }
      batch->columns[c].ids.push_back(id);
    } else if (type == ColumnType::kText) {
      batch->columns[c].text.Append(v);
    }
  }
  batch->line.push_back(line);
  ++batch->rows;
  return true;
}

}  // namespace tsq
