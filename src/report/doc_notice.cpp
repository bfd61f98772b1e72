// The regulator's province-wide notice (电信服务质量通告), in the structure the administrations
// publish: an overview whose sub-headings state conclusions, the appeal centre's figures, the
// operators compared, then one section per operator.
#include <algorithm>

#include <fmt/format.h>

#include "report/doc_builder.h"
#include "report/report_format.h"

namespace tsq::report {

namespace {

struct Ranked {
  std::string name;
  VerdictCounts c;
  double share() const { return c.judged > 0 ? static_cast<double>(c.met) / c.judged : 0; }
};

}  // namespace

std::vector<std::string> DocBuilder::RankingSentences() const {
  std::vector<std::string> out;
  std::vector<Ranked> ranks;
  for (const std::string& op : view_.operators()) {
    const VerdictCounts c = ReportView::Count(view_.OperatorRows(op));
    if (c.judged > 0) ranks.push_back({view_.Label(op), c});
  }
  if (ranks.size() >= 2) {
    std::stable_sort(ranks.begin(), ranks.end(), [](const Ranked& a, const Ranked& b) {
      if (a.share() != b.share()) return a.share() > b.share();
      return a.c.missed < b.c.missed;
    });
    std::string text = T("按指标达标率由高到低：", "By share of targets met, highest first: ");
    for (size_t i = 0; i < ranks.size(); ++i) {
      if (i > 0) text += T("、", ", ");
      text += ranks[i].name + Paren(fmt::format("{}/{}{}{}", ranks[i].c.met, ranks[i].c.judged,
                                                T("，", ", "), Percent(ranks[i].share())));
    }
    out.push_back(text + T("。", "."));
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
      text += lang_ == Lang::kZh
                  ? fmt::format("{}{}件", appeals[i].name, Count(appeals[i].accepted))
                  : fmt::format("{} {}", appeals[i].name, Count(appeals[i].accepted));
    }
    out.push_back(text + T("。", "."));
    std::vector<AppealRank> by_rate;
    for (const AppealRank& a : appeals) {
      if (a.rate) by_rate.push_back(a);
    }
    std::stable_sort(by_rate.begin(), by_rate.end(),
                     [](const AppealRank& a, const AppealRank& b) { return *a.rate > *b.rate; });
    if (by_rate.size() >= 2) {
      std::string rates = T("申诉和解率由高到低：", "Settlement rate, highest first: ");
      for (size_t i = 0; i < by_rate.size(); ++i) {
        if (i > 0) rates += T("、", ", ");
        rates += fmt::format("{}{}{}", by_rate[i].name, T("", " "), Percent(*by_rate[i].rate));
      }
      out.push_back(rates + T("。", "."));
    }
  }
  return out;
}

Table DocBuilder::SideBySideTable() {
  const std::vector<std::string>& ops = view_.operators();
  // The union of every operator's rows, in presentation order.
  std::vector<std::string> ids;
  for (const std::string& op : ops) {
    for (const IndicatorValue* v : view_.OperatorRows(op)) {
      if (std::find(ids.begin(), ids.end(), v->id) == ids.end()) ids.push_back(v->id);
    }
  }
  std::sort(ids.begin(), ids.end(),
            [this](const std::string& a, const std::string& b) { return view_.IdLess(a, b); });
  Table t;
  t.caption = T("各企业主要服务指标对比", "Main service indicators compared");
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
        cell.inconclusive = options_.internal() && Inconclusive(*v);
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
  return t;
}

