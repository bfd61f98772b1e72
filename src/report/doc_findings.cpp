// The findings chapters: poor-quality cells on a map with their remediation beside how much
// comparable cells changed, and home-broadband lines against their plans. They show only what
// the detectors found in the data; without speed tests or broadband tests there is no chapter.
#include <algorithm>

#include <fmt/format.h>

#include "report/callers_render.h"
#include "report/doc_builder.h"
#include "report/findings_render.h"
#include "report/report_format.h"

namespace tsq::report {

namespace {

// Classes of the map, the most urgent first (drawn on top).
enum MapClass { kStillPoor, kPoorNow, kUnverified, kRemediated, kNotPoor };

std::optional<MapClass> ClassOf(const JudgedCell& c) {
  if (c.remediation == Remediation::kStillPoor) return kStillPoor;
  if (c.now && c.now->poor) return kPoorNow;
  if (c.remediation == Remediation::kUnverified) return kUnverified;
  if (c.remediation == Remediation::kRemediated) return kRemediated;
  if (c.now && c.now->measured && !c.key.tile) return kNotPoor;
  return std::nullopt;  // too few tests, and nothing to follow up: not drawn
}

constexpr size_t kMaxListed = 30;

// Chinese running text sets a target without spaces: "≥70%".
std::string Tight(std::string s) {
  std::erase(s, ' ');
  return s;
}  // rows of the cell lists; the CSV of `tsq cells` has them all

}  // namespace

void DocBuilder::CellsSection() {
  if (!in_.cells) return;
  const CellFindings& f = *in_.cells;
  Section& s = AddSection("cells", NextTitle(T("质差小区与整治", "Poor-quality cells")),
                          T("质差小区", "Poor cells"));
  const Group all;
  const auto value = [&](std::string_view id) { return ValueOf(id, all); };
  const auto measured = value("speedtests.measured_cells");
  const auto poor = value("speedtests.poor_cells");
  const auto share = value("speedtests.poor_share");
  std::string text =
      lang_ == Lang::kZh
          ? fmt::format("根据用户众包测速，{}。本期有效评估小区{}个，其中质差小区{}个，占{}。",
                        CellRuleText(f.rule, lang_), Count(measured.value_or(0)),
                        Count(poor.value_or(0)), share ? Percent(*share) : "—")
          : fmt::format(
                "From customers' speed tests ({}): {} cells were measured in the period, "
                "{} of them poor ({}).",
                CellRuleText(f.rule, lang_), Count(measured.value_or(0)), Count(poor.value_or(0)),
                share ? Percent(*share) : "—");
  const IndicatorValue* rate = view_.current().Find("speedtests.remediation_rate", all);
  if (f.baseline_has_tests && rate != nullptr) {
    used_ids_.insert(rate->id);
    const auto baseline_poor = value("speedtests.baseline_poor_cells");
    const auto remediated = value("speedtests.remediated_cells");
    const auto still = value("speedtests.still_poor_cells");
    const auto unverified = value("speedtests.unverified_cells");
    const std::string verdict =
        rate->target && rate->verdict == Verdict::kMet
            ? T("，达到", ", meeting the ")
            : (rate->target && rate->verdict == Verdict::kMissed ? T("，未达到", ", short of the ")
                                                                 : "");
    text += lang_ == Lang::kZh
                ? fmt::format(
                      "整治基期（{}）质差小区{}个，本期已整治{}个、仍质差{}个、测速不足待验证"
                      "{}个，整治率{}{}{}。",
                      f.baseline, Count(baseline_poor.value_or(0)), Count(remediated.value_or(0)),
                      Count(still.value_or(0)), Count(unverified.value_or(0)),
                      rate->value ? Percent(*rate->value) : "—", verdict,
                      rate->target && !verdict.empty()
                          ? Tight(FormatTarget(*rate->target, "ratio", lang_)) + "的目标"
                          : "")
                : fmt::format(
                      " Of the {} cells poor in the baseline ({}), {} were remediated, {} "
                      "are still poor and {} have too few tests to tell: a remediation "
                      "rate of {}{}{}.",
                      Count(baseline_poor.value_or(0)), f.baseline, Count(remediated.value_or(0)),
                      Count(still.value_or(0)), Count(unverified.value_or(0)),
                      rate->value ? Percent(*rate->value) : "—", verdict,
                      rate->target && !verdict.empty()
                          ? "target " + FormatTarget(*rate->target, "ratio", lang_)
                          : "");
  }
  s.blocks.push_back(Paragraph{std::move(text)});
  if (f.baseline_has_tests) s.blocks.push_back(Paragraph{ComparisonSentence(f, lang_)});

  // The map.
  PointMap map;
  map.title = T("质差小区分布", "Where the poor cells are");
  map.classes = {{T("仍质差（基期亦质差）", "still poor (poor in the baseline)"), "#7f0000", 5},
                 {T("本期质差", "poor now"), "#d7301f", 5},
                 {T("基期质差、本期待验证", "poor before, unverified now"), "#f28e2b", 4.5},
                 {T("已整治", "remediated"), "#1a9850", 4.5},
                 {T("正常", "not poor"), "#4575b4", 2.2}};
  for (const JudgedCell& c : f.cells) {
    const std::optional<MapClass> cls = ClassOf(c);
    if (!cls) continue;
    const CellFigures& where = c.now ? *c.now : *c.before;
    MapPoint p;
    p.lat = where.lat;
    p.lon = where.lon;
    p.cls = *cls;
    p.square = c.key.tile;
    p.label = fmt::format("{} {} {}{}: {}", view_.Label(c.key.op), c.key.rat,
                          c.key.tile ? T("网格 ", "tile ") : "", c.key.id,
                          map.classes[static_cast<size_t>(*cls)].name);
    if (c.now && c.now->bad_share) {
      p.label += fmt::format(fmt::runtime(T("，不良占比 {}（{} 次测速）", ", {} bad of {} tests")),
                             Percent(*c.now->bad_share), c.now->samples);
    }
    map.points.push_back(std::move(p));
  }
  map.places = in_.places;
  if (!map.points.empty()) s.blocks.push_back(std::move(map));

  // Counts per operator × RAT.
  Table counts;
  counts.caption = T("各运营商质差小区与整治情况", "Poor cells and remediation per operator");
  counts.header = {T("运营商", "Operator"),       T("制式", "RAT"),
                   T("有效评估小区", "Measured"), T("质差小区", "Poor"),
                   T("质差占比", "Poor share"),   T("基期质差", "Poor in baseline"),
                   T("已整治", "Remediated"),     T("仍质差", "Still poor"),
                   T("待验证", "Unverified"),     T("整治率", "Remediation rate")};
  counts.numeric = {false, false, true, true, true, true, true, true, true, true};
  const auto count_cell = [&](std::string_view id, const Group& g) {
    const IndicatorValue* v = view_.current().Find(id, g);
    if (v == nullptr || !v->value) return TextCell("—", CellStyle::kNumber);
    used_ids_.insert(v->id);
    return CountCell(static_cast<uint64_t>(*v->value));
  };
  std::vector<Group> groups;
  for (const std::string& op : view_.operators()) {
    for (const char* rat : {"5G", "4G"}) {
      Group g;
      g.dims = {{Dim::kOperator, op}, {Dim::kRat, rat}};
      if (view_.current().Find("speedtests.measured_cells", g) != nullptr) groups.push_back(g);
    }
  }
  groups.push_back(all);
  for (const Group& g : groups) {
    Row r;
    const std::string* op = g.Find(Dim::kOperator);
    const std::string* rat = g.Find(Dim::kRat);
    r.cells = {TextCell(op != nullptr ? view_.Label(*op) : T("全省", "Province")),
               TextCell(rat != nullptr ? *rat : T("全部", "all")),
               count_cell("speedtests.measured_cells", g), count_cell("speedtests.poor_cells", g)};
    const IndicatorValue* ps = view_.current().Find("speedtests.poor_share", g);
    r.cells.push_back(ps != nullptr ? ValueCell(*ps) : TextCell("—", CellStyle::kNumber));
    r.cells.push_back(count_cell("speedtests.baseline_poor_cells", g));
    r.cells.push_back(count_cell("speedtests.remediated_cells", g));
    r.cells.push_back(count_cell("speedtests.still_poor_cells", g));
    r.cells.push_back(count_cell("speedtests.unverified_cells", g));
    const IndicatorValue* rr = view_.current().Find("speedtests.remediation_rate", g);
    r.cells.push_back(rr != nullptr ? ValueCell(*rr) : TextCell("—", CellStyle::kNumber));
    counts.rows.push_back(std::move(r));
  }
  s.blocks.push_back(std::move(counts));

  // The poor cells of the period, highest lower bound first.
  std::vector<const JudgedCell*> poor_now;
  for (const JudgedCell& c : f.cells) {
    if (c.now && c.now->poor) poor_now.push_back(&c);
  }
  std::stable_sort(poor_now.begin(), poor_now.end(), [](const JudgedCell* a, const JudgedCell* b) {
    return a->now->bounds->low > b->now->bounds->low;
  });
  if (!poor_now.empty()) {
    Table t;
    t.caption = T("本期质差小区（按不良占比下限由高到低）",
                  "Poor cells of the period (highest lower bound first)");
    t.header = {T("运营商", "Operator"),     T("制式", "RAT"),          T("小区", "Cell"),
                T("测速", "Tests"),          T("设备", "Devices"),      T("不良占比", "Bad share"),
                T("95%下限", "Lower bound"), T("下行中位数", "Median"), T("位置", "Position")};
    t.numeric = {false, false, false, true, true, true, true, true, false};
    for (size_t i = 0; i < poor_now.size() && i < kMaxListed; ++i) {
      const JudgedCell& c = *poor_now[i];
      const CellFigures& n = *c.now;
      Row r;
      Cell id = TextCell((c.key.tile ? T("网格 ", "tile ") : "") + c.key.id, CellStyle::kCode);
      r.cells = {TextCell(view_.Label(c.key.op)),
                 TextCell(c.key.rat),
                 std::move(id),
                 CountCell(n.samples),
                 CountCell(n.devices),
                 PercentCell(n.bad_share),
                 PercentCell(n.bounds->low),
                 NumberCell(n.median_down_mbps, "mbps"),
                 TextCell(fmt::format("{:.4f}, {:.4f}", n.lat, n.lon), CellStyle::kCode)};
      t.rows.push_back(std::move(r));
    }
    s.blocks.push_back(std::move(t));
    if (poor_now.size() > kMaxListed) {
      s.blocks.push_back(Paragraph{
          fmt::format(
              fmt::runtime(T("注：共{}个，表中列出前{}个；全部清单可用本工具的质差小区命令导出。",
                             "Note: {} in all, the first {} listed; tsq cells lists them all.")),
              poor_now.size(), kMaxListed),
          true});
    }
  }

  // The baseline's poor cells and what became of them.
  std::vector<const JudgedCell*> followed;
  for (const JudgedCell& c : f.cells) {
    if (c.remediation) followed.push_back(&c);
  }
  if (!followed.empty()) {
    Table t;
    t.caption = T("基期质差小区整治情况", "What became of the baseline's poor cells");
    t.header = {T("运营商", "Operator"),
                T("制式", "RAT"),
                T("小区", "Cell"),
                T("状态", "Status"),
                T("整治前测速", "Tests before"),
                T("整治前不良占比", "Bad share before"),
                T("整治后测速", "Tests after"),
                T("整治后不良占比", "Bad share after"),
                T("工单", "Work order")};
    t.numeric = {false, false, false, false, true, true, true, true, false};
    for (size_t i = 0; i < followed.size() && i < kMaxListed * 2; ++i) {
      const JudgedCell& c = *followed[i];
      const Remediation rem = *c.remediation;
      Row r;
      r.cells = {TextCell(view_.Label(c.key.op)),
                 TextCell(c.key.rat),
                 TextCell((c.key.tile ? T("网格 ", "tile ") : "") + c.key.id, CellStyle::kCode),
                 TextCell(RemediationText(rem, lang_),
                          rem == Remediation::kRemediated  ? CellStyle::kMet
                          : rem == Remediation::kStillPoor ? CellStyle::kMissed
                                                           : CellStyle::kInsufficient),
                 CountCell(c.before->samples),
                 PercentCell(c.before->bad_share),
                 c.now ? CountCell(c.now->samples) : CountCell(0),
                 c.now ? PercentCell(c.now->bad_share) : TextCell("—", CellStyle::kNumber),
                 TextCell(c.work_order ? c.work_order->order_id : "")};
      t.rows.push_back(std::move(r));
    }
    s.blocks.push_back(std::move(t));
  }
}

void DocBuilder::BroadbandSection() {
  if (!in_.broadband) return;
  const BroadbandFindings& f = *in_.broadband;
  Section& s = AddSection("broadband", NextTitle(T("宽带接入速率", "Broadband rates")),
                          T("宽带速率", "Broadband"));
  const Group all;
  const IndicatorValue* rate = view_.current().Find("broadband_tests.compliance_rate", all);
  if (rate != nullptr) {
    used_ids_.insert(rate->id);
    const auto tested = ValueOf("broadband_tests.tested_lines", all);
    const auto compliant = ValueOf("broadband_tests.compliant_lines", all);
    s.blocks.push_back(Paragraph{
        lang_ == Lang::kZh
            ? fmt::format(
                  "按《互联网接入服务规范》，宽带线路测速下行速率平均值应达到签约速率的"
                  "{}。本期受测线路{}条，达标{}条，达标率{}{}。",
                  ShortPercent(f.rule.min_ratio), Count(tested.value_or(0)),
                  Count(compliant.value_or(0)), rate->value ? Percent(*rate->value) : "—",
                  rate->target
                      ? fmt::format(
                            "，{}{}的目标", rate->verdict == Verdict::kMet ? "达到" : "未达到",
                            Tight(TargetText(*rate->target, rate->target_basis, "ratio", lang_)))
                      : "")
            : fmt::format(
                  "Under the Internet Access Service Specification a line's mean "
                  "downstream rate must reach {} of its plan. {} lines were tested, {} "
                  "complied: {}{}.",
                  ShortPercent(f.rule.min_ratio), Count(tested.value_or(0)),
                  Count(compliant.value_or(0)), rate->value ? Percent(*rate->value) : "—",
                  rate->target
                      ? fmt::format(", {} the target {}",
                                    rate->verdict == Verdict::kMet ? "meeting" : "short of",
                                    TargetText(*rate->target, rate->target_basis, "ratio", lang_))
                      : "")});
  }
  // Per operator, then per plan.
  const auto figure_table = [&](std::string caption, std::string first,
                                const std::vector<std::pair<std::string, Group>>& groups) {
    Table t;
    t.caption = std::move(caption);
    t.header = {std::move(first), T("测速次数", "Tests"), T("受测线路", "Lines tested"),
                T("达标线路", "Compliant"), T("达标率", "Compliance")};
    t.numeric = {false, true, true, true, true};
    for (const auto& [label, g] : groups) {
      const IndicatorValue* r = view_.current().Find("broadband_tests.compliance_rate", g);
      if (r == nullptr) continue;
      const auto count = [&](std::string_view id) {
        const IndicatorValue* v = view_.current().Find(id, g);
        if (v != nullptr) used_ids_.insert(v->id);
        return v != nullptr && v->value ? CountCell(static_cast<uint64_t>(*v->value))
                                        : TextCell("—", CellStyle::kNumber);
      };
      Row row;
      row.cells = {TextCell(label), count("broadband_tests.tests"),
                   count("broadband_tests.tested_lines"), count("broadband_tests.compliant_lines"),
                   ValueCell(*r)};
      t.rows.push_back(std::move(row));
    }
    return t;
  };
  std::vector<std::pair<std::string, Group>> by_op;
  for (const std::string& op : view_.operators()) {
    Group g;
    g.dims = {{Dim::kOperator, op}};
    by_op.emplace_back(view_.Label(op), g);
  }
  by_op.emplace_back(T("全省", "Province"), all);
  s.blocks.push_back(figure_table(T("各运营商宽带接入速率达标情况", "Compliance per operator"),
                                  T("运营商", "Operator"), by_op));
  std::vector<std::pair<double, std::pair<std::string, Group>>> plans;
  if (const auto* rates = view_.current().ForId("broadband_tests.compliance_rate")) {
    for (const auto& [g, v] : *rates) {
      const std::string* plan = g.Find(Dim::kPlan);
      if (plan == nullptr || g.dims.size() != 1) continue;
      plans.push_back({std::stod(*plan), {*plan + " Mbps", g}});
    }
  }
  std::sort(plans.begin(), plans.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::pair<std::string, Group>> by_plan;
  for (auto& [rate_mbps, entry] : plans) by_plan.push_back(std::move(entry));
  if (!by_plan.empty()) {
    s.blocks.push_back(figure_table(T("各签约速率档位达标情况", "Compliance per plan"),
                                    T("签约速率", "Plan"), by_plan));
  }
  // The lines furthest below their plan.
  std::vector<const JudgedLine*> below;
  for (const JudgedLine& l : f.lines) {
    if (!l.compliant) below.push_back(&l);
  }
  std::stable_sort(below.begin(), below.end(),
                   [](const JudgedLine* a, const JudgedLine* b) { return a->ratio < b->ratio; });
  if (!below.empty()) {
    Table t;
    t.caption = T("未达标线路（按占签约速率由低到高）", "Lines below their plan (lowest first)");
    t.header = {T("运营商", "Operator"),   T("线路", "Line"),      T("签约速率", "Plan"),
                T("地区", "Region"),       T("测速次数", "Tests"), T("平均速率", "Mean"),
                T("占签约速率", "Of plan")};
    t.numeric = {false, false, true, false, true, true, true};
    for (size_t i = 0; i < below.size() && i < kMaxListed; ++i) {
      const JudgedLine& l = *below[i];
      Row r;
      r.cells = {TextCell(view_.Label(l.op)),
                 TextCell(l.line_id, CellStyle::kCode),
                 NumberCell(l.plan_down_mbps, "mbps"),
                 TextCell(l.region.empty() ? "—" : l.region),
                 CountCell(l.tests.size()),
                 NumberCell(l.mean_down_mbps, "mbps"),
                 PercentCell(l.ratio)};
      t.rows.push_back(std::move(r));
    }
    s.blocks.push_back(std::move(t));
    s.blocks.push_back(Paragraph{
        fmt::format(
            fmt::runtime(T("注：未达标线路共{}条{}"
                           "；每条线路的逐次测速记录（时间、速率、占签约速率）可用本工具的宽带线路"
                           "命令按线路号导出，作为答复用户的依据。",
                           "Note: {} lines below their plan{}; tsq broadband --line ID prints each "
                           "line's tests, the evidence to give the customer.")),
            below.size(),
            below.size() > kMaxListed
                ? fmt::format(fmt::runtime(T("，表中列出前{}条", ", the first {} listed")),
                              kMaxListed)
                : ""),
        true});
  }
}

void DocBuilder::CallersSection() {
  if (!in_.callers) return;
  const CallerFindings& f = *in_.callers;
  Section& s = AddSection(
      "callers", NextTitle(T("疑似骚扰诈骗号码", "Suspected harassment and fraud callers")),
      T("疑似骚扰号码", "Suspected callers"));
  const Group all;
  const auto value = [&](std::string_view id, const Group& g) -> const IndicatorValue* {
    const IndicatorValue* v = view_.current().Find(id, g);
    if (v != nullptr) used_ids_.insert(v->id);
    return v;
  };
  const IndicatorValue* numbers = value("callers.suspected_numbers", all);
  const IndicatorValue* calls = value("callers.suspected_calls", all);
  s.blocks.push_back(Paragraph{
      lang_ == Lang::kZh
          ? fmt::format(
                "本期主叫号码{}个，其中呼叫不少于{}次、参与判定的{}个；疑似骚扰诈骗号码{}个，"
                "共拨出呼叫{}次{}。",
                Count(static_cast<double>(f.callers)), f.rule.min_calls,
                Count(static_cast<double>(f.judged)), Count(static_cast<double>(f.suspected)),
                Count(calls != nullptr && calls->value ? *calls->value : 0),
                calls != nullptr && calls->value && calls->n > 0
                    ? fmt::format("，占参与判定号码呼叫量的{}",
                                  Percent(*calls->value / static_cast<double>(calls->n)))
                    : "")
          : fmt::format("{} numbers placed calls in the period; the {} with at least {} calls were "
                        "judged, and {} are suspected of harassment or fraud. They placed {} "
                        "calls{}.",
                        Count(static_cast<double>(f.callers)), Count(static_cast<double>(f.judged)),
                        f.rule.min_calls, Count(static_cast<double>(f.suspected)),
                        Count(calls != nullptr && calls->value ? *calls->value : 0),
                        calls != nullptr && calls->value && calls->n > 0
                            ? fmt::format(", {} of the judged numbers' calls",
                                          Percent(*calls->value / static_cast<double>(calls->n)))
                            : "")});
  (void)numbers;
  s.blocks.push_back(
      Paragraph{f.scorer == "rules"
                    ? CallerRulesSentence(f.rule, lang_)
                    : (lang_ == Lang::kZh
                           ? "判定：按训练所得的梯度提升树模型给出的概率判定，规则仅作为证据列出。"
                           : "Scored by a trained gradient-boosted tree model; the rules are "
                             "listed as evidence."),
                true});
  Table per_op;
  per_op.caption = T("各运营商疑似骚扰诈骗号码", "Suspected callers per operator");
  per_op.header = {T("运营商", "Operator"), T("参与判定号码", "Judged numbers"),
                   T("疑似号码", "Suspected"), T("疑似号码呼叫次数", "Their calls")};
  per_op.numeric = {false, true, true, true};
  std::vector<std::pair<std::string, Group>> groups;
  for (const std::string& op : view_.operators())
    groups.push_back({view_.Label(op), Group{{{Dim::kOperator, op}}}});
  groups.push_back({T("全省", "Province"), all});
  for (const auto& [label, g] : groups) {
    const IndicatorValue* n = value("callers.suspected_numbers", g);
    const IndicatorValue* c = value("callers.suspected_calls", g);
    if (n == nullptr) continue;
    per_op.rows.push_back(Row{
        {TextCell(label), CountCell(n->n), CountCell(static_cast<uint64_t>(n->value.value_or(0))),
         CountCell(c != nullptr ? static_cast<uint64_t>(c->value.value_or(0)) : 0)}});
  }
  if (!per_op.rows.empty()) s.blocks.push_back(std::move(per_op));
  std::vector<const JudgedCaller*> suspects;
  for (const JudgedCaller& j : f.listed) {
    if (j.suspected) suspects.push_back(&j);
  }
  if (suspects.empty()) return;
  Table t;
  t.caption = T("疑似号码及证据（按得分排序）",
                "Suspected numbers and their evidence (highest score first)");
  t.header = {T("号码", "Number"),        T("运营商", "Operator"),     T("地区", "Region"),
              T("得分", "Score"),         T("呼叫次数", "Calls"),      T("日均呼叫", "Per day"),
              T("被叫号码数", "Callees"), T("应答率", "Answered"),     T("回拨占比", "Called back"),
              T("终端数", "Devices"),     T("触发规则", "Rules fired")};
  t.numeric = {false, false, false, true, true, true, true, true, true, true, false};
  for (size_t i = 0; i < suspects.size() && i < kMaxListed; ++i) {
    const JudgedCaller& j = *suspects[i];
    std::string rules;
    for (const std::string& r : j.rules) {
      rules += (rules.empty() ? "" : T("、", ", ")) + CallerRuleText(r, lang_);
    }
    t.rows.push_back(
        Row{{TextCell(CallerNumberText(j.f.number, in_.show_numbers), CellStyle::kCode),
             TextCell(view_.Label(j.f.op)), TextCell(j.f.region.empty() ? "—" : j.f.region),
             TextCell(fmt::format("{:.2f}", j.score), CellStyle::kNumber), CountCell(j.f.calls),
             NumberCell(j.f.calls_per_active_day, "count"), CountCell(j.f.distinct_callees),
             PercentCell(j.f.answer_rate), PercentCell(j.f.callback_ratio), CountCell(j.f.imeis),
             TextCell(rules)}});
  }
  s.blocks.push_back(std::move(t));
  s.blocks.push_back(Paragraph{
      fmt::format(
          fmt::runtime(T(
              "注：疑似号码共{}个{}；号码{}。疑似不等于认定，须经人工核实后再处置（关停、拦截）。",
              "Note: {} suspected numbers{}; numbers {}. A suspicion is not a "
              "finding: a reviewer confirms each number before it is shut down "
              "or blocked.")),
          suspects.size(),
          suspects.size() > kMaxListed
              ? fmt::format(fmt::runtime(T("，表中列出前{}个", ", the first {} listed")),
                            kMaxListed)
              : "",
          in_.show_numbers ? T("按要求完整显示", "shown in full as asked") : T("已脱敏", "masked")),
      true});
}

}  // namespace tsq::report
