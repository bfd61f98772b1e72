#include <cstdio>

#include "app/analysis.h"
#include "cli/commands.h"
#include "report/catalog_render.h"

namespace tsq {
namespace {

struct IndicatorsArgs {
  std::string catalog;
  std::string format = "table";
  std::string lang = "zh";
};

ExitStatus RunIndicators(const IndicatorsArgs& args) {
  auto catalog = LoadCatalog(args.catalog);
  if (!catalog) return Fail(catalog.error());
  const std::string out =
      args.format == "json"
          ? CatalogJson(*catalog).dump(2) + "\n"
          : RenderCatalogTable(*catalog, args.lang == "en" ? Lang::kEn : Lang::kZh);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return ExitStatus::kOk;
}

}  // namespace

void AddIndicatorsCommand(CLI::App& app, CommandContext* ctx) {
  auto args = std::make_shared<IndicatorsArgs>();
  CLI::App* cmd = app.add_subcommand(
      "indicators",
      "List the indicator catalog in use: ids, names, targets, minimum samples, sources.\n"
      "The built-in catalog is TOML; --catalog FILE overrides any subset, e.g.\n"
      "  [indicators.\"calls.drop_rate\"]\n"
      "  target = \"<= 0.01\"\n"
      "  [operators.\"移动\".params]\n"
      "  \"complaints.max_hours\" = 48      # this operator promises 48 h\n"
      "  [operators.\"联通\".indicators.\"hotline.human_answer_rate\"]\n"
      "  target = \">= 0.90\"");
  cmd->add_option("--catalog", args->catalog, "A TOML file overriding the built-in catalog")
      ->check(CLI::ExistingFile);
  cmd->add_option("--format", args->format, "table (default) or json")
      ->check(CLI::IsMember({"table", "json"}));
  cmd->add_option("--lang", args->lang, "zh (default) or en")->check(CLI::IsMember({"zh", "en"}));
  cmd->callback([ctx, args] { ctx->run = [args] { return RunIndicators(*args); }; });
}

}  // namespace tsq
