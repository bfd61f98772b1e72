// hotline: customer-service hotline (人工服务应答率, 平均响应时长, 15 秒应答率), for all calls and
// for the elderly one-key-to-human lane. Base key: operator, month; bucket = month key, so that
// groups spanning months (all, operator) keep their months apart after the roll-up: the 524
// action's response-time target is a monthly average, so those groups report their worst month (and
// the pooled average beside it).
#include "engine/keyed_family_io.h"
#include "indicators/families.h"

namespace tsq {
namespace {

namespace c = col::hotline;

constexpr int kOp = 0, kMonth = 1;

/// The human-service counters of one population (all calls, or the elderly lane).
struct HumanService {
  uint64_t requested = 0;    // calls with human_requested_at
  uint64_t answered = 0;     // of those, with answered_at
  uint64_t within = 0;       // of those, answered within the limit (inclusive)
  int64_t response_sum = 0;  // sum of answered_at − human_requested_at, microseconds

  template <class Archive>
  void serialize(Archive& ar) {
    ar(requested, answered, within, response_sum);
  }
  void Merge(const HumanService& o) {
    requested += o.requested;
    answered += o.answered;
    within += o.within;
    response_sum += o.response_sum;
  }
};

struct HotlineState {
  uint64_t calls = 0;
  uint64_t elderly_calls = 0;
  HumanService all;
  HumanService elderly;

  template <class Archive>
  void serialize(Archive& ar) {
    ar(calls, elderly_calls, all, elderly);
  }
  void Merge(const HotlineState& o) {
    calls += o.calls;
    elderly_calls += o.elderly_calls;
    all.Merge(o.all);
    elderly.Merge(o.elderly);
  }
};

const Layout& HotlineLayout() {
  static const Layout layout = [] {
    Layout l;
    l.dims = {{Dim::kOperator, Coding::kDictId}, {Dim::kMonth, Coding::kMonthKey}};
    l.breakdowns = {{}, {kOp}, {kMonth}, {kOp, kMonth}};
    return l;
  }();
  return layout;
}

double Seconds(int64_t micros) {
  return static_cast<double>(micros) / static_cast<double>(kMicrosPerSecond);
}

// Pushes the figures of one population under `prefix` ("hotline." or "hotline.elderly.") for
// group `g` (whose buckets are its months); `pick` selects the population from a state.
template <typename Pick>
void PushHumanService(std::vector<IndicatorValue>* out, const std::string& prefix,
                      const RolledGroup<HotlineState>& g, const HotlineState& total, Pick pick) {
  const Group& grp = g.group;
  const HumanService& t = pick(total);
  PushCount(out, prefix + "human_requested", grp, t.requested, t.requested);
  PushCount(out, prefix + "human_answered", grp, t.answered, t.requested);
  PushRate(out, prefix + "human_answer_rate", grp, t.answered, t.requested);
  PushRate(out, prefix + "abandon_rate", grp, t.requested - t.answered, t.requested);
  PushCount(out, prefix + "answered_within_15s", grp, t.within, t.requested);
  PushRate(out, prefix + "answered_within_15s_rate", grp, t.within, t.requested);
  if (grp.Find(Dim::kMonth) != nullptr) {
    // A month group holds one month: its average is the 524 action's monthly figure.
    PushMean(out, prefix + "avg_response_s", grp, Seconds(t.response_sum), t.answered);
    return;
  }
  // A group spanning months: the worst month's average (its verdict is met only when every month
  // with answered calls is within the target) and the pooled average over all answered calls.
  // A tie goes to the earliest month; months without answered calls have no average.
  std::optional<double> worst;
  uint64_t worst_n = 0;
  for (const auto& [month, state] : g.buckets) {
    const HumanService& m = pick(state);
    if (m.answered == 0) continue;
    const double avg = Seconds(m.response_sum) / static_cast<double>(m.answered);
    if (!worst || avg > *worst) {
      worst = avg;
      worst_n = m.answered;
    }
  }
  PushNumber(out, prefix + "avg_response_s.worst_month", grp, worst, worst_n);
  PushMean(out, prefix + "avg_response_s.pooled", grp, Seconds(t.response_sum), t.answered);
}

class HotlineFamily final : public KeyedFamily<HotlineState> {
 public:
  std::span<const KeyDim> KeyDims() const override { return HotlineLayout().dims; }
  explicit HotlineFamily(const FamilyConfig& cfg)
      : KeyedFamily(cfg.local_offset_s),
        cfg_(cfg),
        answer_within_s_(cfg_, "hotline.answer_within_s", 15) {}

  void Update(const Batch& b, const uint8_t* slots) override {
    const int32_t offset = offset_;
    for (size_t r = 0; r < b.rows; ++r) {
      if (slots[r] == kNoSlot) continue;
      const uint32_t op = b.Id(c::kOperator, r);
      const auto month = LocalMonthKey(b.Time(c::kArrivedAt, r), offset);
      BaseKey key;
      key.dims[kOp] = op;
      key.dims[kMonth] = static_cast<uint32_t>(month);
      key.bucket = month;
      key.slot = slots[r];
      HotlineState& s = Touch(key);
      const bool elderly = b.Flag(c::kElderlyFastLane, r);  // missing = not the elderly lane
      ++s.calls;
      if (elderly) ++s.elderly_calls;
      const Micros requested_at = b.Time(c::kHumanRequestedAt, r);
      if (requested_at == kMissingInt) continue;  // self-service only
      const Micros answered_at = b.Time(c::kAnsweredAt, r);
      const bool answered = answered_at != kMissingInt;
      const int64_t response = answered ? answered_at - requested_at : 0;
      // Exact in a double for any response below 2^53 µs.
      const bool within =
          answered && static_cast<double>(response) <= answer_within_s_.For(op) * kMicrosPerSecond;
      const auto add = [&](HumanService& h) {
        ++h.requested;
        if (!answered) return;
        ++h.answered;
        h.response_sum += response;
        if (within) ++h.within;
      };
      add(s.all);
      if (elderly) add(s.elderly);
    }
  }

  void Finalize(const EvalContext& ctx, int slot, std::vector<IndicatorValue>* out) const override {
    for (const auto& g : RollUp(states_, HotlineLayout(), slot, *ctx.dict)) {
      const HotlineState t = g.Total();
      PushCount(out, "hotline.calls", g.group, t.calls, t.calls);
      PushHumanService(out, "hotline.", g, t,
                       [](const HotlineState& s) -> const HumanService& { return s.all; });
      PushCount(out, "hotline.elderly.count", g.group, t.elderly_calls, t.calls);
      PushHumanService(out, "hotline.elderly.", g, t,
                       [](const HotlineState& s) -> const HumanService& { return s.elderly; });
    }
  }

 private:
  FamilyConfig cfg_;
  OperatorParam answer_within_s_;
};

}  // namespace

FamilySpec HotlineFamilySpec(const FamilyConfig& cfg) {
  std::vector<std::string> ids = {"hotline.calls", "hotline.elderly.count"};
  for (const char* prefix : {"hotline.", "hotline.elderly."}) {
    for (const char* name :
         {"human_requested", "human_answered", "human_answer_rate", "abandon_rate",
          "answered_within_15s", "answered_within_15s_rate", "avg_response_s",
          "avg_response_s.worst_month", "avg_response_s.pooled"}) {
      ids.push_back(std::string(prefix) + name);
    }
  }
  return {"hotline", RecordType::kHotline, std::move(ids),
          [cfg] { return std::make_unique<HotlineFamily>(cfg); }};
}

}  // namespace tsq
