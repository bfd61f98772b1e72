#include "report/findings_render.h"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "core/timestamp.h"
#include "io/csv_writer.h"
#include "report/report_format.h"
#include "report/text_table.h"

namespace tsq {
namespace {

using nlohmann::ordered_json;
using report::FormatChange;
using report::Percent;

const IndicatorValue* Find(const ReportInput& in, std::string_view id, const Group& g) {
  for (const IndicatorValue& v : in.current) {
    if (v.id == id && v.group == g) return &v;
  }
  return nullptr;
}

std::string Fixed(double v, int decimals) { return fmt::format("{:.{}f}", v, decimals); }

std::string Mbps(const std::optional<double>& v) { return v ? Fixed(*v, 1) : "—"; }

bool Selected(const std::string& op, const std::string& wanted) {
  return wanted.empty() || op == wanted;
}

// "12 / 40 (30.00%)": tests, bad and share of one window, for the remediation table.
std::string WindowText(const std::optional<CellFigures>& f, Lang lang) {
  if (!f) return T(lang, "无测速", "no tests");
  if (!f->bad_share) return fmt::format("{}", f->tests);
  return fmt::format("{} / {} ({})", f->samples, f->bad, Percent(*f->bad_share));
}

std::string VerdictText(const std::optional<CellFigures>& f, Lang lang) {
  if (!f) return T(lang, "无测速", "no tests");
  if (!f->measured) return T(lang, "样本不足", "too few tests");
  return f->poor ? T(lang, "质差", "poor") : T(lang, "正常", "not poor");
}

// The rule in one sentence, with the catalog's thresholds.
std::string RuleText(const CellRule& r, Lang lang) {
  std::string bad =
      r.by_signal
          ? (lang == Lang::kZh ? fmt::format("RSRP < {:g} dBm 或 SINR < {:g} dB 的测速为不良",
                                             r.bad_rsrp_dbm, r.bad_sinr_db)
                               : fmt::format("a test is bad when RSRP < {:g} dBm or SINR < {:g} dB",
                                             r.bad_rsrp_dbm, r.bad_sinr_db))
          : (lang == Lang::kZh
                 ? fmt::format("下行速率5G低于{:g} Mbps、4G低于{:g} Mbps的测速为不良",
                               r.bad_down_mbps_5g, r.bad_down_mbps_4g)
                 : fmt::format("a test is bad below {:g} Mbit/s on 5G, {:g} Mbit/s on 4G",
                               r.bad_down_mbps_5g, r.bad_down_mbps_4g));
  std::string rule =
      lang == Lang::kZh
          ? fmt::format("{}；测速不少于{}次且不良占比的单侧95%置信下限大于{}的小区为质差", bad,
                        r.min_tests, report::ShortPercent(r.poor_share))
          : fmt::format(
                "{}; a cell with at least {} tests is poor when the one-sided 95 % lower "
                "bound of its bad share exceeds {}",
                bad, r.min_tests, Percent(r.poor_share));
  if (r.one_per_device_day) {
    rule += T(lang, "；同一设备同一天的测速合并为一个样本（取平均）",
              "; one sample per device per day");
  }
  return rule;
}

}  // namespace

std::string OperatorLabel(const ReportInput& in, const std::string& op, Lang lang) {
  return in.catalog != nullptr ? in.catalog->Label(op, lang == Lang::kZh ? "zh" : "en") : op;
}

const char* CellVerdictName(const std::optional<CellFigures>& f) {
  if (!f) return "no_tests";
  if (!f->measured) return "not_measured";
  return f->poor ? "poor" : "not_poor";
}

std::string RemediationText(Remediation r, Lang lang) {
  switch (r) {
    case Remediation::kRemediated:
      return T(lang, "已整治", "remediated");
    case Remediation::kStillPoor:
      return T(lang, "仍质差", "still poor");
    case Remediation::kUnverified:
      return T(lang, "待验证", "unverified");
  }
  return "";
}

std::string CellRuleText(const CellRule& rule, Lang lang) { return RuleText(rule, lang); }

std::string ComparisonSentence(const CellFindings& f, Lang lang) {
  const ShareChange& t = f.treated;
  const ShareChange& c = f.control;
  if (t.cells == 0) {
    return T(lang, "基期质差小区本期均未达到有效评估测速次数，无法比较整治前后。",
             "No baseline-poor cell has enough tests in the period to compare before and after.");
  }
  std::string s =
      lang == Lang::kZh
          ? fmt::format("两期均有效评估的基期质差小区{}个，不良测速占比由{}变为{}（{}）", t.cells,
                        Percent(t.before), Percent(t.after),
                        FormatChange(t.after, t.before, "ratio", lang))
          : fmt::format(
                "The {} baseline-poor cells measured in both periods went from {} to {} "
                "bad tests ({})",
                t.cells, Percent(t.before), Percent(t.after),
                FormatChange(t.after, t.before, "ratio", lang));
  if (c.cells == 0) {
    s += lang == Lang::kZh
             ? fmt::format(
                   "；无可比的对照小区（基期未判为质差、不良占比不低于 {}），无法估计未整治"
                   "小区的自然变化。",
                   Percent(f.rule.control_min_bad_share))
             : fmt::format(
                   "; no comparison cells (not poor in the baseline, with a bad share of "
                   "at least {}), so the change without a fix cannot be estimated.",
                   Percent(f.rule.control_min_bad_share));
    return s;
  }
  const double net = t.Change() - c.Change();
  s +=
      lang == Lang::kZh
          ? fmt::format(
                "；对照组（基期未判为质差、不良占比不低于 {} 的小区）{} 个，由 {} 变为 {}"
                "（{}），即未整治小区的自然变化（均值回归）。扣除对照组的变化后为 {}。",
                Percent(f.rule.control_min_bad_share), c.cells, Percent(c.before), Percent(c.after),
                FormatChange(c.after, c.before, "ratio", lang), FormatChange(net, 0, "ratio", lang))
          : fmt::format(
                "; the comparison group ({} cells not poor in the baseline with a bad "
                "share of at least {}) went from {} to {} ({}), the change without a fix "
                "(regression to the mean). Net of it: {}.",
                c.cells, Percent(f.rule.control_min_bad_share), Percent(c.before), Percent(c.after),
                FormatChange(c.after, c.before, "ratio", lang),
                FormatChange(net, 0, "ratio", lang));
  return s;
}

std::string RenderCellsTable(const ReportInput& in, const CellsView& view) {
  const Lang lang = view.lang;
  if (!in.cells) return T(lang, "没有测速记录（speedtests）。\n", "No speed tests (speedtests).\n");
  const CellFindings& f = *in.cells;
  std::string out = lang == Lang::kZh
                        ? fmt::format("质差小区 {}（整治基期 {}）\n判定：{}。\n\n", f.period,
                                      f.baseline, RuleText(f.rule, lang))
                        : fmt::format(
                              "Poor-quality cells {} (remediation baseline {})\nRule: {}."
                              "\n\n",
                              f.period, f.baseline, RuleText(f.rule, lang));
  // Counts per operator × RAT, then the province.
  TextTable summary;
  using A = TextTable::Align;
  summary.SetHeader(
      {T(lang, "运营商", "Operator"), T(lang, "制式", "RAT"), T(lang, "有效评估", "Measured"),
       T(lang, "质差", "Poor"), T(lang, "质差占比", "Poor share"),
       T(lang, "基期质差", "Baseline poor"), T(lang, "已整治", "Remediated"),
       T(lang, "仍质差", "Still poor"), T(lang, "待验证", "Unverified"),
       T(lang, "整治率", "Remediation"), T(lang, "判定", "Verdict")},
      {A::kLeft, A::kLeft, A::kRight, A::kRight, A::kRight, A::kRight, A::kRight, A::kRight,
       A::kRight, A::kRight, A::kLeft});
  std::vector<Group> groups;
  for (const IndicatorValue& v : in.current) {
    if (v.id != "speedtests.measured_cells") continue;
    const std::string* op = v.group.Find(Dim::kOperator);
    const std::string* rat = v.group.Find(Dim::kRat);
    if (v.group.empty() || (op != nullptr && rat != nullptr && Selected(*op, view.operator_name))) {
      groups.push_back(v.group);
    }
  }
  std::stable_sort(groups.begin(), groups.end(),
                   [](const Group& a, const Group& b) { return !a.empty() && b.empty(); });
  const auto count = [&](std::string_view id, const Group& g) {
    const IndicatorValue* v = Find(in, id, g);
    return v != nullptr && v->value ? GroupThousands(static_cast<uint64_t>(*v->value))
                                    : std::string("—");
  };
  for (const Group& g : groups) {
    const std::string* op = g.Find(Dim::kOperator);
    const std::string* rat = g.Find(Dim::kRat);
    const IndicatorValue* share = Find(in, "speedtests.poor_share", g);
    const IndicatorValue* rate = Find(in, "speedtests.remediation_rate", g);
    summary.AddRow(
        {op != nullptr ? OperatorLabel(in, *op, lang) : T(lang, "全部", "All"),
         rat != nullptr ? *rat : T(lang, "全部", "all"), count("speedtests.measured_cells", g),
         count("speedtests.poor_cells", g),
         share != nullptr && share->value ? Percent(*share->value) : "—",
         count("speedtests.baseline_poor_cells", g), count("speedtests.remediated_cells", g),
         count("speedtests.still_poor_cells", g), count("speedtests.unverified_cells", g),
         rate != nullptr && rate->value ? Percent(*rate->value) : "—",
         rate != nullptr && rate->target
             ? report::VerdictText(rate->verdict, lang) + " (" +
                   report::FormatTarget(*rate->target, "ratio", lang) + ")"
             : ""});
  }
  out += summary.Render();
  if (f.baseline_has_tests) out += "\n" + ComparisonSentence(f, lang) + "\n";

  // The cells to act on: poor now (by lower bound), then the baseline's poor cells and their fate.
  std::vector<const JudgedCell*> poor;
  std::vector<const JudgedCell*> before;
  for (const JudgedCell& c : f.cells) {
    if (!Selected(c.key.op, view.operator_name)) continue;
    if (view.all || (c.now && c.now->poor)) poor.push_back(&c);
    if (c.remediation) before.push_back(&c);
  }
  std::stable_sort(poor.begin(), poor.end(), [](const JudgedCell* a, const JudgedCell* b) {
    const double la = a->now && a->now->bounds ? a->now->bounds->low : -1;
    const double lb = b->now && b->now->bounds ? b->now->bounds->low : -1;
    return la > lb;
  });
  TextTable cells;
  cells.SetHeader(
      {T(lang, "运营商", "Operator"), T(lang, "制式", "RAT"), T(lang, "小区/网格", "Cell / tile"),
       T(lang, "测速", "Tests"), T(lang, "设备", "Devices"), T(lang, "不良", "Bad"),
       T(lang, "不良占比", "Bad share"), T(lang, "下限", "Lower"), T(lang, "中位数", "Median"),
       T(lang, "P10", "P10"), T(lang, "判定", "Verdict"), T(lang, "位置", "Position")},
      {A::kLeft, A::kLeft, A::kLeft, A::kRight, A::kRight, A::kRight, A::kRight, A::kRight,
       A::kRight, A::kRight, A::kLeft, A::kLeft});
  for (const JudgedCell* c : poor) {
    const std::optional<CellFigures>& n = c->now;
    cells.AddRow({OperatorLabel(in, c->key.op, lang), c->key.rat,
                  c->key.tile ? T(lang, "网格 ", "tile ") + c->key.id : c->key.id,
                  n ? GroupThousands(n->tests) : "0", n ? GroupThousands(n->devices) : "",
                  n ? GroupThousands(n->bad) : "", n && n->bad_share ? Percent(*n->bad_share) : "—",
                  n && n->bounds ? Percent(n->bounds->low) : "—",
                  n ? Mbps(n->median_down_mbps) : "—", n ? Mbps(n->p10_down_mbps) : "—",
                  VerdictText(n, lang), n ? fmt::format("{:.5f}, {:.5f}", n->lat, n->lon) : ""});
  }
  out += "\n" +
         (view.all ? T(lang, "全部小区与网格（按不良占比下限由高到低）",
                       "Every cell and tile (highest lower bound first)")
                   : T(lang, "本期质差小区与网格（按不良占比下限由高到低）",
                       "Poor cells and tiles of the period (highest lower bound first)")) +
         "\n";
  out += poor.empty() ? T(lang, "（无）\n", "(none)\n") : cells.Render();
  if (!before.empty()) {
    TextTable rem;
    rem.SetHeader({T(lang, "运营商", "Operator"), T(lang, "制式", "RAT"),
                   T(lang, "小区/网格", "Cell / tile"), T(lang, "状态", "Status"),
                   T(lang, "整治前 样本/不良（占比）", "Before: samples / bad (share)"),
                   T(lang, "整治后 样本/不良（占比）", "After: samples / bad (share)"),
                   T(lang, "工单", "Work order")});
    for (const JudgedCell* c : before) {
      rem.AddRow({OperatorLabel(in, c->key.op, lang), c->key.rat,
                  c->key.tile ? T(lang, "网格 ", "tile ") + c->key.id : c->key.id,
                  RemediationText(*c->remediation, lang), WindowText(c->before, lang),
                  WindowText(c->now, lang),
                  c->work_order
                      ? c->work_order->order_id + " " + FormatDay(c->work_order->fixed_day)
                      : ""});
    }
    out +=
        "\n" + T(lang, "基期质差小区的整治情况", "The baseline's poor cells") + "\n" + rem.Render();
  }
  return out;
}

namespace {

ordered_json WindowJson(const std::optional<CellFigures>& f) {
  if (!f) return nullptr;
  ordered_json j;
  j["tests"] = f->tests;
  j["samples"] = f->samples;
  j["devices"] = f->devices;
  j["bad"] = f->bad;
  j["bad_share"] = f->bad_share ? ordered_json(*f->bad_share) : ordered_json(nullptr);
  j["lower"] = f->bounds ? ordered_json(f->bounds->low) : ordered_json(nullptr);
  j["upper"] = f->bounds ? ordered_json(f->bounds->high) : ordered_json(nullptr);
  j["median_down_mbps"] =
      f->median_down_mbps ? ordered_json(*f->median_down_mbps) : ordered_json(nullptr);
  j["p10_down_mbps"] = f->p10_down_mbps ? ordered_json(*f->p10_down_mbps) : ordered_json(nullptr);
  j["lat"] = f->lat;
  j["lon"] = f->lon;
  j["verdict"] = CellVerdictName(f);
  return j;
}

ordered_json RuleJson(const CellRule& r) {
  return {{"basis", r.by_signal ? "signal" : "rate"},
          {"bad_down_mbps_5g", r.bad_down_mbps_5g},
          {"bad_down_mbps_4g", r.bad_down_mbps_4g},
          {"bad_rsrp_dbm", r.bad_rsrp_dbm},
          {"bad_sinr_db", r.bad_sinr_db},
          {"min_tests", r.min_tests},
          {"poor_share", r.poor_share},
          {"z", r.z},
          {"one_per_device_day", r.one_per_device_day},
          {"control_min_bad_share", r.control_min_bad_share}};
}

ordered_json ChangeJson(const ShareChange& c) {
  return {{"cells", c.cells},
          {"before", c.cells ? ordered_json(c.before) : ordered_json(nullptr)},
          {"after", c.cells ? ordered_json(c.after) : ordered_json(nullptr)},
          {"change", c.cells ? ordered_json(c.Change()) : ordered_json(nullptr)}};
}

}  // namespace

std::string RenderCellsJson(const ReportInput& in, const CellsView& view) {
  ordered_json j;
  if (!in.cells) {
    j["cells"] = ordered_json::array();
    return j.dump(2) + "\n";
  }
  const CellFindings& f = *in.cells;
  j["period"] = f.period;
  j["baseline"] = f.baseline;
  j["baseline_has_tests"] = f.baseline_has_tests;
  j["rule"] = RuleJson(f.rule);
  ordered_json cmp;
  cmp["treated"] = ChangeJson(f.treated);
  cmp["control"] = ChangeJson(f.control);
  cmp["net_change"] = f.treated.cells && f.control.cells
                          ? ordered_json(f.treated.Change() - f.control.Change())
                          : ordered_json(nullptr);
  j["comparison"] = std::move(cmp);
  ordered_json cells = ordered_json::array();
  for (const JudgedCell& c : f.cells) {
    if (!Selected(c.key.op, view.operator_name)) continue;
    ordered_json e;
    e["kind"] = c.key.tile ? "tile" : "cell";
    e["operator"] = c.key.op;
    e["rat"] = c.key.rat;
    e["id"] = c.key.id;
    e["now"] = WindowJson(c.now);
    e["before"] = WindowJson(c.before);
    e["remediation"] =
        c.remediation ? ordered_json(RemediationName(*c.remediation)) : ordered_json(nullptr);
    if (c.work_order) {
      e["work_order"] = {{"order_id", c.work_order->order_id},
                         {"fixed_on", FormatDay(c.work_order->fixed_day)}};
    } else {
      e["work_order"] = nullptr;
    }
    cells.push_back(std::move(e));
  }
  j["cells"] = std::move(cells);
  return j.dump(2) + "\n";
}

std::string RenderCellsCsv(const ReportInput& in, const CellsView& view) {
  std::string out =
      "kind,operator,rat,id,lat,lon,tests,samples,devices,bad,bad_share,lower,upper,"
      "median_down_mbps,p10_down_mbps,verdict,baseline_tests,baseline_bad,baseline_bad_share,"
      "baseline_lower,baseline_verdict,remediation,work_order,fixed_on\n";
  if (!in.cells) return out;
  const auto num = [](const std::optional<double>& v) {
    return v ? fmt::format("{}", *v) : std::string();
  };
  for (const JudgedCell& c : in.cells->cells) {
    if (!Selected(c.key.op, view.operator_name)) continue;
    const std::optional<CellFigures>& n = c.now;
    const std::optional<CellFigures>& b = c.before;
    const CellFigures& where = n ? *n : *b;
    const std::vector<std::string> fields = {
        c.key.tile ? "tile" : "cell",
        c.key.op,
        c.key.rat,
        c.key.id,
        fmt::format("{:.6f}", where.lat),
        fmt::format("{:.6f}", where.lon),
        n ? std::to_string(n->tests) : "0",
        n ? std::to_string(n->samples) : "",
        n ? std::to_string(n->devices) : "",
        n ? std::to_string(n->bad) : "",
        n ? num(n->bad_share) : "",
        n && n->bounds ? fmt::format("{}", n->bounds->low) : "",
        n && n->bounds ? fmt::format("{}", n->bounds->high) : "",
        n ? num(n->median_down_mbps) : "",
        n ? num(n->p10_down_mbps) : "",
        CellVerdictName(n),
        b ? std::to_string(b->tests) : "0",
        b ? std::to_string(b->bad) : "",
        b ? num(b->bad_share) : "",
        b && b->bounds ? fmt::format("{}", b->bounds->low) : "",
        CellVerdictName(b),
        c.remediation ? RemediationName(*c.remediation) : "",
        c.work_order ? c.work_order->order_id : "",
        c.work_order ? FormatDay(c.work_order->fixed_day) : ""};
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) out += ',';
      AppendCsvField(&out, fields[i]);
    }
    out += '\n';
  }
  return out;
}

