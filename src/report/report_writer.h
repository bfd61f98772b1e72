// Writes a report in the format its file name asks for: .html/.htm, .pdf, .xlsx, .md/.markdown or
// .json. Every format goes to a temporary file first, so a failed run leaves nothing behind.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"
#include "report/report_input.h"
#include "report/report_options.h"

namespace tsq {

enum class ReportFormat { kHtml, kPdf, kXlsx, kMarkdown, kJson };

/// The format for a file name by its extension (case-insensitive); nullopt when unknown.
std::optional<ReportFormat> ReportFormatForPath(std::string_view path);

/// Writes the report (or, with options.notice, the regulator's notice) to `path`.
/// REQUIRES: in.catalog is set.
Status WriteReport(const ReportInput& in, const std::string& path,
                   const ReportOptions& options = {});

}  // namespace tsq
