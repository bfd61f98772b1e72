// RowBinder: checks one record's values against its record type's schema in the contract's order
// (data-contract "Details" 4) and appends a good record to a Batch. Read-only after construction:
// workers share one binder, each binding into its own batch.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/timestamp.h"
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
      : interners(schema.columns.size(), DictInterner(dict)) {}

  /// A kDict value of an accepted row whose id is still to be looked up.
  struct PendingId {
    uint32_t row;
    uint32_t column;
    std::string_view value;
  };

  std::vector<DictInterner> interners;
  /// Values lying inside `stable` (text that outlives the batch's next ResolveIds()) are interned
  /// later, many at a time; others at once.
  std::string_view stable;
  std::vector<PendingId> pending;
  char date[10] = {};   // "YYYY-MM-DD" of the last valid timestamp
  Micros midnight = 0;  // its local midnight
  bool has_date = false;
};

class RowBinder {
 public:
  RowBinder(const RecordSchema& schema, int32_t local_offset_s)
      : schema_(&schema), local_offset_s_(local_offset_s) {}

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

  /// ParseTimestamp(text, local offset), with a fast path for the plain form on a known date.
  std::optional<Micros> Timestamp(std::string_view text, BindState* state) const;

 private:
  const RecordSchema* schema_;
  int32_t local_offset_s_;
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
