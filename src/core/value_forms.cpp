#include "core/value_forms.h"

#include <charconv>
#include <cmath>
#include <string>

#include <fmt/format.h>

namespace tsq {
namespace {

// Reads 1..max_digits digits at *p; false when there are none or more than max_digits.
bool Digits(std::string_view s, size_t* p, int max_digits, int32_t* out) {
  int n = 0;
  int32_t v = 0;
  while (*p < s.size() && s[*p] >= '0' && s[*p] <= '9') {
    if (++n > max_digits) return false;
    v = v * 10 + (s[*p] - '0');
    ++*p;
  }
  *out = v;
  return n > 0;
}

std::optional<Micros> Compose(int32_t y, int32_t mo, int32_t d, int32_t h, int32_t mi, int32_t s,
                              int32_t offset) {
  if (y < 1900 || y > 2200 || mo < 1 || mo > 12 || d < 1 || d > DaysInMonth(y, mo) || h > 23 ||
      mi > 59 || s > 59) {
    return std::nullopt;
  }
  const int64_t seconds = DaysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - offset;
  return seconds * kMicrosPerSecond;
}

std::optional<Micros> ParseSlash(std::string_view t, int32_t offset) {
  size_t p = 0;
  int32_t y, mo, d, h = 0, mi = 0, s = 0;
  if (!Digits(t, &p, 4, &y) || p != 4 || p >= t.size()) return std::nullopt;
  const char sep = t[p];
  if (sep != '/' && sep != '-' && sep != '.') return std::nullopt;
  ++p;
  if (!Digits(t, &p, 2, &mo) || p >= t.size() || t[p] != sep) return std::nullopt;
  ++p;
  if (!Digits(t, &p, 2, &d)) return std::nullopt;
  if (p < t.size()) {
    if (t[p] != ' ') return std::nullopt;
    while (p < t.size() && t[p] == ' ') ++p;
    if (!Digits(t, &p, 2, &h) || p >= t.size() || t[p] != ':') return std::nullopt;
    ++p;
    size_t start = p;
    if (!Digits(t, &p, 2, &mi) || p - start != 2) return std::nullopt;
    if (p < t.size()) {
      if (t[p] != ':') return std::nullopt;
      ++p;
      start = p;
      if (!Digits(t, &p, 2, &s) || p - start != 2 || p != t.size()) return std::nullopt;
    }
  }
  return Compose(y, mo, d, h, mi, s, offset);
}

std::optional<Micros> ParseCompact(std::string_view t, int32_t offset) {
  if (t.size() != 8 && t.size() != 12 && t.size() != 14) return std::nullopt;
  for (char c : t) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  const auto num = [&](size_t at, size_t n) {
    int32_t v = 0;
    for (size_t i = at; i < at + n; ++i) v = v * 10 + (t[i] - '0');
    return v;
  };
  return Compose(num(0, 4), num(4, 2), num(6, 2), t.size() > 8 ? num(8, 2) : 0,
                 t.size() > 8 ? num(10, 2) : 0, t.size() > 12 ? num(12, 2) : 0, offset);
}

std::optional<Micros> ParseExcel(std::string_view t, int32_t offset) {
  double serial = 0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), serial);
  if (ec != std::errc() || end != t.data() + t.size() || !std::isfinite(serial))
    return std::nullopt;
  // Serial 1 is 1900-01-01 (Excel counts a 29 February 1900 that never was, so the epoch of
  // every serial after it is 1899-12-30); tsq reads dates after 1900-03-01 only.
  if (serial < 61 || serial > 109574) return std::nullopt;  // up to 2199-12-31
  // Excel keeps times as fractions of a day: round to the second it shows.
  const auto seconds = static_cast<int64_t>(std::llround(serial * 86400.0));
  const int64_t epoch = DaysFromCivil(1899, 12, 30) * 86400;
  return (epoch + seconds - offset) * kMicrosPerSecond;
}

