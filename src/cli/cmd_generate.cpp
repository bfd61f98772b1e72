#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "app/generate.h"
#include "cli/commands.h"
#include "cli/progress_bar.h"
#include "report/text_table.h"

namespace tsq {
namespace {

struct GenerateArgs {
  GenerateOptions options;
  bool no_progress = false;
};

ExitStatus RunGenerate(const GenerateArgs& args) {
  ProgressBar bar(!args.no_progress);
  auto summary = Generate(args.options, bar.Callback());
  bar.Clear();
  if (!summary) {
    PrintError(summary.error().message);
    return summary.error().code == ErrorCode::kInvalidArgument ? ExitStatus::kUsage
                                                               : ExitStatus::kFailure;
  }
  TextTable t;
  using A = TextTable::Align;
  t.SetHeader({"file", "rows", "in period", "bad rows", "MB"},
              {A::kLeft, A::kRight, A::kRight, A::kRight, A::kRight});
  uint64_t bytes = 0;
  for (const GeneratedFile& f : summary->files) {
    t.AddRow({std::filesystem::path(f.path).filename().string(), GroupThousands(f.rows),
              GroupThousands(f.rows_in_period), GroupThousands(f.bad_rows),
              fmt::format("{:.1f}", f.bytes / 1e6)});
    bytes += f.bytes;
  }
  std::string out = t.Render();
  out += fmt::format(
      "{} rows ({} in {}, the rest in comparison periods such as {}) in {:.2f} s: {:.2f} M "
      "rows/s, {:.0f} MB/s\n",
      GroupThousands(summary->total_rows), GroupThousands(summary->rows_in_period), summary->period,
      summary->baseline_period, summary->seconds, summary->total_rows / summary->seconds / 1e6,
      bytes / summary->seconds / 1e6);
  if (summary->bad_rows > 0) {
    out += fmt::format("{} malformed rows planted (--bad), listed in truth.json\n",
                       GroupThousands(summary->bad_rows));
  }
  out += fmt::format("planted findings: {}\n", summary->truth_path);
  std::fwrite(out.data(), 1, out.size(), stdout);
  return ExitStatus::kOk;
}

}  // namespace

void AddGenerateCommand(CLI::App& app, CommandContext* ctx) {
  auto args = std::make_shared<GenerateArgs>();
  GenerateOptions& o = args->options;
  CLI::App* cmd = app.add_subcommand(
      "generate",
      "Write a realistic synthetic province (3 operators, 9 regions of Jilin) of every record\n"
      "type for a period, plus the earlier periods comparisons need, and DIR/truth.json with\n"
      "what was planted: harassment and fraud callers with hard negatives, poor 5G cells and\n"
      "fixed ones, broadband lines below 90 % of plan, and with --bad malformed rows of every\n"
      "kind. Deterministic per seed. Scale 1 is about a million records.\n"
      "Examples:\n"
      "  tsq generate --out demo/data\n"
      "  tsq generate --out big --scale 100 --compress zst --calls-files 8");
  cmd->add_option("--out,-o", o.out_dir, "Output directory (created if missing)")->required();
  cmd->add_option("--scale", o.scale, "Size: 1 ≈ 1 M records in the period; 0.01 for tests")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--seed", o.seed, "Random seed (same seed, same bytes)");
  cmd->add_option("--period", o.period, "Period: 2022H2 (default), 2022Q4, 2022-11, 2022");
  cmd->add_flag("--bad", o.plant_bad_rows, "Plant malformed rows of every kind (in truth.json)");
  cmd->add_option("--format", o.format, "csv (default) or jsonl")
      ->check(CLI::IsMember({"csv", "jsonl"}));
  cmd->add_option("--compress", o.compression, "none (default), gz or zst")
      ->check(CLI::IsMember({"none", "gz", "zst"}));
  cmd->add_option("--calls-files", o.calls_files, "Split calls over N files calls-0001.csv …")
      ->check(CLI::Range(1, 10000));
  cmd->add_option(
         "--cell-tests", o.cell_tests,
         "For measuring the poor-cell detector: every planted poor, still_poor, remediated and\n"
         "near_threshold cell gets exactly N tests in the period, each bad with the cell's true\n"
         "share (0.30-0.50, <= 0.05, 0.25) instead of an exact script, and 10 x scale decoy 5G\n"
         "cells 0.10-0.15 bad are planted; truth.json gives each true_bad_share. 0 (default): off")
      ->check(CLI::Range(0, 100000));
  cmd->add_option("--callers", o.callers,
                  "Planted callers: plain (default: mass callers and fraudsters beside clearly\n"
                  "legitimate heavy callers) or overlapping (adds harassers spread thin with\n"
                  "call-backs and shared handsets, and telemarketing, debt collection, taxi\n"
                  "dispatch, office trunks and alarm lines that look like harassers)")
      ->check(CLI::IsMember({"plain", "overlapping"}));
  cmd->add_option("--threads", o.threads, "Worker threads (default: all cores)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_flag("--no-progress", args->no_progress, "Never draw a progress bar");
  cmd->callback([ctx, args] { ctx->run = [args] { return RunGenerate(*args); }; });
}

}  // namespace tsq
