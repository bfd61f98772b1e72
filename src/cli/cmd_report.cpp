#include <cstdio>

#include "app/report_job.h"
#include "cli/analysis_options.h"
#include "cli/options.h"

namespace tsq {
namespace {

struct ReportArgs {
  CommonOptions common;
  PeriodOptions period;
  FindingRequest findings;
  std::string dir;
  std::vector<std::string> outs;
  std::string province;
  DocumentChoice document;
};

ExitStatus RunReport(const ReportArgs& args) {
  // An unknown format or a contradictory choice is a usage error before anything is computed.
  if (Status st = CheckReportPaths(args.outs); !st) return Fail(st.error());
  ReportOptions options;
  if (Status st = ChooseDocument(args.document, &options); !st) return Fail(st.error());
  ExitStatus status = ExitStatus::kOk;
  auto analysis =
      RunAnalysisFromCli(args.dir, args.period, args.common, {}, &status, args.findings);
  if (!analysis) return status;
  analysis->report.lang = LangOf(args.common);
  analysis->report.province = args.province;
  if (Status st = SettleDocumentOperator(*analysis, &options); !st) return Fail(st.error());
  if (Status st = WriteReports(*analysis, args.outs, options); !st) return Fail(st.error());
  const char* kind = options.notice()           ? "notice"
                     : options.company_report() ? "company report"
                                                : "report";
  for (const std::string& out : args.outs) std::printf("%s: %s\n", kind, out.c_str());
  return ExitStatus::kOk;
}

}  // namespace

void AddReportCommand(CLI::App& app, CommandContext* ctx) {
  auto args = std::make_shared<ReportArgs>();
  CLI::App* cmd = app.add_subcommand(
      "report",
      std::string(
          "Write the documents of a period. Three kinds:\n"
          "  (default)   the internal analysis report: summary, every missed target at every\n"
          "              breakdown, one chapter per operator (主要服务指标完成情况 with "
          "intervals,\n"
          "              环比/同比), appeals, further figures, charts, and the data-quality,\n"
          "              definitions and traceability appendices;\n"
          "  --operator  an operator's own semi-annual report (电信服务质量状况报告): company\n"
          "              profile, measures and results, its indicators against their limits,\n"
          "              企业声明; the narrative comes from --narrative FILE (Markdown with\n"
          "              '## 公司简介', '## 电信服务质量状况', '## 重要事项', '## 资费调整',\n"
          "              '## 应急通信保障', '## 业务公告', or a .toml file with keys profile,\n"
          "              quality, events, tariffs, emergency, announcements; a section not\n"
          "              given is left out, never invented);\n"
          "  --notice    the regulator's province-wide notice (电信服务质量通告).\n"
          "A published document (--operator, --notice) leaves out intervals, hashes and the\n"
          "appendices unless --appendix asks for them. The format follows the file name:\n"
          ".html (one self-contained file), .xlsx, .md, .json, .pdf (headless Chromium).\n"
          "Examples:\n"
          "  tsq report demo/data --period 2022H2 --province 吉林省 --out report.html\n"
          "  tsq report demo/data -p 2022H2 --notice --province 吉林省 --out notice.pdf\n"
          "  tsq report demo/data -p 2022H2 --operator 移动 \\\n"
          "      --company 中国移动通信集团吉林有限公司 --narrative 移动.md --out 移动.html\n") +
          kExitStatusHelp);
  cmd->add_option("DIR", args->dir, "Data directory (optional with --state or --merge-stored)")
      ->check(CLI::ExistingDirectory);
  AddPeriodOptions(cmd, &args->period);
  AddStoreOption(cmd, &args->period, /*ingest=*/false);
  AddMergeStoredOption(cmd, &args->period);
  AddFindingOptions(cmd, &args->findings);
  AddCallerOptions(cmd, &args->findings);
  cmd->add_option("--out,-o", args->outs, "Report file(s); the extension picks the format")
      ->required();
  cmd->add_flag("--notice", args->document.notice, "The regulator's province-wide notice");
  cmd->add_option("--operator", args->document.operator_name,
                  "An operator's own report: the operator as the data names it, e.g. 移动");
  cmd->add_option("--company", args->document.company,
                  "The company's name in the operator's report, e.g. 中国移动通信集团吉林有限公司 "
                  "(default: the operator's label, 中国移动)");
  cmd->add_option("--narrative", args->document.narrative_path,
                  "What the office wrote for the operator's report (Markdown or .toml)")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--appendix", args->document.appendix,
                "A published document with the internal material too (intervals, data\n"
                "quality, definitions, traceability)");
  cmd->add_option("--province", args->province, "Name shown in the title, e.g. 吉林省");
  AddCommonOptions(cmd, &args->common);
  cmd->callback([ctx, args] { ctx->run = [args] { return RunReport(*args); }; });
}

}  // namespace tsq
