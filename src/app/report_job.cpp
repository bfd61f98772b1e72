#include "app/report_job.h"

#include <set>

#include <fmt/format.h>

#include "core/glob.h"
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

Status ChooseDocument(const DocumentChoice& choice, ReportOptions* options) {
  if (choice.notice && !choice.operator_name.empty()) {
    return Error(ErrorCode::kInvalidArgument,
                 "--notice and --operator ask for two documents; write them in two runs");
  }
  if (choice.operator_name.empty() && (!choice.company.empty() || !choice.narrative_path.empty())) {
    return Error(ErrorCode::kInvalidArgument,
                 "--company and --narrative belong to an operator's own report: name the operator "
                 "with --operator");
  }
  options->kind = choice.notice                   ? DocumentKind::kNotice
                  : !choice.operator_name.empty() ? DocumentKind::kCompany
                                                  : DocumentKind::kAnalysis;
  options->appendix = choice.appendix;
  options->operator_name = choice.operator_name;
  options->company = choice.company;
  if (!choice.narrative_path.empty()) {
    auto narrative = ReadNarrativeFile(choice.narrative_path);
    if (!narrative) {
      return Error(ErrorCode::kInvalidArgument, std::move(narrative).error().message);
    }
    options->narrative = std::move(*narrative);
  }
  return Ok();
}

Status SettleDocumentOperator(const Analysis& analysis, ReportOptions* options) {
  if (!options->company_report()) return Ok();
  std::set<std::string> operators;
  for (const FileQuality& f : analysis.report.data_quality.files) {
    operators.insert(f.operators.begin(), f.operators.end());
  }
  if (operators.contains(options->operator_name)) {
    // Without --company the report names the operator as its label reads (中国移动).
    if (options->company.empty() && analysis.report.catalog != nullptr) {
      options->company = analysis.report.catalog->Label(
          options->operator_name, analysis.report.lang == Lang::kZh ? "zh" : "en");
    }
    if (options->company.empty()) options->company = options->operator_name;
    return Ok();
  }
  const std::vector<std::string> names(operators.begin(), operators.end());
  std::string list;
  for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
  const std::vector<std::string> close = ClosestMatches(options->operator_name, names);
  return Error(ErrorCode::kInvalidArgument,
               fmt::format("--operator {}: no such operator in the data ({}){}",
                           options->operator_name, list.empty() ? "none" : list,
                           close.empty() ? "" : "; did you mean " + close.front() + "?"));
}

Status WriteReports(const Analysis& analysis, const std::vector<std::string>& paths,
                    const ReportOptions& options) {
  TSQ_TRY(CheckReportPaths(paths));
  for (const std::string& path : paths) TSQ_TRY(WriteReport(analysis.report, path, options));
  return Ok();
}

}  // namespace tsq
