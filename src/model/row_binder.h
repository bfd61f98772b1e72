// RowBinder: checks one record's values against its record type's schema in the contract's order
// (data-contract "Details" 4) and appends a good record to a Batch. Read-only after construction:
// workers share one binder, each binding into its own batch.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/timestamp.h"
#include "core/value_forms.h"
#include "model/batch.h"
#include "model/dict_interner.h"
#include "model/read.h"
#include "model/schema.h"

namespace tsq {

/// Why Bind() rejected a record: the reason and the contract column (-1 for none).
struct BindFailure {
  BadRowReason reason = BadRowReason::kMissingRequired;
  int column = -1;
};

/// A worker's private state for binding: its dictionary fronts (one per contract column, used for
/// kDict ones), the dictionary values waiting to be interned, and the last date seen, since rows
/// of an export mostly share their day.
struct BindState {
  BindState(const RecordSchema& schema, StringDictionary* dict)
      : interners(schema.columns.size(), DictInterner(dict)), pending(schema.columns.size()) {}

  /// A kDict value of an accepted row whose id is still to be looked up.
  struct PendingId {
    uint32_t row;
    std::string_view value;
  };

  std::vector<DictInterner> interners;
  /// Values lying inside `stable` (text that outlives the batch's next ResolveIds()) are interned
  /// later, many at a time; others at once.
  std::string_view stable;
  std::vector<std::vector<PendingId>> pending;  // per contract column
  char date[10] = {};                           // "YYYY-MM-DD" of the last valid timestamp
  Micros midnight = 0;                          // its local midnight
  bool has_date = false;
};

class RowBinder {
 public:
  /// `forms[c]`: the form column c's values take (value_forms.h); empty: the contract's for all.
  /// `unkept` (bit c): text and dictionary columns checked but not appended to the batch.
  RowBinder(const RecordSchema& schema, int32_t local_offset_s, std::vector<ValueForm> forms = {},
            uint32_t unkept = 0);

  /// `values[c]`: the trimmed text of contract column c, empty when missing. Checks every column
  /// (required present, value parses, enum known) and then end >= start; on success appends the
  /// record and `line` to `batch` and returns true; kDict ids of values inside `state->stable`
  /// are filled in by ResolveIds(). On failure returns false with the first failure in `failure`
  /// and leaves `batch` (and the dictionary) as they were.
  bool Bind(const std::string_view* values, uint64_t line, Batch* batch, BindState* state,
            BindFailure* failure) const;

  /// Interns the kDict values Bind() left pending into `batch`. Call before the batch is read and
  /// before the text in `state->stable` goes away.
  void ResolveIds(Batch* batch, BindState* state) const;

  /// EnumCode(vocabulary of column c, v) through a table: vocabularies are a few words that their
  /// length and first and last bytes tell apart, so one lookup finds the only candidate.
  /// REQUIRES: !v.empty().
  int Enum(size_t c, std::string_view v) const;

  /// ParseTimestamp(text, local offset), with a fast path for the plain form on a known date.
  std::optional<Micros> Timestamp(std::string_view text, BindState* state) const;

 private:
  static constexpr size_t kMaxColumns = 32;
  // Column indices of one type, in contract order.
  struct Group {
    uint8_t cols[kMaxColumns];
    uint8_t size = 0;
    void Add(size_t c) { cols[size++] = static_cast<uint8_t>(c); }
  };

  // Checks the columns in contract order; reports the first failure exactly. Bind() takes a
  // faster route for rows that pass and comes here only when something fails.
  bool BindOrdered(const std::string_view* values, uint64_t line, Batch* batch, BindState* state,
                   BindFailure* failure) const;
  // Appends the text and dictionary values of a row that passed, and its line.
  void Commit(const std::string_view* values, uint64_t line, Batch* batch, BindState* state) const;
  bool Required(size_t c) const { return (required_ >> c) & 1; }
  static size_t EnumSlot(std::string_view v, uint32_t seed) {
    const uint32_t key = static_cast<uint32_t>(v.size()) << 16 |
                         static_cast<uint32_t>(static_cast<uint8_t>(v.front())) << 8 |
                         static_cast<uint8_t>(v.back());
    return (key * seed) >> 26;  // the top 6 bits: one of 64 slots
  }

  // A column's value in its form (the contract's unless the mapping named another).
  std::optional<Micros> TimestampOf(size_t c, std::string_view v, BindState* state) const;
  std::optional<Micros> MonthOf(size_t c, std::string_view v) const;
  std::optional<double> NumberOf(size_t c, std::string_view v) const;
  std::optional<int64_t> IntOf(size_t c, std::string_view v) const;

  const RecordSchema* schema_;
  int32_t local_offset_s_;
  std::vector<ValueForm> forms_;  // per column; empty: all kContract
  uint32_t required_ = 0;         // bit c: column c is required
  Group timestamps_, months_, numbers_, ints_, bools_, enums_, dicts_, texts_;
  Group kept_dicts_, kept_texts_;  // those of dicts_ and texts_ that Commit() appends
  // Per column, per EnumSlot(): 1 + the code of the one word there, 0 for none, kAmbiguous.
  static constexpr uint8_t kAmbiguous = 0xFF;
  std::vector<std::array<uint8_t, 64>> enum_slots_;
  std::vector<uint32_t> enum_seeds_;  // per column: a multiplier that separates its words
};

/// 1/0, true/false, y/n in any case.
std::optional<bool> ParseBool(std::string_view text);
/// A finite decimal number (std::from_chars syntax: no leading '+', no hex, no inf or nan).
std::optional<double> ParseNumber(std::string_view text);
/// A base-10 64-bit integer.
std::optional<int64_t> ParseInt(std::string_view text);
/// Index of `text` in `values` (case-sensitive), or -1.
int EnumCode(std::span<const std::string_view> values, std::string_view text);

}  // namespace tsq
