// subscribers: the user base at the end of the period, per operator and region (月末用户数), its
// broadband and 5G shares, and the regulator's quarterly appeal rate (季度百万用户申诉率): accepted
// appeals per million telephone users. The family reads appeals beside subscribers for the rate.
//
// Subscriber counts are stocks: a period's figure is each operator and region's latest month in
// it (for a month group, that month's), never a sum over months. Appeals are flows: every accepted
// appeal received in the period counts. Base key: operator, region, month; bucket = the month key,
// so that a group's months stay apart after the roll-up.
#include <algorithm>
#include <map>

#include "engine/keyed_family_io.h"
#include "indicators/families.h"

namespace tsq {
namespace {

namespace c = col::subscribers;

constexpr int kOp = 0, kRegion = 1, kMonth = 2;

// The counts a subscribers row carries, in contract order.
enum Count : int { kMobile, kFixed, kBroadband, kBroadband100m, kTerminal5g, kRegistered5g };
constexpr int kCounts = 6;
constexpr int kFirstCountColumn = c::kMobileUsers;

struct SubscriberState {
  std::array<uint64_t, kCounts> total{};
  std::array<uint32_t, kCounts> rows{};  // rows that gave the count
  // The shares use only the rows that give both of their counts.
  uint64_t broadband_paired = 0, broadband_100m_paired = 0;
  uint64_t terminal_5g_paired = 0, registered_5g_paired = 0;
  uint64_t accepted_appeals = 0;
  uint64_t appeal_rows = 0;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(total, rows, broadband_paired, broadband_100m_paired, terminal_5g_paired,
       registered_5g_paired, accepted_appeals, appeal_rows);
  }
  void Merge(const SubscriberState& o) {
    for (int i = 0; i < kCounts; ++i) {
      total[i] += o.total[i];
      rows[i] += o.rows[i];
    }
    broadband_paired += o.broadband_paired;
    broadband_100m_paired += o.broadband_100m_paired;
    terminal_5g_paired += o.terminal_5g_paired;
    registered_5g_paired += o.registered_5g_paired;
    accepted_appeals += o.accepted_appeals;
    appeal_rows += o.appeal_rows;
  }
  bool HasCounts() const {
    return std::any_of(rows.begin(), rows.end(), [](uint32_t n) { return n > 0; });
  }
  bool HasUsers() const { return rows[kMobile] + rows[kFixed] > 0; }
  // Telephone users (电话用户): mobile plus fixed-line, the base of the regulator's rate.
  uint64_t Users() const { return total[kMobile] + total[kFixed]; }
};

Layout SubscriberLayout(std::vector<std::vector<int>> breakdowns) {
  Layout l;
  l.dims = {{Dim::kOperator, Coding::kDictId},
            {Dim::kRegion, Coding::kDictId},
            {Dim::kMonth, Coding::kMonthKey}};
  l.breakdowns = std::move(breakdowns);
  return l;
}

// The period's figures (a stock at the end of it) and the months' (each month's own stock).
const Layout& StockLayout() {
  static const Layout layout = SubscriberLayout({{}, {kOp}, {kRegion}, {kOp, kRegion}});
  return layout;
}
const Layout& MonthLayout() {
  static const Layout layout = SubscriberLayout({{kMonth}, {kOp, kMonth}});
  return layout;
}

constexpr const char* kCountIds[kCounts] = {
    "subscribers.mobile_users",      "subscribers.fixed_users",
    "subscribers.broadband_users",   "subscribers.broadband_100m_users",
    "subscribers.terminal_5g_users", "subscribers.registered_5g_users"};

// A group's figures for one period slot: the stock of the period's last month, the flow of all.
struct Figures {
  SubscriberState stock;  // of the latest month
  bool has_stock = false;
  uint64_t accepted_appeals = 0;
  uint64_t appeal_rows = 0;
  bool appeals_data = false;  // the slot has appeals at all (else no rate, rather than 0)
};

class SubscribersFamily final : public KeyedFamily<SubscriberState> {
 public:
  using KeyedFamily::KeyedFamily;
  std::span<const KeyDim> KeyDims() const override { return StockLayout().dims; }

