#include <cstdio>

#include <fmt/format.h>

#include "cli/commands.h"
#include "model/presets.h"

namespace tsq {
namespace {

struct PresetsArgs {
  std::string name;
  std::string lang = "zh";
};

ExitStatus RunPresets(const PresetsArgs& args) {
  if (!args.name.empty()) {
    auto preset = FindMappingPreset(args.name);
    if (!preset) return Fail(preset.error());
    std::fwrite((*preset)->toml.data(), 1, (*preset)->toml.size(), stdout);
    return ExitStatus::kOk;
  }
  for (const MappingPreset& p : MappingPresets()) {
    std::printf("%s\n", fmt::format("{:<8}{}", p.name,
                                    args.lang == "en" ? p.description_en : p.description_zh)
                            .c_str());
  }
  std::printf("%s\n", args.lang == "en"
                          ? "\n'tsq presets NAME' prints a preset; read files with --preset NAME."
                          : "\n'tsq presets NAME' 显示预设内容；读取数据时用 --preset NAME。");
  return ExitStatus::kOk;
}

}  // namespace

void AddPresetsCommand(CLI::App& app, CommandContext* ctx) {
  auto args = std::make_shared<PresetsArgs>();
  CLI::App* cmd = app.add_subcommand(
      "presets",
      "List the mapping presets shipped with tsq: the headers of common exports (Chinese\n"
      "headers such as 主叫号码, 开始时间, 受理时间, 办结时间) for every record type. With\n"
      "--preset NAME, any command reads a file whose header holds one of a column's listed\n"
      "names; --map and --mapping win over a preset.\n"
      "Examples:\n"
      "  tsq presets\n"
      "  tsq presets zh > my-mapping.toml     # a starting point for your own\n"
      "  tsq kpi export/ -p 2022H2 --preset zh --encoding auto");
  cmd->add_option("NAME", args->name, "Print this preset's file");
  cmd->add_option("--lang", args->lang, "zh (default) or en")->check(CLI::IsMember({"zh", "en"}));
  cmd->callback([ctx, args] { ctx->run = [args] { return RunPresets(*args); }; });
}

}  // namespace tsq
