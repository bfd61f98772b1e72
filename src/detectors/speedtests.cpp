#include "detectors/speedtests.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <optional>

#include "core/threads.h"
#include "detectors/quadkey.h"
#include "engine/keyed_family_io.h"
#include "engine/stats.h"

namespace tsq {
namespace {

namespace st = col::speedtests;

// Test figures. Base key: operator, rat, month.
constexpr int kOp = 0, kRat = 1, kMonth = 2;
// Cell tests. Base key: operator, rat, kind (cell or tile), cell id or tile code; the slot is the
// window (a period slot, or kBaselineWindow).
constexpr int kKind = 2, kCode = 3;
constexpr uint32_t kCellKind = 0, kTileKind = 1;
constexpr uint32_t kBaselineWindow = kSlotCount;  // a baseline that is not the previous period
constexpr int kWindows = kSlotCount + 1;

struct TestAgg {
  uint64_t bad = 0;           // by the speed rule, whatever rule judges cells
  std::vector<double> downs;  // every test's downstream rate, for the percentiles

  template <class Archive>
  void serialize(Archive& ar) {
    ar(bad, downs);
  }
  void Merge(const TestAgg& o) {
    bad += o.bad;
    downs.insert(downs.end(), o.downs.begin(), o.downs.end());
  }
};

struct CellTests {
  std::vector<CellTest> tests;
  void Merge(const CellTests& o) { tests.insert(tests.end(), o.tests.begin(), o.tests.end()); }
};

const Layout& TestLayout() {
  static const Layout layout = [] {
    Layout l;
    l.dims = {{Dim::kOperator, Coding::kDictId},
              {Dim::kRat, Coding::kEnumCode,
               SchemaOf(RecordType::kSpeedtests).columns[st::kRat].enum_values},
              {Dim::kMonth, Coding::kMonthKey}};
    l.breakdowns = {{}, {kOp}, {kRat}, {kMonth}, {kOp, kRat}, {kOp, kMonth}, {kOp, kRat, kMonth}};
    return l;
  }();
  return layout;
}

uint32_t DeviceHash(std::string_view id) {
  if (id.empty()) return 0;
  const auto h = static_cast<uint32_t>(std::hash<std::string_view>{}(id));
  return h == 0 ? 1 : h;
}

float AsFloat(double v) { return IsMissing(v) ? NAN : static_cast<float>(v); }

// Cell counts of one group of the cell breakdowns.
struct CellCounts {
  uint64_t cells = 0, measured = 0, poor = 0;
  uint64_t baseline_poor = 0, remediated = 0, unverified = 0, still_poor = 0;
};

class SpeedtestsState final : public FamilyState {
 public:
  explicit SpeedtestsState(const SpeedtestsOptions& o) : o_(o) {}

  void Update(const Batch& b, const uint8_t* slots) override {
    const bool separate_baseline = o_.baseline.has_value();
    for (size_t r = 0; r < b.rows; ++r) {
      const Micros t = b.Time(st::kTestedAt, r);
      const bool in_baseline = separate_baseline && o_.baseline->Contains(t);
      if (slots[r] == kNoSlot && !in_baseline) continue;
      const uint32_t op = b.Id(st::kOperator, r);
      const uint8_t rat = b.Code(st::kRat, r);
      const double down = b.Number(st::kDownMbps, r);
      CellTest test;
      test.day = static_cast<int32_t>(LocalDay(t, o_.local_offset_s));
      test.device = DeviceHash(b.Text(st::kDeviceId, r));
      test.down_mbps = static_cast<float>(down);
      test.rsrp_dbm = AsFloat(b.Number(st::kRsrpDbm, r));
      test.sinr_db = AsFloat(b.Number(st::kSinrDb, r));
      const double lat = b.Number(st::kLat, r);
      const double lon = b.Number(st::kLon, r);
      test.lat = static_cast<float>(lat);
      test.lon = static_cast<float>(lon);
      BaseKey cell;
      cell.dims[kOp] = op;
      cell.dims[kRat] = rat;
      const uint32_t cell_id = b.Id(st::kCellId, r);
      cell.dims[kKind] = cell_id == kMissingId ? kTileKind : kCellKind;
      cell.dims[kCode] = cell_id == kMissingId ? TileCode(lat, lon) : cell_id;
      if (slots[r] != kNoSlot) {
        ++rows_[slots[r]];
        BaseKey key;
        key.dims[kOp] = op;
        key.dims[kRat] = rat;
        key.dims[kMonth] = static_cast<uint32_t>(LocalMonthKey(t, o_.local_offset_s));
        key.slot = slots[r];
        TestAgg& agg = tests_.At(key);
        agg.downs.push_back(down);
        if (down < (rat == 1 ? o_.rule.bad_down_mbps_5g : o_.rule.bad_down_mbps_4g)) ++agg.bad;
        cell.slot = slots[r];
        cells_.At(cell).tests.push_back(test);
      }
      if (in_baseline) {
        ++rows_[kBaselineWindow];
        cell.slot = kBaselineWindow;
        cells_.At(cell).tests.push_back(test);
      }
    }
  }