// `YYYY<sep>M[M]` exactly.
std::optional<Micros> YearMonth(std::string_view t, std::string_view separators, int32_t offset) {
  size_t p = 0;
  int32_t y = 0, mo = 0;
  if (!Digits(t, &p, 4, &y) || p != 4 || p >= t.size()) return std::nullopt;
  if (separators.find(t[p]) == std::string_view::npos) return std::nullopt;
  ++p;
  const size_t start = p;
  if (!Digits(t, &p, 2, &mo) || p != t.size()) return std::nullopt;
  if (separators == "-" && p - start != 2) return std::nullopt;  // the contract pads: 2022-07
  return Compose(y, mo, 1, 0, 0, 0, offset);
}

}  // namespace

std::optional<Micros> ParseMonthForm(std::string_view text, ValueForm f, int32_t local_offset_s) {
  std::optional<Micros> t;
  switch (f) {
    case ValueForm::kSlash:
      t = YearMonth(text, "/.-", local_offset_s);
      break;
    case ValueForm::kCompact:
      if (text.size() == 6) t = ParseCompact(fmt::format("{}01", text), local_offset_s);
      break;
    case ValueForm::kExcel:
      break;
    default: {
      if (std::optional<Micros> month = YearMonth(text, "-", local_offset_s)) return month;
      // The month's first instant, as a workbook's date cell of the month reads: unambiguous.
      const std::optional<Micros> first =
          text.size() == 10 ? ParseTimestamp(fmt::format("{} 00:00:00", text), local_offset_s)
                            : ParseTimestamp(text, local_offset_s);
      if (!first) return std::nullopt;
      const CivilTime c = ToCivil(*first, local_offset_s);
      const bool month_start =
          c.date.day == 1 && c.hour == 0 && c.minute == 0 && c.second == 0 && c.micros == 0;
      return month_start ? first : std::nullopt;
    }
  }
  if (!t) t = ParseTimestampForm(text, f, local_offset_s);
  if (!t) return std::nullopt;
  const CivilTime c = ToCivil(*t, local_offset_s);
  return Compose(c.date.year, c.date.month, 1, 0, 0, 0, local_offset_s);
}

const char* ValueFormName(ValueForm f) {
  switch (f) {
    case ValueForm::kContract:
      return "contract";
    case ValueForm::kSlash:
      return "slash";
    case ValueForm::kCompact:
      return "compact";
    case ValueForm::kExcel:
      return "excel";
    case ValueForm::kThousands:
      return "thousands";
  }
  return "?";
}

Result<ValueForm> ParseValueForm(std::string_view name) {
  for (ValueForm f : {ValueForm::kContract, ValueForm::kSlash, ValueForm::kCompact,
                      ValueForm::kExcel, ValueForm::kThousands}) {
    if (name == ValueFormName(f)) return f;
  }
  return Error(ErrorCode::kInvalidArgument,
               fmt::format("'{}' is no form: one of slash (2022/7/1 8:05:03), compact "
                           "(20220701080503), excel (44743.3368), thousands (1,234.5), contract",
                           name));
}

std::optional<Micros> ParseTimestampForm(std::string_view text, ValueForm f,
                                         int32_t local_offset_s) {
  switch (f) {
    case ValueForm::kSlash:
      return ParseSlash(text, local_offset_s);
    case ValueForm::kCompact:
      return ParseCompact(text, local_offset_s);
    case ValueForm::kExcel:
      return ParseExcel(text, local_offset_s);
    default:
      return ParseTimestamp(text, local_offset_s);
  }
}

std::optional<double> ParseGroupedNumber(std::string_view text) {
  std::string plain;
  size_t i = 0;
  if (i < text.size() && text[i] == '-') plain += text[i++];
  const size_t int_start = i;
  size_t group = 0;  // digits since the last separator
  bool separated = false;
  for (; i < text.size() && text[i] != '.'; ++i) {
    const char c = text[i];
    if (c == ',') {
      // The first group has 1-3 digits, every later one exactly 3.
      if (group == 0 || (separated ? group != 3 : group > 3)) return std::nullopt;
      separated = true;
      group = 0;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    plain += c;
    ++group;
  }
  if (i == int_start || (separated && group != 3)) return std::nullopt;
  plain += text.substr(i);
  double v = 0;
  const auto [end, ec] = std::from_chars(plain.data(), plain.data() + plain.size(), v);
  if (ec != std::errc() || end != plain.data() + plain.size() || !std::isfinite(v)) {
    return std::nullopt;
  }
  return v;
}

}  // namespace tsq
