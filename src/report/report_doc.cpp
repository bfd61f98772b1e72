#include "report/report_doc.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "model/schema.h"
#include "report/report_format.h"
#include "report/report_view.h"
#include "report/text_table.h"

namespace tsq::report {
namespace {

std::string FileName(const std::string& path) {
  return std::filesystem::path(path).filename().string();
}

class DocBuilder {
 public:
  DocBuilder(const ReportInput& in, const ReportOptions& options)
      : in_(in), view_(in), options_(options), lang_(in.lang) {}

  ReportDoc Build() {
    doc_.lang = lang_;
    doc_.notice = options_.notice;
    BuildCover();
    if (options_.notice) {
      NoticeSummarySection();
      SideBySideSection();
      AppealsSection();
    } else {
      SummarySection();
      for (const std::string& op : view_.operators()) OperatorSection(op);
      AppealsSection();
    }
    TrendSection();
    RegionalSection();
    DataQualitySection();
    DefinitionsSection();
    TraceabilitySection();
    return std::move(doc_);
  }

 private:
  std::string T(std::string_view zh, std::string_view en) const {
    return std::string(L(lang_, zh, en));
  }
  // Punctuation differs: full-width in Chinese text.
  std::string Paren(std::string_view text) const {
    return lang_ == Lang::kZh ? fmt::format("（{}）", text) : fmt::format(" ({})", text);
  }
  std::string Labelled(std::string_view label, std::string_view value) const {
    return fmt::format("{}{}{}", label, T("：", ": "), value);
  }

  // ---- cells -------------------------------------------------------------------------------

  Cell NumberCell(std::optional<double> value, std::string_view unit) const {
    Cell c;
    c.text = FormatValue(value, unit, lang_);
    c.style = CellStyle::kNumber;
    if (value) {
      c.number = *value;
      c.num_format = ExcelNumberFormat(unit, *value, lang_);
    }
    return c;
  }

  Cell CountCell(uint64_t n) const {
    Cell c;
    c.text = GroupThousands(n);
    c.style = CellStyle::kNumber;
    c.number = static_cast<double>(n);
    c.num_format = "#,##0";
    return c;
  }

  Cell ValueCell(const IndicatorValue& v) {
    used_ids_.insert(v.id);
    return NumberCell(v.value, view_.Unit(v.id));
  }

  Cell TargetCell(const IndicatorValue& v) const {
    Cell c;
    c.text = v.target ? FormatTarget(*v.target, view_.Unit(v.id), lang_) : "—";
    c.style = CellStyle::kNumber;
    return c;
  }

  static bool Inconclusive(const IndicatorValue& v) {
    return v.ci && v.ci->inconclusive &&
           (v.verdict == Verdict::kMet || v.verdict == Verdict::kMissed);
  }

  Cell VerdictCell(const IndicatorValue& v) const {
    Cell c;
    c.text = VerdictText(v.verdict, lang_);
    switch (v.verdict) {
      case Verdict::kMet:
        c.style = CellStyle::kMet;
        break;
      case Verdict::kMissed:
        c.style = CellStyle::kMissed;
        break;
      case Verdict::kInsufficient:
        c.style = CellStyle::kInsufficient;
        break;
      case Verdict::kNone:
        c.style = CellStyle::kNoTarget;
        break;
    }
    c.inconclusive = Inconclusive(v);
    return c;
  }

  Cell IntervalCell(const IndicatorValue& v) const {
    Cell c;
    c.style = CellStyle::kNumber;
    c.text = v.ci ? FormatInterval(*v.ci, view_.Unit(v.id), lang_) : "—";
    return c;
  }

  // `label`: what the earlier value is ("上期", "上年").
  Cell ChangeCell(const IndicatorValue& v, const IndicatorValue* earlier,
                  std::string_view label) const {
    Cell c;
    c.style = CellStyle::kNumber;
    if (earlier == nullptr || !earlier->value || !v.value) {
      c.text = "—";
      return c;
    }
    const std::string unit = view_.Unit(v.id);
    c.text = FormatChange(*v.value, *earlier->value, unit, lang_);
    // A change that prints as zero is neither better nor worse.
    const Trend trend = c.text.starts_with("0")
                            ? Trend::kSame
                            : ChangeTrend(*v.value, *earlier->value, view_.Polarity(v.id));
    switch (trend) {
      case Trend::kBetter:
        c.style = CellStyle::kBetter;
        break;
      case Trend::kWorse:
        c.style = CellStyle::kWorse;
        break;
      case Trend::kSame:
      case Trend::kNeutral:
        break;
    }
    c.note = fmt::format("{} {}", label, FormatValue(earlier->value, unit, lang_));
    return c;
  }

