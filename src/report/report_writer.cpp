#include "report/report_writer.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "report/html_report.h"
#include "report/json_report.h"
#include "report/markdown_report.h"
#include "report/pdf_report.h"
#include "report/xlsx_report.h"

namespace tsq {

std::optional<ReportFormat> ReportFormatForPath(std::string_view path) {
  std::string ext = std::filesystem::path(path).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext == ".html" || ext == ".htm") return ReportFormat::kHtml;
  if (ext == ".pdf") return ReportFormat::kPdf;
  if (ext == ".xlsx") return ReportFormat::kXlsx;
  if (ext == ".md" || ext == ".markdown") return ReportFormat::kMarkdown;
  if (ext == ".json") return ReportFormat::kJson;
  return std::nullopt;
}

Status WriteReport(const ReportInput& in, const std::string& path, const ReportOptions& options) {
  if (in.catalog == nullptr) {
    return Error(ErrorCode::kInternal, "report: the input has no catalog");
  }
  const std::optional<ReportFormat> format = ReportFormatForPath(path);
  if (!format) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("{}: unknown report format; name the file .html, .pdf, .xlsx, .md or "
                             ".json",
                             path));
  }
  switch (*format) {
    case ReportFormat::kHtml:
      return WriteHtmlReport(in, path, options);
    case ReportFormat::kPdf:
      return WritePdfReport(in, path, options);
    case ReportFormat::kXlsx:
      return WriteXlsxReport(in, path, options);
    case ReportFormat::kMarkdown:
      return WriteMarkdownReport(in, path, options);
    case ReportFormat::kJson:
      return WriteJsonReport(in, path, options);
  }
  return Error(ErrorCode::kInternal, "report: unhandled format");
}

}  // namespace tsq
