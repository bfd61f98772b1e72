// `tsq report`: the documents of an analysis — the semi-annual report or the regulator's notice —
// in every format asked for, by file extension. The CLI and the server write through here.
#pragma once

#include <string>
#include <vector>

#include "app/analysis.h"
#include "report/report_options.h"

namespace tsq {

/// Which document a user asks for, as the command line says it.
struct DocumentChoice {
  bool notice = false;         // the regulator's notice
  std::string operator_name;   // an operator's own report (as the data names it: "移动")
  std::string company;         // its company name (default: the operator's name)
  std::string narrative_path;  // what the office wrote for it (Markdown or TOML)
  bool appendix = false;       // a published document with the internal appendices
};

/// Ok when every path names a format tsq writes (.html, .pdf, .xlsx, .md, .json); checked before
/// any work is done.
Status CheckReportPaths(const std::vector<std::string>& paths);

/// Checks the choice before any work is done (a notice and an operator's report at once, a
/// narrative without an operator; the narrative file parses) and fills `options`.
Status ChooseDocument(const DocumentChoice& choice, ReportOptions* options);

/// After the analysis (and its language are settled): the operator of a company report must be one
/// the data has (an error with close matches otherwise); without --company the company is named
/// by the operator's catalog label.
Status SettleDocumentOperator(const Analysis& analysis, ReportOptions* options);

/// Writes the report of `analysis` to each path (each atomically); stops at the first failure.
Status WriteReports(const Analysis& analysis, const std::vector<std::string>& paths,
                    const ReportOptions& options);

}  // namespace tsq
