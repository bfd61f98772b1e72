// `tsq kpi` output: the analysis as a terminal table, the JSON of docs/indicators.md (with the
// data-quality accounting) or a flat CSV. The CLI and the server render through here.
#pragma once

#include <string>
#include <string_view>

#include "app/analysis.h"
#include "report/kpi_render.h"

namespace tsq {

enum class KpiFormat { kTable, kJson, kCsv };

/// "table", "json" or "csv"; anything else is an error that lists them.
Result<KpiFormat> ParseKpiFormat(std::string_view name);

/// The figures of `analysis` selected by `view`. An operator the data does not have is an error
/// that lists those it has.
Result<std::string> RenderKpi(const Analysis& analysis, KpiFormat format, const KpiView& view);

}  // namespace tsq
