#include <cstdio>

#include "app/kpi.h"
#include "cli/analysis_options.h"
#include "cli/options.h"
#include "io/output_file.h"

namespace tsq {
namespace {

struct KpiArgs {
  CommonOptions common;
  PeriodOptions period;
  FindingRequest findings;
  std::string dir;
  std::string format = "table";
  std::string out;
  std::vector<std::string> ids;
  std::string operator_name;
  bool all = false;
};

ExitStatus RunKpi(const KpiArgs& args) {
  auto format = ParseKpiFormat(args.format);
  if (!format) return Fail(format.error());
  ExitStatus status = ExitStatus::kOk;
  // Only the JSON shows the inputs' digests: the table and the CSV do not pay for them.
  CommonOptions common = args.common;
  common.no_digests = common.no_digests || *format != KpiFormat::kJson;
  auto analysis =
      RunAnalysisFromCli(args.dir, args.period, common, args.ids, &status, args.findings);
  if (!analysis) return status;
  KpiView view;
  view.id_patterns = args.ids;
  view.operator_name = args.operator_name;
  view.all_groups = args.all;
  view.lang = LangOf(args.common);
  auto text = RenderKpi(*analysis, *format, view);
  if (!text) return Fail(text.error());
  return Emit(args.out, *text);
}

}  // namespace

void AddKpiCommand(CLI::App& app, CommandContext* ctx) {
  auto args = std::make_shared<KpiArgs>();
  CLI::App* cmd = app.add_subcommand(
      "kpi",
      std::string(
          "Compute every regulated indicator of a period, each against its target.\n"
          "One pass per record type on all cores; breakdowns per operator, region, month and\n"
          "the others of docs/indicators.md. The table shows the judged figures overall and per\n"
          "operator; --format json|csv exports every value of every breakdown, and the JSON\n"
          "carries the data-quality accounting (per file: rows, accepted, quarantined by\n"
          "reason, SHA-256), so a figure is never read without knowing what was left out.\n"
          "Examples:\n"
          "  tsq kpi demo/data --period 2022H2\n"
          "  tsq kpi demo/data -p 2022H2 --format json --out kpi.json --max-bad-share 0.01\n"
          "  tsq kpi demo/data -p 2022-11 --id 'calls.*' --all --lang en\n") +
          kExitStatusHelp);
  cmd->add_option("DIR", args->dir, "Data directory (optional with --state or --merge-stored)")
      ->check(CLI::ExistingDirectory);
  AddPeriodOptions(cmd, &args->period);
  AddStoreOption(cmd, &args->period, /*ingest=*/false);
  AddMergeStoredOption(cmd, &args->period);
  AddFindingOptions(cmd, &args->findings);
  AddCallerOptions(cmd, &args->findings);
  cmd->add_option("--format", args->format, "table (default), json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  cmd->add_option("--out,-o", args->out, "Write to this file instead of standard output");
  cmd->add_option("--id", args->ids,
                  "Only ids matching this pattern, e.g. 'hotline.*' (repeatable); only the\n"
                  "record types they need are read. A pattern matching no id is an error");
  cmd->add_option("--operator", args->operator_name, "Only this operator's groups (and overall)");
  cmd->add_flag("--all", args->all, "Table: every breakdown, not only overall and per operator");
  AddCommonOptions(cmd, &args->common);
  cmd->callback([ctx, args] { ctx->run = [args] { return RunKpi(*args); }; });
}

}  // namespace tsq
