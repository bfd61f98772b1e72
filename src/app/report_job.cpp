#include "app/report_job.h"

#include <fmt/format.h>

#include "report/report_writer.h"

namespace tsq {

Status CheckReportPaths(const std::vector<std::string>& paths) {
  if (paths.empty()) {
    return Error(ErrorCode::kInvalidArgument, "name at least one report file with --out");
  }
  for (const std::string& path : paths) {
    if (!ReportFormatForPath(path)) {
      return Error(
          ErrorCode::kInvalidArgument,
          fmt::format("{}: unknown report format; use .html, .pdf, .xlsx, .md or .json", path));
    }
  }
  return Ok();
}

Status WriteReports(const Analysis& analysis, const std::vector<std::string>& paths,
                    const ReportOptions& options) {
  TSQ_TRY(CheckReportPaths(paths));
  for (const std::string& path : paths) TSQ_TRY(WriteReport(analysis.report, path, options));
  return Ok();
}

}  // namespace tsq
