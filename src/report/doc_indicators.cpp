// The tables of main indicators (主要服务指标完成情况): one per operator, the province's, and the
// notes that say what a table cannot show and why.
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

namespace {

// Whether some row has a value of the comparison period to compare with.
template <typename Earlier>
bool AnyEarlier(const std::vector<const IndicatorValue*>& rows, const Earlier& earlier) {
  return std::any_of(rows.begin(), rows.end(), [&](const IndicatorValue* v) {
    const IndicatorValue* e = earlier(*v);
    return e != nullptr && e->value.has_value();
  });
}

}  // namespace

Table DocBuilder::IndicatorTable(const std::vector<const IndicatorValue*>& rows) {
  const bool internal = options_.internal();
  Table t;
  t.caption = T("主要服务指标完成情况", "Main service indicators");
  t.header = {T("指标", "Indicator"), T("限值/目标", "Limit / target"), T("完成值", "Achieved")};
  t.numeric = {false, true, true};
  t.widths = {26, 12, 11};
  if (internal) {
    t.header.push_back(T("95% 置信区间", "95 % interval"));
    t.numeric.push_back(true);
    t.widths.push_back(13);
  }
  t.header.push_back(T("判定", "Verdict"));
  t.numeric.push_back(false);
  t.widths.push_back(9);
  // A comparison column shows only when some row has a value to compare with; ConventionsNote
  // says why one is missing.
  const bool prev = view_.has_previous() &&
                    AnyEarlier(rows, [this](const IndicatorValue& v) { return view_.Previous(v); });
  const bool yoy = view_.has_year_earlier() && AnyEarlier(rows, [this](const IndicatorValue& v) {
                     return view_.YearEarlier(v);
                   });
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
  if (internal) {
    t.header.push_back(T("样本量", "n"));
    t.numeric.push_back(true);
    t.widths.push_back(11);
  }
  int chapter_index = 0;
  std::string chapter;
  for (const IndicatorValue* v : rows) {
    AddChapterRowIfNew(v->id, &t, &chapter, &chapter_index);
    Row r;
    r.cells = {NameCell(*v), TargetCell(*v), ValueCell(*v)};
    if (v->verdict == Verdict::kMissed) r.cells[2].style = CellStyle::kMissed;
    if (internal) r.cells.push_back(IntervalCell(*v));
    r.cells.push_back(VerdictCell(*v));
    if (!internal) r.cells.back().inconclusive = false;  // an interval's mark: internal material
    if (prev) r.cells.push_back(ChangeCell(*v, view_.Previous(*v), T("上期", "was")));
    if (yoy) r.cells.push_back(ChangeCell(*v, view_.YearEarlier(*v), T("上年", "was")));
    if (internal) r.cells.push_back(CountCell(v->n));
    t.rows.push_back(std::move(r));
  }
  return t;
}

std::string DocBuilder::ConventionsNote(const std::vector<const IndicatorValue*>& rows) const {
  std::string note =
      T("注：及时率将截至统计时点仍未完成且已超过时限的工单计为超时。",
        "Note: timeliness rates count items still open and already past the limit at the as-of "
        "time as late.");
  if (options_.internal()) {
    note +=
        T("比率类指标的置信区间为 Wilson 95% 区间，“不确定”表示区间跨越目标值；样本量为指标"
          "所依据的记录数。",
          " Intervals of rates are 95 % Wilson intervals, and \"inconclusive\" marks an "
          "interval that straddles the target; n is the number of records a figure rests "
          "on.");
  }
  // Each comparison: shown, partly shown, or why not — said once, not as "—" in every row.
  const auto stats = [&](auto earlier) {
    bool any = false;
    bool all = true;
    for (const IndicatorValue* v : rows) {
      const IndicatorValue* e = earlier(*v);
      const bool has = e != nullptr && e->value.has_value();
      any = any || has;
      all = all && has;
    }
    return std::pair{any, all};
  };
  const auto [prev_any, prev_all] =
      stats([this](const IndicatorValue& v) { return view_.Previous(v); });
  const auto [yoy_any, yoy_all] =
      stats([this](const IndicatorValue& v) { return view_.YearEarlier(v); });
  const auto explain = [&](std::string_view zh, std::string_view en, bool covered, bool any,
                           bool all, const Period& earlier) {
    const std::string name = PeriodTitle(earlier, lang_);
    if (!covered) {
      note += lang_ == Lang::kZh
                  ? fmt::format("未列{}：数据未覆盖{}。", zh, name)
                  : fmt::format(" No \"{}\" column: the data does not cover {}.", en, name);
    } else if (!any) {
      note += lang_ == Lang::kZh
                  ? fmt::format("未列{}：{}无本表指标的数据。", zh, name)
                  : fmt::format(" No \"{}\" column: {} has no data for these figures.", en, name);
    } else if (!all) {
      note += lang_ == Lang::kZh
                  ? fmt::format("{}栏“—”表示{}无该项数据。", zh, name)
                  : fmt::format(" \"—\" under \"{}\": {} has no data for that figure.", en, name);
    }
  };
  const int32_t off = in_.local_offset_s;
  explain("环比", "vs previous", view_.has_previous(), prev_any, prev_all,
          in_.period.Previous(off));
  explain("同比", "vs year earlier", view_.has_year_earlier(), yoy_any, yoy_all,
          in_.period.YearEarlier(off));
  // Which targets are not regulatory limits, said once.
  bool tool_default = false;
  bool own = false;
  for (const IndicatorValue* v : rows) {
    tool_default = tool_default || v->target_basis == TargetBasis::kToolDefault;
    own = own || v->target_basis == TargetBasis::kCatalogFile;
  }
  if (tool_default) {
    note += T("限值/目标注“默认”的为本工具默认值，无相应监管限值。",
              " A limit marked \"default\" is a tool default: no regulation sets it.");
  }
  if (own) {
    note += T("注“自定”的由指标目录文件设定。", " One marked \"own\" was set by a catalog file.");
  }
  if (prev_any || yoy_any) {
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
            ? fmt::format("{}本期共判定{}项指标：{}。", name, c.judged, CountsSentence(c))
            : fmt::format("{} figures of {} were judged: {}.", c.judged, name, CountsSentence(c));
    if (const std::string missed = MissedClauses(rows); !missed.empty()) {
      text += T("未达标指标：", " Missed: ") + missed + T("。", ".");
    }
    s.blocks.push_back(Paragraph{std::move(text)});
  }
  s.blocks.push_back(Subheading{T("主要服务指标完成情况", "Main service indicators")});
  Table t = IndicatorTable(rows);
  t.caption.clear();
  s.blocks.push_back(std::move(t));
  s.blocks.push_back(Paragraph{ConventionsNote(rows), true});
}

}  // namespace tsq::report
