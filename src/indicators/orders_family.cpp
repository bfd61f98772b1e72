// orders: service-order time limits (业务变更、复话、障碍修复、装机入网、移机时限) per service ×
// kind. Base key: service and kind (partitions: they are part of the id,
// orders.<service>.<kind>.*), operator, region, month. No time bucket: every figure is a sum over
// the group's rows, except the open items' ageing, which TimeLimitedCounts defers to Finalize.
//
// Limits: the catalog parameter orders.<service>.<kind>.max_hours, per operator. A service × kind
// without one (iptv, or a pair the table does not list) is counted and timed but not judged:
// it prints count, completed, open, avg_hours and max_hours only.
#include <string>

#include <fmt/format.h>

#include "engine/keyed_family_io.h"
#include "indicators/families.h"
#include "indicators/time_limited.h"

namespace tsq {
namespace {

namespace c = col::orders;

constexpr int kService = 0, kKind = 1, kOp = 2, kRegion = 3, kMonth = 4;

std::span<const std::string_view> ServiceNames() {
  return SchemaOf(RecordType::kOrders).columns[c::kService].enum_values;
}
std::span<const std::string_view> KindNames() {
  return SchemaOf(RecordType::kOrders).columns[c::kKind].enum_values;
}

struct OrderState {
  TimeLimitedCounts t;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(t);
  }
  void Merge(const OrderState& o) { t.Merge(o.t); }
};

const Layout& OrderLayout() {
  static const Layout layout = [] {
    Layout l;
    // The partitions' Dim is never printed (their codes become the id), only their coding.
    l.dims = {{Dim::kOperator, Coding::kEnumCode, ServiceNames()},
              {Dim::kOperator, Coding::kEnumCode, KindNames()},
              {Dim::kOperator, Coding::kDictId},
              {Dim::kRegion, Coding::kDictId},
              {Dim::kMonth, Coding::kMonthKey}};
    l.partitions = 2;
    l.breakdowns = StandardBreakdowns(kOp, kRegion, kMonth);
    return l;
  }();
  return layout;
}

class OrderFamily final : public KeyedFamily<OrderState> {
 public:
  std::span<const KeyDim> KeyDims() const override { return OrderLayout().dims; }
  explicit OrderFamily(const FamilyConfig& cfg) : KeyedFamily(cfg.local_offset_s), cfg_(cfg) {
    const auto services = ServiceNames();
    const auto kinds = KindNames();
    services_ = services.size();
    kinds_ = kinds.size();
    limits_.reserve(services.size() * kinds.size());
    for (const std::string_view s : services) {
      for (const std::string_view k : kinds) {
        // A negative fallback marks "no limit" (NaN would defeat OperatorParam's cache).
        limits_.emplace_back(cfg_, "orders." + std::string(s) + "." + std::string(k) + ".max_hours",
                             -1.0);
      }
    }
  }

  void Update(const Batch& b, const uint8_t* slots) override {
    const int32_t offset = offset_;
    for (size_t r = 0; r < b.rows; ++r) {
      if (slots[r] == kNoSlot) continue;
      const uint8_t service = b.Code(c::kService, r);
      const uint8_t kind = b.Code(c::kKind, r);
      // Both are required enums; the check only keeps a bad code from indexing past limits_.
      if (service >= services_ || kind >= kinds_) continue;
      const uint32_t op = b.Id(c::kOperator, r);
      const Micros start = b.Time(c::kAcceptedAt, r);
      BaseKey key;
      key.dims[kService] = service;
      key.dims[kKind] = kind;
      key.dims[kOp] = op;
      key.dims[kRegion] = b.Id(c::kRegion, r);
      key.dims[kMonth] = static_cast<uint32_t>(LocalMonthKey(start, offset));
      key.slot = slots[r];
      OrderState& s = Touch(key);
      const Micros limit = LimitMicros(limits_[service * kinds_ + kind].For(op));
      const Micros end = b.Time(c::kCompletedAt, r);
      if (end == kMissingInt) {
        s.t.AddOpen(start, limit);
      } else {
        s.t.AddCompleted(start, end, limit);
      }
    }
  }

  void Finalize(const EvalContext& ctx, int slot, std::vector<IndicatorValue>* out) const override {
    const Layout& layout = OrderLayout();
    const Micros as_of = ctx.as_of[slot];
    for (const auto& g : RollUp(states_, layout, slot, *ctx.dict)) {
      const TimeLimitedCounts t = g.Total().t;
      const std::string prefix = "orders." + std::string(ServiceNames()[g.partition[kService]]) +
                                 "." + std::string(KindNames()[g.partition[kKind]]) + ".";
      const Group& grp = g.group;
      const uint64_t count = t.completed + t.open;
      PushCount(out, prefix + "count", grp, count, count);
      PushCount(out, prefix + "completed", grp, t.completed, count);
      PushCount(out, prefix + "open", grp, t.open, count);
      if (t.Judged()) {
        const uint64_t open_overdue = t.OpenOverdue(as_of);
        PushCount(out, prefix + "on_time", grp, t.on_time, t.judged_completed);
        PushCount(out, prefix + "open_overdue", grp, open_overdue, t.judged_open);
        PushCount(out, prefix + "overdue", grp, t.Overdue(as_of),
                  t.judged_completed + t.judged_open);
        PushRate(out, prefix + "timely_rate", grp, t.on_time, t.judged_completed + open_overdue);
      }
      PushMean(out, prefix + "avg_hours", grp, t.HoursSum(), t.completed);
      PushNumber(out, prefix + "max_hours", grp, t.MaxHours(), t.completed);
    }
  }

 private:
  FamilyConfig cfg_;  // outlives limits_, which point at it
  size_t services_ = 0;
  size_t kinds_ = 0;
  std::vector<OperatorParam> limits_;  // by service * kinds_ + kind
};

}  // namespace

FamilySpec OrdersFamilySpec(const FamilyConfig& cfg) {
  FamilySpec spec{"orders",
                  RecordType::kOrders,
                  {"orders.*.*.count", "orders.*.*.completed", "orders.*.*.open",
                   "orders.*.*.on_time", "orders.*.*.open_overdue", "orders.*.*.overdue",
                   "orders.*.*.timely_rate", "orders.*.*.avg_hours", "orders.*.*.max_hours"},
                  [cfg] { return std::make_unique<OrderFamily>(cfg); }};
  // orders.<service>.<kind>.<figure> for every service and kind of the contract.
  const RecordSchema& schema = SchemaOf(RecordType::kOrders);
  for (const std::string& id : spec.ids) {
    const std::string_view figure = std::string_view(id).substr(id.rfind('.') + 1);
    for (std::string_view service : schema.columns[c::kService].enum_values) {
      for (std::string_view kind : schema.columns[c::kKind].enum_values) {
        spec.concrete_ids.push_back(fmt::format("orders.{}.{}.{}", service, kind, figure));
      }
    }
  }
  return spec;
}

}  // namespace tsq
