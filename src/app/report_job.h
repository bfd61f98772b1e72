// `tsq report`: the documents of an analysis — the semi-annual report or the regulator's notice —
// in every format asked for, by file extension. The CLI and the server write through here.
#pragma once

#include <string>
#include <vector>

#include "app/analysis.h"
#include "report/report_options.h"

namespace tsq {

/// Ok when every path names a format tsq writes (.html, .pdf, .xlsx, .md, .json); checked before
/// any work is done.
Status CheckReportPaths(const std::vector<std::string>& paths);

/// Writes the report of `analysis` to each path (each atomically); stops at the first failure.
Status WriteReports(const Analysis& analysis, const std::vector<std::string>& paths,
                    const ReportOptions& options);

}  // namespace tsq
