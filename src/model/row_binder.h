// RowBinder: checks one record's values against its record type's schema in the contract's order
// (data-contract "Details" 4) and appends a good record to a Batch. Read-only after construction:
// workers share one binder, each binding into its own batch.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "core/string_dictionary.h"
#include "model/batch.h"
#include "model/read.h"
#include "model/schema.h"

namespace tsq {

/// Why Bind() rejected a record: the reason and the contract column (-1 for none).
struct BindFailure {
  BadRowReason reason = BadRowReason::kMissingRequired;
  int column = -1;
};

class RowBinder {
 public:
  RowBinder(const RecordSchema& schema, int32_t local_offset_s)
      : schema_(&schema), local_offset_s_(local_offset_s) {}

  /// `values[c]`: the trimmed text of contract column c, empty when missing. Checks every column
  /// (required present, value parses, enum known) and then end >= start; on success appends the
  /// record and `line` to `batch` (kDict values interned through `dict`) and returns true. On
  /// failure returns false with the first failure in `failure` and leaves `batch` as it was.
  bool Bind(const std::string_view* values, uint64_t line, Batch* batch, DictionaryCache* dict,
            BindFailure* failure) const;

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
