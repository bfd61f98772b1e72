#include <cstdio>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/analysis.h"
#include "cli/commands.h"
#include "report/format.h"
#include "report/text_table.h"

namespace tsq {
namespace {

struct IndicatorsArgs {
  std::string catalog;
  std::string format = "table";
  std::string lang = "zh";
};

ExitStatus RunIndicators(const IndicatorsArgs& args) {
  auto catalog = LoadCatalog(args.catalog);
  if (!catalog) {
    PrintError(catalog.error().message);
    return ExitStatus::kFailure;
  }
  if (args.format == "json") {
    nlohmann::ordered_json j;
    j["catalog_sha256"] = catalog->Hash();
    j["indicators"] = nlohmann::ordered_json::array();
    for (const IndicatorDef& d : catalog->defs()) {
      nlohmann::ordered_json e;
      e["id"] = d.id;
      e["name_zh"] = d.name_zh;
      e["name_en"] = d.name_en;
      e["formula_zh"] = d.formula_zh;
      e["formula_en"] = d.formula_en;
      e["unit"] = d.unit;
      e["polarity"] = d.polarity;
      if (d.target) {
        e["target"] = {{"op", d.target->OpText()}, {"value", d.target->value}};
      } else {
        e["target"] = nullptr;
      }
      e["min_sample"] = d.min_sample;
      e["source"] = d.source;
      j["indicators"].push_back(std::move(e));
    }
    const std::string out = j.dump(2) + "\n";
    std::fwrite(out.data(), 1, out.size(), stdout);
    return ExitStatus::kOk;
  }
  const Lang lang = args.lang == "en" ? Lang::kEn : Lang::kZh;
  TextTable t;
  t.SetHeader({"id", std::string(L(lang, "名称", "name")), std::string(L(lang, "目标", "target")),
               std::string(L(lang, "最小样本", "min n")), std::string(L(lang, "依据", "source"))});
  for (const IndicatorDef& d : catalog->defs()) {
    t.AddRow({d.id, lang == Lang::kEn ? d.name_en : d.name_zh, FormatTarget(d.target, d.unit),
              std::to_string(d.min_sample), d.source});
  }
  std::string out = t.Render();
  out += fmt::format("{} {} · catalog sha256 {}\n", catalog->defs().size(),
                     L(lang, "项指标", "indicators"), catalog->Hash().substr(0, 16));
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
