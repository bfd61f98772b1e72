#include <cstdio>

#include "app/ingest.h"
#include "cli/analysis_options.h"
#include "cli/options.h"

namespace tsq {
namespace {

struct IngestArgs {
  CommonOptions common;
  PeriodOptions period;
  FindingRequest findings;
  std::string dir;
  bool no_reports = false;
};

ExitStatus RunIngest(const IngestArgs& args) {
  ExitStatus status = ExitStatus::kOk;
  auto analysis =
      RunAnalysisFromCli(args.dir, args.period, args.common, {}, &status, args.findings);
  if (!analysis) return status;
  auto summary = IngestAnalysis(*analysis, args.period.store, !args.no_reports);
  if (!summary) return Fail(summary.error());
  std::printf("stored %s in %s: %zu values, %zu documents%s\n", summary->period.c_str(),
              summary->store.c_str(), summary->values, summary->documents,
              summary->replaced ? " (replacing the period stored before)" : "");
  return ExitStatus::kOk;
}

}  // namespace

void AddIngestCommand(CLI::App& app, CommandContext* ctx) {
  auto args = std::make_shared<IngestArgs>();
  CLI::App* cmd = app.add_subcommand(
      "ingest",
      std::string(
          "Compute a period and keep its results in a store for 'tsq serve' and for later\n"
          "periods' 环比 and 同比: every indicator value with its group and verdict, the whole\n"
          "'tsq kpi --format json' document (data quality, input digests, catalog hash), the\n"
          "findings (numbers masked) and the report in zh and en (html, xlsx). The store is an\n"
          "SQLite file, created if missing, or a PostgreSQL database; storing a period again\n"
          "replaces it in one transaction.\n"
          "Examples:\n"
          "  tsq ingest demo/data --period 2022H2\n"
          "  tsq ingest demo/data --period 2022H1 --store periods.db\n"
          "  tsq ingest demo/data --period 2022H2 --store postgresql://tsq@127.0.0.1/tsq\n") +
          kExitStatusHelp);
  cmd->add_option("DIR", args->dir, "Data directory (optional with --state)")
      ->check(CLI::ExistingDirectory);
  AddPeriodOptions(cmd, &args->period);
  AddFindingOptions(cmd, &args->findings);
  AddCallerOptions(cmd, &args->findings);
  AddStoreOption(cmd, &args->period, /*ingest=*/true);
  cmd->add_flag("--no-reports", args->no_reports,
                "Leave out the html and xlsx reports (several times faster; the dashboard then\n"
                "has no report of this period to download)");
  AddCommonOptions(cmd, &args->common);
  cmd->callback([ctx, args] { ctx->run = [args] { return RunIngest(*args); }; });
}

}  // namespace tsq
