// The other forms timestamps and numbers take in operators' exports and Excel sheets, read when a
// mapping says a column holds them (`--form calls.start_time=slash`). They are opt-in per column:
// a form that is not the contract's is a bad value unless the user said the column holds it.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "core/result.h"
#include "core/timestamp.h"

namespace tsq {

enum class ValueForm : uint8_t {
  kContract,   // the contract's own syntax (data-contract section 2)
  kSlash,      // 2022/7/1 8:05:03, 2022-7-1 8:05, 2022.07.01: unpadded, local time
  kCompact,    // 20220701080503, 202207010805, 20220701: local time
  kExcel,      // an Excel date serial: days since 1899-12-30, the fraction the time of day
  kThousands,  // a number with thousands separators: 1,234,567.5
};

/// "contract", "slash", "compact", "excel", "thousands".
const char* ValueFormName(ValueForm f);
/// Parses a form's name; an error lists them.
Result<ValueForm> ParseValueForm(std::string_view name);
/// Whether `f` is a form of timestamps (else of numbers).
inline bool IsTimeForm(ValueForm f) {
  return f == ValueForm::kSlash || f == ValueForm::kCompact || f == ValueForm::kExcel;
}

/// A timestamp in form `f` (a time form), in local time at `local_offset_s`.
std::optional<Micros> ParseTimestampForm(std::string_view text, ValueForm f,
                                         int32_t local_offset_s);

/// A month (the instant it begins, local time) in form `f`: the contract's `2022-10` (or its first
/// instant, `2022-10-01` or `2022-10-01 00:00:00`, as a workbook's date cell reads); slash
/// `2022/10` or `2022.10`; compact `202210`. A date or timestamp in a time form is read as its
/// month, since exports often date a month by its first or last day.
std::optional<Micros> ParseMonthForm(std::string_view text, ValueForm f, int32_t local_offset_s);

/// "1,234,567.25" with groups of exactly three digits after the first; "-1,000" too.
std::optional<double> ParseGroupedNumber(std::string_view text);

}  // namespace tsq
