#include <cstdio>
#include <cstdlib>

#include "app/ingest.h"
#include "cli/analysis_options.h"
#include "cli/options.h"
#include "server/server.h"
#include "store/store.h"

namespace tsq {
namespace {

struct ServeArgs {
  CommonOptions common;
  PeriodOptions period;
  FindingRequest findings;
  std::string data;
  ServeOptions serve;
};

ExitStatus RunServe(ServeArgs& args) {
  if (args.data.empty() != args.period.period.empty()) {
    return Fail(Error(ErrorCode::kInvalidArgument,
                      args.data.empty() ? "--period goes with --data (the period to compute)"
                                        : "--data: give the period to compute with --period"));
  }
  if (args.serve.token.empty()) {
    if (const char* env = std::getenv("TSQ_TOKEN")) args.serve.token = env;
  }
  // Before a --data ingest, which may take minutes.
  if (Status st = CheckServeOptions(args.serve); !st) return Fail(st.error());
  args.serve.store = args.period.store;
  args.serve.catalog_path = args.period.catalog;
  if (!args.data.empty()) {
    // The period of --data is computed and stored first, as `tsq ingest` would.
    ExitStatus status = ExitStatus::kOk;
    auto analysis =
        RunAnalysisFromCli(args.data, args.period, args.common, {}, &status, args.findings);
    if (!analysis) return status;
    auto summary = IngestAnalysis(*analysis, args.period.store);
    if (!summary) return Fail(summary.error());
    std::fprintf(stderr, "tsq: stored %s in %s: %zu values, %zu documents\n",
                 summary->period.c_str(), summary->store.c_str(), summary->values,
                 summary->documents);
  }
  const Status st = Serve(args.serve, [&](const std::string& url) {
    std::printf("tsq serve: the dashboard is at %s (store %s; Ctrl-C stops it)\n", url.c_str(),
                RedactUri(args.period.store).c_str());
    std::fflush(stdout);
  });
  if (!st) return Fail(st.error());
  return ExitStatus::kOk;
}

}  // namespace

void AddServeCommand(CLI::App& app, CommandContext* ctx) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* cmd = app.add_subcommand(
      "serve",
      std::string(
          "Serve the dashboard and its JSON API over a store of periods (tsq ingest fills it):\n"
          "every indicator against its target per operator and region, trends across periods\n"
          "and months, 环比 and 同比, the poor-cell map, broadband lines, the masked suspected\n"
          "callers, data quality and the reports (html, xlsx, pdf) to download. The API is\n"
          "described at /api/v1/openapi.json; Prometheus reads /metrics.\n"
          "Loopback only unless --bind says otherwise, and then only with a token.\n"
          "Examples:\n"
          "  tsq serve                                  # tsq.db, http://127.0.0.1:8080/\n"
          "  tsq serve --store periods.db --port 9000\n"
          "  tsq serve --data demo/data --period 2022H2 # ingest it first, then serve\n"
          "  TSQ_TOKEN=s3cret tsq serve --bind 0.0.0.0  # for the office network\n"
          "  tsq serve --store postgresql://tsq@db.internal/tsq\n") +
          kExitStatusHelp);
  AddStoreOption(cmd, &args->period, /*ingest=*/true);
  cmd->add_option("--data", args->data,
                  "A data directory to compute and store (with --period) before serving")
      ->check(CLI::ExistingDirectory);
  cmd->add_option("-p,--period", args->period.period,
                  "With --data: the period to compute (2022H2, 2022Q4, 2022-11, 2022)");
  cmd->add_option("--catalog", args->period.catalog,
                  "A catalog file on top of the built-in one (names, targets)")
      ->check(CLI::ExistingFile);
  cmd->add_option("--bind", args->serve.host, "The address to listen on (default 127.0.0.1)");
  cmd->add_option("--port", args->serve.port, "The port (default 8080; 0: any free port)")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--token", args->serve.token,
                  "A secret every API call must send as 'Authorization: Bearer <token>';\n"
                  "required off loopback (or set TSQ_TOKEN, which keeps it out of 'ps')");
  cmd->add_option("--connections", args->serve.threads, "Connections served at once (default 32)")
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--timeout", args->serve.timeout_s,
                  "Seconds a client may stay silent before it is dropped (default 5)")
      ->check(CLI::Range(1, 600));
  cmd->add_option("--cache-mb", args->serve.cache_mb,
                  "Answers kept for repeated requests until a period is stored again\n"
                  "(default 128 MB; 0: none)")
      ->check(CLI::Range(0, 65536));
  cmd->add_option("--assets", args->serve.assets_dir,
                  "Front-end work: serve the dashboard's files from this folder (web/src)\n"
                  "instead of the embedded ones, so an edit shows on reload")
      ->check(CLI::ExistingDirectory);
  AddCommonOptions(cmd, &args->common);
  cmd->callback([ctx, args] { ctx->run = [args] { return RunServe(*args); }; });
}

}  // namespace tsq