void DocBuilder::NoticeOverviewSection() {
  Section& s =
      AddSection("summary", NextTitle(T("全省电信服务总体情况概要", "Overview of the province")),
                 T("总体情况", "Overview"));
  const std::string period = PeriodTitle(in_.period, lang_);
  s.blocks.push_back(Paragraph{
      lang_ == Lang::kZh
          ? fmt::format("为推进电信服务质量持续改善，根据《中华人民共和国电信条例》《电信服务质量通"
                        "告制度》等相关规定，现将{}{}电信服务质量有关情况通告如下：",
                        period, in_.province)
          : fmt::format("To keep improving telecom service quality, and under the "
                        "Telecommunications Regulations of the PRC and the telecom "
                        "service-quality notice system, the service quality of {}{} is "
                        "announced as follows.",
                        in_.province.empty() ? "" : in_.province + ", ", period)});
  int sub = 0;
  const auto heading = [&](const std::string& conclusion) {
    s.blocks.push_back(Subheading{ChapterRowTitle(++sub, conclusion)});
  };

  // (一) The verdicts, with a heading that states the conclusion.
  const VerdictCounts all = AllOperatorCounts();
  if (all.judged > 0) {
    // One clause per operator, as the notices write them.
    std::vector<std::string> misses;
    for (const std::string& op : view_.operators()) {
      const std::string missed = MissedClauses(view_.OperatorRows(op));
      if (!missed.empty()) misses.push_back(view_.Label(op) + T("", ": ") + missed);
    }
    heading(all.missed == 0 ? T("服务指标全部达标，服务质量保持稳定",
                                "Every service target met: service quality held steady")
            : lang_ == Lang::kZh
                ? fmt::format("服务质量总体稳定，{}项企业指标未达到要求", all.missed)
                : fmt::format("Service quality steady overall; {} operator figures missed "
                              "their target",
                              all.missed));
    std::string text =
        lang_ == Lang::kZh
            ? fmt::format(
                  "本期对{}{}家基础电信企业的{}项服务质量指标进行考核，达标{}项，未达标"
                  "{}项",
                  OperatorList(), view_.operators().size(), all.judged, all.met, all.missed)
            : fmt::format(
                  "{} service-quality figures of {} operators ({}) were judged: {} met "
                  "their target and {} missed it",
                  all.judged, view_.operators().size(), OperatorList(), all.met, all.missed);
    if (all.insufficient > 0) {
      text += lang_ == Lang::kZh ? fmt::format("，数据不足{}项", all.insufficient)
                                 : fmt::format("; {} had insufficient data", all.insufficient);
    }
    text += T("。", ".");
    if (!misses.empty()) {
      text += T("未达标的有：", " Missed: ");
      for (size_t i = 0; i < misses.size(); ++i) {
        if (i > 0) text += T("；", "; ");
        text += misses[i];
      }
      text += T("。", ".");
    }
    s.blocks.push_back(Paragraph{std::move(text)});
  }

  // The user base the per-million rates divide by, as the notices state it before the appeals.
  if (std::string users = SubscribersParagraph(); !users.empty()) {
    heading(T("用户规模", "The user base"));
    s.blocks.push_back(Paragraph{std::move(users)});
  }

  // (二) The appeal centre.
  if (view_.HasPrefix("appeals.")) {
    heading(
        T("申诉渠道畅通，电信用户合法权益切实得到保障", "Appeals heard: users' rights protected"));
    AppealsBlocks(s);
  }

  // (三) The operators compared, the heading naming the one that leads.
  const std::vector<std::string> ranking = RankingSentences();
  Table compared = SideBySideTable();
  if (!ranking.empty() || !compared.rows.empty()) {
    std::string lead;
    double best = -1;
    for (const std::string& op : view_.operators()) {
      const VerdictCounts c = ReportView::Count(view_.OperatorRows(op));
      const double share = c.judged > 0 ? static_cast<double>(c.met) / c.judged : -1;
      if (share > best) {
        best = share;
        lead = view_.Label(op);
      }
    }
    heading(lead.empty() || view_.operators().size() < 2
                ? T("各企业服务质量比较", "The operators compared")
            : lang_ == Lang::kZh
                ? fmt::format("各企业服务质量比较：{}指标达标率最高", lead)
                : fmt::format("The operators compared: {} met the largest share of targets", lead));
    for (std::string& sentence : std::vector<std::string>(ranking)) {
      s.blocks.push_back(Paragraph{std::move(sentence)});
    }
    if (!compared.rows.empty()) s.blocks.push_back(std::move(compared));
  }
}

void DocBuilder::NoticeOperatorsSection() {
  if (view_.operators().empty()) return;
  Section& s = AddSection(
      "operators", NextTitle(T("各电信企业服务质量状况", "Service quality of each operator")),
      T("各企业", "Operators"));
  const std::string period = PeriodTitle(in_.period, lang_);
  int sub = 0;
  for (const std::string& op : view_.operators()) {
    const std::vector<const IndicatorValue*> rows = view_.OperatorRows(op);
    if (rows.empty()) continue;
    const std::string name = view_.Label(op);
    s.blocks.push_back(Subheading{ChapterRowTitle(
        ++sub, lang_ == Lang::kZh ? fmt::format("{}{}服务质量状况", name, period)
                                  : fmt::format("{}: service quality, {}", name, period))});
    const VerdictCounts c = ReportView::Count(rows);
    std::string text =
        lang_ == Lang::kZh
            ? fmt::format("{}本期{}项考核指标中，达标{}项，未达标{}项。", name, c.judged, c.met,
                          c.missed)
            : fmt::format("Of {}'s {} judged figures, {} met their target and {} missed it.", name,
                          c.judged, c.met, c.missed);
    if (const std::string missed = MissedClauses(rows); !missed.empty()) {
      text += T("未达标指标：", " Missed: ") + missed + T("。", ".");
    }
    s.blocks.push_back(Paragraph{std::move(text)});
    Table t = IndicatorTable(rows);
    t.caption.clear();
    s.blocks.push_back(std::move(t));
    if (&op == &view_.operators().back()) {
      s.blocks.push_back(Paragraph{ConventionsNote(rows), true});
    }
  }
}

}  // namespace tsq::report