  Cell TextCell(std::string text, CellStyle style = CellStyle::kText) const {
    Cell c;
    c.text = std::move(text);
    c.style = style;
    return c;
  }

  // The indicator's name for the value's operator (a name may follow the operator's own limit).
  Cell NameCell(const IndicatorValue& v) {
    used_ids_.insert(v.id);
    return TextCell(view_.Name(v.id, OperatorOf(v.group)));
  }

  static std::string_view OperatorOf(const Group& g) {
    const std::string* op = g.Find(Dim::kOperator);
    if (op == nullptr) op = g.Find(Dim::kFromOperator);
    return op != nullptr ? std::string_view(*op) : std::string_view();
  }

  Cell PercentCell(std::optional<double> fraction) const { return NumberCell(fraction, "ratio"); }

  // ---- numbering ---------------------------------------------------------------------------

  std::string NextTitle(std::string_view name) {
    ++section_number_;
    if (lang_ == Lang::kZh) return fmt::format("{}、{}", ChineseNumber(section_number_), name);
    return fmt::format("{}. {}", section_number_, name);
  }

  std::string NextAppendixTitle(std::string_view name) {
    ++appendix_number_;
    if (lang_ == Lang::kZh) return fmt::format("附录{} {}", ChineseNumber(appendix_number_), name);
    return fmt::format("Appendix {}. {}", static_cast<char>('A' + appendix_number_ - 1), name);
  }

  std::string ChapterRowTitle(int index, std::string_view title) const {
    if (lang_ == Lang::kZh) return fmt::format("（{}）{}", ChineseNumber(index), title);
    return std::string(title);
  }

  Section& AddSection(std::string anchor, std::string title, std::string sheet,
                      bool appendix = false) {
    Section s;
    s.anchor = std::move(anchor);
    s.title = std::move(title);
    s.sheet_name = std::move(sheet);
    s.appendix = appendix;
    doc_.sections.push_back(std::move(s));
    return doc_.sections.back();
  }

  std::string AsOf() const { return FormatLocal(in_.as_of, in_.local_offset_s); }

  std::string OffsetText() const {
    const int32_t off = in_.local_offset_s;
    return fmt::format("UTC{}{:02}:{:02}", off < 0 ? '-' : '+', std::abs(off) / 3600,
                       std::abs(off) % 3600 / 60);
  }

  std::string OperatorList() const {
    std::string out;
    for (const std::string& op : view_.operators()) {
      if (!out.empty()) out += T("、", ", ");
      out += view_.Label(op);
    }
    return out;
  }

  std::string GroupText(const Group& g) const {
    if (g.empty()) return T("全省", "all");
    std::string out;
    for (const auto& [dim, value] : g.dims) {
      if (!out.empty()) out += " · ";
      out += dim == Dim::kMonth ? MonthLabel(value, true, lang_) : view_.Label(value);
    }
    return out;
  }

  // ---- cover -------------------------------------------------------------------------------

  void BuildCover() {
    const std::string period = PeriodTitle(in_.period, lang_);
    if (lang_ == Lang::kZh) {
      doc_.title = fmt::format("{}{}电信服务质量{}", in_.province, period,
                               options_.notice ? "通告" : "报告");
    } else {
      doc_.title = fmt::format("{}Telecom Service Quality {}, {}",
                               in_.province.empty() ? "" : in_.province + " ",
                               options_.notice ? "Notice" : "Report", period);
    }
    doc_.subtitle = fmt::format("{} {} · {} {}", T("统计周期", "Period"),
                                PeriodRange(in_.period, lang_), T("数据截至", "as of"), AsOf());
    doc_.meta.emplace_back(T("统计周期", "Period"),
                           PeriodRange(in_.period, lang_) + Paren(in_.period.label));
    doc_.meta.emplace_back(T("数据截至", "As of"), fmt::format("{} ({})", AsOf(), OffsetText()));
    if (!view_.operators().empty())
      doc_.meta.emplace_back(T("运营商", "Operators"), OperatorList());
    doc_.meta.emplace_back(
        T("输入", "Inputs"),
        fmt::format("{} {}{}{} {}", in_.data_quality.files.size(), T("个文件", "files"),
                    T("，", ", "), GroupThousands(in_.data_quality.TotalAccepted()),
                    T("条有效记录", "valid records")));
    doc_.meta.emplace_back(T("生成工具", "Generated by"), "tsq " + in_.tsq_version);
    doc_.footer = fmt::format("tsq {} · {} {} · {} {}", in_.tsq_version, T("指标目录", "catalog"),
                              in_.catalog_hash.substr(0, 12), T("数据截至", "as of"), AsOf());
  }

