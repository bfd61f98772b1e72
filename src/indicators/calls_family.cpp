// calls: network quality (接通率, 忙时接通率, 掉话率, 拥塞率) from call attempts.
// Base key: operator, region, rat, month; bucket = the month again, so that the roll-up keeps each
// group's months apart. A state counts its calls per hour of its month too: the daily busy hour is
// found from those after the roll-up. (Keying by hour instead made a half-year hundreds of
// thousands of keys, and their merge and roll-up a serial tail of every run.)
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "engine/keyed_family_io.h"
#include "indicators/families.h"

namespace tsq {
namespace {

using enums::CallOutcome;
namespace c = col::calls;

constexpr int kOp = 0, kRegion = 1, kRat = 2, kMonth = 3;

// A group's counts over its calls.
struct CallCounts {
  uint64_t attempts = 0;
  uint64_t connected = 0;
  uint64_t answered = 0;
  uint64_t dropped = 0;
  uint64_t congested = 0;
  uint64_t talk_n = 0;
  int64_t talk_us = 0;  // microseconds: an exact sum, whatever the order of merging

  void Add(const CallCounts& o) {
    attempts += o.attempts;
    connected += o.connected;
    answered += o.answered;
    dropped += o.dropped;
    congested += o.congested;
    talk_n += o.talk_n;
    talk_us += o.talk_us;
  }
};

struct CallState : CallCounts {
  // Attempts and connected calls per hour of the month (index 2h and 2h + 1, h = (day - 1) * 24 +
  // hour), as far as the latest hour with a call. 32 bits: one hour of one group is far below
  // 4 G calls; merging saturates rather than wrap on a crafted state.
  std::vector<uint32_t> hourly;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(attempts, connected, answered, dropped, congested, talk_n, talk_us, hourly);
  }
  void Merge(const CallState& o) {
    Add(o);
    if (hourly.size() < o.hourly.size()) hourly.resize(o.hourly.size());
    for (size_t i = 0; i < o.hourly.size(); ++i) {
      const uint32_t sum = hourly[i] + o.hourly[i];
      hourly[i] = sum < hourly[i] ? UINT32_MAX : sum;
    }
  }
  /// One more call in hour `hour` of the month.
  void CountHour(uint32_t hour, bool is_connected) {
    const size_t i = 2 * static_cast<size_t>(hour);
    if (i >= hourly.size()) {
      if (hourly.empty()) hourly.reserve(2 * 24 * 31);
      hourly.resize(i + 2);
    }
    ++hourly[i];
    hourly[i + 1] += is_connected;
  }
};

/// The totals of a group's states (its months), without their hourly counts.
CallCounts Totals(const std::vector<std::pair<int32_t, CallState>>& months) {
  CallCounts t;
  for (const auto& [month, s] : months) t.Add(s);
  return t;
}

const Layout& CallLayout() {
  static const Layout layout = [] {
    Layout l;
    l.dims = {
        {Dim::kOperator, Coding::kDictId},
        {Dim::kRegion, Coding::kDictId},
        {Dim::kRat, Coding::kEnumCode, SchemaOf(RecordType::kCalls).columns[c::kRat].enum_values},
        {Dim::kMonth, Coding::kMonthKey}};
    l.breakdowns = {{},       {kOp},          {kRegion},   {kRat},
                    {kMonth}, {kOp, kRegion}, {kOp, kRat}, {kOp, kMonth}};
    return l;
  }();
  return layout;
}

class CallFamily final : public KeyedFamily<CallState> {
 public:
  using KeyedFamily::KeyedFamily;
  std::span<const KeyDim> KeyDims() const override { return CallLayout().dims; }

