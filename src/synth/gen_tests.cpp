// Crowdsourced mobile speed tests (per cell, located around the cell, some without a cell id)
// and home-broadband tests per line. Planted cells and lines have scripted tests whose bad
// counts and means are exact, so the truth file can state their verdicts.
#include <algorithm>
#include <cmath>

#include "synth/edges.h"
#include "synth/gen_internal.h"

namespace tsq::synth {
namespace {

struct TestValues {
  double down, up, latency, rsrp, sinr;
};

// Values of a test on a cell of `five_g`, good or bad (below the RAT's threshold: 100 Mbit/s on
// 5G, 10 Mbit/s on 4G).
TestValues DrawValues(Rng& rng, bool five_g, bool bad) {
  TestValues v{};
  if (five_g) {
    v.down = bad ? rng.Uniform(8, 99) : rng.LogNormal(380, 0.45);
    v.up = bad ? rng.Uniform(1, 20) : rng.LogNormal(65, 0.5);
    v.latency = bad ? rng.LogNormal(60, 0.5) : rng.LogNormal(22, 0.3);
  } else {
    v.down = bad ? rng.Uniform(0.5, 9.9) : rng.LogNormal(48, 0.55);
    v.up = bad ? rng.Uniform(0.2, 3) : rng.LogNormal(15, 0.6);
    v.latency = bad ? rng.LogNormal(90, 0.5) : rng.LogNormal(35, 0.3);
  }
  v.rsrp = bad ? rng.Normal(-112, 5) : rng.Normal(-88, 7);
  v.sinr = bad ? rng.Normal(1, 3) : rng.Normal(14, 5);
  return v;
}

void AppendHex(std::string* out, uint64_t v, int digits) {
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = digits - 1; i >= 0; --i) out->push_back(kHex[(v >> (4 * i)) & 15]);
}

}  // namespace

void GenerateSpeedtests(ChunkWriter& w) {
  Rng& rng = w.rng();
  const World& world = w.world();
  const Plan& plan = w.plan();
  const bool baseline = w.task().span != SpanKind::kPeriod;
  struct Rec {
    Micros t;
    uint32_t cell;      // the serving cell (location and quality)
    bool cell_written;  // false: the phone did not report it
    int op;
    bool five_g;
    TestValues v;
    uint64_t device;  // 0 = not reported
    bool background;
  };
  std::vector<Rec> recs;
  const auto located = [&](Micros t, uint32_t cell, bool bad) {
    const Cell& c = world.cells[cell];
    Rec r{};
    r.t = t;
    r.cell = cell;
    r.cell_written = true;
    r.op = c.op;
    r.five_g = c.rat == Rat::k5G;
    r.v = DrawValues(rng, r.five_g, bad);
    r.device = rng.Chance(0.05) ? 0 : Hash64(rng.Below(world.subscribers.size() * 2) + 1);
    return r;
  };
  for (const Micros t : DayTimes(w, w.task().rows, Rhythm::kEvening)) {
    const int op = static_cast<int>(world.operator_share.Sample(rng));
    const int rat = rng.Chance(0.6) ? 1 : 0;
    const AliasTable& table = world.test_cells[op * 2 + rat];
    const std::vector<uint32_t>& ids = world.test_cell_ids[op * 2 + rat];
    if (ids.empty()) continue;
    const uint32_t cell = ids[table.Sample(rng)];
    const Cell& c = world.cells[cell];
    Rec r = located(t, cell, rng.Chance(baseline ? c.p_bad_previous : c.p_bad_now));
    r.cell_written = !rng.Chance(0.05);
    r.background = true;
    recs.push_back(r);
  }
  if (w.task().extras != nullptr) {
    for (const CellTest& ct : w.task().extras->cell_tests) {
      Rec r = located(ct.time, plan.cells[ct.planted].cell, ct.bad);
      // A scripted good test must stay good, whatever the draw.
      if (!ct.bad) r.v.down = std::max(r.v.down, r.five_g ? 120.0 : 15.0);
      recs.push_back(r);
    }
    for (const EdgeRow& e : w.task().extras->edges) {
      const Rat rat = e.code == 0 ? Rat::k4G : Rat::k5G;
      const std::vector<uint32_t>& cells = world.CellsOf(0, 0, rat);
      Rec r = located(e.time, cells[rng.Below(cells.size())], false);
      r.cell_written = false;
      recs.push_back(r);
    }
  }
  std::stable_sort(recs.begin(), recs.end(), [](const Rec& a, const Rec& b) { return a.t < b.t; });
  int64_t bg = 0;
  const auto& rats = SchemaOf(RecordType::kSpeedtests).columns[col::speedtests::kRat].enum_values;
  ChunkStats& stats = w.stats();
  for (const Rec& r : recs) {
    const Cell& c = world.cells[r.cell];
    RowBuilder& row = w.NewRow();
    AppendHex(row.Begin(col::speedtests::kTestId), rng.Next(), 16);
    row.End();
    w.SetIsoTime(col::speedtests::kTestedAt, r.t);
    row.Set(col::speedtests::kOperator, Operator(r.op).name);
    row.Set(col::speedtests::kRat, rats[r.five_g ? 1 : 0]);
    if (r.cell_written) row.Set(col::speedtests::kCellId, c.id);
    // GPS fixes scatter a few hundred metres around the site.
    w.SetFixed(col::speedtests::kLat, c.lat + rng.Normal(0, 0.003), 6);
    w.SetFixed(col::speedtests::kLon, c.lon + rng.Normal(0, 0.004), 6);
    const double down = RoundTo(r.v.down, 2);
    w.SetFixed(col::speedtests::kDownMbps, down, 2);
    if (!rng.Chance(0.02)) w.SetFixed(col::speedtests::kUpMbps, r.v.up, 2);
    if (!rng.Chance(0.03)) w.SetFixed(col::speedtests::kLatencyMs, r.v.latency, 0);
    if (!rng.Chance(0.10)) w.SetFixed(col::speedtests::kRsrpDbm, r.v.rsrp, 0);
    if (!rng.Chance(0.10)) w.SetFixed(col::speedtests::kSinrDb, r.v.sinr, 1);
    if (r.device != 0) {
      AppendHex(row.Begin(col::speedtests::kDeviceId), r.device, 12);
      row.End();
    }
    if (!w.Emit(r.background ? bg++ : -1, r.t) || !r.cell_written) continue;
    const bool bad = down < (r.five_g ? 100.0 : 10.0);
    stats.cell_tests.push_back((static_cast<uint64_t>(r.cell) << 2) | (baseline ? 2u : 0u) |
                               (bad ? 1u : 0u));
  }
}

