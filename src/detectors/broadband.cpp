#include "detectors/broadband.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string_view>
#include <tuple>
#include <unordered_map>

#include <fmt/format.h>

#include "core/threads.h"
#include "detectors/most_frequent.h"
#include "engine/state_archive.h"

namespace tsq {
namespace {

namespace bt = col::broadband_tests;

struct UnitKey {
  uint32_t op = 0;
  uint32_t plan_centis = 0;  // plan_down_mbps × 100
  std::string line;
  bool operator==(const UnitKey&) const = default;
};

struct UnitKeyHash {
  size_t operator()(const UnitKey& k) const {
    return std::hash<std::string>{}(k.line) ^ (static_cast<size_t>(k.op) << 40) ^
           (static_cast<size_t>(k.plan_centis) * 0x9E3779B97F4A7C15ull);
  }
};

struct UnitTest {
  Micros t = 0;
  double down = 0;
  uint32_t region = kMissingId;
};

using Units = std::unordered_map<UnitKey, std::vector<UnitTest>, UnitKeyHash>;

// Whether a mean reaches `ratio` × plan. A relative tolerance of 1e-12 (far below the 0.01 Mbit/s
// a test is written to) lets a mean of exactly 90 % comply whatever the binary rounding of the
// product: 0.9 × 13 is 11.700000000000001 in double.
bool Complies(double mean, double plan, double ratio) { return mean >= ratio * plan * (1 - 1e-12); }

std::string PlanText(uint32_t centis) {
  if (centis % 100 == 0) return std::to_string(centis / 100);
  std::string s = fmt::format("{:.2f}", centis / 100.0);
  if (s.back() == '0') s.pop_back();
  return s;
}

struct Counts {
  uint64_t tests = 0, lines = 0, compliant = 0;
};

class BroadbandState final : public FamilyState {
 public:
  explicit BroadbandState(const BroadbandOptions& o) : o_(o) {}

  void Update(const Batch& b, const uint8_t* slots) override {
    for (size_t r = 0; r < b.rows; ++r) {
      if (slots[r] == kNoSlot) continue;
      const double plan = b.Number(bt::kPlanDownMbps, r);
      UnitKey key;
      key.op = b.Id(bt::kOperator, r);
      key.plan_centis = static_cast<uint32_t>(std::llround(plan * 100));
      key.line = std::string(b.Text(bt::kLineId, r));
      units_[slots[r]][std::move(key)].push_back(
          {b.Time(bt::kTestedAt, r), b.Number(bt::kDownMbps, r), b.Id(bt::kRegion, r)});
      ++rows_[slots[r]];
    }
  }

  void Merge(const FamilyState& other) override {
    const auto& o = static_cast<const BroadbandState&>(other);
    for (int s = 0; s < kSlotCount; ++s) {
      for (const auto& [key, tests] : o.units_[s]) {
        std::vector<UnitTest>& v = units_[s][key];
        v.insert(v.end(), tests.begin(), tests.end());
      }
      rows_[s] += o.rows_[s];
    }
  }

  bool HasRows(int slot) const override { return rows_[slot] > 0; }

  void Save(StateOut& out, bool all_windows) const override {
    for (int s = 0; s < kSlotCount; ++s) {
      const bool saved = all_windows || s == kCurrentSlot;
      const Units& units = units_[s];
      out(saved ? rows_[s] : 0, static_cast<uint64_t>(saved ? units.size() : 0));
      if (!saved) continue;
      for (const auto& [key, tests] : units) {
        out(key.op, key.plan_centis, key.line);
        SaveRecords(out, tests);
      }
    }
  }