ordered_json CellsGeoJson(const ReportInput& in, const CellsView& view) {
  ordered_json features = ordered_json::array();
  if (in.cells) {
    for (const JudgedCell& c : in.cells->cells) {
      if (!Selected(c.key.op, view.operator_name)) continue;
      const CellFigures& where = c.now ? *c.now : *c.before;
      ordered_json p;
      p["kind"] = c.key.tile ? "tile" : "cell";
      p["operator"] = c.key.op;
      p["operator_label"] = OperatorLabel(in, c.key.op, view.lang);
      p["rat"] = c.key.rat;
      p["id"] = c.key.id;
      p["verdict"] = CellVerdictName(c.now);
      p["baseline_verdict"] = CellVerdictName(c.before);
      p["remediation"] =
          c.remediation ? ordered_json(RemediationName(*c.remediation)) : ordered_json(nullptr);
      const ordered_json now = WindowJson(c.now);
      for (const char* k : {"tests", "samples", "devices", "bad", "bad_share", "lower", "upper",
                            "median_down_mbps", "p10_down_mbps"}) {
        p[k] = now.is_null() ? ordered_json(nullptr) : now[k];
      }
      const ordered_json before = WindowJson(c.before);
      for (const char* k : {"tests", "bad", "bad_share", "lower"}) {
        p[std::string("baseline_") + k] = before.is_null() ? ordered_json(nullptr) : before[k];
      }
      p["work_order"] = c.work_order ? ordered_json(c.work_order->order_id) : ordered_json(nullptr);
      ordered_json feature;
      feature["type"] = "Feature";
      // RFC 7946: longitude first; six decimals are ~0.1 m.
      feature["geometry"] = {
          {"type", "Point"},
          {"coordinates", {std::round(where.lon * 1e6) / 1e6, std::round(where.lat * 1e6) / 1e6}}};
      feature["properties"] = std::move(p);
      features.push_back(std::move(feature));
    }
  }
  ordered_json j;
  j["type"] = "FeatureCollection";
  j["features"] = std::move(features);
  return j;
}

