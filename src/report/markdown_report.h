// The report as GitHub-flavoured Markdown: the same sections, paragraphs and tables as the HTML
// report; each chart becomes the table of its data, since Markdown has no place for inline SVG.
#pragma once

#include <string>

#include "core/result.h"
#include "report/report_doc.h"
#include "report/report_input.h"
#include "report/report_options.h"

namespace tsq {

/// The whole document. REQUIRES: in.catalog is set.
std::string RenderMarkdownReport(const ReportInput& in, const ReportOptions& options = {});
/// Writes RenderMarkdownReport() atomically to `path`.
Status WriteMarkdownReport(const ReportInput& in, const std::string& path,
                           const ReportOptions& options = {});

namespace report {
std::string RenderMarkdown(const ReportDoc& doc);
}  // namespace report

}  // namespace tsq
