#include <cstdio>

#include "cli/analysis_options.h"
#include "cli/options.h"
#include "report/report_writer.h"

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
  for (const std::string& out : args.outs) {
    if (!ReportFormatForPath(out)) {
      PrintError(out + ": unknown report format; use .html, .pdf, .xlsx, .md or .json");
      return ExitStatus::kUsage;
    }
  }
  ExitStatus status = ExitStatus::kOk;
  auto analysis = RunAnalysisFromCli(args.dir, args.period, args.common, true, &status);
  if (!analysis) return status;
  analysis->report.lang = LangOf(args.common);
  analysis->report.province = args.province;
  ReportOptions options;
  options.notice = args.notice;
  for (const std::string& out : args.outs) {
    if (auto st = WriteReport(analysis->report, out, options); !st) {
      PrintError(st.error().message);
      return ExitStatus::kFailure;
    }
    std::printf("%s: %s\n", args.notice ? "notice" : "report", out.c_str());
  }
  return ExitStatus::kOk;
}

}  // namespace

void AddReportCommand(CLI::App& app, CommandContext* ctx) {
  auto args = std::make_shared<ReportArgs>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      "Write the semi-annual service-quality report of a period: a summary, per operator the\n"
      "table 主要服务指标完成情况 (indicator, target, achieved, verdict, 环比/同比), monthly and\n"
      "regional charts, the data-quality appendix and the definitions used, with the catalog's\n"
      "hash and every input file's size and SHA-256 so the same inputs reproduce it.\n"
      "The format follows the file name: .html (one self-contained file), .xlsx, .md, .json,\n"
      ".pdf (printed by headless Chromium). --notice writes the regulator's province-wide\n"
      "notice instead: operators side by side, with the appeals statistics.\n"
      "Examples:\n"
      "  tsq report demo/data --period 2022H2 --out report.html --out report.xlsx\n"
      "  tsq report demo/data -p 2022H2 --notice --province 吉林省 --out notice.html\n"
      "  tsq report demo/data -p 2022H2 --lang en --out report-en.pdf");
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