  // ---- summary (report) --------------------------------------------------------------------

  std::string CountsSentence(const VerdictCounts& c) const {
    if (lang_ == Lang::kZh) {
      std::string s =
          fmt::format("达标 {} 项，未达标 {} 项，数据不足 {} 项", c.met, c.missed, c.insufficient);
      if (c.inconclusive > 0) {
        s += fmt::format("；其中 {} 项的 95% 置信区间跨越目标值，结论不确定", c.inconclusive);
      }
      return s;
    }
    std::string s = fmt::format("{} met, {} missed, {} with insufficient data", c.met, c.missed,
                                c.insufficient);
    if (c.inconclusive > 0) {
      s += fmt::format("; for {} of them the 95 % interval straddles the target (inconclusive)",
                       c.inconclusive);
    }
    return s;
  }

  std::string MissText(const IndicatorValue& v, bool with_operator) {
    used_ids_.insert(v.id);
    const std::string unit = view_.Unit(v.id);
    std::string who;
    if (with_operator) who = GroupText(v.group) + " · ";
    return who + Labelled(view_.Name(v.id, OperatorOf(v.group)),
                          FormatValue(v.value, unit, lang_) +
                              Paren(T("限值 ", "limit ") + FormatTarget(*v.target, unit, lang_)));
  }

