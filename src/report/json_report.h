// The report input as one JSON document, for machines: the period, the judged figures in the shape
// of docs/indicators.md ("The JSON of `tsq kpi --format json`"), the comparison periods and the
// changes against them, per-operator verdict counts, data quality, the definitions used and the
// traceability facts. Rates stay fractions; nothing is rounded for display.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "report/report_input.h"
#include "report/report_options.h"

namespace tsq {

nlohmann::ordered_json ReportJson(const ReportInput& in, const ReportOptions& options = {});
/// ReportJson() pretty-printed with a final newline.
std::string RenderJsonReport(const ReportInput& in, const ReportOptions& options = {});
Status WriteJsonReport(const ReportInput& in, const std::string& path,
                       const ReportOptions& options = {});

/// One value as in `tsq kpi --format json`: id, group, value, n, target, verdict, ci.
nlohmann::ordered_json IndicatorValueJson(const IndicatorValue& v);
/// A comparison period as the report JSON writes it (`previous`, `year_earlier`): its label,
/// bounds and values; null when there is none.
nlohmann::ordered_json ComparisonPeriodJson(const std::optional<Period>& period,
                                            const std::vector<IndicatorValue>& values,
                                            int32_t local_offset_s);

}  // namespace tsq
