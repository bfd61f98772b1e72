#include "report/report_doc.h"

#include <algorithm>
#include <cmath>
#include <set>

#include <fmt/format.h>

#include "report/doc_builder.h"
#include "report/report_format.h"
#include "report/text_table.h"

namespace tsq::report {

ReportDoc DocBuilder::Build() {
  doc_.lang = lang_;
  doc_.kind = options_.kind;
  BuildCover();
  switch (options_.kind) {
    case DocumentKind::kAnalysis:
      SummarySection();
      FailuresSection();
      for (const std::string& op : view_.operators()) OperatorSection(op);
      AppealsSection();
      TopicsSection();
      CellsSection();
      BroadbandSection();
      CallersSection();
      TrendSection();
      RegionalSection();
      break;
    case DocumentKind::kNotice:
      NoticeOverviewSection();
      NoticeOperatorsSection();
      break;
    case DocumentKind::kCompany:
      CompanyReport();
      break;
  }
  // What a published document leaves out, unless asked for.
  if (options_.internal()) {
    DataQualitySection();
    DefinitionsSection();
    TraceabilitySection();
  }
  return std::move(doc_);
}

std::string DocBuilder::T(std::string_view zh, std::string_view en) const {
  return std::string(L(lang_, zh, en));
}

std::string DocBuilder::Paren(std::string_view text) const {
  return lang_ == Lang::kZh ? fmt::format("（{}）", text) : fmt::format(" ({})", text);
}

std::string DocBuilder::Labelled(std::string_view label, std::string_view value) const {
  return fmt::format("{}{}{}", label, T("：", ": "), value);
}

Cell DocBuilder::NumberCell(std::optional<double> value, std::string_view unit) const {
  Cell c;
  c.text = FormatValue(value, unit, lang_);
  c.style = CellStyle::kNumber;
  if (value) {
    c.number = *value;
    c.num_format = ExcelNumberFormat(unit, *value, lang_);
  }
  return c;
}

Cell DocBuilder::CountCell(uint64_t n) const {
  Cell c;
  c.text = GroupThousands(n);
  c.style = CellStyle::kNumber;
  c.number = static_cast<double>(n);
  c.num_format = "#,##0";
  return c;
}

Cell DocBuilder::ValueCell(const IndicatorValue& v) {
  used_ids_.insert(v.id);
  return NumberCell(v.value, view_.Unit(v.id));
}

Cell DocBuilder::TargetCell(const IndicatorValue& v) const {
  Cell c;
  c.text = v.target ? TargetText(*v.target, v.target_basis, view_.Unit(v.id), lang_) : "—";
  c.style = CellStyle::kNumber;
  return c;
}

bool DocBuilder::Inconclusive(const IndicatorValue& v) {
  return v.ci && v.ci->inconclusive &&
         (v.verdict == Verdict::kMet || v.verdict == Verdict::kMissed);
}

Cell DocBuilder::VerdictCell(const IndicatorValue& v) const {
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

Cell DocBuilder::IntervalCell(const IndicatorValue& v) const {
  Cell c;
  c.style = CellStyle::kNumber;
  c.text = v.ci ? FormatInterval(*v.ci, view_.Unit(v.id), lang_) : "—";
  return c;
}

Cell DocBuilder::ChangeCell(const IndicatorValue& v, const IndicatorValue* earlier,
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

Cell DocBuilder::TextCell(std::string text, CellStyle style) const {
  Cell c;
  c.text = std::move(text);
  c.style = style;
  return c;
}

Cell DocBuilder::NameCell(const IndicatorValue& v) {
  used_ids_.insert(v.id);
  return TextCell(view_.Name(v.id, OperatorOf(v.group)));
}

std::string_view DocBuilder::OperatorOf(const Group& g) {
  const std::string* op = g.Find(Dim::kOperator);
  if (op == nullptr) op = g.Find(Dim::kFromOperator);
  return op != nullptr ? std::string_view(*op) : std::string_view();
}

Cell DocBuilder::PercentCell(std::optional<double> fraction) const {
  return NumberCell(fraction, "ratio");
}

std::string DocBuilder::NextTitle(std::string_view name) {
  ++section_number_;
  if (lang_ == Lang::kZh) return fmt::format("{}、{}", ChineseNumber(section_number_), name);
  return fmt::format("{}. {}", section_number_, name);
}

std::string DocBuilder::NextAppendixTitle(std::string_view name) {
  ++appendix_number_;
  if (lang_ == Lang::kZh) return fmt::format("附录{} {}", ChineseNumber(appendix_number_), name);
  return fmt::format("Appendix {}. {}", static_cast<char>('A' + appendix_number_ - 1), name);
}

std::string DocBuilder::ChapterRowTitle(int index, std::string_view title) const {
  if (lang_ == Lang::kZh) return fmt::format("（{}）{}", ChineseNumber(index), title);
  return std::string(title);
}

Section& DocBuilder::AddSection(std::string anchor, std::string title, std::string sheet,
                                bool appendix) {
  Section s;
  s.anchor = std::move(anchor);
  s.title = std::move(title);
  s.sheet_name = std::move(sheet);
  s.appendix = appendix;
  doc_.sections.push_back(std::move(s));
  return doc_.sections.back();
}

std::string DocBuilder::AsOf() const { return FormatLocal(in_.as_of, in_.local_offset_s); }

std::string DocBuilder::OffsetText() const {
  const int32_t off = in_.local_offset_s;
  return fmt::format("UTC{}{:02}:{:02}", off < 0 ? '-' : '+', std::abs(off) / 3600,
                     std::abs(off) % 3600 / 60);
}

std::string DocBuilder::OperatorList() const {
  std::string out;
  for (const std::string& op : view_.operators()) {
    if (!out.empty()) out += T("、", ", ");
    out += view_.Label(op);
  }
  return out;
}

std::string DocBuilder::GroupText(const Group& g) const {
  if (g.empty()) return T("全省", "all");
  std::string out;
  for (const auto& [dim, value] : g.dims) {
    if (!out.empty()) out += " · ";
    out += dim == Dim::kMonth ? MonthLabel(value, true, lang_) : view_.Label(value);
  }
  return out;
}

std::string DocBuilder::Count(double n) const { return CountText(n, lang_); }

std::optional<double> DocBuilder::ValueOf(std::string_view id, const Group& g) {
  const IndicatorValue* v = view_.current().Find(id, g);
  if (v == nullptr) return std::nullopt;
  used_ids_.insert(v->id);
  return v->value;
}

void DocBuilder::BuildCover() {
  const std::string period = PeriodTitle(in_.period, lang_);
  switch (options_.kind) {
    case DocumentKind::kAnalysis:
      doc_.title = lang_ == Lang::kZh
                       ? fmt::format("{}{}电信服务质量分析报告", in_.province, period)
                       : fmt::format("{}Telecom Service Quality Analysis, {}",
                                     in_.province.empty() ? "" : in_.province + ": ", period);
      doc_.kicker = T("电信服务质量分析报告", "TELECOM SERVICE QUALITY ANALYSIS");
      break;
    case DocumentKind::kNotice:
      doc_.title = lang_ == Lang::kZh
                       ? fmt::format("{}{}电信服务质量通告", period, in_.province)
                       : fmt::format("{}Telecom Service Quality Notice, {}",
                                     in_.province.empty() ? "" : in_.province + ": ", period);
      doc_.kicker = T("电信服务质量通告", "TELECOM SERVICE QUALITY NOTICE");
      break;
    case DocumentKind::kCompany:
      doc_.title =
          lang_ == Lang::kZh
              ? fmt::format("{}{}电信服务质量状况报告", options_.company, period)
              : fmt::format("{}: Telecom Service Quality Report, {}", options_.company, period);
      doc_.kicker = T("电信服务质量状况报告", "TELECOM SERVICE QUALITY REPORT");
      break;
  }
  doc_.subtitle = fmt::format("{} {} · {} {}", T("统计周期", "Period"),
                              PeriodRange(in_.period, lang_), T("数据截至", "as of"), AsOf());
  doc_.meta.emplace_back(T("统计周期", "Period"),
                         PeriodRange(in_.period, lang_) + Paren(in_.period.label));
  doc_.meta.emplace_back(T("数据截至", "As of"), fmt::format("{} ({})", AsOf(), OffsetText()));
  if (options_.company_report()) {
    doc_.meta.emplace_back(T("企业", "Company"), options_.company);
  } else if (!view_.operators().empty()) {
    doc_.meta.emplace_back(T("运营商", "Operators"), OperatorList());
  }
  if (options_.internal()) {
    doc_.meta.emplace_back(
        T("输入", "Inputs"),
        fmt::format("{} {}{}{} {}", in_.data_quality.files.size(), T("个文件", "files"),
                    T("，", ", "), GroupThousands(in_.data_quality.TotalAccepted()),
                    T("条有效记录", "valid records")));
    doc_.meta.emplace_back(T("生成工具", "Generated by"), "tsq " + in_.tsq_version);
    doc_.footer = fmt::format("tsq {} · {} {} · {} {}", in_.tsq_version, T("指标目录", "catalog"),
                              in_.catalog_hash.substr(0, 12), T("数据截至", "as of"), AsOf());
  } else {
    doc_.footer = doc_.title;
  }
}

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
