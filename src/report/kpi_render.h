// `tsq kpi` outputs: the JSON of docs/indicators.md (with the data-quality accounting), a
// flat CSV with one column per breakdown dimension, and a terminal table for people.
#pragma once

#include <string>
#include <vector>

#include "report/lang.h"
#include "report/report_input.h"

namespace tsq {

struct KpiView {
  std::vector<std::string> id_patterns;  // glob patterns ("calls.*"); empty = every id
  std::string operator_name;             // only groups of this operator (and overall) when set
  bool all_groups = false;               // table: every breakdown, not only overall + operator
  Lang lang = Lang::kZh;
};

std::string RenderKpiJson(const ReportInput& in, const KpiView& view);
std::string RenderKpiCsv(const ReportInput& in, const KpiView& view);
std::string RenderKpiTable(const ReportInput& in, const KpiView& view);

}  // namespace tsq
