// The summary of a report and of a notice: verdict counts per operator, the targets missed,
// the ranking sentences.
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
        fmt::format("达标 {} 项，未达标 {} 项，数据不足 {} 项", c.met, c.missed, c.insufficient);
    if (c.inconclusive > 0) {
      s += fmt::format("；其中 {} 项的 95% 置信区间跨越目标值，结论不确定", c.inconclusive);
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

std::string DocBuilder::MissText(const IndicatorValue& v, bool with_operator) {
  used_ids_.insert(v.id);
  const std::string unit = view_.Unit(v.id);
  std::string who;
  if (with_operator) who = GroupText(v.group) + " · ";
  return who + Labelled(view_.Name(v.id, OperatorOf(v.group)),
                        FormatValue(v.value, unit, lang_) +
                            Paren(T("限值 ", "limit ") + FormatTarget(*v.target, unit, lang_)));
}

Table DocBuilder::CountsTable(bool with_rate) const {
  Table t;
  t.header = {
      T("运营商", "Operator"), T("判定指标", "Judged"),       T("达标", "Met"),
      T("未达标", "Missed"),   T("数据不足", "Insufficient"), T("结论不确定", "Inconclusive")};
  if (with_rate) t.header.push_back(T("达标率", "Share met"));
  t.numeric = {false, true, true, true, true, true, true};
  for (const std::string& op : view_.operators()) {
    const VerdictCounts c = ReportView::Count(view_.OperatorRows(op));
    if (c.judged == 0) continue;
    Row r;
    r.cells = {TextCell(view_.Label(op)), CountCell(c.judged),       CountCell(c.met),
               CountCell(c.missed),       CountCell(c.insufficient), CountCell(c.inconclusive)};
    if (c.missed > 0) r.cells[3].style = CellStyle::kMissed;
    if (with_rate) r.cells.push_back(PercentCell(static_cast<double>(c.met) / c.judged));
    t.rows.push_back(std::move(r));
  }
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
  s.blocks.push_back(Subheading{T("主要未达标指标", "Targets missed")});
  if (misses.empty()) {
    s.blocks.push_back(Paragraph{T("各运营商所有有数据的判定指标均达到限值或目标值。",
                                   "Every operator met every target it has data for.")});
    return;
  }
  constexpr size_t kMaxListed = 12;
  BulletList list;
  for (size_t i = 0; i < misses.size() && i < kMaxListed; ++i) list.items.push_back(misses[i]);
  if (misses.size() > kMaxListed) {
    list.items.push_back(
        lang_ == Lang::kZh
            ? fmt::format("另有 {} 项，详见各运营商章节。", misses.size() - kMaxListed)
            : fmt::format("{} more: see each operator's chapter.", misses.size() - kMaxListed));
  }
  s.blocks.push_back(std::move(list));
}

void DocBuilder::SummarySection() {
  Section& s = AddSection("summary", NextTitle(T("总体情况", "Summary")), T("概要", "Summary"));
  const std::string period = PeriodTitle(in_.period, lang_);
  if (lang_ == Lang::kZh) {
    s.blocks.push_back(Paragraph{fmt::format(
        "本报告依据{}{}各运营商的原始业务记录（{} 个输入文件，{} "
        "条有效记录）计算电信服务质量指标，"
        "逐项对照限值或目标值判定是否达标，并附数据质量、指标口径与可追溯信息。数据截至 {}。",
        in_.province, period, in_.data_quality.files.size(),
        GroupThousands(in_.data_quality.TotalAccepted()), AsOf())});
  } else {
    s.blocks.push_back(Paragraph{fmt::format(
        "This report computes the telecom service-quality indicators of {} from the operators' "
        "raw records ({} input files, {} valid records), judges each against its limit or "
        "target, and documents the data quality, the definitions and the inputs. Data as of {}.",
        period, in_.data_quality.files.size(), GroupThousands(in_.data_quality.TotalAccepted()),
        AsOf())});
  }
  const VerdictCounts all = AllOperatorCounts();
  if (all.judged > 0) {
    s.blocks.push_back(Paragraph{
        lang_ == Lang::kZh ? fmt::format("本期共对 {} 家运营商的 {} 项指标进行判定：{}。",
                                         view_.operators().size(), all.judged, CountsSentence(all))
                           : fmt::format("{} figures of {} operators were judged: {}.", all.judged,
                                         view_.operators().size(), CountsSentence(all))});
    s.blocks.push_back(CountsTable(true));
    AddMisses(s);
  } else {
    s.blocks.push_back(Paragraph{T("本期没有可判定的运营商指标。",
                                   "No operator figure with a target has data in this period.")});
  }
  const std::vector<const IndicatorValue*> overall = view_.OverallRows();
  if (!overall.empty()) {
    s.blocks.push_back(Subheading{T("全省总体指标", "Province-wide figures")});
    s.blocks.push_back(IndicatorTable(overall));
  }
}

void DocBuilder::NoticeSummarySection() {
  Section& s = AddSection("summary", NextTitle(T("总体情况", "Summary")), T("概要", "Summary"));
  const std::string period = PeriodTitle(in_.period, lang_);
  if (lang_ == Lang::kZh) {
    s.blocks.push_back(Paragraph{
        fmt::format("为推进电信服务质量持续改善，根据《中华人民共和国电信条例》《电信服务质量通告"
                    "制度》等相关规定，"
                    "现将{}{}电信服务质量有关情况通告如下。本通告依据各运营商原始业务记录计算（{}"
                    " 个输入文件，{} "
                    "条有效记录），数据截至 {}。",
                    period, in_.province, in_.data_quality.files.size(),
                    GroupThousands(in_.data_quality.TotalAccepted()), AsOf())});
  } else {
    s.blocks.push_back(Paragraph{fmt::format(
        "Under the Telecommunications Regulations of the PRC and the telecom service-quality "
        "notice system, this notice reports the service quality of {}{}. It is computed from "
        "the operators' raw records ({} input files, {} valid records), data as of {}.",
        in_.province.empty() ? "" : in_.province + ", ", period, in_.data_quality.files.size(),
        GroupThousands(in_.data_quality.TotalAccepted()), AsOf())});
  }
  const VerdictCounts all = AllOperatorCounts();
  if (all.judged > 0) {
    s.blocks.push_back(Paragraph{
        lang_ == Lang::kZh
            ? fmt::format("本期对 {} 家运营商（{}）的 {} 项指标进行了判定：{}。",
                          view_.operators().size(), OperatorList(), all.judged, CountsSentence(all))
            : fmt::format("{} figures of {} operators ({}) were judged: {}.", all.judged,
                          view_.operators().size(), OperatorList(), CountsSentence(all))});
    s.blocks.push_back(CountsTable(true));
  }
  RankingParagraphs(s);
  if (all.judged > 0) AddMisses(s);
}

void DocBuilder::RankingParagraphs(Section& s) {
  struct Rank {
    std::string name;
    VerdictCounts c;
  };
  std::vector<Rank> ranks;
  for (const std::string& op : view_.operators()) {
    const VerdictCounts c = ReportView::Count(view_.OperatorRows(op));
    if (c.judged > 0) ranks.push_back({view_.Label(op), c});
  }
  if (ranks.size() >= 2) {
    std::stable_sort(ranks.begin(), ranks.end(), [](const Rank& a, const Rank& b) {
      const double ra = static_cast<double>(a.c.met) / a.c.judged;
      const double rb = static_cast<double>(b.c.met) / b.c.judged;
      if (ra != rb) return ra > rb;
      return a.c.missed < b.c.missed;
    });
    std::string text = T("按指标达标率由高到低：", "By share of targets met, highest first: ");
    for (size_t i = 0; i < ranks.size(); ++i) {
      if (i > 0) text += T("、", ", ");
      text += ranks[i].name +
              Paren(fmt::format("{}/{}{}{}", ranks[i].c.met, ranks[i].c.judged, T("，", ", "),
                                Percent(static_cast<double>(ranks[i].c.met) / ranks[i].c.judged)));
    }
    text += T("。", ".");
    s.blocks.push_back(Paragraph{std::move(text)});
  }
  // Appeals: fewer accepted appeals and a higher settlement rate rank first.
  struct AppealRank {
    std::string name;
    double accepted;
    std::optional<double> rate;
  };
  std::vector<AppealRank> appeals;
  for (const std::string& op : view_.operators()) {
    const IndicatorValue* a = view_.current().Find("appeals.accepted", OperatorGroup(op));
    if (a == nullptr || !a->value) continue;
    const IndicatorValue* r = view_.current().Find("appeals.settlement_rate", OperatorGroup(op));
    appeals.push_back({view_.Label(op), *a->value, r ? r->value : std::nullopt});
  }
  if (appeals.size() >= 2) {
    std::stable_sort(appeals.begin(), appeals.end(), [](const AppealRank& a, const AppealRank& b) {
      return a.accepted < b.accepted;
    });
    std::string text = T("受理申诉件数由少到多：", "Accepted appeals, fewest first: ");
    for (size_t i = 0; i < appeals.size(); ++i) {
      if (i > 0) text += T("、", ", ");
      text += fmt::format("{} {} {}", appeals[i].name, FormatBare(appeals[i].accepted, "count"),
                          T("件", ""));
    }
    std::vector<AppealRank> by_rate;
    for (const AppealRank& a : appeals) {
      if (a.rate) by_rate.push_back(a);
    }
    std::stable_sort(by_rate.begin(), by_rate.end(),
                     [](const AppealRank& a, const AppealRank& b) { return *a.rate > *b.rate; });
    if (!by_rate.empty()) {
      text += T("；和解率由高到低：", "; settlement rate, highest first: ");
      for (size_t i = 0; i < by_rate.size(); ++i) {
        if (i > 0) text += T("、", ", ");
        text += fmt::format("{} {}", by_rate[i].name, Percent(*by_rate[i].rate));
      }
    }
    text += T("。", ".");
    s.blocks.push_back(Paragraph{std::move(text)});
  }
}

}  // namespace tsq::report
