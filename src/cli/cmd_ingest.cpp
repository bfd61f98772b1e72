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
  std::string store = "tsq.db";
};

ExitStatus RunIngest(const IngestArgs& args) {
  ExitStatus status = ExitStatus::kOk;
  auto analysis =
      RunAnalysisFromCli(args.dir, args.period, args.common, {}, &status, args.findings);
  if (!analysis) return status;
  auto summary = IngestAnalysis(*analysis, args.store);
  if (!summary) return Fail(summary.error());
  std::printf("stored %s in %s: %zu values%s\n", summary->period.c_str(),
              summary->store_path.c_str(), summary->values,
              summary->replaced ? " (replacing the period stored before)" : "");
  return ExitStatus::kOk;
}

}  // namespace

void AddIngestCommand(CLI::App& app, CommandContext* ctx) {
  auto args = std::make_shared<IngestArgs>();
  CLI::App* cmd = app.add_subcommand(
      "ingest",
      std::string(
          "Compute a period and keep its results in a store: every indicator value with its\n"
          "group and verdict, and the whole 'tsq kpi --format json' document (data quality,\n"
          "input digests, catalog hash). The store is an SQLite file, created if missing;\n"
          "storing a period again replaces it in one transaction.\n"
          "Examples:\n"
          "  tsq ingest demo/data --period 2022H2\n"
          "  tsq ingest demo/data --period 2022H1 --store periods.db\n") +
          kExitStatusHelp);
  cmd->add_option("DIR", args->dir, "Data directory")->required()->check(CLI::ExistingDirectory);
  AddPeriodOptions(cmd, &args->period);
  AddFindingOptions(cmd, &args->findings);
  AddCallerOptions(cmd, &args->findings);
  cmd->add_option("--store", args->store, "The store: an SQLite file (default tsq.db)");
  AddCommonOptions(cmd, &args->common);
  cmd->callback([ctx, args] { ctx->run = [args] { return RunIngest(*args); }; });
}

}  // namespace tsq