  void Merge(const FamilyState& other) override {
    const auto& o = static_cast<const SpeedtestsState&>(other);
    tests_.Merge(o.tests_);
    cells_.Merge(o.cells_);
    for (int w = 0; w < kWindows; ++w) rows_[w] += o.rows_[w];
  }

  bool HasRows(int slot) const override { return rows_[slot] > 0; }

  // The period's tests (a baseline outside the comparison periods is saved by its own run), or
  // every window's.
  void Save(StateOut& out, bool all_windows) const override {
    out(rows_);
    SaveKeyedStates(out, tests_, all_windows, [](const TestAgg& a, StateOut& o) { o(a); });
    SaveKeyedStates(out, cells_, all_windows,
                    [](const CellTests& c, StateOut& o) { SaveRecords(o, c.tests); });
  }

  void Load(StateIn& in, const StateMapping& map) override {
    std::array<uint64_t, kWindows> rows{};
    in(rows);
    std::vector<uint32_t> windows;  // where a period's saved rows go
    if (map.slot != kNoSlot) windows.push_back(map.slot);
    if (map.baseline) windows.push_back(kBaselineWindow);
    if (map.keep_windows) {
      for (int w = 0; w < kWindows; ++w) rows_[w] += rows[w];
    } else {
      for (uint32_t w : windows) rows_[w] += rows[kCurrentSlot];
    }
    const auto op_only = [&](BaseKey* k) { k->dims[kOp] = map.Id(k->dims[kOp]); };
    LoadKeyedStates<TestAgg>(
        in, map, kWindows,
        map.slot == kNoSlot ? std::vector<uint32_t>{} : std::vector<uint32_t>{map.slot}, op_only,
        [](StateIn& i, TestAgg* a) { i(*a); }, &tests_);
    LoadKeyedStates<CellTests>(
        in, map, kWindows, windows,
        [&](BaseKey* k) {
          op_only(k);
          if (k->dims[kKind] == kCellKind) k->dims[kCode] = map.Id(k->dims[kCode]);
        },
        [](StateIn& i, CellTests* c) { LoadRecords(i, &c->tests); }, &cells_);
  }

  // The cells' verdicts rest on every test of a window: they are worked out once, here, on all
  // threads, for every Finalize() and the findings to read.
  Status Complete(const EvalContext& ctx, int threads) override {
    auto judged = Judge(ctx, threads);
    if (!judged) return std::move(judged).error();
    judged_ = std::move(*judged);
    return {};
  }

  void Finalize(const EvalContext& ctx, int slot, std::vector<IndicatorValue>* out) const override {
    for (const auto& g : RollUp(tests_, TestLayout(), static_cast<uint32_t>(slot), *ctx.dict)) {
      TestAgg t = g.Total();
      const uint64_t n = t.downs.size();
      PushCount(out, "speedtests.tests", g.group, n, n);
      PushCount(out, "speedtests.bad_tests", g.group, t.bad, n);
      PushRate(out, "speedtests.bad_share", g.group, t.bad, n);
      if (n == 0) continue;
      PushNumber(out, "speedtests.median_down_mbps", g.group, SelectPercentileInc(t.downs, 0.5), n);
      PushNumber(out, "speedtests.p10_down_mbps", g.group, SelectPercentileInc(t.downs, 0.1), n);
    }
    // A state that was not completed (a test's) judges its cells now.
    std::optional<Judgement> local;
    if (!judged_) {
      auto judged = Judge(ctx, 1);
      if (!judged) throw ErrorException(std::move(judged).error());
      local = std::move(*judged);
    }
    PushCellFigures(judged_ ? *judged_ : *local, slot, out);
  }

  CellFindings Findings(const EvalContext& ctx) const {
    if (judged_) return judged_->findings;
    auto judged = Judge(ctx, 1);
    if (!judged) throw ErrorException(std::move(judged).error());
    return std::move(judged->findings);
  }

