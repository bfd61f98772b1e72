#include "model/row_binder.h"

#include <algorithm>
#include <cassert>
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

// Removes the values the checking pass pushed for columns [from, to).
void Rollback(const RecordSchema& schema, size_t from, size_t to, Batch* batch) {
  for (size_t c = from; c < to; ++c) {
    ColumnData& col = batch->columns[c];
    switch (schema.columns[c].type) {
      case ColumnType::kTimestamp:
      case ColumnType::kMonth:
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

// Above this many distinct values a column's dictionary lookups are batched (ResolveIds).
constexpr size_t kDeferAbove = 512;

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
    const char* digits = p;
    uint64_t mantissa = 0;
    while (p < end && static_cast<unsigned>(*p - '0') <= 9) mantissa = mantissa * 10 + (*p++ - '0');
    const size_t int_digits = static_cast<size_t>(p - digits);
    size_t frac_digits = 0;
    bool point = false;
    if (p < end && *p == '.') {
      point = true;
      const char* frac = ++p;
      while (p < end && static_cast<unsigned>(*p - '0') <= 9) {
        mantissa = mantissa * 10 + (*p++ - '0');
      }
      frac_digits = static_cast<size_t>(p - frac);
    }
    if (p == end && int_digits > 0 && (!point || frac_digits > 0) &&
        int_digits + frac_digits <= 15) {
      double v = static_cast<double>(mantissa);
      if (frac_digits > 0) v /= kPow10[frac_digits];
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
  for (size_t d = 0; d < dicts_.size; ++d) {
    const size_t c = dicts_.cols[d];
    std::vector<BindState::PendingId>& pending = state->pending[c];
    DictInterner& interner = state->interners[c];
    uint32_t* ids = batch->columns[c].ids.data();
    for (size_t i = 0; i < pending.size(); i += kGroup) {
      const size_t m = std::min(kGroup, pending.size() - i);
      const BindState::PendingId* group = pending.data() + i;
      for (size_t j = 0; j < m; ++j) probes[j] = interner.Prepare(group[j].value);
      for (size_t j = 0; j < m; ++j) ids[group[j].row] = interner.Intern(group[j].value, probes[j]);
    }
    pending.clear();
  }
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

RowBinder::RowBinder(const RecordSchema& schema, int32_t local_offset_s,
                     std::vector<ValueForm> forms, uint32_t unkept)
    : schema_(&schema), local_offset_s_(local_offset_s), forms_(std::move(forms)) {
  assert(schema.columns.size() <= kMaxColumns);
  enum_slots_.resize(schema.columns.size());
  enum_seeds_.resize(schema.columns.size());
  for (size_t c = 0; c < schema.columns.size(); ++c) {
    const ColumnSpec& spec = schema.columns[c];
    // Try multipliers until the vocabulary's words land in distinct slots; should none do (two
    // words alike in length and end bytes), shared slots fall back to the linear search.
    for (uint32_t attempt = 0; attempt < 256; ++attempt) {
      const uint32_t seed = 0x9E3779B1u + 2 * attempt;
      std::array<uint8_t, 64> slots{};
      bool clash = false;
      for (size_t code = 0; code < spec.enum_values.size(); ++code) {
        uint8_t& slot = slots[EnumSlot(spec.enum_values[code], seed)];
        clash = clash || slot != 0;
        slot = slot == 0 ? static_cast<uint8_t>(code + 1) : kAmbiguous;
      }
      if (attempt == 0 || !clash) {
        enum_slots_[c] = slots;
        enum_seeds_[c] = seed;
      }
      if (!clash) break;
    }
    if (spec.required) required_ |= uint32_t{1} << c;
    switch (spec.type) {
      case ColumnType::kTimestamp:
        timestamps_.Add(c);
        break;
      case ColumnType::kMonth:
        months_.Add(c);
        break;
      case ColumnType::kNumber:
        numbers_.Add(c);
        break;
      case ColumnType::kInt:
        ints_.Add(c);
        break;
      case ColumnType::kBool:
        bools_.Add(c);
        break;
      case ColumnType::kEnum:
        enums_.Add(c);
        break;
      case ColumnType::kDict:
        dicts_.Add(c);
        if (!((unkept >> c) & 1)) kept_dicts_.Add(c);
        break;
      case ColumnType::kText:
        texts_.Add(c);
        if (!((unkept >> c) & 1)) kept_texts_.Add(c);
        break;
    }
  }
}

std::optional<Micros> RowBinder::TimestampOf(size_t c, std::string_view v, BindState* state) const {
  if (forms_.empty() || forms_[c] == ValueForm::kContract) return Timestamp(v, state);
  return ParseTimestampForm(v, forms_[c], local_offset_s_);
}

std::optional<Micros> RowBinder::MonthOf(size_t c, std::string_view v) const {
  return ParseMonthForm(v, forms_.empty() ? ValueForm::kContract : forms_[c], local_offset_s_);
}

std::optional<double> RowBinder::NumberOf(size_t c, std::string_view v) const {
  if (forms_.empty() || forms_[c] != ValueForm::kThousands) return ParseNumber(v);
  return ParseGroupedNumber(v);
}

std::optional<int64_t> RowBinder::IntOf(size_t c, std::string_view v) const {
  if (forms_.empty() || forms_[c] != ValueForm::kThousands) return ParseInt(v);
  const std::optional<double> d = ParseGroupedNumber(v);
  if (!d || *d != std::floor(*d) || std::abs(*d) > 9e15) return std::nullopt;
  return static_cast<int64_t>(*d);
}

bool RowBinder::Bind(const std::string_view* values, uint64_t line, Batch* batch, BindState* state,
                     BindFailure* failure) const {
  // Most rows are good, and for a good row the order of the checks does not matter: check the
  // columns a type at a time (tight loops, no dispatch per column). At the first failure, undo
  // and let BindOrdered() find the failure the contract's order reports.
  uint8_t pushed[kMaxColumns];
  size_t npushed = 0;
  auto bail = [&] {
    for (size_t i = 0; i < npushed; ++i) Rollback(*schema_, pushed[i], pushed[i] + 1, batch);
    return BindOrdered(values, line, batch, state, failure);
  };
  // One tight loop per column type: `parse` reads a value, `column` is where it goes.
  const auto bind = [&](const Group& group, auto parse, auto missing, auto column) {
    for (size_t i = 0; i < group.size; ++i) {
      const size_t c = group.cols[i];
      const std::string_view v = values[c];
      auto value = missing;
      if (!v.empty()) {
        const auto parsed = parse(c, v);
        if (!parsed) return false;
        value = *parsed;
      } else if (Required(c)) {
        return false;
      }
      column(c).push_back(value);
      pushed[npushed++] = static_cast<uint8_t>(c);
    }
    return true;
  };
  const auto i64 = [&](size_t c) -> std::vector<int64_t>& { return batch->columns[c].i64; };
  const auto f64 = [&](size_t c) -> std::vector<double>& { return batch->columns[c].f64; };
  const int64_t missing_int = kMissingInt;
  if (!bind(
          timestamps_, [&](size_t c, std::string_view v) { return TimestampOf(c, v, state); },
          missing_int, i64) ||
      !bind(
          months_, [&](size_t c, std::string_view v) { return MonthOf(c, v); }, missing_int, i64) ||
      !bind(
          numbers_, [&](size_t c, std::string_view v) { return NumberOf(c, v); },
          std::numeric_limits<double>::quiet_NaN(), f64) ||
      !bind(
          ints_, [&](size_t c, std::string_view v) { return IntOf(c, v); }, missing_int, i64)) {
    return bail();
  }
  for (size_t i = 0; i < bools_.size; ++i) {
    const size_t c = bools_.cols[i];
    const std::string_view v = values[c];
    uint8_t b = kMissingCode;
    if (!v.empty()) {
      const std::optional<bool> parsed = ParseBool(v);
      if (!parsed) return bail();
      b = *parsed ? 1 : 0;
    } else if (Required(c)) {
      return bail();
    }
    batch->columns[c].u8.push_back(b);
    pushed[npushed++] = static_cast<uint8_t>(c);
  }
  for (size_t i = 0; i < enums_.size; ++i) {
    const size_t c = enums_.cols[i];
    const std::string_view v = values[c];
    uint8_t code = kMissingCode;
    if (!v.empty()) {
      const int parsed = Enum(c, v);
      if (parsed < 0) return bail();
      code = static_cast<uint8_t>(parsed);
    } else if (Required(c)) {
      return bail();
    }
    batch->columns[c].u8.push_back(code);
    pushed[npushed++] = static_cast<uint8_t>(c);
  }
  for (size_t i = 0; i < dicts_.size; ++i) {
    if (values[dicts_.cols[i]].empty() && Required(dicts_.cols[i])) return bail();
  }
  for (size_t i = 0; i < texts_.size; ++i) {
    if (values[texts_.cols[i]].empty() && Required(texts_.cols[i])) return bail();
  }
  for (const OrderedPair& pair : schema_->ordered_pairs) {
    const int64_t start = batch->columns[pair.start_column].i64.back();
    const int64_t end = batch->columns[pair.end_column].i64.back();
    if (start != kMissingInt && end != kMissingInt && end < start) return bail();
  }
  Commit(values, line, batch, state);
  return true;
}

int RowBinder::Enum(size_t c, std::string_view v) const {
  const uint8_t slot = enum_slots_[c][EnumSlot(v, enum_seeds_[c])];
  if (slot == kAmbiguous) return EnumCode(schema_->columns[c].enum_values, v);
  if (slot == 0) return -1;
  const std::string_view word = schema_->columns[c].enum_values[slot - 1];
  if (word.size() != v.size()) return -1;
  for (size_t i = 0; i < v.size(); ++i) {
    if (word[i] != v[i]) return -1;
  }
  return slot - 1;
}

void RowBinder::Commit(const std::string_view* values, uint64_t line, Batch* batch,
                       BindState* state) const {
  const uint32_t row = static_cast<uint32_t>(batch->rows);
  for (size_t i = 0; i < kept_dicts_.size; ++i) {
    const size_t c = kept_dicts_.cols[i];
    const std::string_view v = values[c];
    uint32_t id = kMissingId;
    if (!v.empty()) {
      DictInterner& interner = state->interners[c];
      // Small vocabularies (operators, regions) stay in cache: look them up now. Large ones
      // (cells) wait for ResolveIds(), if their text lasts that long.
      if (interner.size() >= kDeferAbove && v.data() >= state->stable.data() &&
          v.data() + v.size() <= state->stable.data() + state->stable.size()) {
        state->pending[c].push_back({row, v});
      } else {
        id = interner.Intern(v);
      }
    }
    batch->columns[c].ids.push_back(id);
  }
  for (size_t i = 0; i < kept_texts_.size; ++i) {
    batch->columns[kept_texts_.cols[i]].text.Append(values[kept_texts_.cols[i]]);
  }
  batch->line.push_back(line);
  ++batch->rows;
}

bool RowBinder::BindOrdered(const std::string_view* values, uint64_t line, Batch* batch,
                            BindState* state, BindFailure* failure) const {
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
      Rollback(*schema_, 0, c, batch);
      return false;
    };
    if (v.empty()) {
      if (spec.required) return fail(BadRowReason::kMissingRequired);
      switch (spec.type) {
        case ColumnType::kTimestamp:
        case ColumnType::kMonth:
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
        const std::optional<Micros> t = TimestampOf(c, v, state);
        if (!t) return fail(BadRowReason::kBadTimestamp);
        col.i64.push_back(*t);
        break;
      }
      case ColumnType::kMonth: {
        const std::optional<Micros> t = MonthOf(c, v);
        if (!t) return fail(BadRowReason::kBadTimestamp);
        col.i64.push_back(*t);
        break;
      }
      case ColumnType::kNumber: {
        const std::optional<double> d = NumberOf(c, v);
        if (!d) return fail(BadRowReason::kBadNumber);
        col.f64.push_back(*d);
        break;
      }
      case ColumnType::kInt: {
        const std::optional<int64_t> i = IntOf(c, v);
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
      Rollback(*schema_, 0, n, batch);
      return false;
    }
  }
  Commit(values, line, batch, state);
  return true;
}

}  // namespace tsq
