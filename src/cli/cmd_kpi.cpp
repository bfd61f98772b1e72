#include <cstdio>

#include "cli/analysis_options.h"
#include "cli/options.h"
#include "io/output_file.h"
#include "report/kpi_render.h"

namespace tsq {
namespace {

struct KpiArgs {
  CommonOptions common;
  PeriodOptions period;
  std::string dir;
  std::string format = "table";
  std::string out;
  std::vector<std::string> ids;
  std::string operator_name;
  bool all = false;
};

ExitStatus RunKpi(const KpiArgs& args) {
  ExitStatus status = ExitStatus::kOk;
  // kpi prints no traceability appendix, so it does not hash the inputs.
  auto analysis = RunAnalysisFromCli(args.dir, args.period, args.common, false, &status, args.ids);
  if (!analysis) return status;
  KpiView view;
  view.id_patterns = args.ids;
  view.operator_name = args.operator_name;
  view.all_groups = args.all;
  view.lang = LangOf(args.common);
  std::string text;
  if (args.format == "json") {
    text = RenderKpiJson(analysis->report, view);
  } else if (args.format == "csv") {
    text = RenderKpiCsv(analysis->report, view);
  } else {
    text = RenderKpiTable(analysis->report, view);
  }
  if (args.out.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return ExitStatus::kOk;
  }
  auto file = OutputFile::Create(args.out);
  Status st = file ? (*file)->Write(text) : Status(file.error());
  if (st) st = (*file)->Commit();
  if (!st) {
    PrintError(st.error().message);
    return ExitStatus::kFailure;
  }
  std::fprintf(stderr, "tsq: wrote %s\n", args.out.c_str());
  return ExitStatus::kOk;
}

}  // namespace

void AddKpiCommand(CLI::App& app, CommandContext* ctx) {
  auto args = std::make_shared<KpiArgs>();
  CLI::App* cmd = app.add_subcommand(
      "kpi",
      "Compute every regulated indicator of a period, each against its target.\n"
      "One pass per record type on all cores; breakdowns per operator, region, month and\n"
      "the others of indicators.md. The table shows the judged figures overall and per\n"
      "operator; --format json|csv exports every value of every breakdown.\n"
      "Examples:\n"
      "  tsq kpi demo/data --period 2022H2\n"
      "  tsq kpi demo/data -p 2022H2 --format json --out kpi.json\n"
      "  tsq kpi demo/data -p 2022-11 --id 'calls.*' --all --lang en");
  cmd->add_option("DIR", args->dir, "Data directory")->required()->check(CLI::ExistingDirectory);
  AddPeriodOptions(cmd, &args->period);
  cmd->add_option("--format", args->format, "table (default), json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  cmd->add_option("--out,-o", args->out, "Write to this file instead of standard output");
  cmd->add_option("--id", args->ids,
                  "Only ids matching this pattern, e.g. 'hotline.*' (repeatable)");
  cmd->add_option("--operator", args->operator_name, "Only this operator's groups (and overall)");
  cmd->add_flag("--all", args->all, "Table: every breakdown, not only overall and per operator");
  AddCommonOptions(cmd, &args->common);
  cmd->callback([ctx, args] { ctx->run = [args] { return RunKpi(*args); }; });
}

}  // namespace tsq
