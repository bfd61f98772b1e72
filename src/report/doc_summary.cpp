// The summary of the analysis report: verdict counts per operator and province-wide, the targets
// missed, where the failures chapter lists every one.
#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "report/doc_builder.h"
#include "report/report_format.h"
#include "report/text_table.h"

namespace tsq::report {

std::string DocBuilder::CountsSentence(const VerdictCounts& c) const {
  if (lang_ == Lang::kZh) {
    std::string s =
        fmt::format("达标{}项，未达标{}项，数据不足{}项", c.met, c.missed, c.insufficient);
    if (c.inconclusive > 0) {
      s += fmt::format("；其中{}项的95%置信区间跨越目标值，结论不确定", c.inconclusive);
    }
    return s;
  }
  std::string s =
      fmt::format("{} met, {} missed, {} with insufficient data", c.met, c.missed, c.insufficient);
  if (c.inconclusive > 0) {
    s += fmt::format("; for {} of them the 95 % interval straddles the target (inconclusive)",
                     c.inconclusive);
  }
  return s;
}

std::string DocBuilder::MissText(const IndicatorValue& v, bool with_group) {
  used_ids_.insert(v.id);
  const std::string unit = view_.Unit(v.id);
  std::string who;
  if (with_group) who = GroupText(v.group) + " · ";
  return who + Labelled(view_.Name(v.id, OperatorOf(v.group)),
                        FormatValue(v.value, unit, lang_) +
                            Paren(T("限值 ", "limit ") + FormatTarget(*v.target, unit, lang_)));
}

std::string DocBuilder::MissedClauses(const std::vector<const IndicatorValue*>& rows) {
  std::string text;
  for (const IndicatorValue* v : rows) {
    if (v->verdict != Verdict::kMissed || !v->target) continue;
    used_ids_.insert(v->id);
    const std::string unit = view_.Unit(v->id);
    std::string value = FormatValue(v->value, unit, lang_);
    std::string target = FormatTarget(*v->target, unit, lang_);
    const std::string name = view_.Name(v->id, OperatorOf(v->group));
    if (lang_ == Lang::kZh) {
      // Chinese running text sets figures and units without spaces: 1.36小时, ≥99%.
      std::erase(value, ' ');
      std::erase(target, ' ');
      text += fmt::format("{}{}{}（要求{}）", text.empty() ? "" : "、", name, value, target);
    } else {
      text += fmt::format("{}{} {} (target {})", text.empty() ? "" : ", ", name, value, target);
    }
  }
  return text;
}

Table DocBuilder::CountsTable(bool with_rate) const {
  Table t;
  t.header = {T("范围", "Scope"), T("判定指标", "Judged"), T("达标", "Met"), T("未达标", "Missed"),
              T("数据不足", "Insufficient")};
  t.numeric = {false, true, true, true, true};
  if (options_.internal()) {
    t.header.push_back(T("结论不确定", "Inconclusive"));
    t.numeric.push_back(true);
  }
  if (with_rate) {
    t.header.push_back(T("达标率", "Share met"));
    t.numeric.push_back(true);
  }
  const auto add = [&](const std::string& name, const VerdictCounts& c) {
    if (c.judged == 0) return;
    Row r;
    r.cells = {TextCell(name), CountCell(c.judged), CountCell(c.met), CountCell(c.missed),
               CountCell(c.insufficient)};
    if (c.missed > 0) r.cells[3].style = CellStyle::kMissed;
    if (options_.internal()) r.cells.push_back(CountCell(c.inconclusive));
    if (with_rate) r.cells.push_back(PercentCell(static_cast<double>(c.met) / c.judged));
    t.rows.push_back(std::move(r));
  };
  for (const std::string& op : view_.operators()) {
    add(view_.Label(op), ReportView::Count(view_.OperatorRows(op)));
  }
  add(T("全省", "Province-wide"), ReportView::Count(view_.OverallRows()));
  return t;
}

VerdictCounts DocBuilder::AllOperatorCounts() const {
  VerdictCounts all;
  for (const std::string& op : view_.operators()) {
    const VerdictCounts c = ReportView::Count(view_.OperatorRows(op));
    all.judged += c.judged;
    all.met += c.met;
    all.missed += c.missed;
    all.insufficient += c.insufficient;
    all.inconclusive += c.inconclusive;
  }
  return all;
}

void DocBuilder::AddMisses(Section& s) {
  std::vector<std::string> misses;
  for (const std::string& op : view_.operators()) {
    for (const IndicatorValue* v : view_.OperatorRows(op)) {
      if (v->verdict == Verdict::kMissed) misses.push_back(MissText(*v, true));
    }
  }
  for (const IndicatorValue* v : view_.OverallRows()) {
    if (v->verdict == Verdict::kMissed) misses.push_back(MissText(*v, true));
  }
  s.blocks.push_back(Subheading{T("主要未达标指标", "Targets missed")});
  if (misses.empty()) {
    s.blocks.push_back(Paragraph{T("各运营商和全省总体的判定指标均达到限值或目标值。",
                                   "Every operator and the province met every target they have "
                                   "data for.")});
    return;
  }
  s.blocks.push_back(BulletList{std::move(misses)});
}

void DocBuilder::SummarySection() {
  Section& s = AddSection("summary", NextTitle(T("总体情况", "Summary")), T("概要", "Summary"));
  const std::string period = PeriodTitle(in_.period, lang_);
  const uint64_t records = in_.data_quality.TotalAccepted();
  if (lang_ == Lang::kZh) {
    s.blocks.push_back(Paragraph{fmt::format(
        "本报告依据{}{}各运营商的原始业务记录（{}个输入文件，{}条有效记录）计算电信服务质量指标，"
        "逐项对照限值或目标值判定是否达标，列出各分组的全部未达标项，并附数据质量、指标口径与可"
        "追溯信息。数据截至{}。",
        in_.province, period, in_.data_quality.files.size(), Count(records), AsOf())});
  } else {
    s.blocks.push_back(Paragraph{fmt::format(
        "This report computes the telecom service-quality indicators of {} from the operators' "
        "raw records ({} input files, {} valid records), judges each against its limit or "
        "target, lists every target missed in any breakdown, and documents the data quality, "
        "the definitions and the inputs. Data as of {}.",
        period, in_.data_quality.files.size(), Count(records), AsOf())});
  }
  const VerdictCounts all = AllOperatorCounts();
  const VerdictCounts overall = ReportView::Count(view_.OverallRows());
  const size_t failures = view_.Misses().size();
  if (all.judged + overall.judged > 0) {
    std::string text;
    if (lang_ == Lang::kZh) {
      if (all.judged > 0) {
        text = fmt::format("本期共对{}家运营商的{}项指标进行判定：{}。", view_.operators().size(),
                           all.judged, CountsSentence(all));
      }
      if (overall.judged > 0) {
        text += fmt::format("全省总体{}项判定指标中，达标{}项，未达标{}项。", overall.judged,
                            overall.met, overall.missed);
      }
      text += failures > 0 ? fmt::format(
                                 "计入分地区、分月份、分制式等全部分组，共有{}项判定未达"
                                 "标，详见“未达标情况”一章。",
                                 failures)
                           : "全部分组的判定指标均达标。";
    } else {
      if (all.judged > 0) {
        text = fmt::format("{} figures of {} operators were judged: {}.", all.judged,
                           view_.operators().size(), CountsSentence(all));
      }
      if (overall.judged > 0) {
        text += fmt::format(
            " Province-wide, {} of {} judged figures met their target and {} "
            "missed it.",
            overall.met, overall.judged, overall.missed);
      }
      text += failures > 0 ? fmt::format(
                                 " Counting every breakdown (region, month, RAT...), {} "
                                 "verdicts missed their target: see \"Targets missed\".",
                                 failures)
                           : " Every breakdown met its targets.";
    }
    s.blocks.push_back(Paragraph{std::move(text)});
    s.blocks.push_back(CountsTable(true));
    AddMisses(s);
  } else {
    s.blocks.push_back(
        Paragraph{T("本期没有可判定的指标。", "No figure with a target has data in this period.")});
  }
  const std::vector<const IndicatorValue*> overall_rows = view_.OverallRows();
  if (!overall_rows.empty()) {
    s.blocks.push_back(Subheading{T("全省总体指标", "Province-wide figures")});
    s.blocks.push_back(IndicatorTable(overall_rows));
    s.blocks.push_back(Paragraph{ConventionsNote(overall_rows), true});
  }
}

}  // namespace tsq::report
