// Fast text formatting for the generator's hot loops: integers, fixed-point decimals and
// timestamps appended to a reused buffer, with no locale and no allocation per value.
#pragma once

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/timestamp.h"

namespace tsq::synth {

inline void AppendUint(std::string* out, uint64_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, r.ptr);
}

inline void AppendInt(std::string* out, int64_t v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, r.ptr);
}

/// `v` zero-padded to `width` digits (v must fit).
inline void AppendPadded(std::string* out, uint64_t v, int width) {
  char buf[24];
  for (int i = width - 1; i >= 0; --i) {
    buf[i] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  out->append(buf, static_cast<size_t>(width));
}

inline constexpr double kPow10[] = {1, 10, 100, 1000, 10000, 100000, 1000000};

/// `v` rounded to `decimals` places (half away from zero), the value a reader parses back.
inline double RoundTo(double v, int decimals) {
  return static_cast<double>(std::llround(v * kPow10[decimals])) / kPow10[decimals];
}

/// `v` with exactly `decimals` fractional digits ("-95.50"); decimals = 0 prints an integer.
inline void AppendFixed(std::string* out, double v, int decimals) {
  int64_t scaled = std::llround(v * kPow10[decimals]);
  if (scaled < 0) {
    out->push_back('-');
    scaled = -scaled;
  }
  const auto unit = static_cast<uint64_t>(kPow10[decimals]);
  AppendUint(out, static_cast<uint64_t>(scaled) / unit);
  if (decimals > 0) {
    out->push_back('.');
    AppendPadded(out, static_cast<uint64_t>(scaled) % unit, decimals);
  }
}

/// Formats instants as the contract's local `YYYY-MM-DD HH:MM:SS` or ISO 8601 with the offset.
/// Caches the date part, since consecutive rows of a chunk share a day.
class TimeFormatter {
 public:
  explicit TimeFormatter(int32_t local_offset_s) : offset_s_(local_offset_s) {
    const int32_t a = local_offset_s < 0 ? -local_offset_s : local_offset_s;
    offset_text_.push_back(local_offset_s < 0 ? '-' : '+');
    AppendPadded(&offset_text_, static_cast<uint64_t>(a / 3600), 2);
    offset_text_.push_back(':');
    AppendPadded(&offset_text_, static_cast<uint64_t>(a % 3600 / 60), 2);
  }

  /// "2022-07-01 08:15:03", with ".123" when `millis` is set.
  void AppendLocal(std::string* out, Micros t, bool millis = false) {
    AppendParts(out, t, ' ', millis);
  }
  /// "2022-07-01T08:15:03+08:00".
  void AppendIso(std::string* out, Micros t) {
    AppendParts(out, t, 'T', false);
    out->append(offset_text_);
  }
  /// "20220701" of the local day of `t` (for ids).
  void AppendCompactDate(std::string* out, Micros t) {
    Update(t);
    out->append(date_, 0, 4);
    out->append(date_, 5, 2);
    out->append(date_, 8, 2);
  }

 private:
  void Update(Micros t) {
    const int64_t day = LocalDay(t, offset_s_);
    if (day == day_) return;
    day_ = day;
    const CivilDate d = CivilFromDays(day);
    date_.clear();
    AppendPadded(&date_, static_cast<uint64_t>(d.year), 4);
    date_.push_back('-');
    AppendPadded(&date_, static_cast<uint64_t>(d.month), 2);
    date_.push_back('-');
    AppendPadded(&date_, static_cast<uint64_t>(d.day), 2);
  }

  void AppendParts(std::string* out, Micros t, char sep, bool millis) {
    Update(t);
    out->append(date_);
    out->push_back(sep);
    const Micros local = t + static_cast<Micros>(offset_s_) * kMicrosPerSecond;
    Micros in_day = local % kMicrosPerDay;
    if (in_day < 0) in_day += kMicrosPerDay;
    const auto secs = static_cast<uint64_t>(in_day / kMicrosPerSecond);
    char buf[12] = {static_cast<char>('0' + secs / 36000),
                    static_cast<char>('0' + secs / 3600 % 10),
                    ':',
                    static_cast<char>('0' + secs % 3600 / 600),
                    static_cast<char>('0' + secs % 3600 / 60 % 10),
                    ':',
                    static_cast<char>('0' + secs % 60 / 10),
                    static_cast<char>('0' + secs % 10)};
    out->append(buf, 8);
    if (millis) {
      out->push_back('.');
      AppendPadded(out, static_cast<uint64_t>(in_day % kMicrosPerSecond / 1000), 3);
    }
  }

  int32_t offset_s_;
  int64_t day_ = INT64_MIN;
  std::string date_;
  std::string offset_text_;
};

}  // namespace tsq::synth
