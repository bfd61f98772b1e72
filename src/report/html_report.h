// The HTML report: one self-contained file (inline CSS and SVG, no script, no external fonts or
// images) that opens offline and prints to A4, laid out like the operators' semi-annual reports
// and, in notice mode, like the regulator's province-wide notice.
#pragma once

#include <string>

#include "core/result.h"
#include "report/report_doc.h"
#include "report/report_input.h"
#include "report/report_options.h"

namespace tsq {

/// The whole document. REQUIRES: in.catalog is set.
std::string RenderHtmlReport(const ReportInput& in, const ReportOptions& options = {});
/// Writes RenderHtmlReport() atomically to `path`.
Status WriteHtmlReport(const ReportInput& in, const std::string& path,
                       const ReportOptions& options = {});

namespace report {
/// The HTML of an already built document.
std::string RenderHtml(const ReportDoc& doc);
}  // namespace report

}  // namespace tsq
