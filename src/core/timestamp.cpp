#include "core/timestamp.h"

#include <fmt/format.h>

namespace tsq {
namespace {

inline bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads exactly `n` digits at `p`; false if any is not a digit.
inline bool ReadDigits(const char* p, int n, int32_t* out) {
  int32_t v = 0;
  for (int i = 0; i < n; ++i) {
    if (!IsDigit(p[i])) return false;
    v = v * 10 + (p[i] - '0');
  }
  *out = v;
  return true;
}

}  // namespace

CivilDate CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t y = yoe + era * 400;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const int64_t m = mp + (mp < 10 ? 3 : -9);
  return CivilDate{static_cast<int32_t>(y + (m <= 2 ? 1 : 0)), static_cast<int32_t>(m),
                   static_cast<int32_t>(d)};
}

std::optional<int32_t> ParseUtcOffset(std::string_view s) {
  if (s == "Z" || s == "z") return 0;
  if (s.size() < 3 || (s[0] != '+' && s[0] != '-')) return std::nullopt;
  const int sign = s[0] == '-' ? -1 : 1;
  int32_t hh = 0;
  int32_t mm = 0;
  if (!ReadDigits(s.data() + 1, 2, &hh)) return std::nullopt;
  if (s.size() == 3) {
    // ±HH
  } else if (s.size() == 5) {
    if (!ReadDigits(s.data() + 3, 2, &mm)) return std::nullopt;
  } else if (s.size() == 6 && s[3] == ':') {
    if (!ReadDigits(s.data() + 4, 2, &mm)) return std::nullopt;
  } else {
    return std::nullopt;
  }
  if (hh > 18 || mm > 59) return std::nullopt;
  return sign * (hh * 3600 + mm * 60);
}

std::optional<Micros> ParseTimestamp(std::string_view s, int32_t local_offset_s) {
  // Shortest valid form is "YYYY-MM-DD HH:MM:SS" (19 characters).
  if (s.size() < 19) return std::nullopt;
  const char* p = s.data();
  int32_t year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (!ReadDigits(p, 4, &year) || p[4] != '-' || !ReadDigits(p + 5, 2, &month) || p[7] != '-' ||
      !ReadDigits(p + 8, 2, &day) || (p[10] != ' ' && p[10] != 'T') ||
      !ReadDigits(p + 11, 2, &hour) || p[13] != ':' || !ReadDigits(p + 14, 2, &minute) ||
      p[16] != ':' || !ReadDigits(p + 17, 2, &second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > DaysInMonth(year, month) || hour > 23 ||
      minute > 59 || second > 59) {
    return std::nullopt;
  }
  size_t pos = 19;
  int32_t micros = 0;
  if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
    ++pos;
    const size_t frac_start = pos;
    int32_t scale = 100000;
    while (pos < s.size() && IsDigit(s[pos])) {
      micros += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == frac_start) return std::nullopt;
  }
  int32_t offset = local_offset_s;
  if (pos < s.size()) {
    auto parsed = ParseUtcOffset(s.substr(pos));
    if (!parsed) return std::nullopt;
    offset = *parsed;
  }
  const int64_t days = DaysFromCivil(year, month, day);
  const int64_t secs = days * 86400 + hour * 3600 + minute * 60 + second - offset;
  return secs * kMicrosPerSecond + micros;
}

CivilTime ToCivil(Micros t, int32_t local_offset_s) {
  const int64_t day = LocalDay(t, local_offset_s);
  const Micros in_day =
      t + static_cast<Micros>(local_offset_s) * kMicrosPerSecond - day * kMicrosPerDay;
  CivilTime c;
  c.date = CivilFromDays(day);
  const int64_t secs = in_day / kMicrosPerSecond;
  c.hour = static_cast<int32_t>(secs / 3600);
  c.minute = static_cast<int32_t>(secs / 60 % 60);
  c.second = static_cast<int32_t>(secs % 60);
  c.micros = static_cast<int32_t>(in_day % kMicrosPerSecond);
  return c;
}

int32_t LocalMonthKey(Micros t, int32_t local_offset_s) {
  const CivilDate d = CivilFromDays(LocalDay(t, local_offset_s));
  return d.year * 12 + d.month - 1;
}

std::string MonthKeyToString(int32_t month_key) {
  return fmt::format("{:04d}-{:02d}", month_key / 12, month_key % 12 + 1);
}

std::string FormatDay(int64_t day) {
  const CivilDate d = CivilFromDays(day);
  return fmt::format("{:04d}-{:02d}-{:02d}", d.year, d.month, d.day);
}

std::string FormatLocal(Micros t, int32_t local_offset_s) {
  const CivilTime c = ToCivil(t, local_offset_s);
  std::string out = fmt::format("{:04d}-{:02d}-{:02d} {:02d}:{:02d}:{:02d}", c.date.year,
                                c.date.month, c.date.day, c.hour, c.minute, c.second);
  if (c.micros != 0) out += fmt::format(".{:06d}", c.micros);
  return out;
}

std::string FormatTimestamp(Micros t, int32_t local_offset_s) {
  std::string out = FormatLocal(t, local_offset_s);
  out[10] = 'T';
  const int32_t abs_off = local_offset_s < 0 ? -local_offset_s : local_offset_s;
  out += fmt::format("{}{:02d}:{:02d}", local_offset_s < 0 ? '-' : '+', abs_off / 3600,
                     abs_off / 60 % 60);
  return out;
}

}  // namespace tsq
