// The tables of main indicators: one per operator in a report (主要服务指标完成情况), and the
// operators side by side in a notice.
#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "report/doc_builder.h"
#include "report/report_format.h"
#include "report/text_table.h"

namespace tsq::report {

void DocBuilder::AddChapterRowIfNew(std::string_view id, Table* t, std::string* chapter,
                                    int* index) const {
  const Chapter c = view_.ChapterOf(id);
  if (c.title == *chapter) return;
  *chapter = c.title;
  Row heading;
  heading.heading = true;
  heading.cells.push_back(TextCell(ChapterRowTitle(++*index, *chapter)));
  t->rows.push_back(std::move(heading));
}

Table DocBuilder::IndicatorTable(const std::vector<const IndicatorValue*>& rows) {
  Table t;
  t.caption = T("主要服务指标完成情况", "Main service indicators");
  t.header = {T("指标", "Indicator"), T("限值/目标", "Limit / target"), T("完成值", "Achieved"),
              T("95% 置信区间", "95 % interval"), T("判定", "Verdict")};
  t.numeric = {false, true, true, true, false};
  t.widths = {26, 10, 11, 13, 9};
  // A comparison column shows only when some row has a value to compare with.
  const auto any = [&](auto earlier) {
    return std::any_of(rows.begin(), rows.end(), [&](const IndicatorValue* v) {
      const IndicatorValue* e = earlier(*v);
      return e != nullptr && e->value.has_value();
    });
  };
  const bool prev =
      view_.has_previous() && any([this](const IndicatorValue& v) { return view_.Previous(v); });
  const bool yoy = view_.has_year_earlier() &&
                   any([this](const IndicatorValue& v) { return view_.YearEarlier(v); });
  if (prev) {
    t.header.push_back(T("环比", "vs previous"));
    t.numeric.push_back(true);
    t.widths.push_back(13);
  }
  if (yoy) {
    t.header.push_back(T("同比", "vs year earlier"));
    t.numeric.push_back(true);
    t.widths.push_back(13);
  }
  t.header.push_back(T("样本量", "n"));
  t.numeric.push_back(true);
  t.widths.push_back(11);
  int chapter_index = 0;
  std::string chapter;
  for (const IndicatorValue* v : rows) {
    AddChapterRowIfNew(v->id, &t, &chapter, &chapter_index);
    Row r;
    r.cells = {NameCell(*v), TargetCell(*v), ValueCell(*v), IntervalCell(*v), VerdictCell(*v)};
    if (v->verdict == Verdict::kMissed) r.cells[2].style = CellStyle::kMissed;
    if (prev) r.cells.push_back(ChangeCell(*v, view_.Previous(*v), T("上期", "was")));
    if (yoy) r.cells.push_back(ChangeCell(*v, view_.YearEarlier(*v), T("上年", "was")));
    r.cells.push_back(CountCell(v->n));
    t.rows.push_back(std::move(r));
  }
  return t;
}

std::string DocBuilder::ConventionsNote() const {
  std::string note =
      T("注：及时率将截至统计时点仍未完成且已超过时限的工单计为超时；比率类指标的置信区间为 Wilson "
        "95% 区间，“不确定”表示区间跨越目标值；样本量为指标所依据的记录数。",
        "Note: timeliness rates count items still open and already past the limit at the as-of "
        "time as late; intervals of rates are 95 % Wilson intervals, and \"inconclusive\" marks an "
        "interval that straddles the target; n is the number of records a figure rests on.");
  if (view_.has_previous() || view_.has_year_earlier()) {
    note += T("环比、同比中比率类指标的变化以百分点表示，其余以相对变化表示。",
              " Changes of rates are in percentage points, other changes are relative.");
  }
  return note;
}

void DocBuilder::OperatorSection(const std::string& op) {
  const std::vector<const IndicatorValue*> rows = view_.OperatorRows(op);
  if (rows.empty()) return;
  const std::string name = view_.Label(op);
  const std::string period = PeriodTitle(in_.period, lang_);
  Section& s = AddSection(
      fmt::format("operator-{}", operator_index_++),
      NextTitle(lang_ == Lang::kZh ? fmt::format("{}{}服务质量状况", name, period)
                                   : fmt::format("{}: service quality, {}", name, period)),
      name);
  const VerdictCounts c = ReportView::Count(rows);
  if (c.judged > 0) {
    std::string text =
        lang_ == Lang::kZh
            ? fmt::format("{}本期共判定 {} 项指标：{}。", name, c.judged, CountsSentence(c))
            : fmt::format("{} figures of {} were judged: {}.", c.judged, name, CountsSentence(c));
    std::vector<std::string> misses;
    for (const IndicatorValue* v : rows) {
      if (v->verdict == Verdict::kMissed) misses.push_back(MissText(*v, false));
    }
    if (!misses.empty()) {
      text += T("未达标指标：", " Missed: ");
      for (size_t i = 0; i < misses.size(); ++i) {
        if (i > 0) text += T("；", "; ");
        text += misses[i];
      }
      text += T("。", ".");
    }
    s.blocks.push_back(Paragraph{std::move(text)});
  }
  s.blocks.push_back(Subheading{T("主要服务指标完成情况", "Main service indicators")});
  Table t = IndicatorTable(rows);
  t.caption.clear();
  s.blocks.push_back(std::move(t));
  s.blocks.push_back(Paragraph{ConventionsNote(), true});
}

void DocBuilder::SideBySideSection() {
  const std::vector<std::string>& ops = view_.operators();
  // The union of every operator's rows, in presentation order.
  std::vector<std::string> ids;
  for (const std::string& op : ops) {
    for (const IndicatorValue* v : view_.OperatorRows(op)) {
      if (std::find(ids.begin(), ids.end(), v->id) == ids.end()) ids.push_back(v->id);
    }
  }
  if (ids.empty()) return;
  std::sort(ids.begin(), ids.end(),
            [this](const std::string& a, const std::string& b) { return view_.IdLess(a, b); });
  Section& s =
      AddSection("indicators", NextTitle(T("主要服务指标完成情况", "Main service indicators")),
                 T("主要指标", "Indicators"));
  Table t;
  t.header = {T("指标", "Indicator"), T("限值/目标", "Limit / target")};
  t.numeric = {false, true};
  bool overall = false;
  for (const std::string& id : ids) overall = overall || view_.current().Find(id, Group{});
  if (overall) {
    t.header.push_back(T("全省", "All"));
    t.numeric.push_back(true);
  }
  for (const std::string& op : ops) {
    t.header.push_back(view_.Label(op));
    t.numeric.push_back(true);
  }
  int chapter_index = 0;
  std::string chapter;
  for (const std::string& id : ids) {
    AddChapterRowIfNew(id, &t, &chapter, &chapter_index);
    used_ids_.insert(id);
    Row r;
    r.cells.push_back(TextCell(view_.Name(id)));
    // The limit column shows the catalog's default; an operator's own target shows in its cell.
    const IndicatorDef* def = view_.Def(id);
    r.cells.push_back(
        TextCell(def && def->target ? FormatTarget(*def->target, view_.Unit(id), lang_) : "—",
                 CellStyle::kNumber));
    const auto cell_for = [&](const IndicatorValue* v) {
      if (v == nullptr) return TextCell("—", CellStyle::kNumber);
      Cell cell = ValueCell(*v);
      if (v->target) {
        cell.note = VerdictText(v->verdict, lang_);
        if (def == nullptr || !def->target || def->target->value != v->target->value ||
            def->target->op != v->target->op) {
          cell.note += T("，", ", ") + T("目标 ", "target ") +
                       FormatTarget(*v->target, view_.Unit(id), lang_);
        }
        cell.inconclusive = Inconclusive(*v);
        if (v->verdict == Verdict::kMet) cell.style = CellStyle::kMet;
        if (v->verdict == Verdict::kMissed) cell.style = CellStyle::kMissed;
        if (v->verdict == Verdict::kInsufficient) cell.style = CellStyle::kInsufficient;
      }
      return cell;
    };
    if (overall) r.cells.push_back(cell_for(view_.current().Find(id, Group{})));
    for (const std::string& op : ops) {
      const IndicatorValue* v = view_.current().Find(id, OperatorGroup(op));
      if (v == nullptr) {
        Group from;
        from.dims.emplace_back(Dim::kFromOperator, op);
        v = view_.current().Find(id, from);
      }
      r.cells.push_back(cell_for(v));
    }
    t.rows.push_back(std::move(r));
  }
  s.blocks.push_back(
      Paragraph{T("下表列出各运营商主要服务指标的完成值；单元格颜色与其下方文字表示判定结果。",
                  "Each operator's figure; the colour and the line below it give "
                  "the verdict.")});
  s.blocks.push_back(std::move(t));
  s.blocks.push_back(Paragraph{ConventionsNote(), true});
}

}  // namespace tsq::report
