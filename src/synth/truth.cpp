#include "synth/truth.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace tsq::synth {
namespace {

using Json = nlohmann::ordered_json;

constexpr int64_t kMinCellTests = 20;
constexpr double kPoorShare = 0.20;

// The reader's names of the reasons (BadRowReasonName), spelled out here so that the truth file
// does not depend on the reader's implementation.
const char* ReasonName(BadRowReason reason) {
  static constexpr const char* kNames[kBadRowReasonCount] = {
      "bad_quoting", "column_count",     "invalid_utf8",    "undecodable",
      "bad_json",    "missing_required", "bad_timestamp",   "bad_number",
      "bad_bool",    "unknown_enum",     "end_before_start"};
  return kNames[static_cast<int>(reason)];
}

// A fraction, or null for an empty denominator (the engine's "no value").
Json Rate(double num, double den) {
  if (den <= 0) return nullptr;
  return num / den;
}

std::string_view EnumText(RecordType type, int column, int value) {
  return SchemaOf(type).columns[column].enum_values[value];
}

Json Verdict(const Json& value, std::string_view op, double target) {
  if (value.is_null()) return "insufficient data";
  const double v = value.get<double>();
  const bool met = op == ">=" ? v >= target : v <= target;
  return met ? "met" : "missed";
}

Json Finding(std::string id, Json group, const Json& value, int64_t n, std::string_view op,
             double target, std::string why) {
  Json f;
  f["id"] = std::move(id);
  f["group"] = std::move(group);
  f["value"] = value;
  f["n"] = n;
  f["target"] = {{"op", op}, {"value", target}};
  f["verdict"] = Verdict(value, op, target);
  f["why"] = std::move(why);
  return f;
}

struct CellCount {
  int64_t tests = 0;
  int64_t bad = 0;
  bool Measured() const { return tests >= kMinCellTests; }
  bool Poor() const { return Measured() && WilsonLower(bad, tests) > kPoorShare; }
};

Json CellSide(const CellCount& c) {
  Json j;
  j["tests"] = c.tests;
  j["bad_tests"] = c.bad;
  j["bad_share"] = Rate(static_cast<double>(c.bad), static_cast<double>(c.tests));
  j["wilson_lower"] = c.tests > 0 ? Json(WilsonLower(c.bad, c.tests)) : Json(nullptr);
  j["measured"] = c.Measured();
  j["poor"] = c.Poor();
  return j;
}

}  // namespace

double WilsonLower(int64_t bad, int64_t n) {
  if (n <= 0) return 0;
  const double z = 1.645;
  const double nn = static_cast<double>(n);
  const double p = static_cast<double>(bad) / nn;
  const double z2 = z * z;
  return (p + z2 / (2 * nn) - z * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn))) / (1 + z2 / nn);
}

void MergedStats::Add(RecordType type, ChunkStats&& stats) {
  std::vector<int64_t>& c = counters[static_cast<int>(type)];
  if (c.size() < stats.counters.size()) c.resize(stats.counters.size(), 0);
  for (size_t i = 0; i < stats.counters.size(); ++i) c[i] += stats.counters[i];
  caller_events.insert(caller_events.end(), stats.caller_events.begin(), stats.caller_events.end());
  cell_tests.insert(cell_tests.end(), stats.cell_tests.begin(), stats.cell_tests.end());
  line_tests.insert(line_tests.end(), stats.line_tests.begin(), stats.line_tests.end());
}

std::string CallerLabelsCsv(const Plan& plan) {
  std::string out = "caller,label,kind\n";
  for (const PlannedCaller& c : plan.callers) {
    const char* label = IsSuspicious(c.kind)
                            ? (c.kind == CallerKind::kFraud ? "fraud" : "harassment")
                            : "legitimate";
    out += fmt::format("{},{},{}\n", c.number, label, CallerKindName(c.kind));
  }
  return out;
}

