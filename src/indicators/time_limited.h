// The counters of a time-limited service (orders, complaints, porting), shared by their families
// so that "on time", "open overdue" and the duration figures mean the same everywhere
// (docs/indicators.md, "Time-limited items: what the counters count" and detail 8).
//
// The limit is applied per row, because it depends on the row's operator (operators may promise a
// stricter limit) and groups such as "all" or a region mix operators. Completed items are judged
// in Update(). Open items can only be judged at the as-of time, which a family first sees in
// Finalize(), so each open item keeps its deadline (start + its limit); it is overdue when the
// deadline lies before the as-of time (age > limit, exactly, to the microsecond).
#pragma once

#include <cmath>
#include <cstdint>
#include <optional>
#include <vector>

#include "core/timestamp.h"

namespace tsq {

/// A limit of "none": the item is counted and timed but never judged on time or late.
inline constexpr Micros kNoLimit = -1;

/// A limit in hours from the catalog as microseconds; a negative (or NaN) limit means none.
inline Micros LimitMicros(double hours) {
  if (!(hours >= 0)) return kNoLimit;
  return static_cast<Micros>(std::llround(hours * static_cast<double>(kMicrosPerHour)));
}

struct TimeLimitedCounts {
  uint64_t completed = 0;         // items with an end time
  uint64_t open = 0;              // items without one
  uint64_t judged_completed = 0;  // completed items that have a limit
  uint64_t judged_open = 0;       // open items that have a limit (= open_deadlines.size())
  uint64_t on_time = 0;           // completed with duration <= limit
  // Sum of completed durations as whole seconds plus the remaining microseconds: integer sums are
  // exact, so the figures do not depend on how rows were split over workers.
  int64_t duration_s = 0;
  int64_t duration_us = 0;
  Micros max_duration = -1;            // -1 = no completed item
  std::vector<Micros> open_deadlines;  // start + limit of each judged open item

  void AddCompleted(Micros start, Micros end, Micros limit) {
    const Micros d = end - start;  // the reader rejects end < start
    ++completed;
    duration_s += d / kMicrosPerSecond;
    duration_us += d % kMicrosPerSecond;
    if (d > max_duration) max_duration = d;
    if (limit != kNoLimit) {
      ++judged_completed;
      if (d <= limit) ++on_time;
    }
  }

  void AddOpen(Micros start, Micros limit) {
    ++open;
    if (limit != kNoLimit) {
      ++judged_open;
      open_deadlines.push_back(start + limit);
    }
  }

  template <class Archive>
  void serialize(Archive& ar) {
    ar(completed, open, judged_completed, judged_open, on_time, duration_s, duration_us,
       max_duration, open_deadlines);
  }

  void Merge(const TimeLimitedCounts& o) {
    completed += o.completed;
    open += o.open;
    judged_completed += o.judged_completed;
    judged_open += o.judged_open;
    on_time += o.on_time;
    duration_s += o.duration_s;
    duration_us += o.duration_us;
    if (o.max_duration > max_duration) max_duration = o.max_duration;
    open_deadlines.insert(open_deadlines.end(), o.open_deadlines.begin(), o.open_deadlines.end());
  }

  /// Open items older than their limit at `as_of`.
  uint64_t OpenOverdue(Micros as_of) const {
    uint64_t n = 0;
    for (const Micros deadline : open_deadlines) n += deadline < as_of ? 1 : 0;
    return n;
  }
  /// Completed late + open overdue.
  uint64_t Overdue(Micros as_of) const { return judged_completed - on_time + OpenOverdue(as_of); }
  /// Whether any item of the group has a limit (else the timeliness figures do not exist).
  bool Judged() const { return judged_completed + judged_open > 0; }

  /// Sum of completed durations in hours.
  double HoursSum() const {
    return (static_cast<double>(duration_s) +
            static_cast<double>(duration_us) / static_cast<double>(kMicrosPerSecond)) /
           3600.0;
  }
  /// The longest completed duration in hours, if any item completed.
  std::optional<double> MaxHours() const {
    if (max_duration < 0) return std::nullopt;
    return static_cast<double>(max_duration) / static_cast<double>(kMicrosPerHour);
  }
};

}  // namespace tsq
