// calls: network quality (接通率, 忙时接通率, 掉话率, 拥塞率) from call attempts.
// Base key: operator, region, rat, month; bucket = local hour number, kept so that each group's
// daily busy hour can be found after the roll-up.
#include <cmath>
#include <cstdint>

#include "engine/keyed_family_io.h"
#include "indicators/families.h"

namespace tsq {
namespace {

using enums::CallOutcome;
namespace c = col::calls;

constexpr int kOp = 0, kRegion = 1, kRat = 2, kMonth = 3;

struct CallState {
  uint64_t attempts = 0;
  uint64_t connected = 0;
  uint64_t answered = 0;
  uint64_t dropped = 0;
  uint64_t congested = 0;
  uint64_t talk_n = 0;
  int64_t talk_us = 0;  // microseconds: an exact sum, whatever the order of merging

  template <class Archive>
  void serialize(Archive& ar) {
    ar(attempts, connected, answered, dropped, congested, talk_n, talk_us);
  }
  void Merge(const CallState& o) {
    attempts += o.attempts;
    connected += o.connected;
    answered += o.answered;
    dropped += o.dropped;
    congested += o.congested;
    talk_n += o.talk_n;
    talk_us += o.talk_us;
  }
};

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
    TouchMemo memo;  // an hour's calls share a few keys
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
        month = static_cast<uint32_t>(LocalMonthKey(t, offset));
      }
      key.dims[kMonth] = month;
      key.bucket = static_cast<int32_t>(day * 24 + LocalHour(t, offset));
      key.slot = slots[r];
      CallState& s =
          memo.Touch(this, key, key.dims[kOp] * 97 + key.dims[kRegion] * 5 + key.dims[kRat]);
      ++s.attempts;
      const auto outcome = static_cast<CallOutcome>(b.Code(c::kOutcome, r));
      switch (outcome) {
        case CallOutcome::kAnswered: {
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
          ++s.connected;
          break;
        case CallOutcome::kCongested:
          ++s.congested;
          break;
        case CallOutcome::kNetworkFail:
          break;
      }
    }
  }

  void Finalize(const EvalContext& ctx, int slot, std::vector<IndicatorValue>* out) const override {
    for (const auto& g : RollUp(states_, CallLayout(), slot, *ctx.dict)) {
      const CallState t = g.Total();
      // Daily busy hour: buckets are sorted hour numbers; per day keep the first hour with the
      // most attempts (a tie goes to the earliest hour).
      uint64_t busy_attempts = 0;
      uint64_t busy_connected = 0;
      for (size_t i = 0; i < g.buckets.size();) {
        const int32_t day = FloorDiv(g.buckets[i].first, 24);
        const CallState* best = &g.buckets[i].second;
        size_t j = i + 1;
        for (; j < g.buckets.size() && FloorDiv(g.buckets[j].first, 24) == day; ++j) {
          if (g.buckets[j].second.attempts > best->attempts) best = &g.buckets[j].second;
        }
        busy_attempts += best->attempts;
        busy_connected += best->connected;
        i = j;
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