void GenerateBroadbandTests(ChunkWriter& w) {
  Rng& rng = w.rng();
  const World& world = w.world();
  const Plan& plan = w.plan();
  const int32_t off = plan.options.local_offset_s;
  struct Rec {
    Micros t;
    uint32_t line;
    int plan, plan_up;
    double down;
    bool background;
  };
  std::vector<Rec> recs;
  if (!world.test_line_ids.empty()) {
    for (const Micros t : DayTimes(w, w.task().rows, Rhythm::kEvening)) {
      const uint32_t line = world.test_line_ids[world.test_lines.Sample(rng)];
      const BroadbandLine& l = world.lines[line];
      const int hour = LocalHour(t, off);
      const double peak = hour >= 19 && hour < 23 ? 0.97 : 1.0;  // evening congestion
      const double down = std::clamp(l.plan_down * l.ratio * rng.Normal(1.0, 0.025) * peak,
                                     0.05 * l.plan_down, 1.08 * l.plan_down);
      recs.push_back({t, line, l.plan_down, l.plan_up, RoundTo(down, 2), true});
    }
  }
  if (w.task().extras != nullptr) {
    for (const LineTest& lt : w.task().extras->line_tests) {
      const uint32_t line = plan.lines[lt.planted].line;
      const int up = lt.plan_down >= 500 ? 50 : lt.plan_down / 5;
      recs.push_back({lt.time, line, lt.plan_down, up, lt.down, false});
    }
  }
  std::stable_sort(recs.begin(), recs.end(), [](const Rec& a, const Rec& b) { return a.t < b.t; });
  int64_t bg = 0;
  uint64_t seq = 0;
  ChunkStats& stats = w.stats();
  for (const Rec& r : recs) {
    const BroadbandLine& l = world.lines[r.line];
    RowBuilder& row = w.NewRow();
    w.SetId(col::broadband_tests::kTestId, "BT", r.t, ++seq, 6);
    row.Set(col::broadband_tests::kLineId, l.id);
    row.Set(col::broadband_tests::kOperator, Operator(l.op).name);
    if (!rng.Chance(0.03)) row.Set(col::broadband_tests::kRegion, Region(l.region).name);
    w.SetTime(col::broadband_tests::kTestedAt, r.t);
    w.SetInt(col::broadband_tests::kPlanDownMbps, r.plan);
    if (r.plan_up > 0) w.SetInt(col::broadband_tests::kPlanUpMbps, r.plan_up);
    w.SetFixed(col::broadband_tests::kDownMbps, r.down, 2);
    if (r.plan_up > 0 && !rng.Chance(0.05)) {
      w.SetFixed(col::broadband_tests::kUpMbps, r.plan_up * rng.Uniform(0.85, 1.05), 2);
    }
    if (!w.Emit(r.background ? bg++ : -1, r.t) || w.task().span != SpanKind::kPeriod) continue;
    stats.line_tests.push_back({r.line, l.op, r.plan, r.down});
  }
}

}  // namespace tsq::synth