 private:
  // What Complete() works out: per period slot, its cells judged alone (for the cell counts), and
  // the findings: the period's cells against the baseline's.
  struct Judgement {
    std::array<std::vector<JudgedCell>, kSlotCount> period_cells;
    CellFindings findings;
  };

  Result<Judgement> Judge(const EvalContext& ctx, int threads) const {
    Judgement j;
    const uint32_t baseline = BaselineWindow();
    const std::map<CellKey, CellFigures>* stored = StoredBefore();
    const std::map<CellKey, std::vector<CellTest>> now = CellsOf(ctx, kCurrentSlot);
    const std::map<CellKey, std::vector<CellTest>> before = CellsOf(ctx, baseline);
    auto findings = JudgeCellsOn(threads, now, before, o_.work_orders, o_.rule, stored);
    if (!findings) return std::move(findings).error();
    j.findings = std::move(*findings);
    // The period's cells alone, and the baseline's when it is a period slot, are the findings'
    // figures, but for the cells a work order splits at its fix day.
    j.period_cells[kCurrentSlot] = Alone(j.findings, now, &JudgedCell::now);
    if (baseline < static_cast<uint32_t>(kSlotCount)) {
      j.period_cells[baseline] = Alone(j.findings, before, &JudgedCell::before);
    }
    for (uint32_t slot = kCurrentSlot + 1; slot < static_cast<uint32_t>(kSlotCount); ++slot) {
      if (slot == baseline || rows_[slot] == 0) continue;
      auto alone = JudgeCellsOn(threads, CellsOf(ctx, slot), {}, {}, o_.rule);
      if (!alone) return std::move(alone).error();
      j.period_cells[slot] = std::move(alone->cells);
    }
    CellFindings& f = j.findings;
    f.period = ctx.periods[kCurrentSlot].label;
    f.baseline = o_.baseline ? o_.baseline->label : ctx.periods[kPreviousSlot].label;
    if (stored != nullptr) f.baseline_source = BaselineSource::kStore;
    f.stored_baseline_rule_differs =
        rows_[baseline] == 0 && o_.stored_baseline && !(o_.stored_baseline->rule == o_.rule);
    return j;
  }

  // The cells of one window judged alone (figures in `now`), from the findings' `side` of them:
  // a cell that a work order splits is judged again on all of the window's tests.
  std::vector<JudgedCell> Alone(const CellFindings& findings,
                                const std::map<CellKey, std::vector<CellTest>>& window,
                                std::optional<CellFigures> JudgedCell::*side) const {
    std::vector<JudgedCell> out;
    out.reserve(window.size());
    for (const JudgedCell& c : findings.cells) {
      auto tests = window.find(c.key);
      if (tests == window.end()) continue;
      JudgedCell& cell = out.emplace_back();
      cell.key = c.key;
      cell.now = c.work_order ? JudgeCell(tests->second, c.key.rat == "5G", o_.rule) : c.*side;
    }
    return out;
  }

  // The stored baseline's figures, when the data has no test of the baseline and the figures
  // were judged under this run's rule; else nullptr.
  const std::map<CellKey, CellFigures>* StoredBefore() const {
    if (rows_[BaselineWindow()] > 0 || !o_.stored_baseline) return nullptr;
    if (!(o_.stored_baseline->rule == o_.rule)) return nullptr;
    return &o_.stored_baseline->cells;
  }

  uint32_t BaselineWindow() const {
    return o_.baseline ? kBaselineWindow : uint32_t{kPreviousSlot};
  }

  std::map<CellKey, std::vector<CellTest>> CellsOf(const EvalContext& ctx, uint32_t window) const {
    static const auto& rats = SchemaOf(RecordType::kSpeedtests).columns[st::kRat].enum_values;
    std::map<CellKey, std::vector<CellTest>> out;
    for (size_t i = 0; i < cells_.size(); ++i) {
      const BaseKey& k = cells_.key(i);
      if (k.slot != window) continue;
      CellKey key;
      key.op = std::string(ctx.dict->Get(k.dims[kOp]));
      key.rat = std::string(rats[k.dims[kRat]]);
      key.tile = k.dims[kKind] == kTileKind;
      key.id = key.tile ? TileQuadkey(k.dims[kCode]) : std::string(ctx.dict->Get(k.dims[kCode]));
      std::vector<CellTest>& v = out[key];
      v.insert(v.end(), cells_.state(i).tests.begin(), cells_.state(i).tests.end());
    }
    // Workers append in any order: sort so that every figure is the same on every run.
    for (auto& [key, v] : out) {
      std::sort(v.begin(), v.end(), [](const CellTest& a, const CellTest& b) {
        return std::tie(a.day, a.device, a.down_mbps, a.lat, a.lon) <
               std::tie(b.day, b.device, b.down_mbps, b.lat, b.lon);
      });
    }
    return out;
  }

