// Timestamps are int64 microseconds since the Unix epoch (UTC). Records carry local wall-clock
// times (China Standard Time unless configured) or ISO 8601 with an offset; days, hours and months
// used for grouping are local calendar units, so every conversion takes the data set's UTC offset.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tsq {

using Micros = int64_t;

inline constexpr Micros kMicrosPerSecond = 1'000'000;
inline constexpr Micros kMicrosPerHour = 3600 * kMicrosPerSecond;
inline constexpr Micros kMicrosPerDay = 24 * kMicrosPerHour;
/// The offset of China Standard Time, the default local time of a data set.
inline constexpr int32_t kChinaOffsetSeconds = 8 * 3600;

struct CivilDate {
  int32_t year = 1970;
  int32_t month = 1;  // 1..12
  int32_t day = 1;    // 1..31
};

struct CivilTime {
  CivilDate date;
  int32_t hour = 0;
  int32_t minute = 0;
  int32_t second = 0;
  int32_t micros = 0;
};

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
constexpr int64_t DaysFromCivil(int32_t y, int32_t m, int32_t d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate CivilFromDays(int64_t days);

constexpr bool IsLeapYear(int32_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
constexpr int32_t DaysInMonth(int32_t y, int32_t m) {
  constexpr int8_t kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && IsLeapYear(y) ? 29 : kDays[m - 1];
}

/// Parses `YYYY-MM-DD HH:MM:SS[.f]` (local time at `local_offset_s`) or ISO 8601
/// `YYYY-MM-DDTHH:MM:SS[.f][Z|±HH|±HHMM|±HH:MM]`. Fractional digits beyond microseconds are
/// truncated. Returns nullopt for anything else, including impossible dates (2022-02-30).
std::optional<Micros> ParseTimestamp(std::string_view text, int32_t local_offset_s);

/// Parses a UTC offset `Z`, `±HH`, `±HHMM` or `±HH:MM` into seconds.
std::optional<int32_t> ParseUtcOffset(std::string_view text);

/// Local calendar fields of an instant.
CivilTime ToCivil(Micros t, int32_t local_offset_s);

/// Local day number (days since 1970-01-01 in local time); floor division, so negative instants
/// work.
inline int64_t LocalDay(Micros t, int32_t local_offset_s) {
  const Micros local = t + static_cast<Micros>(local_offset_s) * kMicrosPerSecond;
  return local >= 0 ? local / kMicrosPerDay : -((-local + kMicrosPerDay - 1) / kMicrosPerDay);
}

/// Local clock hour 0..23.
inline int32_t LocalHour(Micros t, int32_t local_offset_s) {
  const Micros local = t + static_cast<Micros>(local_offset_s) * kMicrosPerSecond;
  Micros in_day = local % kMicrosPerDay;
  if (in_day < 0) in_day += kMicrosPerDay;
  return static_cast<int32_t>(in_day / kMicrosPerHour);
}

/// Months since year 0 (year * 12 + month - 1) of the local date: a compact month key.
int32_t LocalMonthKey(Micros t, int32_t local_offset_s);
/// "2022-11" for a month key.
std::string MonthKeyToString(int32_t month_key);

/// The instant of local midnight starting the given date.
inline Micros LocalMidnight(CivilDate d, int32_t local_offset_s) {
  return DaysFromCivil(d.year, d.month, d.day) * kMicrosPerDay -
         static_cast<Micros>(local_offset_s) * kMicrosPerSecond;
}

/// ISO 8601 with the offset: "2022-07-01T08:15:03+08:00"; fractional seconds only when present.
std::string FormatTimestamp(Micros t, int32_t local_offset_s);
/// "2022-07-01 08:15:03" in local time (the contract's plain form).
std::string FormatLocal(Micros t, int32_t local_offset_s);
/// A local day number (LocalDay, DaysFromCivil) as "2022-07-01".
std::string FormatDay(int64_t day);

}  // namespace tsq
