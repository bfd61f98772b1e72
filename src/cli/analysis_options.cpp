#include "cli/analysis_options.h"

#include "cli/options.h"
#include "cli/progress_bar.h"

namespace tsq {

void AddPeriodOptions(CLI::App* cmd, PeriodOptions* o) {
  cmd->add_option(
      "--period,-p", o->period,
      "The period: a half-year 2022H2 (the regulator's unit), a quarter 2022Q4,\n"
      "a month 2022-11 or a year 2022. Records belong to the period of their start time.");
  cmd->add_option("--from", o->from, "Start date of a custom period, YYYY-MM-DD (inclusive)");
  cmd->add_option("--to", o->to, "End date of a custom period, YYYY-MM-DD (exclusive)");
  cmd->add_option("--as-of", o->as_of,
                  "Judge open items (no end time) at this time instead of the period end,\n"
                  "e.g. '2023-01-05 00:00:00'");
  cmd->add_option("--catalog", o->catalog,
                  "A TOML file overriding any part of the built-in catalog (targets, limits,\n"
                  "per operator); see 'tsq indicators --help'")
      ->check(CLI::ExistingFile);
  cmd->add_option("--quarantine", o->quarantine,
                  "Also write every bad row to this CSV (file,line,column,reason,raw)");
}

Status MakeAnalysisRequest(const std::string& dir, const PeriodOptions& p, const CommonOptions& c,
                           AnalysisRequest* req) {
  req->dir = dir;
  req->period = p.period;
  req->from_date = p.from;
  req->to_date = p.to;
  req->as_of = p.as_of;
  req->catalog_path = p.catalog;
  req->quarantine_path = p.quarantine;
  req->show_numbers = c.show_numbers;
  req->threads = c.threads;
  return ApplyCommonOptions(c, &req->mapping, &req->local_offset_s);
}

std::optional<Analysis> RunAnalysisFromCli(const std::string& dir, const PeriodOptions& p,
                                           const CommonOptions& c, bool digests, ExitStatus* status,
                                           const std::vector<std::string>& id_patterns) {
  AnalysisRequest req;
  if (auto st = MakeAnalysisRequest(dir, p, c, &req); !st) {
    PrintError(st.error().message);
    *status = ExitStatus::kUsage;
    return std::nullopt;
  }
  req.input_digests = digests;
  req.id_patterns = id_patterns;
  ProgressBar bar(!c.no_progress);
  req.on_progress = bar.Callback();
  auto analysis = RunAnalysis(req);
  bar.Clear();
  if (!analysis) {
    PrintError(analysis.error().message);
    *status = analysis.error().code == ErrorCode::kInvalidArgument ? ExitStatus::kUsage
                                                                   : ExitStatus::kFailure;
    return std::nullopt;
  }
  return std::move(*analysis);
}

}  // namespace tsq