  Table CountsTable(bool with_rate) const {
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

  VerdictCounts AllOperatorCounts() const {
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

  void AddMisses(Section& s) {
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

  void SummarySection() {
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
      s.blocks.push_back(
          Paragraph{lang_ == Lang::kZh
                        ? fmt::format("本期共对 {} 家运营商的 {} 项指标进行判定：{}。",
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

  // ---- per operator ------------------------------------------------------------------------

  Table IndicatorTable(const std::vector<const IndicatorValue*>& rows) {
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
      const Chapter c = view_.ChapterOf(v->id);
      if (c.title != chapter) {
        chapter = c.title;
        Row heading;
        heading.heading = true;
        heading.cells.push_back(TextCell(ChapterRowTitle(++chapter_index, chapter)));
        t.rows.push_back(std::move(heading));
      }
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

  std::string ConventionsNote() const {
    std::string note = T(
        "注：及时率将截至统计时点仍未完成且已超过时限的工单计为超时；比率类指标的置信区间为 Wilson "
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

  void OperatorSection(const std::string& op) {
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

  // ---- notice ------------------------------------------------------------------------------

  void NoticeSummarySection() {
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
                            view_.operators().size(), OperatorList(), all.judged,
                            CountsSentence(all))
              : fmt::format("{} figures of {} operators ({}) were judged: {}.", all.judged,
                            view_.operators().size(), OperatorList(), CountsSentence(all))});
      s.blocks.push_back(CountsTable(true));
    }
    RankingParagraphs(s);
    if (all.judged > 0) AddMisses(s);
  }

  void RankingParagraphs(Section& s) {
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
        text +=
            ranks[i].name +
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
      std::stable_sort(
          appeals.begin(), appeals.end(),
          [](const AppealRank& a, const AppealRank& b) { return a.accepted < b.accepted; });
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

  void SideBySideSection() {
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
      const Chapter c = view_.ChapterOf(id);
      if (c.title != chapter) {
        chapter = c.title;
        Row heading;
        heading.heading = true;
        heading.cells.push_back(TextCell(ChapterRowTitle(++chapter_index, chapter)));
        t.rows.push_back(std::move(heading));
      }
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

  // ---- appeals -----------------------------------------------------------------------------

  const IndicatorValue* AppealCategoryValue(std::string_view metric, const Group& base,
                                            const std::string& category) const {
    Group g = base;
    g.dims.emplace_back(Dim::kCategory, category);
    std::sort(g.dims.begin(), g.dims.end());
    if (const IndicatorValue* v = view_.current().Find(fmt::format("appeals.{}", metric), g))
      return v;
    return view_.current().Find(fmt::format("appeals.category.{}.{}", category, metric), base);
  }

  std::vector<std::string> AppealCategories() const {
    std::vector<std::string> out;
    const auto add = [&](const std::string& c) {
      if (std::find(out.begin(), out.end(), c) == out.end()) out.push_back(c);
    };
    for (const IndicatorValue& v : in_.current) {
      if (v.id == "appeals.accepted") {
        if (const std::string* c = v.group.Find(Dim::kCategory)) add(*c);
      } else if (v.id.starts_with("appeals.category.") && v.id.ends_with(".accepted")) {
        const std::string_view rest = std::string_view(v.id).substr(17);
        add(std::string(rest.substr(0, rest.size() - 9)));
      }
    }
    return out;
  }

  // appeals.accepted_change_yoy when the engine computed it, else from the year-earlier values.
  std::optional<double> AppealsYoy(const Group& g) const {
    if (const IndicatorValue* v = view_.current().Find("appeals.accepted_change_yoy", g)) {
      return v->value;
    }
    const IndicatorValue* now = view_.current().Find("appeals.accepted", g);
    const IndicatorValue* before = view_.year_earlier().Find("appeals.accepted", g);
    if (now && before && now->value && before->value && *before->value != 0) {
      return (*now->value - *before->value) / *before->value;
    }
    return std::nullopt;
  }

  void AppealsSection() {
    if (!view_.HasPrefix("appeals.")) return;
    Section& s = AddSection("appeals", NextTitle(T("用户申诉情况", "Appeals to the regulator")),
                            T("申诉", "Appeals"));
    const ValueIndex& cur = view_.current();
    const auto value_of = [&](std::string_view id, const Group& g) -> std::optional<double> {
      const IndicatorValue* v = cur.Find(id, g);
      if (v != nullptr) used_ids_.insert(v->id);
      return v != nullptr ? v->value : std::nullopt;
    };
    const std::vector<std::string> categories = AppealCategories();
    const std::optional<double> accepted = value_of("appeals.accepted", Group{});
    if (accepted) {
      const std::optional<double> settled = value_of("appeals.settled", Group{});
      const std::optional<double> rate = value_of("appeals.settlement_rate", Group{});
      const std::optional<double> yoy = AppealsYoy(Group{});
      std::string text;
      if (lang_ == Lang::kZh) {
        text = fmt::format("{}{}共受理用户申诉 {} 件", PeriodTitle(in_.period, lang_), in_.province,
                           FormatBare(*accepted, "count"));
        if (yoy) text += "，同比" + FormatRelativeChangeWords(*yoy, lang_);
        if (settled) text += fmt::format("，经调解达成和解 {} 件", FormatBare(*settled, "count"));
        if (rate) text += "，和解率 " + Percent(*rate);
        text += "。";
      } else {
        text = fmt::format("In {}, {} appeals were accepted", PeriodTitle(in_.period, lang_),
                           FormatBare(*accepted, "count"));
        if (yoy) text += " (" + FormatRelativeChangeWords(*yoy, lang_) + " year on year)";
        if (settled)
          text += fmt::format("; {} were settled by mediation", FormatBare(*settled, "count"));
        if (rate) text += ", a settlement rate of " + Percent(*rate);
        text += ".";
      }
      // The largest categories, as the notice names them.
      std::vector<std::pair<double, std::string>> by_category;
      for (const std::string& c : categories) {
        const IndicatorValue* v = AppealCategoryValue("accepted", Group{}, c);
        if (v && v->value) by_category.emplace_back(*v->value, c);
      }
      std::sort(by_category.rbegin(), by_category.rend());
      if (!by_category.empty() && *accepted > 0) {
        text += T("其中", " The largest categories: ");
        for (size_t i = 0; i < by_category.size() && i < 3; ++i) {
          if (i > 0) text += T("，", ", ");
          text += fmt::format("{} {}{}", view_.Label(by_category[i].second),
                              FormatBare(by_category[i].first, "count"), T(" 件", "")) +
                  Paren(Percent(by_category[i].first / *accepted));
        }
        text += T("。", ".");
      }
      s.blocks.push_back(Paragraph{std::move(text)});
    }
    Table t;
    t.caption = T("各运营商申诉受理与和解情况", "Appeals per operator");
    t.header = {
        T("被申诉企业", "Operator"), T("受理（件）", "Accepted"),    T("占比", "Share"),
        T("和解（件）", "Settled"),  T("和解率", "Settlement rate"), T("同比", "Year on year")};
    t.numeric = {false, true, true, true, true, true};
    for (const std::string& c : categories) {
      t.header.push_back(view_.Label(c));
      t.numeric.push_back(true);
    }
    std::vector<std::pair<std::string, Group>> groups;
    for (const std::string& op : view_.operators()) {
      if (cur.Find("appeals.accepted", OperatorGroup(op))) {
        groups.emplace_back(view_.Label(op), OperatorGroup(op));
      }
    }
    if (accepted) groups.emplace_back(T("合计", "Total"), Group{});
    for (const auto& [name, g] : groups) {
      Row r;
      const std::optional<double> acc = value_of("appeals.accepted", g);
      std::optional<double> share = value_of("appeals.accepted_share", g);
      if (!share && acc && accepted && *accepted > 0) share = *acc / *accepted;
      const std::optional<double> yoy = AppealsYoy(g);
      r.cells = {TextCell(name),
                 NumberCell(acc, "count"),
                 PercentCell(share),
                 NumberCell(value_of("appeals.settled", g), "count"),
                 PercentCell(value_of("appeals.settlement_rate", g)),
                 yoy ? TextCell(fmt::format("{:+.2f}%", *yoy * 100), CellStyle::kNumber)
                     : TextCell("—", CellStyle::kNumber)};
      if (yoy) {
        r.cells.back().number = *yoy;
        r.cells.back().num_format = "+0.00%;-0.00%;0.00%";
      }
      for (const std::string& c : categories) {
        const IndicatorValue* v = AppealCategoryValue("accepted", g, c);
        r.cells.push_back(NumberCell(v ? v->value : std::nullopt, "count"));
      }
      t.rows.push_back(std::move(r));
    }
    if (!t.rows.empty()) s.blocks.push_back(std::move(t));
    s.blocks.push_back(Paragraph{
        T("注：受理为申诉受理机构受理的用户申诉件数；和解率 = 和解件数 ÷ "
          "受理件数；同比为受理件数与上年同期相比的变化。"
          "各类别列为受理件数。",
          "Note: accepted = appeals accepted by the appeal centre; settlement rate = settled ÷ "
          "accepted; year on year = change of the accepted count against the same period a year "
          "earlier. Category columns count accepted appeals."),
        true});
  }

  // ---- charts ------------------------------------------------------------------------------

  std::optional<Target> ChartTarget(const std::string& id) const {
    if (const IndicatorDef* d = view_.Def(id); d && d->target) return d->target;
    for (const auto& [g, v] : *view_.current().ForId(id)) {
      if (v->target) return v->target;
    }
    return std::nullopt;
  }

  int ColorOf(const std::string& op) const {
    const auto& ops = view_.operators();
    const auto it = std::find(ops.begin(), ops.end(), op);
    return static_cast<int>(it - ops.begin());
  }

  // A chart over `dim` (month or region): one series per operator, or the overall series when
  // the id has no per-operator breakdown.
  Chart BreakdownChart(const std::string& id, Dim dim, Chart::Kind kind,
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

  void AddCharts(Section& s, const std::vector<std::string>& ids, Dim dim, Chart::Kind kind,
                 const std::vector<std::string>& categories) {
    ChartGrid grid;
    for (const std::string& id : ids)
      grid.charts.push_back(BreakdownChart(id, dim, kind, categories));
    if (!grid.charts.empty()) s.blocks.push_back(std::move(grid));
  }

  void TrendSection() {
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

  void RegionalSection() {
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

  // ---- appendices --------------------------------------------------------------------------

  void DataQualitySection() {
    const DataQuality& dq = in_.data_quality;
    Section& s = AddSection("data-quality", NextAppendixTitle(T("数据质量", "Data quality")),
                            T("数据质量", "Data quality"), true);
    const uint64_t read = dq.TotalRead();
    const uint64_t bad = dq.TotalQuarantined();
    s.blocks.push_back(Paragraph{
        lang_ == Lang::kZh
            ? fmt::format("共读取 {} 个文件、{} 行记录：接受 {} 行，隔离 {} "
                          "行（{}）。被隔离的行不参与指标计算。",
                          dq.files.size(), GroupThousands(read), GroupThousands(dq.TotalAccepted()),
                          GroupThousands(bad),
                          read > 0 ? Percent(static_cast<double>(bad) / read) : "—")
            : fmt::format("{} files, {} rows read: {} accepted, {} quarantined ({}). Quarantined "
                          "rows are left out of every figure.",
                          dq.files.size(), GroupThousands(read), GroupThousands(dq.TotalAccepted()),
                          GroupThousands(bad),
                          read > 0 ? Percent(static_cast<double>(bad) / read) : "—")});
    Table t;
    t.header = {T("文件", "File"),
                T("记录类型", "Type"),
                T("读取行数", "Rows read"),
                T("接受", "Accepted"),
                T("隔离", "Quarantined"),
                T("隔离原因", "Quarantined by reason"),
                T("记录时间范围", "Time range")};
    t.numeric = {false, false, true, true, true, false, false};
    for (const FileQuality& f : dq.files) {
      std::string reasons;
      for (int i = 0; i < kBadRowReasonCount; ++i) {
        if (f.read.quarantined_by_reason[i] == 0) continue;
        if (!reasons.empty()) reasons += T("；", "; ");
        reasons += fmt::format("{} {}", ReasonText(static_cast<BadRowReason>(i), lang_),
                               GroupThousands(f.read.quarantined_by_reason[i]));
      }
      std::string range = "—";
      if (f.first_time && f.last_time) {
        range = fmt::format("{} — {}", FormatLocal(*f.first_time, dq.local_offset_s).substr(0, 16),
                            FormatLocal(*f.last_time, dq.local_offset_s).substr(0, 16));
      }
      Row r;
      r.cells = {TextCell(FileName(f.read.path), CellStyle::kCode),
                 TextCell(std::string(SchemaOf(f.read.type).name)),
                 CountCell(f.read.rows_read),
                 CountCell(f.read.rows_accepted),
                 CountCell(f.read.rows_quarantined),
                 TextCell(reasons.empty() ? "—" : reasons),
                 TextCell(range)};
      if (f.read.rows_quarantined > 0) r.cells[4].style = CellStyle::kWorse;
      t.rows.push_back(std::move(r));
    }
    if (!t.rows.empty()) s.blocks.push_back(std::move(t));
    std::vector<std::string> notes;
    if (!dq.dir.empty()) notes.push_back(Labelled(T("数据目录", "Data directory"), dq.dir));
    if (!dq.ignored.empty()) {
      std::string names;
      for (const std::string& f : dq.ignored) names += (names.empty() ? "" : ", ") + FileName(f);
      notes.push_back(Labelled(T("未识别而忽略的文件", "Ignored (not a record file)"), names));
    }
    if (!dq.quarantine_path.empty()) {
      notes.push_back(
          Labelled(T("隔离行已写入", "Quarantined rows written to"), dq.quarantine_path) +
          (dq.numbers_shown
               ? T("（按 --show-numbers 要求，其中的用户号码未做脱敏处理）",
                   " (at the user's request, --show-numbers, with subscriber numbers unmasked)")
               : T("（用户号码已脱敏，如 138****5678）",
                   " (subscriber numbers masked, e.g. 138****5678)")));
    }
    if (!notes.empty()) s.blocks.push_back(BulletList{std::move(notes)});
  }

  void DefinitionsSection() {
    Section& s = AddSection("definitions", NextAppendixTitle(T("指标定义与口径", "Definitions")),
                            T("指标定义", "Definitions"), true);
    std::vector<std::string> conventions;
    conventions.push_back(
        lang_ == Lang::kZh
            ? fmt::format("统计周期：{}（本地时间 "
                          "{}）；记录按其开始时间（受理、发起、到达等时间）归属统计周期。",
                          PeriodRange(in_.period, lang_), OffsetText())
            : fmt::format("Period: {} (local time {}); a record belongs to the "
                          "period of its start time (accepted, started, "
                          "received...).",
                          PeriodRange(in_.period, lang_), OffsetText()));
    conventions.push_back(
        lang_ == Lang::kZh
            ? fmt::format("截至时点：{}。截至该时点仍未完成的工单、投诉按此时点计算已用时长。",
                          AsOf())
            : fmt::format("As-of time: {}. Items still open are aged at this time.", AsOf()));
    conventions.push_back(
        T("及时率 = 时限内完成数 ÷（已完成数 + "
          "截至时点仍未完成且已超过时限数）。规范按“时限内完成数 ÷ "
          "已完成数”计算；本报告将超时未完成的工单计为超时，以免积压抬高及时率。平均时长只计已完成"
          "的工单。",
          "Timeliness rate = completed within the limit ÷ (completed + still open and already past "
          "the limit at the as-of time). The regulations divide by completed items only; counting "
          "open overdue items as late keeps a backlog from flattering the rate. Average times are "
          "over completed items."));
    conventions.push_back(
        T("忙时：每日呼叫次数最多的整点小时（并列取最早）；忙时接通率按各日忙时的呼叫汇总计算。",
          "Busy hour: each day's clock hour with the most attempts (the earliest "
          "on a tie); the busy-hour rate pools the busy hours of all days."));
    conventions.push_back(
        T("客服热线平均响应时长按自然月计算，每月均须不超过目标；跨月汇总时报告最差月份及合并平均值"
          "。",
          "Hotline average response time is a monthly figure and every month "
          "must meet the target; across months the worst month is reported "
          "beside the pooled average."));
    conventions.push_back(
        T("判定：有限值或目标值的指标判为“达标”“未达标”，无数值或样本少于最低样本量时为“数据不足”。"
          "比率类指标附 Wilson 95% 置信区间，区间跨越目标值时标注“不确定”。",
          "Verdicts: a figure with a limit or target is met or missed; without "
          "a value or below its minimum sample it has insufficient data. Rates "
          "carry a 95 % Wilson interval, marked inconclusive when it straddles "
          "the target."));
    if (in_.previous || in_.year_earlier) {
      std::string text = T("比较期：", "Comparison periods: ");
      if (in_.previous) {
        text += fmt::format("{}{}", T("环比对照 ", "previous "), PeriodTitle(*in_.previous, lang_));
      }
      if (in_.year_earlier) {
        if (in_.previous) text += T("，", ", ");
        text += fmt::format("{}{}", T("同比对照 ", "year earlier "),
                            PeriodTitle(*in_.year_earlier, lang_));
      }
      text += T("；比率类指标的变化以百分点表示。", "; changes of rates are in percentage points.");
      conventions.push_back(std::move(text));
    }
    s.blocks.push_back(Subheading{T("统计口径", "Conventions")});
    s.blocks.push_back(BulletList{std::move(conventions)});

    std::vector<std::string> ids(used_ids_.begin(), used_ids_.end());
    std::sort(ids.begin(), ids.end(),
              [this](const std::string& a, const std::string& b) { return view_.IdLess(a, b); });
    Table t;
    t.caption = T("本报告使用的指标", "Indicators used in this report");
    t.header = {T("指标", "Indicator"),           "ID",
                T("计算方法", "Formula"),         T("单位", "Unit"),
                T("限值/目标", "Limit / target"), T("依据", "Source")};
    t.numeric = {false, false, false, false, true, false};
    t.widths = {18, 22, 30, 7, 10, 18};
    for (const std::string& id : ids) {
      const IndicatorDef* d = view_.Def(id);
      const std::string unit = view_.Unit(id);
      Row r;
      std::string unit_text = unit == "ratio"   ? T("比率", "ratio")
                              : unit == "count" ? T("计数", "count")
                                                : UnitText(unit, lang_);
      r.cells = {TextCell(view_.Name(id)),
                 TextCell(id, CellStyle::kCode),
                 TextCell(d ? view_.Formula(id) : "—"),
                 TextCell(unit_text),
                 TextCell(d && d->target ? FormatTarget(*d->target, unit, lang_) : "—",
                          CellStyle::kNumber),
                 TextCell(d && !d->source.empty() ? d->source : "—")};
      if (r.cells[2].text.empty()) r.cells[2].text = "—";
      t.rows.push_back(std::move(r));
    }
    s.blocks.push_back(Subheading{T("指标定义", "Indicator definitions")});
    if (!t.rows.empty()) s.blocks.push_back(std::move(t));
    s.blocks.push_back(Paragraph{T("运营商可在指标目录中设定本企业的目标值；表中为默认值，运营商章"
                                   "节中的限值为实际判定所用的值。",
                                   "Operators may set their own targets in the catalog; this "
                                   "table shows the defaults, the operator chapters show the "
                                   "targets actually applied."),
                                 true});
  }

  void TraceabilitySection() {
    Section& s = AddSection("traceability", NextAppendixTitle(T("可追溯信息", "Traceability")),
                            T("可追溯性", "Traceability"), true);
    s.blocks.push_back(Paragraph{
        T("以相同版本的 tsq、相同的指标目录（哈希一致）和相同的输入文件（SHA-256 "
          "一致）重新计算，可得到完全相同的结果。"
          "可用 sha256sum 命令核对下列摘要。",
          "The same tsq version, the same catalog (same hash) and the same input files (same "
          "SHA-256) reproduce every figure of this report. Check the digests with sha256sum.")});
    Table kv;
    kv.header = {T("项目", "Item"), T("内容", "Value")};
    kv.numeric = {false, false};
    kv.widths = {25, 75};
    const auto add = [&](std::string k, std::string v, CellStyle style = CellStyle::kText) {
      kv.rows.push_back(Row{{TextCell(std::move(k)), TextCell(std::move(v), style)}});
    };
    add(T("tsq 版本", "tsq version"), in_.tsq_version, CellStyle::kCode);
    add(T("指标目录哈希（SHA-256）", "Catalog hash (SHA-256)"), in_.catalog_hash, CellStyle::kCode);
    add(T("统计周期", "Period"), fmt::format("{} [{}, {})", in_.period.label,
                                             FormatTimestamp(in_.period.from, in_.local_offset_s),
                                             FormatTimestamp(in_.period.to, in_.local_offset_s)));
    add(T("截至时点", "As of"), FormatTimestamp(in_.as_of, in_.local_offset_s));
    if (in_.previous) add(T("环比对照期", "Previous period"), in_.previous->label);
    if (in_.year_earlier) add(T("同比对照期", "Year-earlier period"), in_.year_earlier->label);
    if (!in_.data_quality.dir.empty())
      add(T("数据目录", "Data directory"), in_.data_quality.dir, CellStyle::kCode);
    s.blocks.push_back(std::move(kv));
    Table files;
    files.caption = T("输入文件", "Input files");
    files.header = {T("文件", "File"), T("大小（字节）", "Size (bytes)"), "SHA-256"};
    files.numeric = {false, true, false};
    files.widths = {28, 12, 60};
    for (const FileQuality& f : in_.data_quality.files) {
      files.rows.push_back(
          Row{{TextCell(f.read.path, CellStyle::kCode), CountCell(f.read.size_bytes),
               TextCell(f.read.sha256.empty() ? "—" : f.read.sha256, CellStyle::kCode)}});
    }
    s.blocks.push_back(Subheading{T("输入文件", "Input files")});
    if (files.rows.empty()) {
      s.blocks.push_back(Paragraph{T("（无输入文件记录）", "(no input files recorded)")});
    } else {
      files.caption.clear();
      s.blocks.push_back(std::move(files));
    }
  }

  const ReportInput& in_;
  ReportView view_;
  const ReportOptions& options_;
  Lang lang_;
  ReportDoc doc_;
  int section_number_ = 0;
  int appendix_number_ = 0;
  int operator_index_ = 0;
  std::set<std::string> used_ids_;
};

}  // namespace

const std::vector<std::string>& Palette() {
  // Colour-blind-safe hues (Okabe–Ito order), dark enough to read on white and in print.
  static const std::vector<std::string> kPalette = {"#0072B2", "#D55E00", "#009E73", "#CC79A7",
                                                    "#E69F00", "#56B4E9", "#7F7F7F", "#8C564B"};
  return kPalette;
}

ReportDoc BuildReportDoc(const ReportInput& in, const ReportOptions& options) {
  return DocBuilder(in, options).Build();
}

}  // namespace tsq::report
