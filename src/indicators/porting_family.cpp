// porting: number portability (携号转网) requests, their completion and timeliness, and the
// rejections per reason.
// Base key: from_operator, month, reject_reason. The reason is keyed only on rejected requests,
// so the reason breakdowns hold rejections alone; every other breakdown rolls the reason away. A
// rejection without a reason is keyed under the blank reason (""), so the reason groups add up
// to porting.rejected.
//
// The status decides what a request is (docs/indicators.md, "Time-limited items: what the counters
// count"): `pending` is open and ages at the as-of time; `completed` requests are timed when they
// carry completed_at; rejected and cancelled requests are outside the timeliness rate and the
// average.
#include <string>

#include "engine/keyed_family_io.h"
#include "indicators/families.h"
#include "indicators/time_limited.h"

namespace tsq {
namespace {

using enums::PortingStatus;
namespace c = col::porting;

constexpr int kFrom = 0, kMonth = 1, kReason = 2;

// The porting limit when the catalog has none (project default).
constexpr double kDefaultMaxHours = 24;

struct PortingState {
  uint64_t requests = 0;
  uint64_t completed = 0;  // status completed, with or without completed_at
  uint64_t rejected = 0;
  uint64_t cancelled = 0;
  uint64_t pending = 0;
  uint64_t limited = 0;  // requests whose from_operator has a limit at all
  TimeLimitedCounts t;   // completed = completed requests with completed_at; open = pending

  template <class Archive>
  void serialize(Archive& ar) {
    ar(requests, completed, rejected, cancelled, pending, limited, t);
  }
  void Merge(const PortingState& o) {
    requests += o.requests;
    completed += o.completed;
    rejected += o.rejected;
    cancelled += o.cancelled;
    pending += o.pending;
    limited += o.limited;
    t.Merge(o.t);
  }
};

const Layout& PortingLayout() {
  static const Layout layout = [] {
    Layout l;
    l.dims = {{Dim::kFromOperator, Coding::kDictId},
              {Dim::kMonth, Coding::kMonthKey},
              {Dim::kRejectReason, Coding::kDictId}};
    l.breakdowns = {{}, {kFrom}, {kMonth}, {kFrom, kMonth}, {kReason}, {kFrom, kReason}};
    return l;
  }();
  return layout;
}

class PortingFamily final : public KeyedFamily<PortingState> {
 public:
  std::span<const KeyDim> KeyDims() const override { return PortingLayout().dims; }
  explicit PortingFamily(const FamilyConfig& cfg)
      : KeyedFamily(cfg.local_offset_s),
        cfg_(cfg),
        limit_(cfg_, "porting.max_hours", kDefaultMaxHours) {}

  void Update(const Batch& b, const uint8_t* slots) override {
    const int32_t offset = offset_;
    for (size_t r = 0; r < b.rows; ++r) {
      if (slots[r] == kNoSlot) continue;
      const uint32_t from = b.Id(c::kFromOperator, r);
      const Micros start = b.Time(c::kRequestedAt, r);
      const auto status = static_cast<PortingStatus>(b.Code(c::kStatus, r));
      BaseKey key;
      key.dims[kFrom] = from;
      key.dims[kMonth] = static_cast<uint32_t>(LocalMonthKey(start, offset));
      key.dims[kReason] = kMissingId;
      if (status == PortingStatus::kRejected) {
        const uint32_t reason = b.Id(c::kRejectReason, r);
        key.dims[kReason] = reason == kMissingId ? kBlankCode : reason;
      }
      key.slot = slots[r];
      PortingState& s = Touch(key);
      ++s.requests;
      const Micros limit = LimitMicros(limit_.For(from));
      s.limited += limit != kNoLimit ? 1 : 0;
      switch (status) {
        case PortingStatus::kCompleted: {
          ++s.completed;
          const Micros end = b.Time(c::kCompletedAt, r);
          if (end != kMissingInt) s.t.AddCompleted(start, end, limit);
          break;
        }
        case PortingStatus::kPending:
          ++s.pending;
          s.t.AddOpen(start, limit);
          break;
        case PortingStatus::kRejected:
          ++s.rejected;
          break;
        case PortingStatus::kCancelled:
          ++s.cancelled;
          break;
      }
    }
  }

  void Finalize(const EvalContext& ctx, int slot, std::vector<IndicatorValue>* out) const override {
    const Micros as_of = ctx.as_of[slot];
    for (const auto& g : RollUp(states_, PortingLayout(), slot, *ctx.dict)) {
      const PortingState s = g.Total();
      const Group& grp = g.group;
      if (grp.Find(Dim::kRejectReason) != nullptr) {
        PushCount(out, "porting.rejected_by_reason", grp, s.rejected, s.rejected);
        continue;
      }
      const TimeLimitedCounts& t = s.t;
      PushCount(out, "porting.requests", grp, s.requests, s.requests);
      PushCount(out, "porting.completed", grp, s.completed, s.requests);
      PushCount(out, "porting.rejected", grp, s.rejected, s.requests);
      PushCount(out, "porting.cancelled", grp, s.cancelled, s.requests);
      PushCount(out, "porting.pending", grp, s.pending, s.requests);
      PushRate(out, "porting.completion_rate", grp, s.completed, s.completed + s.rejected);
      PushMean(out, "porting.avg_hours", grp, t.HoursSum(), t.completed);
      // A group whose requests are all rejected or cancelled still gets its (null) rate; only a
      // catalog that removes the limit (a negative porting.max_hours) drops these figures.
      if (s.limited > 0) {
        const uint64_t open_overdue = t.OpenOverdue(as_of);
        PushCount(out, "porting.on_time", grp, t.on_time, t.judged_completed);
        PushCount(out, "porting.open_overdue", grp, open_overdue, t.judged_open);
        PushRate(out, "porting.timely_rate", grp, t.on_time, t.judged_completed + open_overdue);
      }
    }
  }

 private:
  FamilyConfig cfg_;  // outlives limit_, which points at it
  OperatorParam limit_;
};

}  // namespace

FamilySpec PortingFamilySpec(const FamilyConfig& cfg) {
  return {"porting",
          RecordType::kPorting,
          {"porting.requests", "porting.completed", "porting.rejected", "porting.cancelled",
           "porting.pending", "porting.completion_rate", "porting.avg_hours", "porting.on_time",
           "porting.open_overdue", "porting.timely_rate", "porting.rejected_by_reason"},
          [cfg] { return std::make_unique<PortingFamily>(cfg); }};
}

}  // namespace tsq
