// complaints: complaints to the operator (投诉处理及时率, 平均时长, 满意率, 解决率, and the count
// and share per category and per channel). Base key: operator, region, month. Category and channel
// are not key dimensions: each state counts its complaints per category and per channel, so one
// roll-up gives every group both its totals and its splits, and shares are taken of the group's own
// count.
#include <algorithm>
#include <array>
#include <string>

#include "engine/keyed_family_io.h"
#include "indicators/families.h"
#include "indicators/time_limited.h"

namespace tsq {
namespace {

namespace c = col::complaints;

constexpr int kOp = kOrmOperator, kRegion = kOrmRegion, kMonth = kOrmMonth;
constexpr size_t kCategories = static_cast<size_t>(enums::Category::kOther) + 1;
constexpr size_t kChannels = static_cast<size_t>(enums::ComplaintChannel::kOther) + 1;

// The complaint limit when the catalog has none: 15 days (申诉处理办法, 2016).
constexpr double kDefaultMaxHours = 360;

std::span<const std::string_view> CategoryNames() {
  return SchemaOf(RecordType::kComplaints).columns[c::kCategory].enum_values;
}
std::span<const std::string_view> ChannelNames() {
  return SchemaOf(RecordType::kComplaints).columns[c::kChannel].enum_values;
}

struct ComplaintState {
  TimeLimitedCounts t;  // completed = closed
  uint64_t surveyed = 0;
  uint64_t satisfied = 0;
  uint64_t resolved = 0;  // closed and resolved
  uint64_t channel_missing = 0;
  std::array<uint64_t, kCategories> by_category{};
  std::array<uint64_t, kChannels> by_channel{};

  template <class Archive>
  void serialize(Archive& ar) {
    ar(t, surveyed, satisfied, resolved, channel_missing, by_category, by_channel);
  }
  void Merge(const ComplaintState& o) {
    t.Merge(o.t);
    surveyed += o.surveyed;
    satisfied += o.satisfied;
    resolved += o.resolved;
    channel_missing += o.channel_missing;
    for (size_t i = 0; i < kCategories; ++i) by_category[i] += o.by_category[i];
    for (size_t i = 0; i < kChannels; ++i) by_channel[i] += o.by_channel[i];
  }
};

// `g` with one more dimension, kept sorted as groups are.
Group With(const Group& g, Dim dim, std::string_view value) {
  Group out = g;
  out.dims.emplace_back(dim, std::string(value));
  std::sort(out.dims.begin(), out.dims.end());
  return out;
}

class ComplaintFamily final : public KeyedFamily<ComplaintState> {
 public:
  std::span<const KeyDim> KeyDims() const override { return OperatorRegionMonthLayout().dims; }
  explicit ComplaintFamily(const FamilyConfig& cfg)
      : KeyedFamily(cfg.local_offset_s),
        cfg_(cfg),
        limit_(cfg_, "complaints.max_hours", kDefaultMaxHours) {}

  void Update(const Batch& b, const uint8_t* slots) override {
    const int32_t offset = offset_;
    for (size_t r = 0; r < b.rows; ++r) {
      if (slots[r] == kNoSlot) continue;
      const uint32_t op = b.Id(c::kOperator, r);
      const Micros start = b.Time(c::kReceivedAt, r);
      BaseKey key;
      key.dims[kOp] = op;
      key.dims[kRegion] = b.Id(c::kRegion, r);
      key.dims[kMonth] = static_cast<uint32_t>(LocalMonthKey(start, offset));
      key.slot = slots[r];
      ComplaintState& s = Touch(key);
      const Micros limit = LimitMicros(limit_.For(op));
      const Micros end = b.Time(c::kClosedAt, r);
      if (end == kMissingInt) {
        s.t.AddOpen(start, limit);
      } else {
        s.t.AddCompleted(start, end, limit);
        if (b.Flag(c::kResolved, r)) ++s.resolved;
      }
      const uint8_t satisfied = b.Code(c::kSatisfied, r);
      if (satisfied != kMissingCode) {
        ++s.surveyed;
        s.satisfied += satisfied != 0 ? 1 : 0;
      }
      // Required, so never missing; the bound check keeps a bad code from writing elsewhere.
      const uint8_t category = b.Code(c::kCategory, r);
      if (category < kCategories) ++s.by_category[category];
      const uint8_t channel = b.Code(c::kChannel, r);
      if (channel >= kChannels) {
        ++s.channel_missing;  // kMissingCode
      } else {
        ++s.by_channel[channel];
      }
    }
  }

