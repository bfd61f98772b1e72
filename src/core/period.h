// Period: the half-open local-time range [from, to) a report covers, named the way users write it:
// a month "2022-11", a quarter "2022Q4", a half-year "2022H2", a year "2022", or a custom range.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "core/timestamp.h"

namespace tsq {

enum class PeriodKind { kMonth, kQuarter, kHalfYear, kYear, kCustom };

struct Period {
  PeriodKind kind = PeriodKind::kCustom;
  std::string label;  // "2022H2"; for custom ranges "2022-07-01..2022-12-31"
  Micros from = 0;    // inclusive
  Micros to = 0;      // exclusive
  CivilDate first_day;
  CivilDate end_day;  // the day after the last day (exclusive)

  /// The preceding period of the same length (2022H2 -> 2022H1; custom: the same number of days).
  Period Previous(int32_t local_offset_s) const;
  /// The same period one year earlier (2022H2 -> 2021H2).
  Period YearEarlier(int32_t local_offset_s) const;
  bool Contains(Micros t) const { return t >= from && t < to; }
};

/// Parses "2022-11", "2022Q4", "2022H2" or "2022" in the data set's local time.
Result<Period> ParsePeriod(std::string_view text, int32_t local_offset_s);
/// A custom period from two dates "YYYY-MM-DD": [from 00:00, to 00:00) — `to` is exclusive.
Result<Period> CustomPeriod(std::string_view from_date, std::string_view to_date,
                            int32_t local_offset_s);
/// Parses "YYYY-MM-DD".
Result<CivilDate> ParseDate(std::string_view text);

}  // namespace tsq