  void Update(const Batch& b, const uint8_t* slots) override {
    const int32_t offset = offset_;
    // Calls come roughly in time order: a day's month is worked out once.
    int64_t month_day = INT64_MIN;
    uint32_t month = 0;
    uint32_t first_hour_of_day = 0;  // of month_day, counted from the month's first hour
    TouchMemo memo;                  // an hour's calls share a few keys
    for (size_t r = 0; r < b.rows; ++r) {
      if (slots[r] == kNoSlot) continue;
      const Micros t = b.Time(c::kStartTime, r);
      BaseKey key;
      key.dims[kOp] = b.Id(c::kOperator, r);
      key.dims[kRegion] = b.Id(c::kRegion, r);
      const uint8_t rat = b.Code(c::kRat, r);
      key.dims[kRat] = rat == kMissingCode ? kMissingId : rat;
      const int64_t day = LocalDay(t, offset);
      if (day != month_day) {
        month_day = day;
        const int32_t month_key = LocalMonthKey(t, offset);
        month = static_cast<uint32_t>(month_key);
        const int64_t first_day = DaysFromCivil(month_key / 12, month_key % 12 + 1, 1);
        first_hour_of_day = static_cast<uint32_t>((day - first_day) * 24);
      }
      key.dims[kMonth] = month;
      key.bucket = static_cast<int32_t>(month);
      key.slot = slots[r];
      CallState& s =
          memo.Touch(this, key, key.dims[kOp] * 97 + key.dims[kRegion] * 5 + key.dims[kRat]);
      ++s.attempts;
      const auto outcome = static_cast<CallOutcome>(b.Code(c::kOutcome, r));
      bool is_connected = false;
      switch (outcome) {
        case CallOutcome::kAnswered: {
          is_connected = true;
          ++s.connected;
          ++s.answered;
          if (b.Flag(c::kDropped, r)) ++s.dropped;
          const double d = b.Number(c::kDurationS, r);
          if (!IsMissing(d)) {
            ++s.talk_n;
            s.talk_us += static_cast<int64_t>(std::llround(d * 1e6));
          }
          break;
        }
        case CallOutcome::kNoAnswer:
        case CallOutcome::kBusy:
        case CallOutcome::kRejected:
          is_connected = true;
          ++s.connected;
          break;
        case CallOutcome::kCongested:
          ++s.congested;
          break;
        case CallOutcome::kNetworkFail:
          break;
      }
      s.CountHour(first_hour_of_day + static_cast<uint32_t>(LocalHour(t, offset)), is_connected);
    }
  }

  void Finalize(const EvalContext& ctx, int slot, std::vector<IndicatorValue>* out) const override {
    for (const auto& g : RollUp(states_, CallLayout(), slot, *ctx.dict)) {
      const CallCounts t = Totals(g.buckets);
      // Daily busy hour: per day of each month, the first hour with the most attempts (a tie goes
      // to the earliest hour; a day without calls adds nothing).
      uint64_t busy_attempts = 0;
      uint64_t busy_connected = 0;
      for (const auto& [month, s] : g.buckets) {
        const std::vector<uint32_t>& h = s.hourly;
        for (size_t day = 0; day < h.size(); day += 48) {
          size_t best = day;
          for (size_t i = day + 2; i < std::min(day + 48, h.size()); i += 2) {
            if (h[i] > h[best]) best = i;
          }
          busy_attempts += h[best];
          if (best + 1 < h.size()) busy_connected += h[best + 1];  // odd only if loaded so
        }
      }
      const Group& grp = g.group;
      PushCount(out, "calls.attempts", grp, t.attempts, t.attempts);
      PushCount(out, "calls.connected", grp, t.connected, t.attempts);
      PushCount(out, "calls.answered", grp, t.answered, t.attempts);
      PushCount(out, "calls.dropped", grp, t.dropped, t.answered);
      PushCount(out, "calls.congested", grp, t.congested, t.attempts);
      PushCount(out, "calls.busy_hour_attempts", grp, busy_attempts, t.attempts);
      PushRate(out, "calls.connect_rate", grp, t.connected, t.attempts);
      PushRate(out, "calls.connect_rate_busy_hour", grp, busy_connected, busy_attempts);
      PushRate(out, "calls.drop_rate", grp, t.dropped, t.answered);
      PushRate(out, "calls.congestion_rate", grp, t.congested, t.attempts);
      PushRate(out, "calls.answer_rate", grp, t.answered, t.attempts);
      PushMean(out, "calls.avg_talk_s", grp, static_cast<double>(t.talk_us) / 1e6, t.talk_n);
    }
  }
};

}  // namespace

FamilySpec CallsFamilySpec(const FamilyConfig& cfg) {
  return {
      "calls",
      RecordType::kCalls,
      {"calls.attempts", "calls.connected", "calls.answered", "calls.dropped", "calls.congested",
       "calls.busy_hour_attempts", "calls.connect_rate", "calls.connect_rate_busy_hour",
       "calls.drop_rate", "calls.congestion_rate", "calls.answer_rate", "calls.avg_talk_s"},
      [offset = cfg.local_offset_s] { return std::make_unique<CallFamily>(offset); },
      {},
      {c::kStartTime, c::kOperator, c::kRegion, c::kRat, c::kOutcome, c::kDurationS, c::kDropped}};
}

}  // namespace tsq
