// DocBuilder: builds the ReportDoc of a document — the analysis report, an operator's own report
// or the regulator's notice — section by section. Internal to the report layer; its sections are
// defined across report_doc.cpp (the document, cells, numbering, cover) and one file per kind of
// section: doc_summary.cpp, doc_failures.cpp, doc_indicators.cpp, doc_appeals.cpp,
// doc_topics.cpp, doc_charts.cpp, doc_notice.cpp, doc_company.cpp and doc_appendix.cpp.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "report/report_doc.h"
#include "report/report_view.h"

namespace tsq::report {

class DocBuilder {
 public:
  DocBuilder(const ReportInput& in, const ReportOptions& options)
      : in_(in), view_(in), options_(options), lang_(in.lang) {}

  ReportDoc Build();

 private:
  std::string T(std::string_view zh, std::string_view en) const;
  // Punctuation differs: full-width in Chinese text.
  std::string Paren(std::string_view text) const;
  std::string Labelled(std::string_view label, std::string_view value) const;

  // ---- cells ------------------------------------------------------------------------------------
  Cell NumberCell(std::optional<double> value, std::string_view unit) const;
  Cell CountCell(uint64_t n) const;
  Cell ValueCell(const IndicatorValue& v);
  Cell TargetCell(const IndicatorValue& v) const;
  static bool Inconclusive(const IndicatorValue& v);
  Cell VerdictCell(const IndicatorValue& v) const;
  Cell IntervalCell(const IndicatorValue& v) const;
  // `label`: what the earlier value is ("上期", "上年").
  Cell ChangeCell(const IndicatorValue& v, const IndicatorValue* earlier,
                  std::string_view label) const;
  Cell TextCell(std::string text, CellStyle style = CellStyle::kText) const;
  // The indicator's name for the value's operator (a name may follow the operator's own limit).
  Cell NameCell(const IndicatorValue& v);
  static std::string_view OperatorOf(const Group& g);
  Cell PercentCell(std::optional<double> fraction) const;

  // ---- numbering and shared text ----------------------------------------------------------------
  std::string NextTitle(std::string_view name);
  std::string NextAppendixTitle(std::string_view name);
  std::string ChapterRowTitle(int index, std::string_view title) const;
  Section& AddSection(std::string anchor, std::string title, std::string sheet,
                      bool appendix = false);
  std::string AsOf() const;
  std::string OffsetText() const;
  std::string OperatorList() const;
  std::string GroupText(const Group& g) const;
  // A count in running text ("5528", "137.87万").
  std::string Count(double n) const;
  // The value of `id` for `g` in the period, marking the id as used; nullopt when there is none.
  std::optional<double> ValueOf(std::string_view id, const Group& g);

  // ---- cover ------------------------------------------------------------------------------------
  void BuildCover();

  // ---- summary (doc_summary.cpp) ----------------------------------------------------------------
  std::string CountsSentence(const VerdictCounts& c) const;
  std::string MissText(const IndicatorValue& v, bool with_group);
  // The missed figures among `rows` as running text, one clause each: "宽带装机入网及时率94.25%
  // （要求≥99%）、计费差错率0.0629%（要求≤0.01%）"; empty when none missed.
  std::string MissedClauses(const std::vector<const IndicatorValue*>& rows);
  Table CountsTable(bool with_rate) const;
  VerdictCounts AllOperatorCounts() const;
  // The missed figures of the operator and province-wide tables, named.
  void AddMisses(Section& s);
  void SummarySection();

  // ---- failures (doc_failures.cpp) --------------------------------------------------------------
  // Every missed verdict at every breakdown, the furthest from its target first.
  void FailuresSection();

  // ---- indicator tables (doc_indicators.cpp) ----------------------------------------------------
  // Adds the chapter row ("（一）移动电话业务") to `t` when `id` opens a chapter other than
  // `*chapter`, numbering it with `*index`.
  void AddChapterRowIfNew(std::string_view id, Table* t, std::string* chapter, int* index) const;
  // The table 主要服务指标完成情况 of `rows`: with intervals and sample sizes when the document
  // carries internal material; the comparison columns when the data covers them.
  Table IndicatorTable(const std::vector<const IndicatorValue*>& rows);
  // The notes under an indicator table: conventions, and why a comparison is missing.
  std::string ConventionsNote(const std::vector<const IndicatorValue*>& rows) const;
  void OperatorSection(const std::string& op);

  // ---- notice (doc_notice.cpp) ------------------------------------------------------------------
  void NoticeOverviewSection();
  void NoticeOperatorsSection();
  // The ranking sentences: by share of targets met, by accepted appeals, by settlement rate.
  std::vector<std::string> RankingSentences() const;
  Table SideBySideTable();

  // ---- appeals (doc_appeals.cpp) ----------------------------------------------------------------
  const IndicatorValue* AppealCategoryValue(std::string_view metric, const Group& base,
                                            const std::string& category) const;
  std::vector<std::string> AppealCategories() const;
  // appeals.accepted_change_yoy when the engine computed it, else from the year-earlier values.
  std::optional<double> AppealsYoy(const Group& g) const;
  // The appeal centre's figures: the paragraph, the table per operator and per category.
  void AppealsBlocks(Section& s);
  /// The regulator's quarterly view: appeals per million users, the classes, the operators'
  /// shares of appeals and of users, the change on the previous period (MIIT's notices).
  void AppealRatesBlocks(Section& s);
  /// A class of appeals as the notices name it ("用户服务类" / "user service").
  std::string ClassName(std::string_view id) const;
  /// "比上季度" / "on the previous quarter" for the report's period.
  std::string PreviousPeriodWords() const;
  /// The notices' paragraph on the user base at the end of the period; empty without counts.
  std::string SubscribersParagraph();
  void AppealsSection();

  // ---- further figures (doc_topics.cpp) ---------------------------------------------------------
  // Network quality per RAT, the hotline's elderly lane, number porting: figures without a
  // target that offices publish. `op` empty: every operator; else that operator only.
  void TopicBlocks(Section& s, std::string_view op);
  void TopicsSection();

  // ---- findings (doc_findings.cpp) --------------------------------------------------------------
  // Poor-quality cells on a map, with their remediation and the comparison group.
  void CellsSection();
  // Home-broadband lines against their plans.
  void BroadbandSection();
  // Suspected harassment and fraud callers, masked.
  void CallersSection();

  // ---- company report (doc_company.cpp) ---------------------------------------------------------
  void CompanyReport();
  // A narrative slot as its own section; nothing when the narrative does not fill it.
  void NarrativeChapter(NarrativeSlot slot);

  // ---- charts (doc_charts.cpp) ------------------------------------------------------------------
  std::optional<Target> ChartTarget(const std::string& id) const;
  int ColorOf(const std::string& op) const;
  // A chart over `dim` (month or region): one series per operator, or the overall series when
  // the id has no per-operator breakdown.
  Chart BreakdownChart(const std::string& id, Dim dim, Chart::Kind kind,
                       const std::vector<std::string>& all_categories);
  void AddCharts(Section& s, const std::vector<std::string>& ids, Dim dim, Chart::Kind kind,
                 const std::vector<std::string>& categories);
  void TrendSection();
  void RegionalSection();

  // ---- appendices (doc_appendix.cpp) ------------------------------------------------------------
  void DataQualitySection();
  void DefinitionsSection();
  void TraceabilitySection();

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

}  // namespace tsq::report