// ---- broadband -------------------------------------------------------------------------------

namespace {

std::string PlanText(double plan) {
  std::string s = fmt::format("{:.2f}", plan);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

}  // namespace

std::string RenderBroadbandTable(const ReportInput& in, const BroadbandView& view) {
  const Lang lang = view.lang;
  if (!in.broadband) {
    return T(lang, "没有宽带测速记录（broadband_tests）。\n",
             "No broadband tests (broadband_tests).\n");
  }
  const BroadbandFindings& f = *in.broadband;
  using A = TextTable::Align;
  std::string out =
      lang == Lang::kZh
          ? fmt::format(
                "宽带接入速率 {}\n判定：每条线路（按套餐）测速下行速率平均值不低于签约"
                "速率的 {} 为达标。\n\n",
                f.period, report::ShortPercent(f.rule.min_ratio))
          : fmt::format(
                "Broadband rates {}\nRule: a line (per plan) complies when the mean of "
                "its tests reaches {} of its plan.\n\n",
                f.period, report::ShortPercent(f.rule.min_ratio));
  if (view.line_id.empty()) {
    TextTable summary;
    summary.SetHeader({T(lang, "范围", "Scope"), T(lang, "受测线路", "Lines tested"),
                       T(lang, "达标线路", "Compliant"), T(lang, "达标率", "Compliance"),
                       T(lang, "判定", "Verdict")},
                      {A::kLeft, A::kRight, A::kRight, A::kRight, A::kLeft});
    for (const IndicatorValue& v : in.current) {
      if (v.id != "broadband_tests.compliance_rate") continue;
      const std::string* op = v.group.Find(Dim::kOperator);
      const bool overall = v.group.empty();
      const bool per_op = op != nullptr && v.group.dims.size() == 1;
      if (!overall && !(per_op && Selected(*op, view.operator_name))) continue;
      const IndicatorValue* compliant = Find(in, "broadband_tests.compliant_lines", v.group);
      summary.AddRow({overall ? T(lang, "全部", "All") : OperatorLabel(in, *op, lang),
                      GroupThousands(v.n),
                      compliant != nullptr && compliant->value
                          ? GroupThousands(static_cast<uint64_t>(*compliant->value))
                          : "—",
                      v.value ? Percent(*v.value) : "—",
                      v.target ? report::VerdictText(v.verdict, lang) + " (" +
                                     report::FormatTarget(*v.target, "ratio", lang) + ")"
                               : ""});
    }
    out += summary.Render() + "\n";
  }
  TextTable lines;
  lines.SetHeader(
      {T(lang, "运营商", "Operator"), T(lang, "线路", "Line"), T(lang, "签约速率", "Plan"),
       T(lang, "地区", "Region"), T(lang, "测速", "Tests"), T(lang, "平均速率", "Mean"),
       T(lang, "占签约", "Of plan"), T(lang, "判定", "Verdict")},
      {A::kLeft, A::kLeft, A::kRight, A::kLeft, A::kRight, A::kRight, A::kRight, A::kLeft});
  std::vector<const JudgedLine*> shown;
  for (const JudgedLine& l : f.lines) {
    if (!Selected(l.op, view.operator_name)) continue;
    if (!view.line_id.empty() && l.line_id != view.line_id) continue;
    if (view.line_id.empty() && !view.all && l.compliant) continue;
    shown.push_back(&l);
  }
  if (view.line_id.empty()) {
    std::stable_sort(shown.begin(), shown.end(),
                     [](const JudgedLine* a, const JudgedLine* b) { return a->ratio < b->ratio; });
  }
  for (const JudgedLine* l : shown) {
    lines.AddRow({OperatorLabel(in, l->op, lang), l->line_id, PlanText(l->plan_down_mbps) + " Mbps",
                  l->region.empty() ? "—" : l->region, std::to_string(l->tests.size()),
                  Fixed(l->mean_down_mbps, 2) + " Mbps", Percent(l->ratio),
                  l->compliant ? T(lang, "达标", "compliant") : T(lang, "未达标", "below")});
  }
  out +=
      (view.line_id.empty() ? (view.all ? T(lang, "全部线路（按占签约速率由低到高）",
                                            "Every line (lowest share of plan first)")
                                        : T(lang, "未达标线路（按占签约速率由低到高）",
                                            "Lines below their plan (lowest share of plan first)"))
                            : T(lang, "线路 ", "Line ") + view.line_id) +
      "\n";
  out += shown.empty() ? T(lang, "（无）\n", "(none)\n") : lines.Render();
  if (!view.line_id.empty()) {
    // The evidence: every test of the line, per plan.
    for (const JudgedLine* l : shown) {
      TextTable tests;
      tests.SetHeader({T(lang, "测速时间", "Tested at"), T(lang, "下行速率", "Downstream"),
                       T(lang, "占签约", "Of plan")},
                      {A::kLeft, A::kRight, A::kRight});
      for (const LineTest& t : l->tests) {
        tests.AddRow({FormatLocal(t.tested_at, in.local_offset_s), Fixed(t.down_mbps, 2) + " Mbps",
                      Percent(t.down_mbps / l->plan_down_mbps)});
      }
      out += "\n" +
             (lang == Lang::kZh
                  ? fmt::format("签约 {} Mbps：平均 {:.2f} Mbps，为签约速率的 {}，{}\n",
                                PlanText(l->plan_down_mbps), l->mean_down_mbps, Percent(l->ratio),
                                l->compliant ? "达标" : "未达标")
                  : fmt::format("Plan {} Mbit/s: mean {:.2f} Mbit/s, {} of the plan, {}\n",
                                PlanText(l->plan_down_mbps), l->mean_down_mbps, Percent(l->ratio),
                                l->compliant ? "compliant" : "below the plan")) +
             tests.Render();
    }
  }
  return out;
}

std::string RenderBroadbandCsv(const ReportInput& in, const BroadbandView& view) {
  std::string out = "operator,line_id,plan_down_mbps,region,tests,mean_down_mbps,ratio,compliant\n";
  if (!in.broadband) return out;
  for (const JudgedLine& l : in.broadband->lines) {
    if (!Selected(l.op, view.operator_name)) continue;
    if (!view.line_id.empty() && l.line_id != view.line_id) continue;
    const std::vector<std::string> fields = {l.op,
                                             l.line_id,
                                             PlanText(l.plan_down_mbps),
                                             l.region,
                                             std::to_string(l.tests.size()),
                                             fmt::format("{}", l.mean_down_mbps),
                                             fmt::format("{}", l.ratio),
                                             l.compliant ? "true" : "false"};
    for (size_t i = 0; i < fields.size(); ++i) {
      if (i > 0) out += ',';
      AppendCsvField(&out, fields[i]);
    }
    out += '\n';
  }
  return out;
}

std::string RenderBroadbandJson(const ReportInput& in, const BroadbandView& view) {
  ordered_json j;
  ordered_json lines = ordered_json::array();
  if (in.broadband) {
    j["period"] = in.broadband->period;
    j["rule"] = {{"min_ratio", in.broadband->rule.min_ratio}};
    for (const JudgedLine& l : in.broadband->lines) {
      if (!Selected(l.op, view.operator_name)) continue;
      if (!view.line_id.empty() && l.line_id != view.line_id) continue;
      ordered_json tests = ordered_json::array();
      for (const LineTest& t : l.tests) {
        tests.push_back({{"tested_at", FormatTimestamp(t.tested_at, in.local_offset_s)},
                         {"down_mbps", t.down_mbps},
                         {"ratio", t.down_mbps / l.plan_down_mbps}});
      }
      lines.push_back(
          {{"operator", l.op},
           {"line_id", l.line_id},
           {"plan_down_mbps", l.plan_down_mbps},
           {"region", l.region.empty() ? ordered_json(nullptr) : ordered_json(l.region)},
           {"tests", std::move(tests)},
           {"mean_down_mbps", l.mean_down_mbps},
           {"ratio", l.ratio},
           {"compliant", l.compliant}});
    }
  }
  j["lines"] = std::move(lines);
  return j.dump(2) + "\n";
}

}  // namespace tsq