  void Finalize(const EvalContext& ctx, int slot, std::vector<IndicatorValue>* out) const override {
    const Micros as_of = ctx.as_of[slot];
    for (const auto& g : RollUp(states_, OperatorRegionMonthLayout(), slot, *ctx.dict)) {
      const ComplaintState s = g.Total();
      const TimeLimitedCounts& t = s.t;
      const Group& grp = g.group;
      const uint64_t count = t.completed + t.open;
      PushCount(out, "complaints.count", grp, count, count);
      PushCount(out, "complaints.closed", grp, t.completed, count);
      PushCount(out, "complaints.open", grp, t.open, count);
      // Always judged unless a catalog removes the limit (a negative complaints.max_hours).
      if (t.Judged()) {
        const uint64_t open_overdue = t.OpenOverdue(as_of);
        PushCount(out, "complaints.on_time", grp, t.on_time, t.judged_completed);
        PushCount(out, "complaints.open_overdue", grp, open_overdue, t.judged_open);
        PushCount(out, "complaints.overdue", grp, t.Overdue(as_of),
                  t.judged_completed + t.judged_open);
        PushRate(out, "complaints.timely_rate", grp, t.on_time, t.judged_completed + open_overdue);
      }
      PushMean(out, "complaints.avg_hours", grp, t.HoursSum(), t.completed);
      PushCount(out, "complaints.surveyed", grp, s.surveyed, count);
      PushCount(out, "complaints.satisfied", grp, s.satisfied, s.surveyed);
      PushRate(out, "complaints.satisfaction_rate", grp, s.satisfied, s.surveyed);
      PushCount(out, "complaints.resolved", grp, s.resolved, t.completed);
      PushRate(out, "complaints.resolution_rate", grp, s.resolved, t.completed);
      // Per category and per channel: only those present; shares of the group's count.
      for (size_t i = 0; i < kCategories; ++i) {
        if (s.by_category[i] == 0) continue;
        const Group cg = With(grp, Dim::kCategory, CategoryNames()[i]);
        PushCount(out, "complaints.count", cg, s.by_category[i], s.by_category[i]);
        PushRate(out, "complaints.share", cg, s.by_category[i], count);
      }
      for (size_t i = 0; i < kChannels; ++i) {
        if (s.by_channel[i] == 0) continue;
        const Group cg = With(grp, Dim::kChannel, ChannelNames()[i]);
        PushCount(out, "complaints.count", cg, s.by_channel[i], s.by_channel[i]);
        PushRate(out, "complaints.share", cg, s.by_channel[i], count);
      }
      if (s.channel_missing > 0) {
        PushCount(out, "complaints.channel_missing.count", grp, s.channel_missing, count);
      }
    }
  }

 private:
  FamilyConfig cfg_;  // outlives limit_, which points at it
  OperatorParam limit_;
};

}  // namespace

FamilySpec ComplaintsFamilySpec(const FamilyConfig& cfg) {
  return {"complaints",
          RecordType::kComplaints,
          {"complaints.count", "complaints.closed", "complaints.open", "complaints.on_time",
           "complaints.open_overdue", "complaints.overdue", "complaints.avg_hours",
           "complaints.timely_rate", "complaints.surveyed", "complaints.satisfied",
           "complaints.satisfaction_rate", "complaints.resolved", "complaints.resolution_rate",
           "complaints.share", "complaints.channel_missing.count"},
          [cfg] { return std::make_unique<ComplaintFamily>(cfg); }};
}

}  // namespace tsq
