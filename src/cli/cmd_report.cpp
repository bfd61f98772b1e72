#include <cstdio>

#include "app/report_job.h"
#include "cli/analysis_options.h"
#include "cli/options.h"

namespace tsq {
namespace {

struct ReportArgs {
  CommonOptions common;
  PeriodOptions period;
  std::string dir;
  std::vector<std::string> outs;
  std::string province;
  bool notice = false;
};

ExitStatus RunReport(const ReportArgs& args) {
  // An unknown format is a usage error before anything is computed.
  if (Status st = CheckReportPaths(args.outs); !st) return Fail(st.error());
  ExitStatus status = ExitStatus::kOk;
  auto analysis = RunAnalysisFromCli(args.dir, args.period, args.common, {}, &status);
  if (!analysis) return status;
  analysis->report.lang = LangOf(args.common);
  analysis->report.province = args.province;
  ReportOptions options;
  options.notice = args.notice;
  if (Status st = WriteReports(*analysis, args.outs, options); !st) return Fail(st.error());
  for (const std::string& out : args.outs) {
    std::printf("%s: %s\n", args.notice ? "notice" : "report", out.c_str());
  }
  return ExitStatus::kOk;
}

}  // namespace

void AddReportCommand(CLI::App& app, CommandContext* ctx) {
  auto args = std::make_shared<ReportArgs>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      std::string(
          "Write the semi-annual service-quality report of a period: a summary, per operator the\n"
          "table 主要服务指标完成情况 (indicator, target, achieved, verdict, 环比/同比), monthly\n"
          "and regional charts, the data-quality appendix and the definitions used, with the\n"
          "catalog's hash and every input file's size and SHA-256 so the same inputs reproduce\n"
          "it. The format follows the file name: .html (one self-contained file), .xlsx, .md,\n"
          ".json, .pdf (printed by headless Chromium). --notice writes the regulator's\n"
          "province-wide notice instead: operators side by side, with the appeals statistics.\n"
          "Examples:\n"
          "  tsq report demo/data --period 2022H2 --out report.html --out report.xlsx\n"
          "  tsq report demo/data -p 2022H2 --notice --province 吉林省 --out notice.html\n"
          "  tsq report demo/data -p 2022H2 --lang en --out report-en.pdf\n") +
          kExitStatusHelp);
  cmd->add_option("DIR", args->dir, "Data directory")->required()->check(CLI::ExistingDirectory);
  AddPeriodOptions(cmd, &args->period);
  cmd->add_option("--out,-o", args->outs, "Report file(s); the extension picks the format")
      ->required();
  cmd->add_flag("--notice", args->notice, "The regulator's notice (operators side by side)");
  cmd->add_option("--province", args->province, "Name shown in the title, e.g. 吉林省");
  AddCommonOptions(cmd, &args->common);
  cmd->callback([ctx, args] { ctx->run = [args] { return RunReport(*args); }; });
}

}  // namespace tsq
