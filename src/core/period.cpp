#include "core/period.h"

#include <charconv>

#include <fmt/format.h>

namespace tsq {
namespace {

bool ParseInt(std::string_view s, int32_t* out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

CivilDate AddMonths(CivilDate d, int32_t months) {
  int32_t idx = d.year * 12 + (d.month - 1) + months;
  return CivilDate{idx / 12, idx % 12 + 1, 1};
}

Period MakeMonths(PeriodKind kind, std::string label, CivilDate first, int32_t months,
                  int32_t offset) {
  Period p;
  p.kind = kind;
  p.label = std::move(label);
  p.first_day = first;
  p.end_day = AddMonths(first, months);
  p.from = LocalMidnight(p.first_day, offset);
  p.to = LocalMidnight(p.end_day, offset);
  return p;
}

std::string DateString(CivilDate d) {
  return fmt::format("{:04d}-{:02d}-{:02d}", d.year, d.month, d.day);
}

Period MakeCustom(CivilDate first, CivilDate end, int32_t offset) {
  Period p;
  p.kind = PeriodKind::kCustom;
  p.first_day = first;
  p.end_day = end;
  p.from = LocalMidnight(first, offset);
  p.to = LocalMidnight(end, offset);
  const CivilDate last = CivilFromDays(DaysFromCivil(end.year, end.month, end.day) - 1);
  p.label = DateString(first) + ".." + DateString(last);
  return p;
}

int32_t MonthsOf(PeriodKind kind) {
  switch (kind) {
    case PeriodKind::kMonth:
      return 1;
    case PeriodKind::kQuarter:
      return 3;
    case PeriodKind::kHalfYear:
      return 6;
    case PeriodKind::kYear:
      return 12;
    case PeriodKind::kCustom:
      break;
  }
  return 0;
}

Period FromStart(PeriodKind kind, CivilDate first, int32_t offset) {
  std::string label;
  switch (kind) {
    case PeriodKind::kMonth:
      label = fmt::format("{:04d}-{:02d}", first.year, first.month);
      break;
    case PeriodKind::kQuarter:
      label = fmt::format("{}Q{}", first.year, (first.month + 2) / 3);
      break;
    case PeriodKind::kHalfYear:
      label = fmt::format("{}H{}", first.year, first.month <= 6 ? 1 : 2);
      break;
    case PeriodKind::kYear:
      label = fmt::format("{}", first.year);
      break;
    case PeriodKind::kCustom:
      break;
  }
  return MakeMonths(kind, std::move(label), first, MonthsOf(kind), offset);
}

}  // namespace

Result<CivilDate> ParseDate(std::string_view s) {
  int32_t y = 0, m = 0, d = 0;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !ParseInt(s.substr(0, 4), &y) ||
      !ParseInt(s.substr(5, 2), &m) || !ParseInt(s.substr(8, 2), &d) || m < 1 || m > 12 || d < 1 ||
      d > DaysInMonth(y, m)) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("'{}' is not a date; expected YYYY-MM-DD", s));
  }
  return CivilDate{y, m, d};
}

Result<Period> ParsePeriod(std::string_view s, int32_t offset) {
  int32_t year = 0;
  const auto bad = [&] {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("'{}' is not a period; use a month (2022-11), a quarter (2022Q4), a "
                             "half-year (2022H2) or a year (2022)",
                             s));
  };
  if (s.size() < 4 || !ParseInt(s.substr(0, 4), &year) || year < 1970 || year > 2200) return bad();
  if (s.size() == 4) return FromStart(PeriodKind::kYear, {year, 1, 1}, offset);
  const std::string_view rest = s.substr(4);
  int32_t n = 0;
  if (rest.size() == 2 && (rest[0] == 'H' || rest[0] == 'h') && ParseInt(rest.substr(1), &n) &&
      n >= 1 && n <= 2) {
    return FromStart(PeriodKind::kHalfYear, {year, n == 1 ? 1 : 7, 1}, offset);
  }
  if (rest.size() == 2 && (rest[0] == 'Q' || rest[0] == 'q') && ParseInt(rest.substr(1), &n) &&
      n >= 1 && n <= 4) {
    return FromStart(PeriodKind::kQuarter, {year, (n - 1) * 3 + 1, 1}, offset);
  }
  if (rest.size() == 3 && rest[0] == '-' && ParseInt(rest.substr(1), &n) && n >= 1 && n <= 12) {
    return FromStart(PeriodKind::kMonth, {year, n, 1}, offset);
  }
  return bad();
}

Result<Period> CustomPeriod(std::string_view from_date, std::string_view to_date, int32_t offset) {
  auto from = ParseDate(from_date);
  if (!from) return from.error();
  auto to = ParseDate(to_date);
  if (!to) return to.error();
  if (DaysFromCivil(to->year, to->month, to->day) <=
      DaysFromCivil(from->year, from->month, from->day)) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("--to {} must be after --from {}", to_date, from_date));
  }
  return MakeCustom(*from, *to, offset);
}

Period Period::Previous(int32_t offset) const {
  if (kind == PeriodKind::kCustom) {
    const int64_t first = DaysFromCivil(first_day.year, first_day.month, first_day.day);
    const int64_t end = DaysFromCivil(end_day.year, end_day.month, end_day.day);
    return MakeCustom(CivilFromDays(first - (end - first)), first_day, offset);
  }
  return FromStart(kind, AddMonths(first_day, -MonthsOf(kind)), offset);
}

Period Period::YearEarlier(int32_t offset) const {
  if (kind == PeriodKind::kCustom) {
    const auto back = [](CivilDate d) {
      d.year -= 1;
      if (d.month == 2 && d.day == 29) d.day = 28;
      return d;
    };
    return MakeCustom(back(first_day), back(end_day), offset);
  }
  return FromStart(kind, AddMonths(first_day, -12), offset);
}

}  // namespace tsq
