// The report as an Excel workbook (libxlsxwriter): one sheet per section of the report (summary,
// each operator, trends, regions, findings, appeals, data quality, definitions, traceability)
// plus a long sheet of every value with every breakdown. Figures are stored as numbers with
// number formats (0.00% for rates, 0.00 "小时" for hours...), header rows are frozen and filtered,
// and each chart's data comes with a native Excel chart.
#pragma once

#include <string>

#include "core/result.h"
#include "report/report_input.h"
#include "report/report_options.h"

namespace tsq {

/// Writes the workbook to a temporary file beside `path` and renames it into place, so a failed
/// run leaves no partial file. REQUIRES: in.catalog is set.
Status WriteXlsxReport(const ReportInput& in, const std::string& path,
                       const ReportOptions& options = {});

}  // namespace tsq
