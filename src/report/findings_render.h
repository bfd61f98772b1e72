// `tsq cells` and `tsq broadband` outputs: the findings of a period as a terminal table for
// people, a CSV with one row per cell (tile, line) for spreadsheets and GIS, JSON with every
// figure and the evidence, and GeoJSON (RFC 7946) that QGIS and web maps open. The report's
// findings chapters and the map page read the same findings.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "report/lang.h"
#include "report/report_input.h"

namespace tsq {

/// An operator as the catalog labels it in `lang` ("移动" -> "中国移动").
std::string OperatorLabel(const ReportInput& in, const std::string& op, Lang lang);

/// The poor-cell rule in one sentence, with its thresholds.
std::string CellRuleText(const CellRule& rule, Lang lang);
/// How the baseline's poor cells changed beside the comparison group (regression to the mean).
std::string ComparisonSentence(const CellFindings& findings, Lang lang);

/// 已整治 / 仍质差 / 待验证 (remediated / still poor / unverified).
std::string RemediationText(Remediation r, Lang lang);

/// A cell's verdict in one window: "poor", "not_poor", "not_measured" (fewer tests than the
/// rule's minimum), or "no_tests".
const char* CellVerdictName(const std::optional<CellFigures>& f);

struct CellsView {
  Lang lang = Lang::kZh;
  std::string operator_name;  // only this operator's cells when set
  bool all = false;           // table: every cell and tile, not only the poor and baseline-poor
};

std::string RenderCellsTable(const ReportInput& in, const CellsView& view);
std::string RenderCellsCsv(const ReportInput& in, const CellsView& view);
std::string RenderCellsJson(const ReportInput& in, const CellsView& view);
/// One Point feature per cell and tile at the centroid of its tests (of the period, else of the
/// baseline), with the figures and `verdict` as properties.
nlohmann::ordered_json CellsGeoJson(const ReportInput& in, const CellsView& view);

struct BroadbandView {
  Lang lang = Lang::kZh;
  std::string operator_name;  // only this operator's lines when set
  std::string line_id;        // only this line, with every test (the evidence) in the table
  bool all = false;           // table: every line, not only those below their plan
};

std::string RenderBroadbandTable(const ReportInput& in, const BroadbandView& view);
std::string RenderBroadbandCsv(const ReportInput& in, const BroadbandView& view);
std::string RenderBroadbandJson(const ReportInput& in, const BroadbandView& view);

}  // namespace tsq