  // Each window's lines (a state file has only the period's, in kCurrentSlot).
  void Load(StateIn& in, const StateMapping& map) override {
    for (int s = 0; s < kSlotCount; ++s) {
      uint64_t rows = 0, units = 0;
      in(rows, units);
      const uint8_t target = map.keep_windows    ? static_cast<uint8_t>(s)
                             : s == kCurrentSlot ? map.slot
                                                 : kNoSlot;
      for (uint64_t i = 0; i < units; ++i) {
        UnitKey key;
        std::vector<UnitTest> tests;
        in(key.op, key.plan_centis, key.line);
        LoadRecords(in, &tests);
        if (target == kNoSlot) continue;
        key.op = map.Id(key.op);
        for (UnitTest& t : tests) t.region = map.Id(t.region);
        std::vector<UnitTest>& v = units_[target][std::move(key)];
        v.insert(v.end(), tests.begin(), tests.end());
      }
      if (target != kNoSlot) rows_[target] += rows;
    }
  }

  // Judging a line needs all its tests: it is done once, here, on all threads, for every
  // Finalize() and the findings to read.
  Status Complete(const EvalContext& ctx, int threads) override {
    for (int slot = 0; slot < kSlotCount; ++slot) {
      auto lines = JudgedOn(threads, ctx, slot);
      if (!lines) return std::move(lines).error();
      judged_[slot] = std::move(*lines);
    }
    completed_ = true;
    return {};
  }

  void Finalize(const EvalContext& ctx, int slot, std::vector<IndicatorValue>* out) const override {
    // Counts per operator × plan × region and per operator × month first, then each breakdown
    // from those few keys (the texts live in the judged lines).
    using Base = std::tuple<std::string_view, uint32_t, std::string_view>;
    std::map<Base, Counts> by_plan_region;
    std::map<std::pair<std::string_view, int32_t>, Counts> by_month;
    const std::vector<JudgedLine> local =
        completed_ ? std::vector<JudgedLine>() : Judged(ctx, slot);
    const std::vector<JudgedLine>& lines = completed_ ? judged_[slot] : local;
    std::map<int32_t, std::pair<double, uint64_t>> months;  // month key → sum, tests
    for (const JudgedLine& line : lines) {
      const auto plan = static_cast<uint32_t>(std::llround(line.plan_down_mbps * 100));
      Counts& n = by_plan_region[{line.op, plan, line.region}];
      n.tests += line.tests.size();
      ++n.lines;
      n.compliant += line.compliant;
      // A month judges the unit on that month's tests only.
      months.clear();
      for (const LineTest& t : line.tests) {
        auto& m = months[LocalMonthKey(t.tested_at, o_.local_offset_s)];
        m.first += t.down_mbps;
        ++m.second;
      }
      for (const auto& [month, m] : months) {
        Counts& c = by_month[{line.op, month}];
        c.tests += m.second;
        ++c.lines;
        c.compliant += Complies(m.first / static_cast<double>(m.second), line.plan_down_mbps,
                                o_.rule.min_ratio);
      }
    }
    std::map<Group, Counts> counts;
    const auto add = [&](Group g, const Counts& c) {
      std::sort(g.dims.begin(), g.dims.end());
      Counts& n = counts[std::move(g)];
      n.tests += c.tests;
      n.lines += c.lines;
      n.compliant += c.compliant;
    };
    for (const auto& [key, c] : by_plan_region) {
      const auto& [op_view, plan_centis, region_view] = key;
      const std::string op(op_view), plan = PlanText(plan_centis), region(region_view);
      add(Group{}, c);
      add(Group{{{Dim::kOperator, op}}}, c);
      add(Group{{{Dim::kPlan, plan}}}, c);
      add(Group{{{Dim::kOperator, op}, {Dim::kPlan, plan}}}, c);
      if (!region.empty()) {
        add(Group{{{Dim::kRegion, region}}}, c);
        add(Group{{{Dim::kOperator, op}, {Dim::kRegion, region}}}, c);
      }
    }
    for (const auto& [key, c] : by_month) {
      const std::string op(key.first), month = MonthKeyToString(key.second);
      add(Group{{{Dim::kMonth, month}}}, c);
      add(Group{{{Dim::kOperator, op}, {Dim::kMonth, month}}}, c);
    }
    for (const auto& [g, n] : counts) {
      PushCount(out, "broadband_tests.tests", g, n.tests, n.tests);
      PushCount(out, "broadband_tests.tested_lines", g, n.lines, n.lines);
      PushCount(out, "broadband_tests.compliant_lines", g, n.compliant, n.lines);
      PushRate(out, "broadband_tests.compliance_rate", g, n.compliant, n.lines);
    }
  }

