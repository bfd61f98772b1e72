#include <cstdio>
#include <filesystem>

#include <fmt/format.h>
#include <unistd.h>

#include "app/ingest.h"
#include "cli/analysis_options.h"
#include "cli/options.h"
#include "io/text_file.h"

namespace tsq {
namespace {

struct IngestArgs {
  CommonOptions common;
  PeriodOptions period;
  FindingRequest findings;
  std::string dir;
  bool no_reports = false;
  bool no_state = false;
};

// The state goes to the store through a temporary file of the run's own (mode 0600: it holds
// numbers in full), removed however the run ends.
struct TemporaryState {
  std::string path;
  ~TemporaryState() {
    std::error_code ec;
    if (!path.empty()) std::filesystem::remove(path, ec);
  }
};

ExitStatus RunIngest(const IngestArgs& args) {
  ExitStatus status = ExitStatus::kOk;
  PeriodOptions period = args.period;
  TemporaryState temporary;
  if (!args.no_state && period.save_state.empty()) {
    temporary.path =
        (std::filesystem::temp_directory_path() / fmt::format("tsq-ingest-{}.state", getpid()))
            .string();
    period.save_state = temporary.path;
  }
  auto analysis = RunAnalysisFromCli(args.dir, period, args.common, {}, &status, args.findings);
  if (!analysis) return status;
  std::string state;
  if (!args.no_state) {
    auto bytes = ReadTextFile(period.save_state, "the period's state");
    if (!bytes) return Fail(bytes.error());
    state = std::move(*bytes);
  }
  auto summary = IngestAnalysis(*analysis, period.store, !args.no_reports, std::move(state));
  if (!summary) return Fail(summary.error());
  std::printf("stored %s in %s: %zu values, %zu documents%s%s\n", summary->period.c_str(),
              summary->store.c_str(), summary->values, summary->documents,
              summary->state_bytes > 0 ? ", its state" : "",
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
          "replaces it in one transaction. The period's partial state is kept too (never\n"
          "served: it holds numbers in full), so that stored months make their quarter or\n"
          "half-year with --merge-stored, without their records.\n"
          "Examples:\n"
          "  tsq ingest demo/data --period 2022H2\n"
          "  tsq ingest demo/data --period 2022H1 --store periods.db\n"
          "  tsq ingest demo/data --period 2022H2 --store postgresql://tsq@127.0.0.1/tsq\n"
          "  tsq ingest july/ --period 2022-07    (and so on for each month, then)\n"
          "  tsq ingest --period 2022H2 --merge-stored\n") +
          kExitStatusHelp);
  cmd->add_option("DIR", args->dir, "Data directory (optional with --state or --merge-stored)")
      ->check(CLI::ExistingDirectory);
  AddPeriodOptions(cmd, &args->period);
  AddFindingOptions(cmd, &args->findings);
  AddCallerOptions(cmd, &args->findings);
  AddStoreOption(cmd, &args->period, /*ingest=*/true);
  AddMergeStoredOption(cmd, &args->period);
  cmd->add_flag("--no-reports", args->no_reports,
                "Leave out the html and xlsx reports (several times faster; the dashboard then\n"
                "has no report of this period to download)");
  cmd->add_flag("--no-state", args->no_state,
                "Do not keep the period's partial state (smaller store; the period cannot then\n"
                "be merged into a longer one with --merge-stored)");
  AddCommonOptions(cmd, &args->common);
  cmd->callback([ctx, args] { ctx->run = [args] { return RunIngest(*args); }; });
}

}  // namespace tsq