  // Cell counts per all, operator, rat and operator × rat: measured and poor cells of `slot`,
  // and for the period the remediation of the baseline's poor cells. Cells only, not tiles.
  void PushCellFigures(const Judgement& judged, int slot, std::vector<IndicatorValue>* out) const {
    const auto groups_of = [](const CellKey& k) {
      return std::vector<Group>{Group{}, Group{{{Dim::kOperator, k.op}}},
                                Group{{{Dim::kRat, k.rat}}},
                                Group{{{Dim::kOperator, k.op}, {Dim::kRat, k.rat}}}};
    };
    std::map<Group, CellCounts> counts;
    for (const JudgedCell& cell : judged.period_cells[slot]) {
      if (cell.key.tile || !cell.now) continue;
      for (const Group& g : groups_of(cell.key)) {
        CellCounts& n = counts[g];
        ++n.cells;
        n.measured += cell.now->measured;
        n.poor += cell.now->poor;
      }
    }
    const bool remediation =
        slot == kCurrentSlot && (rows_[BaselineWindow()] > 0 || StoredBefore() != nullptr);
    if (remediation) {
      for (const JudgedCell& cell : judged.findings.cells) {
        if (cell.key.tile || !cell.remediation) continue;
        for (const Group& g : groups_of(cell.key)) {
          auto it = counts.find(g);
          if (it == counts.end()) continue;  // no test of the group in the period
          CellCounts& n = it->second;
          ++n.baseline_poor;
          n.remediated += *cell.remediation == Remediation::kRemediated;
          n.unverified += *cell.remediation == Remediation::kUnverified;
          n.still_poor += *cell.remediation == Remediation::kStillPoor;
        }
      }
    }
    for (const auto& [g, n] : counts) {
      PushCount(out, "speedtests.measured_cells", g, n.measured, n.cells);
      PushCount(out, "speedtests.poor_cells", g, n.poor, n.measured);
      PushRate(out, "speedtests.poor_share", g, n.poor, n.measured);
      if (!remediation) continue;
      PushCount(out, "speedtests.baseline_poor_cells", g, n.baseline_poor, n.baseline_poor);
      PushCount(out, "speedtests.remediated_cells", g, n.remediated, n.baseline_poor);
      PushCount(out, "speedtests.unverified_cells", g, n.unverified, n.baseline_poor);
      PushCount(out, "speedtests.still_poor_cells", g, n.still_poor, n.baseline_poor);
      PushRate(out, "speedtests.remediation_rate", g, n.remediated, n.baseline_poor);
    }
  }

  SpeedtestsOptions o_;
  std::optional<Judgement> judged_;  // by Complete()
  KeyedStates<TestAgg> tests_;
  KeyedStates<CellTests> cells_;
  std::array<uint64_t, kWindows> rows_{};
};

}  // namespace

const std::vector<std::string>& SpeedtestsIds() {
  static const std::vector<std::string> ids = {"speedtests.tests",
                                               "speedtests.bad_tests",
                                               "speedtests.bad_share",
                                               "speedtests.median_down_mbps",
                                               "speedtests.p10_down_mbps",
                                               "speedtests.measured_cells",
                                               "speedtests.poor_cells",
                                               "speedtests.poor_share",
                                               "speedtests.baseline_poor_cells",
                                               "speedtests.remediated_cells",
                                               "speedtests.unverified_cells",
                                               "speedtests.still_poor_cells",
                                               "speedtests.remediation_rate"};
  return ids;
}

std::unique_ptr<FamilyState> MakeSpeedtestsState(const SpeedtestsOptions& options) {
  return std::make_unique<SpeedtestsState>(options);
}

std::optional<CellFindings> SpeedtestsFindings(const FamilyState& state, const EvalContext& ctx) {
  const auto* s = dynamic_cast<const SpeedtestsState*>(&state);
  if (s == nullptr) return std::nullopt;
  return s->Findings(ctx);
}

}  // namespace tsq
