// The monthly and regional charts of the judged figures.
#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "report/doc_builder.h"
#include "report/report_format.h"
#include "report/text_table.h"

namespace tsq::report {

std::optional<Target> DocBuilder::ChartTarget(const std::string& id) const {
  if (const IndicatorDef* d = view_.Def(id); d && d->target) return d->target;
  for (const auto& [g, v] : *view_.current().ForId(id)) {
    if (v->target) return v->target;
  }
  return std::nullopt;
}

int DocBuilder::ColorOf(const std::string& op) const {
  const auto& ops = view_.operators();
  const auto it = std::find(ops.begin(), ops.end(), op);
  return static_cast<int>(it - ops.begin());
}

Chart DocBuilder::BreakdownChart(const std::string& id, Dim dim, Chart::Kind kind,
                                 const std::vector<std::string>& all_categories) {
  used_ids_.insert(id);
  Chart chart;
  chart.kind = kind;
  chart.title = view_.Name(id);
  chart.unit = view_.Unit(id);
  chart.target = ChartTarget(id);
  const auto* values = view_.current().ForId(id);
  std::set<std::string> present;
  bool per_operator = false;
  for (const auto& [g, v] : *values) {
    if (HasDims(g, {Dim::kOperator, dim})) per_operator = true;
    if (HasDims(g, {Dim::kOperator, dim}) || HasDims(g, {dim})) present.insert(*g.Find(dim));
  }
  for (const std::string& c : all_categories) {
    if (present.count(c)) chart.categories.push_back(c);
  }
  const auto series_for = [&](const std::string& name, const std::optional<std::string>& op,
                              int color) {
    Series s;
    s.name = name;
    s.color = color;
    for (const std::string& c : chart.categories) {
      Group g;
      if (op) g.dims.emplace_back(Dim::kOperator, *op);
      g.dims.emplace_back(dim, c);
      const IndicatorValue* v = view_.current().Find(id, g);
      s.values.push_back(v ? v->value : std::nullopt);
    }
    return s;
  };
  if (per_operator) {
    for (const std::string& op : view_.operators()) {
      Series s = series_for(view_.Label(op), op, ColorOf(op));
      if (std::any_of(s.values.begin(), s.values.end(), [](auto& x) { return x.has_value(); })) {
        chart.series.push_back(std::move(s));
      }
    }
  } else {
    chart.series.push_back(series_for(T("全省", "All"), std::nullopt, 0));
  }
  if (dim == Dim::kMonth) {
    std::set<std::string_view> years;
    for (const std::string& c : chart.categories) years.insert(std::string_view(c).substr(0, 4));
    for (std::string& c : chart.categories) c = MonthLabel(c, years.size() > 1, lang_);
  } else {
    for (std::string& c : chart.categories) c = view_.Label(c);
  }
  return chart;
}

void DocBuilder::AddCharts(Section& s, const std::vector<std::string>& ids, Dim dim,
                           Chart::Kind kind, const std::vector<std::string>& categories) {
  ChartGrid grid;
  for (const std::string& id : ids)
    grid.charts.push_back(BreakdownChart(id, dim, kind, categories));
  if (!grid.charts.empty()) s.blocks.push_back(std::move(grid));
}

void DocBuilder::TrendSection() {
  const std::vector<std::string> ids = view_.MonthlyChartIds("", {});
  if (ids.empty()) return;
  Section& s =
      AddSection("trends", NextTitle(T("月度趋势", "Monthly trends")), T("月度趋势", "Monthly"));
  s.blocks.push_back(
      Paragraph{T("下图为各项判定指标逐月完成值，虚线为限值或目标值。"
                  "客服热线平均响应时长按自然月考核，每月均须达到目标。",
                  "Each judged figure month by month; the dashed line is the "
                  "limit or target. The hotline's average response time is judged "
                  "per calendar month: every month must meet the target.")});
  AddCharts(s, ids, Dim::kMonth, Chart::Kind::kLine, view_.months());
}

void DocBuilder::RegionalSection() {
  const std::vector<std::string> ids = view_.RegionalChartIds("", {});
  if (ids.empty()) return;
  Section& s =
      AddSection("regions", NextTitle(T("分地区情况", "By region")), T("分地区", "Regions"));
  s.blocks.push_back(Paragraph{
      T("下图按地区比较各运营商的判定指标，虚线为限值或目标值；纵轴为便于比较可能不从零开始。",
        "Judged figures per region and operator; the dashed line is the "
        "limit or target. Axes may not start at zero.")});
  AddCharts(s, ids, Dim::kRegion, Chart::Kind::kBar, view_.regions());
}

}  // namespace tsq::report
