// What a caller may choose about a report beyond its input: which document (the internal
// analysis, an operator's own report, the regulator's notice), for whom, with what narrative,
// whether internal material is appended, and how the PDF is printed.
#pragma once

#include <string>

#include "report/narrative.h"

namespace tsq {

enum class DocumentKind : uint8_t {
  /// The internal analysis report: every judged figure with its interval, every failure at every
  /// breakdown, charts, and the data-quality, definitions and traceability appendices.
  kAnalysis,
  /// An operator's own semi-annual report (电信服务质量状况报告), in the structure operators
  /// publish: company profile, measures and results, 主要服务指标完成情况, 企业声明.
  kCompany,
  /// The regulator's province-wide notice (电信服务质量通告): the overview, the appeal centre's
  /// figures, one section per operator, the rankings.
  kNotice,
};

struct ReportOptions {
  DocumentKind kind = DocumentKind::kAnalysis;
  /// Company report and notice: also the internal material (intervals, data quality,
  /// definitions, traceability), which a published document leaves out.
  bool appendix = false;
  /// Company report: the operator as the data names it ("移动") and the company's name.
  std::string operator_name;
  std::string company;
  /// Company report: what the office wrote (profile, measures, events...), by slot.
  Narrative narrative;
  /// PDF only: the Chromium (or Chrome) binary; empty = $TSQ_CHROMIUM, then chromium,
  /// chromium-browser, google-chrome on PATH.
  std::string chromium;
  /// PDF only: how long the browser may take to print before it is stopped.
  int pdf_timeout_s = 120;

  bool notice() const { return kind == DocumentKind::kNotice; }
  bool company_report() const { return kind == DocumentKind::kCompany; }
  /// Whether the internal material (intervals, appendices) belongs in the document.
  bool internal() const { return kind == DocumentKind::kAnalysis || appendix; }
};

}  // namespace tsq
