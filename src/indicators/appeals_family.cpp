// appeals: appeals to the regulator (申诉受理, 和解率), per operator and category, with the
// year-over-year change of accepted appeals and each operator's share of them.
// Base key: operator, category, month; bucket = local day number, so that Finalize can select the
// rows of "the same period one year earlier" exactly, whatever slot the runner routed them to
// (for a year the previous period and the year-earlier one coincide; for long custom ranges they
// overlap).
#include <array>
#include <map>

#include "engine/keyed_family_io.h"
#include "indicators/families.h"

namespace tsq {
namespace {

using enums::AppealOutcome;
namespace c = col::appeals;

constexpr int kOp = 0, kCategory = 1, kMonth = 2;

// The regulator's three classes of appeals (用户服务 / 网络质量 / 收费争议), by category.
enum AppealClass : int { kUserService, kNetworkQuality, kBillingDispute };
constexpr int kClasses = 3;
constexpr const char* kClassIds[kClasses] = {"appeals.user_service", "appeals.network_quality",
                                             "appeals.billing_dispute"};

AppealClass ClassOf(uint8_t category) {
  using enums::Category;
  switch (static_cast<Category>(category)) {
    case Category::kNetwork:
    case Category::kBroadbandSpeed:
      return kNetworkQuality;
    case Category::kBilling:
    case Category::kPackageChange:
      return kBillingDispute;
    default:
      return kUserService;
  }
}

struct AppealState {
  uint64_t received = 0;
  uint64_t accepted = 0;
  uint64_t settled = 0;  // settled among accepted
  std::array<uint64_t, kClasses> accepted_by_class{};

  template <class Archive>
  void serialize(Archive& ar) {
    ar(received, accepted, settled, accepted_by_class);
  }
  void Merge(const AppealState& o) {
    received += o.received;
    accepted += o.accepted;
    settled += o.settled;
    for (int i = 0; i < kClasses; ++i) accepted_by_class[i] += o.accepted_by_class[i];
  }
};

std::vector<KeyDim> AppealDims() {
  return {{Dim::kOperator, Coding::kDictId},
          {Dim::kCategory, Coding::kEnumCode,
           SchemaOf(RecordType::kAppeals).columns[c::kCategory].enum_values},
          {Dim::kMonth, Coding::kMonthKey}};
}

// The plain figures: all, operator, month, operator × month (appeals carry no region).
const Layout& MainLayout() {
  static const Layout layout = [] {
    Layout l;
    l.dims = AppealDims();
    l.breakdowns = {{}, {kOp}, {kMonth}, {kOp, kMonth}};
    return l;
  }();
  return layout;
}

// The per-category figures: the same breakdowns, each split by category.
const Layout& CategoryLayout() {
  static const Layout layout = [] {
    Layout l;
    l.dims = AppealDims();
    l.breakdowns = {{kCategory}, {kOp, kCategory}, {kMonth, kCategory}, {kOp, kMonth, kCategory}};
    return l;
  }();
  return layout;
}

// `g` without its `dim` entry (the parent group of a category or operator group).
Group Without(const Group& g, Dim dim) {
  Group out;
  for (const auto& d : g.dims) {
    if (d.first != dim) out.dims.push_back(d);
  }
  return out;
}

class AppealsFamily final : public KeyedFamily<AppealState> {
 public:
  using KeyedFamily::KeyedFamily;
  std::span<const KeyDim> KeyDims() const override { return MainLayout().dims; }

  void Update(const Batch& b, const uint8_t* slots) override {
    const int32_t offset = offset_;
    for (size_t r = 0; r < b.rows; ++r) {
      if (slots[r] == kNoSlot) continue;
      const Micros received_at = b.Time(c::kReceivedAt, r);
      BaseKey key;
      key.dims[kOp] = b.Id(c::kOperator, r);
      key.dims[kCategory] = b.Code(c::kCategory, r);  // required: never missing
      key.dims[kMonth] = static_cast<uint32_t>(LocalMonthKey(received_at, offset));
      key.bucket = static_cast<int32_t>(LocalDay(received_at, offset));
      key.slot = slots[r];
      AppealState& s = Touch(key);
      ++s.received;
      if (b.Flag(c::kAccepted, r)) {
        ++s.accepted;
        ++s.accepted_by_class[ClassOf(b.Code(c::kCategory, r))];
        if (b.Code(c::kOutcome, r) == static_cast<uint8_t>(AppealOutcome::kSettled)) ++s.settled;
      }
    }
  }

