// The PDF report: the HTML report printed by headless Chromium, which lays out Chinese text,
// tables and inline SVG exactly as a person sees them in the browser (A4, page breaks before
// sections, page numbers from the HTML's @page rules).
#pragma once

#include <string>

#include "core/result.h"
#include "report/report_input.h"
#include "report/report_options.h"

namespace tsq {

/// The browser to print with: `preferred` when set, else $TSQ_CHROMIUM, else the first of
/// chromium, chromium-browser, google-chrome, google-chrome-stable on PATH. An error that says how
/// to install it when there is none.
Result<std::string> FindChromium(const std::string& preferred);

/// Prints the HTML file `html_path` to `pdf_path` (atomically: a temporary file renamed into
/// place) with a fresh browser profile that is removed afterwards.
Status PrintHtmlToPdf(const std::string& html_path, const std::string& pdf_path,
                      const ReportOptions& options);

/// Renders the HTML report to a temporary file and prints it to `path`.
Status WritePdfReport(const ReportInput& in, const std::string& path,
                      const ReportOptions& options = {});

}  // namespace tsq