  void Update(const Batch& b, const uint8_t* slots) override {
    if (b.schema->type == RecordType::kAppeals) return UpdateAppeals(b, slots);
    for (size_t r = 0; r < b.rows; ++r) {
      if (slots[r] == kNoSlot) continue;
      SubscriberState& s = Touch(KeyOf(b, r, c::kOperator, c::kRegion, c::kMonth, slots[r]));
      std::array<int64_t, kCounts> v;
      for (int i = 0; i < kCounts; ++i) {
        v[i] = b.Int(kFirstCountColumn + i, r);
        if (v[i] == kMissingInt || v[i] < 0) continue;
        s.total[i] += static_cast<uint64_t>(v[i]);
        ++s.rows[i];
      }
      const auto given = [&](int i) { return v[i] != kMissingInt && v[i] >= 0; };
      if (given(kBroadband) && given(kBroadband100m)) {
        s.broadband_paired += static_cast<uint64_t>(v[kBroadband]);
        s.broadband_100m_paired += static_cast<uint64_t>(v[kBroadband100m]);
      }
      if (given(kTerminal5g) && given(kRegistered5g)) {
        s.terminal_5g_paired += static_cast<uint64_t>(v[kTerminal5g]);
        s.registered_5g_paired += static_cast<uint64_t>(v[kRegistered5g]);
      }
    }
  }

  void Finalize(const EvalContext& ctx, int slot, std::vector<IndicatorValue>* out) const override {
    const std::map<Group, Figures> now = FiguresOf(slot, *ctx.dict);
    std::map<Group, Figures> before;
    if (slot == kCurrentSlot) before = FiguresOf(kPreviousSlot, *ctx.dict);
    const bool appeals_by_region = AppealsHaveRegion(slot);
    const bool appeals_before_by_region = AppealsHaveRegion(kPreviousSlot);

    for (const auto& [group, f] : now) {
      const bool by_region = group.Find(Dim::kRegion) != nullptr;
      if (f.has_stock) {
        const SubscriberState& s = f.stock;
        if (s.HasUsers()) PushCount(out, "subscribers.users", group, s.Users(), s.Users());
        for (int i = 0; i < kCounts; ++i) {
          if (s.rows[i] > 0) PushCount(out, kCountIds[i], group, s.total[i], s.total[i]);
        }
        if (s.broadband_paired > 0) {
          PushRate(out, "subscribers.broadband_100m_share", group, s.broadband_100m_paired,
                   s.broadband_paired);
        }
        if (s.terminal_5g_paired > 0) {
          PushRate(out, "subscribers.registration_5g_rate", group, s.registered_5g_paired,
                   s.terminal_5g_paired);
        }
        if (group.Find(Dim::kOperator) != nullptr && s.HasUsers()) {
          // Of all operators' users in the same region and month (or the whole province).
          const auto all = now.find(WithoutOperator(group));
          if (all != now.end() && all->second.has_stock && all->second.stock.Users() > 0) {
            PushRate(out, "subscribers.users_share", group, s.Users(), all->second.stock.Users());
          }
        }
      }
      // The appeal rate needs appeals with the group's dimensions: no region, no regional rate.
      const std::optional<double> rate = PerMillion(f, by_region && !appeals_by_region);
      if (!rate) continue;
      PushNumber(out, "appeals.per_million", group, rate, f.accepted_appeals);
      if (slot != kCurrentSlot || group.Find(Dim::kMonth) != nullptr) continue;
      const auto prev = before.find(group);
      if (prev == before.end()) continue;
      const std::optional<double> prev_rate =
          PerMillion(prev->second, by_region && !appeals_before_by_region);
      if (!prev_rate || *prev_rate == 0) continue;
      PushNumber(out, "appeals.per_million_change_prev", group, (*rate - *prev_rate) / *prev_rate,
                 prev->second.accepted_appeals);
    }
  }

 private:
  // Row r's key: its operator, region and month (also the bucket), in either record type.
  BaseKey KeyOf(const Batch& b, size_t r, int op, int region, int time, uint8_t slot) const {
    const int32_t month = LocalMonthKey(b.Time(time, r), offset_);
    BaseKey key;
    key.dims[kOp] = b.Id(op, r);
    key.dims[kRegion] = b.Id(region, r);
    key.dims[kMonth] = static_cast<uint32_t>(month);
    key.bucket = month;
    key.slot = slot;
    return key;
  }

  void UpdateAppeals(const Batch& b, const uint8_t* slots) {
    namespace a = col::appeals;
    for (size_t r = 0; r < b.rows; ++r) {
      if (slots[r] == kNoSlot) continue;
      SubscriberState& s = Touch(KeyOf(b, r, a::kOperator, a::kRegion, a::kReceivedAt, slots[r]));
      ++s.appeal_rows;
      if (b.Flag(a::kAccepted, r)) ++s.accepted_appeals;
    }
  }

