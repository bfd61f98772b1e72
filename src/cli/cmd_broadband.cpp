#include <cstdio>

#include "app/findings.h"
#include "cli/analysis_options.h"
#include "cli/options.h"
#include "io/output_file.h"

namespace tsq {
namespace {

struct BroadbandArgs {
  CommonOptions common;
  PeriodOptions period;
  std::string dir;
  std::string format = "table";
  std::string out;
  std::string operator_name;
  std::string line;
  bool all = false;
};

ExitStatus RunBroadband(const BroadbandArgs& args) {
  auto format = ParseFindingFormat(args.format);
  if (!format) return Fail(format.error());
  CommonOptions common = args.common;
  common.no_digests = true;
  ExitStatus status = ExitStatus::kOk;
  auto analysis = RunAnalysisFromCli(args.dir, args.period, common, BroadbandIdPatterns(), &status);
  if (!analysis) return status;
  BroadbandView view;
  view.lang = LangOf(args.common);
  view.operator_name = args.operator_name;
  view.line_id = args.line;
  view.all = args.all;
  auto text = RenderBroadband(*analysis, *format, view);
  if (!text) return Fail(text.error());
  return Emit(args.out, *text);
}

}  // namespace

void AddBroadbandCommand(CLI::App& app, CommandContext* ctx) {
  auto args = std::make_shared<BroadbandArgs>();
  CLI::App* cmd = app.add_subcommand(
      "broadband",
      std::string(
          "Judge every home-broadband line of a period against its plan (宽带接入速率达标).\n"
          "A line complies when the mean downstream rate of its tests reaches 90% of the\n"
          "contracted rate (互联网接入服务规范, 2013); a line whose plan changed is judged once\n"
          "per plan. The table shows the compliance rate per operator and the lines below\n"
          "their plan; --line shows one line's evidence (every test: time, rate, share of the\n"
          "plan), what a complaint handler hands to the customer. --format csv|json lists\n"
          "every line (JSON with its tests).\n"
          "Examples:\n"
          "  tsq broadband demo/data --period 2022H2\n"
          "  tsq broadband demo/data -p 2022H2 --line KD43110000000\n"
          "  tsq broadband demo/data -p 2022H2 --format csv --out lines.csv\n") +
          kExitStatusHelp);
  cmd->add_option("DIR", args->dir, "Data directory (optional with --state)")
      ->check(CLI::ExistingDirectory);
  AddPeriodOptions(cmd, &args->period);
  cmd->add_option("--format", args->format, "table (default), json or csv")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  cmd->add_option("--out,-o", args->out, "Write to this file instead of standard output");
  cmd->add_option("--operator", args->operator_name, "Only this operator's lines");
  cmd->add_option("--line", args->line, "Only this line, with every test");
  cmd->add_flag("--all", args->all, "Table: every line, not only those below their plan");
  AddCommonOptions(cmd, &args->common);
  cmd->callback([ctx, args] { ctx->run = [args] { return RunBroadband(*args); }; });
}

}  // namespace tsq