  void Finalize(const EvalContext& ctx, int slot, std::vector<IndicatorValue>* out) const override {
    const StringDictionary& dict = *ctx.dict;
    std::map<Group, AppealState> current;
    const auto groups = RollUp(states_, MainLayout(), slot, dict);
    for (const auto& g : groups) current[g.group] = g.Total();
    const std::map<Group, AppealState> earlier = YearEarlier(ctx, slot);
    // The previous period's groups, for the change on it (环比, e.g. on the previous quarter).
    std::map<Group, AppealState> previous;
    if (slot == kCurrentSlot && HasRows(kPreviousSlot)) {
      for (const auto& g : RollUp(states_, MainLayout(), kPreviousSlot, dict)) {
        previous[g.group] = g.Total();
      }
    }

    for (const auto& g : groups) {
      const Group& grp = g.group;
      const AppealState& t = current[grp];
      PushCount(out, "appeals.received", grp, t.received, t.received);
      PushCount(out, "appeals.accepted", grp, t.accepted, t.received);
      PushCount(out, "appeals.settled", grp, t.settled, t.accepted);
      PushRate(out, "appeals.settlement_rate", grp, t.settled, t.accepted);
      for (int i = 0; i < kClasses; ++i) {
        PushCount(out, kClassIds[i], grp, t.accepted_by_class[i], t.accepted);
      }
      if (!previous.empty() && grp.Find(Dim::kMonth) == nullptr) {
        const auto it = previous.find(grp);
        if (it != previous.end() && it->second.accepted > 0) {
          const double before = static_cast<double>(it->second.accepted);
          PushNumber(out, "appeals.accepted_change_prev", grp,
                     (static_cast<double>(t.accepted) - before) / before, it->second.accepted);
        }
      }

      // The earlier figure is printed when the data holds an appeal (of any operator) received in
      // the earlier period — for a month group, in the same month a year earlier. An operator
      // without appeals then has an earlier count of 0 and no change.
      const Group coverage = Without(grp, Dim::kOperator);
      if (earlier.count(coverage) > 0) {
        const auto it = earlier.find(grp);
        const AppealState before = it != earlier.end() ? it->second : AppealState{};
        PushCount(out, "appeals.accepted_prev_year", grp, before.accepted, before.received);
        std::optional<double> change;
        if (before.accepted > 0) {
          change = (static_cast<double>(t.accepted) - static_cast<double>(before.accepted)) /
                   static_cast<double>(before.accepted);
        }
        PushNumber(out, "appeals.accepted_change_yoy", grp, change, before.accepted);
      }

      if (grp.Find(Dim::kOperator) != nullptr) {
        // Of all operators' accepted appeals in the same month, or the whole period.
        PushRate(out, "appeals.accepted_share", grp, t.accepted, current[coverage].accepted);
      }
    }

    for (const auto& g : RollUp(states_, CategoryLayout(), slot, dict)) {
      const AppealState t = g.Total();
      const uint64_t group_accepted = current[Without(g.group, Dim::kCategory)].accepted;
      PushCount(out, "appeals.received", g.group, t.received, t.received);
      PushCount(out, "appeals.accepted", g.group, t.accepted, t.received);
      PushCount(out, "appeals.settled", g.group, t.settled, t.accepted);
      PushRate(out, "appeals.share", g.group, t.accepted, group_accepted);
    }
  }

 private:
  // The plain groups of the period one year before slot `slot`'s, keyed as the groups they are
  // compared with (month keys moved forward twelve months). Rows are taken from every slot whose
  // day lies in that period.
  std::map<Group, AppealState> YearEarlier(const EvalContext& ctx, int slot) const {
    const Period earlier = ctx.periods[slot].YearEarlier(offset_);
    const int64_t from_day = LocalDay(earlier.from, offset_);
    const int64_t to_day = LocalDay(earlier.to, offset_);
    KeyedStates<AppealState> moved;
    for (size_t i = 0; i < states_.size(); ++i) {
      const BaseKey& k = states_.key(i);
      if (k.bucket < from_day || k.bucket >= to_day) continue;
      BaseKey m = k;
      m.dims[kMonth] += 12;
      m.bucket = 0;
      m.slot = 0;
      moved.At(m).Merge(states_.state(i));
    }
    std::map<Group, AppealState> out;
    for (const auto& g : RollUp(moved, MainLayout(), 0, *ctx.dict)) out[g.group] = g.Total();
    return out;
  }
};

}  // namespace

FamilySpec AppealsFamilySpec(const FamilyConfig& cfg) {
  return {"appeals",
          RecordType::kAppeals,
          {"appeals.received", "appeals.accepted", "appeals.settled", "appeals.settlement_rate",
           "appeals.accepted_prev_year", "appeals.accepted_change_yoy", "appeals.share",
           "appeals.accepted_share", "appeals.user_service", "appeals.network_quality",
           "appeals.billing_dispute", "appeals.accepted_change_prev"},
          [offset = cfg.local_offset_s] { return std::make_unique<AppealsFamily>(offset); }};
}

}  // namespace tsq
