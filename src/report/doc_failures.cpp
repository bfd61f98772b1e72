// Every failure named: each missed verdict at every breakdown (province, operator, region,
// month, RAT and their crosses), with where and when, the furthest from its target first.
#include <map>

#include <fmt/format.h>

#include "report/doc_builder.h"
#include "report/report_format.h"
#include "report/text_table.h"

namespace tsq::report {

namespace {

// "分运营商×地区" / "operator × region": how a breakdown reads in a sentence.
std::string BreakdownText(const Group& g, Lang lang) {
  if (g.empty()) return std::string(L(lang, "全省", "province-wide"));
  std::string out(L(lang, "分", "by "));
  for (size_t i = 0; i < g.dims.size(); ++i) {
    if (i > 0) out += L(lang, "×", " × ");
    switch (g.dims[i].first) {
      case Dim::kOperator:
        out += L(lang, "运营商", "operator");
        break;
      case Dim::kFromOperator:
        out += L(lang, "转出运营商", "releasing operator");
        break;
      case Dim::kRegion:
        out += L(lang, "地区", "region");
        break;
      case Dim::kMonth:
        out += L(lang, "月份", "month");
        break;
      case Dim::kRat:
        out += L(lang, "制式", "RAT");
        break;
      case Dim::kPlan:
        out += L(lang, "套餐", "plan");
        break;
      case Dim::kCategory:
        out += L(lang, "类别", "category");
        break;
      case Dim::kChannel:
        out += L(lang, "渠道", "channel");
        break;
      case Dim::kRejectReason:
        out += L(lang, "拒绝原因", "reason");
        break;
    }
  }
  return out;
}

}  // namespace

void DocBuilder::FailuresSection() {
  const std::vector<const IndicatorValue*> misses = view_.Misses();
  Section& s =
      AddSection("failures", NextTitle(T("未达标情况", "Targets missed")), T("未达标", "Missed"));
  if (misses.empty()) {
    s.blocks.push_back(
        Paragraph{T("全部分组（全省、运营商、地区、月份、制式及其交叉）的判定指标"
                    "均达到限值或目标值。",
                    "Every judged figure of every breakdown (province, operator, "
                    "region, month, RAT and their crosses) met its target.")});
    return;
  }
  // How many per breakdown, in the order breakdowns first appear in the ranking.
  std::vector<std::pair<std::string, size_t>> per_breakdown;
  for (const IndicatorValue* v : misses) {
    const std::string b = BreakdownText(v->group, lang_);
    auto it = std::find_if(per_breakdown.begin(), per_breakdown.end(),
                           [&](const auto& p) { return p.first == b; });
    if (it == per_breakdown.end()) {
      per_breakdown.emplace_back(b, 1);
    } else {
      ++it->second;
    }
  }
  std::sort(per_breakdown.begin(), per_breakdown.end(),
            [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string text = lang_ == Lang::kZh
                         ? fmt::format("全部分组共有{}项判定未达标，其中", misses.size())
                         : fmt::format("{} verdicts missed their target: ", misses.size());
  for (size_t i = 0; i < per_breakdown.size(); ++i) {
    if (i > 0) text += T("，", ", ");
    text += lang_ == Lang::kZh
                ? fmt::format("{}{}项", per_breakdown[i].first, per_breakdown[i].second)
                : fmt::format("{} {}", per_breakdown[i].second, per_breakdown[i].first);
  }
  text +=
      T("。下表按偏离限值的相对程度由大到小排列（下限类比率按未达成部分与允许部分之比，"
        "其余按差距与限值之比；相同时样本量大者在前），指出每项未达标发生的运营商、地区、"
        "月份或制式。",
        ". The table lists them furthest from the target first (for a rate with a minimum, "
        "the share that failed against the share allowed to fail; otherwise the gap relative "
        "to the limit; the larger sample first on a tie), with the operator, region, month or "
        "RAT where each happened.");
  s.blocks.push_back(Paragraph{std::move(text)});

  Table t;
  t.header = {"#",
              T("指标", "Indicator"),
              T("范围", "Where and when"),
              T("完成值", "Achieved"),
              T("限值/目标", "Limit / target"),
              T("差距", "Gap"),
              T("样本量", "n")};
  t.numeric = {true, false, false, true, true, true, true};
  t.widths = {4, 24, 20, 11, 11, 16, 9};
  int index = 0;
  for (const IndicatorValue* v : misses) {
    Row r;
    Cell number = CountCell(static_cast<uint64_t>(++index));
    number.num_format = "0";
    Cell value = ValueCell(*v);
    value.style = CellStyle::kMissed;
    Cell gap =
        TextCell(GapText(*v->value, *v->target, view_.Unit(v->id), lang_), CellStyle::kNumber);
    if (options_.internal() && Inconclusive(*v)) gap.inconclusive = true;
    r.cells = {std::move(number), NameCell(*v),   TextCell(GroupText(v->group)),
               std::move(value),  TargetCell(*v), std::move(gap),
               CountCell(v->n)};
    t.rows.push_back(std::move(r));
  }
  s.blocks.push_back(std::move(t));
  s.blocks.push_back(Paragraph{
      T("注：差距为完成值与限值之差，比率类以百分点计；标注“不确定”的项，其 95% 置信区间跨越限值，"
        "差距可能由抽样波动造成。",
        "Note: the gap is the distance between the value and the limit, in percentage points for "
        "rates; a gap marked inconclusive has a 95 % interval that straddles the limit, so chance "
        "may explain it."),
      true});
}

}  // namespace tsq::report
