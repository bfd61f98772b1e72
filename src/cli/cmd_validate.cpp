#include <cstdio>

#include "app/validate.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/progress_bar.h"
#include "report/data_quality_render.h"

namespace tsq {
namespace {

struct ValidateArgs {
  CommonOptions common;
  std::string dir;
  std::string quarantine;
  std::string format = "text";
};

ExitStatus RunValidate(const ValidateArgs& args) {
  ValidateRequest req;
  if (Status st = ApplyCommonOptions(args.dir, args.common, &req.input); !st) {
    return Fail(st.error());
  }
  req.input.digests = req.input.digests && args.format == "json";  // only the JSON shows them
  req.input.quarantine_path = args.quarantine;
  ProgressBar bar(!args.common.no_progress);
  req.input.on_progress = bar.Callback();
  auto result = Validate(req);
  bar.Clear();
  if (!result) {
    PrintError(result.error().message);
    return ExitStatus::kFailure;
  }
  for (const std::string& w : result->warnings) PrintWarning(w);
  const std::string out = args.format == "json"
                              ? RenderDataQualityJson(*result)
                              : RenderDataQualityText(*result, LangOf(args.common));
  std::fwrite(out.data(), 1, out.size(), stdout);
  return ExitStatus::kOk;
}

}  // namespace

void AddValidateCommand(CLI::App& app, CommandContext* ctx) {
  auto args = std::make_shared<ValidateArgs>();
  CLI::App* cmd = app.add_subcommand(
      "validate",
      "Check a data directory against the data contract.\n"
      "Reads every record file (orders, calls, sms, billing, complaints, appeals, hotline,\n"
      "porting, speedtests, broadband_tests; .csv or .jsonl, optionally .gz/.zst, split files\n"
      "like calls-*.csv.zst read as one table) and prints per file: rows read, accepted,\n"
      "quarantined by reason, time range, operators and regions.\n"
      "Exit status: 0 when every file is readable (bad rows are reported, not a failure),\n"
      "1 when a file cannot be read (missing, corrupt, a required column missing).\n"
      "Example: tsq validate demo --quarantine bad_rows.csv");
  cmd->add_option("DIR", args->dir, "Data directory")->required()->check(CLI::ExistingDirectory);
  cmd->add_option("--quarantine", args->quarantine,
                  "Write every bad row to this CSV (file,line,column,reason,raw), with\n"
                  "subscriber numbers masked");
  cmd->add_option("--format", args->format, "text (default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  AddCommonOptions(cmd, &args->common);
  cmd->callback([ctx, args] { ctx->run = [args] { return RunValidate(*args); }; });
}

}  // namespace tsq
