// tsq: the command-line entry point. Chooses a command from the table in commands.h, runs it, and
// turns any stray exception into a one-line error — a user never sees a stack trace.
#include <cstdio>
#include <exception>

#include "app/cluster.h"
#include "cli/commands.h"

int main(int argc, char** argv) {
  // Under mpirun or srun this process is one rank of the job (app/cluster.h).
  tsq::ClusterSession cluster(&argc, &argv);
  CLI::App app{
      "tsq — telecom service quality: regulated indicators and reports from operators' records.\n"
      "\n"
      "Typical use:\n"
      "  tsq generate --out demo --scale 1       write a synthetic province to demo/\n"
      "  tsq validate demo                        check every file against the data contract\n"
      "  tsq kpi demo --period 2022H2             every indicator against its target\n"
      "  tsq report demo --period 2022H2 --out report.html   the semi-annual report\n"
      "  tsq cells demo --period 2022H2           poor-quality 5G cells and their remediation\n"
      "  tsq broadband demo --period 2022H2       broadband lines below 90% of their plan\n"
      "  tsq callers demo --period 2022H2         suspected harassment and fraud callers\n"
      "  tsq indicators                           the catalog: ids, names, targets\n"
      "\n"
      "Run 'tsq COMMAND --help' for the options of a command."};
  app.name("tsq");
  app.require_subcommand(1);
  app.set_version_flag("--version",
                       tsq::ClusterBuiltWithMpi() ? "tsq 0.1.0 (with MPI)" : "tsq 0.1.0");
  app.get_formatter()->column_width(34);

  tsq::CommandContext ctx;
  tsq::AddGenerateCommand(app, &ctx);
  tsq::AddValidateCommand(app, &ctx);
  tsq::AddKpiCommand(app, &ctx);
  tsq::AddReportCommand(app, &ctx);
  tsq::AddCellsCommand(app, &ctx);
  tsq::AddBroadbandCommand(app, &ctx);
  tsq::AddCallersCommand(app, &ctx);
  tsq::AddIngestCommand(app, &ctx);
  tsq::AddServeCommand(app, &ctx);
  tsq::AddPresetsCommand(app, &ctx);
  tsq::AddIndicatorsCommand(app, &ctx);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : static_cast<int>(tsq::ExitStatus::kUsage);
  }
  try {
    return static_cast<int>(ctx.run());
  } catch (const std::bad_alloc&) {
    tsq::PrintError("out of memory; try fewer --threads or a smaller input");
  } catch (const std::exception& e) {
    tsq::PrintError(std::string("internal error: ") + e.what());
  }
  return static_cast<int>(tsq::ExitStatus::kFailure);
}