std::string TruthJson(const Plan& plan, const std::vector<FileResult>& files,
                      const MergedStats& stats, std::string_view compression) {
  const World& world = plan.world;
  const int32_t off = plan.options.local_offset_s;
  Json t;
  t["generator"] = "tsq generate";
  t["truth_version"] = 1;
  t["seed"] = plan.options.seed;
  t["scale"] = plan.options.scale;
  t["period"] = plan.period.label;
  t["from"] = FormatTimestamp(plan.period.from, off);
  t["to"] = FormatTimestamp(plan.period.to, off);
  t["as_of"] = FormatTimestamp(plan.as_of, off);
  t["export_time"] = FormatTimestamp(plan.export_time, off);
  t["baseline_period"] = plan.previous.label;
  t["year_earlier_period"] = plan.year_earlier.label;
  t["local_offset_s"] = off;
  t["format"] = plan.options.format == OutputFormat::kCsv ? "csv" : "jsonl";
  t["compression"] = compression;
  t["bad_rows_planted"] = plan.options.plant_bad_rows;

  // ---- files
  Json jf = Json::array();
  for (size_t i = 0; i < files.size(); ++i) {
    const FileResult& f = files[i];
    Json j;
    j["path"] = f.name;
    j["type"] = SchemaOf(plan.files[i].layout.type).name;
    j["rows"] = f.rows;
    j["rows_in_period"] = f.rows_in_period;
    j["bytes"] = f.bytes;
    Json by_reason = Json::object();
    for (int r = 0; r < kBadRowReasonCount; ++r) {
      const auto reason = static_cast<BadRowReason>(r);
      const auto n = std::count_if(f.bad.begin(), f.bad.end(),
                                   [&](const FileBadRow& b) { return b.reason == reason; });
      if (n > 0) by_reason[ReasonName(reason)] = n;
    }
    Json rows = Json::array();
    for (const FileBadRow& b : f.bad) {
      rows.push_back({{"line", b.line}, {"column", b.column}, {"reason", ReasonName(b.reason)}});
    }
    j["bad_rows"] = {{"count", f.bad.size()}, {"by_reason", by_reason}, {"rows", rows}};
    jf.push_back(std::move(j));
  }
  t["files"] = std::move(jf);

  // ---- callers
  struct CallerAgg {
    int64_t calls = 0, answered = 0, short_answered = 0, incoming = 0;
    std::set<uint64_t> callees, callers_back, imeis;
    std::set<int64_t> days;
  };
  std::vector<CallerAgg> agg(plan.callers.size());
  for (const CallerEvent& e : stats.caller_events) {
    CallerAgg& a = agg[e.caller];
    if (e.incoming) {
      a.incoming++;
      a.callers_back.insert(e.other);
      continue;
    }
    a.calls++;
    a.days.insert(e.day);
    a.callees.insert(e.other);
    if (e.imei != 0) a.imeis.insert(e.imei);
    if (e.outcome == static_cast<uint8_t>(enums::CallOutcome::kAnswered)) {
      a.answered++;
      a.short_answered += e.duration_s < 10 ? 1 : 0;
    }
  }
  Json jc = Json::array();
  for (size_t i = 0; i < plan.callers.size(); ++i) {
    const PlannedCaller& c = plan.callers[i];
    const CallerAgg& a = agg[i];
    int64_t callbacks = 0;
    for (uint64_t n : a.callers_back) callbacks += a.callees.count(n) ? 1 : 0;
    Json j;
    j["number"] = fmt::format("{}", c.number);
    j["label"] = IsSuspicious(c.kind) ? (c.kind == CallerKind::kFraud ? "fraud" : "harassment")
                                      : "legitimate";
    j["kind"] = CallerKindName(c.kind);
    j["operator"] = Operator(c.op).name;
    j["region"] = Region(c.region).name;
    j["first_day"] = a.days.empty() ? Json(nullptr) : Json(FormatDay(*a.days.begin()));
    j["last_day"] = a.days.empty() ? Json(nullptr) : Json(FormatDay(*a.days.rbegin()));
    j["active_days"] = a.days.size();
    j["calls"] = a.calls;
    j["calls_per_active_day"] =
        Rate(static_cast<double>(a.calls), static_cast<double>(a.days.size()));
    j["answered"] = a.answered;
    j["answer_rate"] = Rate(static_cast<double>(a.answered), static_cast<double>(a.calls));
    j["distinct_callees"] = a.callees.size();
    j["calls_per_callee"] =
        Rate(static_cast<double>(a.calls), static_cast<double>(a.callees.size()));
    j["short_answered_share"] =
        Rate(static_cast<double>(a.short_answered), static_cast<double>(a.answered));
    j["calls_back_received"] = a.incoming;
    j["callees_who_called_back"] = callbacks;
    j["callback_ratio"] =
        Rate(static_cast<double>(callbacks), static_cast<double>(a.callees.size()));
    Json imeis = Json::array();
    for (uint64_t m : a.imeis) imeis.push_back(fmt::format("{}", m));
    j["imeis"] = std::move(imeis);
    jc.push_back(std::move(j));
  }
  t["callers"] = std::move(jc);

  // ---- cells
  std::map<uint32_t, std::pair<CellCount, CellCount>> cells;  // cell -> (baseline, period)
  for (uint64_t v : stats.cell_tests) {
    auto& [base, now] = cells[static_cast<uint32_t>(v >> 2)];
    CellCount& c = (v & 2) ? base : now;
    c.tests++;
    c.bad += static_cast<int64_t>(v & 1);
  }
  Json jcells;
  jcells["rule"] = {{"bad_below_mbps", {{"4G", 10}, {"5G", 100}}},
                    {"min_tests", kMinCellTests},
                    {"poor_when_wilson_lower_above", kPoorShare},
                    {"z", 1.645}};
  const bool drawn = plan.options.cell_tests > 0;
  if (drawn) jcells["cell_tests"] = plan.options.cell_tests;
  Json planted = Json::array();
  for (const PlannedCell& pc : plan.cells) {
    const Cell& c = world.cells[pc.cell];
    const auto it = cells.find(pc.cell);
    const CellCount base = it == cells.end() ? CellCount{} : it->second.first;
    const CellCount now = it == cells.end() ? CellCount{} : it->second.second;
    std::string status = "not_poor";
    if (base.Poor()) {
      status = !now.Measured() ? "unverified" : (now.Poor() ? "still_poor" : "remediated");
    } else if (now.Poor()) {
      status = "poor";
    } else if (!now.Measured()) {
      status = "not_measured";
    }
    Json j;
    j["cell_id"] = std::string(c.id.view());
    j["operator"] = Operator(c.op).name;
    j["rat"] = c.rat == Rat::k5G ? "5G" : "4G";
    j["region"] = Region(c.region).name;
    j["lat"] = c.lat;
    j["lon"] = c.lon;
    j["intent"] = pc.intent;
    if (drawn) {
      j["true_bad_share"] = pc.true_bad_share >= 0 ? Json(pc.true_bad_share) : Json(nullptr);
    }
    j["status"] = status;
    j["baseline"] = CellSide(base);
    j["period"] = CellSide(now);
    planted.push_back(std::move(j));
  }
  jcells["planted"] = std::move(planted);
  // Exact cell figures over all cells (background ones included), per operator x rat.
  struct CellSummary {
    int64_t measured = 0, poor = 0, baseline_poor = 0, remediated = 0, unverified = 0,
            still_poor = 0;
  };
  std::map<std::pair<int, int>, CellSummary> summary;  // (op or -1, rat or -1)
  for (const auto& [cell, counts] : cells) {
    const Cell& c = world.cells[cell];
    const int rat = c.rat == Rat::k5G ? 1 : 0;
    const auto& [base, now] = counts;
    for (const std::pair<int, int>& key :
         {std::pair{-1, -1}, std::pair{static_cast<int>(c.op), -1}, std::pair{-1, rat},
          std::pair{static_cast<int>(c.op), rat}}) {
      CellSummary& s = summary[key];
      s.measured += now.Measured();
      s.poor += now.Poor();
      if (base.Poor()) {
        s.baseline_poor++;
        s.remediated += now.Measured() && !now.Poor();
        s.unverified += !now.Measured();
        s.still_poor += now.Poor();
      }
    }
  }
  Json js = Json::array();
  for (const auto& [key, s] : summary) {
    Json group = Json::object();
    if (key.first >= 0) group["operator"] = Operator(key.first).name;
    if (key.second >= 0) group["rat"] = key.second == 1 ? "5G" : "4G";
    js.push_back(
        {{"group", group},
         {"measured_cells", s.measured},
         {"poor_cells", s.poor},
         {"poor_share", Rate(static_cast<double>(s.poor), static_cast<double>(s.measured))},
         {"baseline_poor_cells", s.baseline_poor},
         {"remediated_cells", s.remediated},
         {"unverified_cells", s.unverified},
         {"still_poor_cells", s.still_poor},
         {"remediation_rate",
          Rate(static_cast<double>(s.remediated), static_cast<double>(s.baseline_poor))}});
  }
  jcells["summary"] = std::move(js);
  t["cells"] = std::move(jcells);

  // ---- broadband
  struct Unit {
    double sum = 0;
    int64_t n = 0;
    uint8_t op = 0;
  };
  std::map<std::pair<uint32_t, int>, Unit> units;  // (line, plan)
  for (const LineSample& s : stats.line_tests) {
    Unit& u = units[{s.line, s.plan}];
    u.sum += s.down;
    u.n++;
    u.op = s.op;
  }
  const auto compliant = [](const Unit& u, int plan_down) {
    return u.sum / static_cast<double>(u.n) >= 0.9 * plan_down;
  };
  Json jb;
  jb["rule"] =
      "compliant when the mean measured downstream of operator x line x plan in the "
      "period is >= 0.9 x plan_down_mbps";
  Json lines = Json::array();
  for (const PlannedLine& pl : plan.lines) {
    const BroadbandLine& l = world.lines[pl.line];
    Json j;
    j["line_id"] = std::string(l.id.view());
    j["operator"] = Operator(l.op).name;
    j["region"] = Region(l.region).name;
    j["intent"] = pl.intent;
    Json ju = Json::array();
    for (const auto& [key, u] : units) {
      if (key.first != pl.line) continue;
      ju.push_back({{"plan_down_mbps", key.second},
                    {"tests", u.n},
                    {"mean_down_mbps", u.sum / static_cast<double>(u.n)},
                    {"ratio", u.sum / static_cast<double>(u.n) / key.second},
                    {"compliant", compliant(u, key.second)}});
    }
    j["units"] = std::move(ju);
    lines.push_back(std::move(j));
  }
  jb["planted"] = std::move(lines);
  std::array<int64_t, kOperatorCount> tested{}, ok{};
  for (const auto& [key, u] : units) {
    tested[u.op]++;
    ok[u.op] += compliant(u, key.second) ? 1 : 0;
  }
  Json bsum = Json::array();
  int64_t all_tested = 0, all_ok = 0;
  for (int op = 0; op < kOperatorCount; ++op) {
    all_tested += tested[op];
    all_ok += ok[op];
    bsum.push_back(
        {{"group", {{"operator", Operator(op).name}}},
         {"tested_lines", tested[op]},
         {"compliant_lines", ok[op]},
         {"compliance_rate", Rate(static_cast<double>(ok[op]), static_cast<double>(tested[op]))}});
  }
  bsum.insert(bsum.begin(), Json{{"group", Json::object()},
                                 {"tested_lines", all_tested},
                                 {"compliant_lines", all_ok},
                                 {"compliance_rate", Rate(static_cast<double>(all_ok),
                                                          static_cast<double>(all_tested))}});
  jb["summary"] = std::move(bsum);
  t["broadband"] = std::move(jb);

  // ---- expected figures of the period (exact), and the designed findings
  const auto& kc = stats.counters;
  const auto counter = [&](RecordType type, size_t i) -> int64_t {
    const auto& v = kc[static_cast<int>(type)];
    return i < v.size() ? v[i] : 0;
  };
  Json expected;
  Json jcalls = Json::array();
  for (int op = 0; op < kOperatorCount; ++op) {
    for (int region = 0; region < kRegionCount; ++region) {
      const auto f = [&](int field) {
        return counter(RecordType::kCalls,
                       static_cast<size_t>(counters::CallIndex(op, region, field)));
      };
      if (f(0) == 0) continue;
      jcalls.push_back(
          {{"group", {{"operator", Operator(op).name}, {"region", Region(region).name}}},
           {"attempts", f(0)},
           {"connected", f(1)},
           {"answered", f(2)},
           {"dropped", f(3)},
           {"congested", f(4)},
           {"connect_rate", Rate(static_cast<double>(f(1)), static_cast<double>(f(0)))},
           {"drop_rate", Rate(static_cast<double>(f(3)), static_cast<double>(f(2)))},
           {"congestion_rate", Rate(static_cast<double>(f(4)), static_cast<double>(f(0)))}});
    }
  }
  expected["calls"] = std::move(jcalls);

  Json jorders = Json::array();
  for (int op = 0; op < kOperatorCount; ++op) {
    for (int pair = 0; pair < counters::kOrderPairCount; ++pair) {
      const auto f = [&](int field) {
        return counter(RecordType::kOrders,
                       static_cast<size_t>(counters::OrderIndex(op, pair, field)));
      };
      if (f(0) == 0) continue;
      const OrderPair& p = kOrderPairs[pair];
      Json j = {
          {"group", {{"operator", Operator(op).name}}},
          {"service",
           EnumText(RecordType::kOrders, col::orders::kService, static_cast<int>(p.service))},
          {"kind", EnumText(RecordType::kOrders, col::orders::kKind, static_cast<int>(p.kind))},
          {"count", f(0)},
          {"completed", f(1)},
          {"open", f(0) - f(1)},
          {"avg_hours", Rate(static_cast<double>(f(4)) / 3600.0, static_cast<double>(f(1)))}};
      if (p.max_hours > 0) {
        j["max_limit_hours"] = p.max_hours;
        j["on_time"] = f(2);
        j["open_overdue"] = f(3);
        j["timely_rate"] = Rate(static_cast<double>(f(2)), static_cast<double>(f(1) + f(3)));
      }
      jorders.push_back(std::move(j));
    }
  }
  expected["orders"] = std::move(jorders);

  Json jhot = Json::array();
  for (int op = 0; op < kOperatorCount; ++op) {
    for (int m = 0; m < counters::kHotlineMonths; ++m) {
      const auto f = [&](int field) {
        return counter(RecordType::kHotline,
                       static_cast<size_t>(counters::HotlineIndex(op, m, field)));
      };
      if (f(0) == 0) continue;
      const CivilDate first = plan.period.first_day;
      const int key = first.year * 12 + first.month - 1 + m;
      jhot.push_back(
          {{"group", {{"operator", Operator(op).name}, {"month", MonthKeyToString(key)}}},
           {"human_requested", f(0)},
           {"human_answered", f(1)},
           {"human_answer_rate", Rate(static_cast<double>(f(1)), static_cast<double>(f(0)))},
           {"avg_response_s", Rate(static_cast<double>(f(2)), static_cast<double>(f(1)))},
           {"answered_within_15s_rate",
            Rate(static_cast<double>(f(3)), static_cast<double>(f(0)))}});
    }
  }
  expected["hotline"] = std::move(jhot);

  Json jsimple = Json::array();
  for (int op = 0; op < kOperatorCount; ++op) {
    const auto b = [&](int field) {
      return counter(RecordType::kBilling,
                     static_cast<size_t>(op * counters::kBillingFields + field));
    };
    const auto c = [&](int field) {
      return counter(RecordType::kComplaints,
                     static_cast<size_t>(op * counters::kComplaintFields + field));
    };
    const auto p = [&](int field) {
      return counter(RecordType::kPorting,
                     static_cast<size_t>(op * counters::kPortingFields + field));
    };
    const auto s = [&](int field) {
      return counter(RecordType::kSms, static_cast<size_t>(op * counters::kSmsFields + field));
    };
    const auto a = [&](SpanKind span, int field) {
      return counter(RecordType::kAppeals,
                     static_cast<size_t>(counters::AppealIndex(static_cast<int>(span), op, field)));
    };
    jsimple.push_back(
        {{"group", {{"operator", Operator(op).name}}},
         {"billing",
          {{"records", b(0)},
           {"errors", b(1)},
           {"error_rate", Rate(static_cast<double>(b(1)), static_cast<double>(b(0)))}}},
         {"complaints",
          {{"count", c(0)},
           {"closed", c(1)},
           {"on_time", c(2)},
           {"open_overdue", c(3)},
           {"timely_rate", Rate(static_cast<double>(c(2)), static_cast<double>(c(1) + c(3)))}}},
         {"porting_from",
          {{"requests", p(0)},
           {"completed_with_time", p(1)},
           {"on_time", p(2)},
           {"pending", p(3)},
           {"open_overdue", p(4)},
           {"rejected", p(5)},
           {"cancelled", p(6)},
           {"timely_rate", Rate(static_cast<double>(p(2)), static_cast<double>(p(1) + p(4)))}}},
         {"sms", {{"messages", s(0)}, {"delivered", s(1)}, {"failed", s(2)}, {"blocked", s(3)}}},
         {"appeals",
          {{"received", a(SpanKind::kPeriod, 0)},
           {"accepted", a(SpanKind::kPeriod, 1)},
           {"settled", a(SpanKind::kPeriod, 2)},
           {"settlement_rate", Rate(static_cast<double>(a(SpanKind::kPeriod, 2)),
                                    static_cast<double>(a(SpanKind::kPeriod, 1)))},
           {"accepted_previous_period", a(SpanKind::kPrevious, 1)},
           {"accepted_year_earlier", a(SpanKind::kYearEarlier, 1)}}}});
  }
  expected["by_operator"] = std::move(jsimple);
  t["expected"] = std::move(expected);

  // The designed misses (and one designed near-miss), with their exact values.
  Json findings = Json::array();
  {
    const int m = HotlineIncidentMonth(plan);
    const auto f = [&](int field) {
      return counter(RecordType::kHotline,
                     static_cast<size_t>(counters::HotlineIndex(2, m, field)));
    };
    const CivilDate first = plan.period.first_day;
    findings.push_back(Finding("hotline.avg_response_s",
                               {{"operator", Operator(2).name},
                                {"month", MonthKeyToString(first.year * 12 + first.month - 1 + m)}},
                               Rate(static_cast<double>(f(2)), static_cast<double>(f(1))), f(1),
                               "<=", 30,
                               "电信 is short of agents that month: queues grow at busy hours"));
  }
  {
    const auto f = [&](int field) {
      return counter(RecordType::kOrders, static_cast<size_t>(counters::OrderIndex(1, 3, field)));
    };
    findings.push_back(
        Finding("orders.broadband.install.timely_rate", {{"operator", Operator(1).name}},
                Rate(static_cast<double>(f(2)), static_cast<double>(f(1) + f(3))), f(1) + f(3),
                ">=", 0.99, "联通 broadband installs sometimes wait for weeks"));
  }
  {
    const auto f = [&](int field) {
      return counter(RecordType::kComplaints,
                     static_cast<size_t>(1 * counters::kComplaintFields + field));
    };
    findings.push_back(Finding("complaints.timely_rate", {{"operator", Operator(1).name}},
                               Rate(static_cast<double>(f(2)), static_cast<double>(f(1) + f(3))),
                               f(1) + f(3), ">=", 0.99,
                               "联通 lets some complaints run past 15 days"));
  }
  {
    const auto f = [&](int field) {
      return counter(RecordType::kBilling,
                     static_cast<size_t>(1 * counters::kBillingFields + field));
    };
    findings.push_back(Finding("billing.error_rate", {{"operator", Operator(1).name}},
                               Rate(static_cast<double>(f(1)), static_cast<double>(f(0))), f(0),
                               "<=", 1e-4, "联通's billing errors run above 1e-4"));
  }
  {
    const auto f = [&](int field) {
      return counter(RecordType::kCalls, static_cast<size_t>(counters::CallIndex(2, 7, field)));
    };
    findings.push_back(Finding("calls.congestion_rate",
                               {{"operator", Operator(2).name}, {"region", Region(7).name}},
                               Rate(static_cast<double>(f(4)), static_cast<double>(f(0))), f(0),
                               "<=", 0.02, "电信 in 白城 runs short of radio channels"));
  }
  {
    const auto f = [&](int field) {
      return counter(RecordType::kCalls, static_cast<size_t>(counters::CallIndex(1, 5, field)));
    };
    findings.push_back(
        Finding("calls.drop_rate", {{"operator", Operator(1).name}, {"region", Region(5).name}},
                Rate(static_cast<double>(f(3)), static_cast<double>(f(2))), f(2), "<=", 0.05,
                "联通 in 白山 drops ten times more calls than elsewhere (still "
                "within the 2009 target)"));
  }
  {
    const auto f = [&](int field) {
      return counter(RecordType::kPorting,
                     static_cast<size_t>(0 * counters::kPortingFields + field));
    };
    findings.push_back(Finding("porting.timely_rate", {{"from_operator", Operator(0).name}},
                               Rate(static_cast<double>(f(2)), static_cast<double>(f(1) + f(4))),
                               f(1) + f(4), ">=", 0.99, "移动 is slow to release numbers"));
  }
  findings.push_back(Finding("broadband_tests.compliance_rate", {{"operator", Operator(1).name}},
                             Rate(static_cast<double>(ok[1]), static_cast<double>(tested[1])),
                             tested[1], ">=", 0.95,
                             "联通 has more lines below 90 % of their plan"));
  t["findings"] = std::move(findings);
  return t.dump(2) + "\n";
}

}  // namespace tsq::synth