  const BroadbandRule& rule() const { return o_.rule; }

  // Every unit of `slot`, judged, in a stable order.
  std::vector<JudgedLine> Judged(const EvalContext& ctx, int slot) const {
    if (completed_) return judged_[slot];
    auto lines = JudgedOn(1, ctx, slot);
    if (!lines) throw ErrorException(std::move(lines).error());
    return std::move(*lines);
  }

 private:
  Result<std::vector<JudgedLine>> JudgedOn(int threads, const EvalContext& ctx, int slot) const {
    std::vector<const Units::value_type*> units;
    units.reserve(units_[slot].size());
    for (const auto& unit : units_[slot]) units.push_back(&unit);
    std::vector<JudgedLine> out(units.size());
    TSQ_TRY(ParallelFor(
        threads, units.size(), 1024,
        [&](size_t begin, size_t end) {
          for (size_t i = begin; i < end; ++i) {
            out[i] = JudgeUnit(ctx, units[i]->first, units[i]->second);
          }
        },
        "judging broadband lines"));
    std::sort(out.begin(), out.end(), [](const JudgedLine& a, const JudgedLine& b) {
      return std::tie(a.op, a.line_id, a.plan_down_mbps) <
             std::tie(b.op, b.line_id, b.plan_down_mbps);
    });
    return out;
  }

  JudgedLine JudgeUnit(const EvalContext& ctx, const UnitKey& key,
                       const std::vector<UnitTest>& tests) const {
    JudgedLine line;
    line.op = std::string(ctx.dict->Get(key.op));
    line.line_id = key.line;
    line.plan_down_mbps = key.plan_centis / 100.0;
    std::vector<UnitTest> sorted = tests;
    std::sort(sorted.begin(), sorted.end(), [](const UnitTest& a, const UnitTest& b) {
      return std::tie(a.t, a.down, a.region) < std::tie(b.t, b.down, b.region);
    });
    MostFrequentCode regions;
    double sum = 0;
    line.tests.reserve(sorted.size());
    for (const UnitTest& t : sorted) {
      line.tests.push_back({t.t, t.down});
      sum += t.down;
      regions.Add(t.region);
    }
    if (const uint32_t region = regions.Get(*ctx.dict); region != kMissingId) {
      line.region = std::string(ctx.dict->Get(region));
    }
    line.mean_down_mbps = sum / static_cast<double>(sorted.size());
    line.ratio = line.mean_down_mbps / line.plan_down_mbps;
    line.compliant = Complies(line.mean_down_mbps, line.plan_down_mbps, o_.rule.min_ratio);
    return line;
  }

  BroadbandOptions o_;
  std::array<Units, kSlotCount> units_;
  std::array<uint64_t, kSlotCount> rows_{};
  bool completed_ = false;
  std::array<std::vector<JudgedLine>, kSlotCount> judged_;  // by Complete()
};

}  // namespace

const std::vector<std::string>& BroadbandIds() {
  static const std::vector<std::string> ids = {
      "broadband_tests.tests", "broadband_tests.tested_lines", "broadband_tests.compliant_lines",
      "broadband_tests.compliance_rate"};
  return ids;
}

std::unique_ptr<FamilyState> MakeBroadbandState(const BroadbandOptions& options) {
  return std::make_unique<BroadbandState>(options);
}

std::optional<BroadbandFindings> BroadbandTestFindings(const FamilyState& state,
                                                       const EvalContext& ctx) {
  const auto* s = dynamic_cast<const BroadbandState*>(&state);
  if (s == nullptr) return std::nullopt;
  BroadbandFindings f;
  f.rule = s->rule();
  f.period = ctx.periods[kCurrentSlot].label;
  f.lines = s->Judged(ctx, kCurrentSlot);
  return f;
}

}  // namespace tsq