  // Accepted appeals per million telephone users; nullopt without appeals data or users.
  static std::optional<double> PerMillion(const Figures& f, bool appeals_lack_dims) {
    if (appeals_lack_dims || !f.appeals_data || !f.has_stock || !f.stock.HasUsers() ||
        f.stock.Users() == 0) {
      return std::nullopt;
    }
    return static_cast<double>(f.accepted_appeals) * 1e6 / static_cast<double>(f.stock.Users());
  }

  // Whether any appeal of the slot names its region (the contract makes it optional).
  bool AppealsHaveRegion(int slot) const {
    for (size_t i = 0; i < states_.size(); ++i) {
      const BaseKey& k = states_.key(i);
      if (k.slot == static_cast<uint32_t>(slot) && k.dims[kRegion] != kMissingId &&
          states_.state(i).appeal_rows > 0) {
        return true;
      }
    }
    return false;
  }

  std::map<Group, Figures> FiguresOf(int slot, const StringDictionary& dict) const {
    // Each operator and region's stock is its latest month in the slot: normally the period's
    // last month for all of them, but a month lost to a bad row falls back to the month before
    // rather than dropping that region from its operator's users.
    std::map<std::pair<uint32_t, uint32_t>, int32_t> latest;
    bool any_appeals = false;
    for (size_t i = 0; i < states_.size(); ++i) {
      const BaseKey& k = states_.key(i);
      if (k.slot != static_cast<uint32_t>(slot)) continue;
      const SubscriberState& s = states_.state(i);
      any_appeals = any_appeals || s.appeal_rows > 0;
      if (!s.HasCounts()) continue;
      auto [it, inserted] = latest.try_emplace({k.dims[kOp], k.dims[kRegion]}, k.bucket);
      if (!inserted) it->second = std::max(it->second, k.bucket);
    }
    // The states with the counts of other months left out (their appeals stay).
    KeyedStates<SubscriberState> at_latest;
    for (size_t i = 0; i < states_.size(); ++i) {
      const BaseKey& k = states_.key(i);
      if (k.slot != static_cast<uint32_t>(slot)) continue;
      SubscriberState s = states_.state(i);
      const auto it = latest.find({k.dims[kOp], k.dims[kRegion]});
      if (it == latest.end() || it->second != k.bucket) {
        SubscriberState appeals_only;
        appeals_only.accepted_appeals = s.accepted_appeals;
        appeals_only.appeal_rows = s.appeal_rows;
        s = appeals_only;
      }
      at_latest.At(k).Merge(s);
    }
    std::map<Group, Figures> out;
    const auto add = [&](const KeyedStates<SubscriberState>& states, const Layout& layout) {
      for (const auto& g : RollUp(states, layout, slot, dict)) {
        Figures f;
        f.appeals_data = any_appeals;
        for (const auto& [bucket, s] : g.buckets) {
          f.accepted_appeals += s.accepted_appeals;
          f.appeal_rows += s.appeal_rows;
          if (s.HasCounts()) {
            f.stock.Merge(s);
            f.has_stock = true;
          }
        }
        out[g.group] = f;
      }
    };
    add(at_latest, StockLayout());
    add(states_, MonthLayout());  // a month group's stock is that month's
    return out;
  }

  static Group WithoutOperator(const Group& g) {
    Group out;
    for (const auto& d : g.dims) {
      if (d.first != Dim::kOperator) out.dims.push_back(d);
    }
    return out;
  }
};

}  // namespace

FamilySpec SubscribersFamilySpec(const FamilyConfig& cfg) {
  FamilySpec spec{
      "subscribers",
      RecordType::kSubscribers,
      {"subscribers.users", "subscribers.mobile_users", "subscribers.fixed_users",
       "subscribers.broadband_users", "subscribers.broadband_100m_users",
       "subscribers.terminal_5g_users", "subscribers.registered_5g_users",
       "subscribers.users_share", "subscribers.broadband_100m_share",
       "subscribers.registration_5g_rate", "appeals.per_million",
       "appeals.per_million_change_prev"},
      [offset = cfg.local_offset_s] { return std::make_unique<SubscribersFamily>(offset); }};
  spec.also_reads = {RecordType::kAppeals};  // the appeals the per-million rate counts
  return spec;
}

}  // namespace tsq
