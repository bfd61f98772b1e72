// The command table of `tsq`: each command adds its CLI11 subcommand and sets the function that
// runs it. Commands only parse arguments and print; the work is in app/.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace tsq {

enum class ExitStatus : int { kOk = 0, kFailure = 1, kUsage = 2 };

/// Options every data-reading command shares.
struct CommonOptions {
  int threads = 0;
  std::string tz = "+08:00";
  std::vector<std::string> maps;
  std::string mapping_file;
  std::string lang = "zh";
  bool no_progress = false;
  bool show_numbers = false;
};

struct CommandContext {
  std::function<ExitStatus()> run;  // set by the command that was chosen
};

void AddGenerateCommand(CLI::App& app, CommandContext* ctx);
void AddValidateCommand(CLI::App& app, CommandContext* ctx);
void AddKpiCommand(CLI::App& app, CommandContext* ctx);
void AddReportCommand(CLI::App& app, CommandContext* ctx);
void AddIndicatorsCommand(CLI::App& app, CommandContext* ctx);

/// Adds --threads, --tz, --map, --mapping, --lang, --no-progress to a subcommand.
void AddCommonOptions(CLI::App* cmd, CommonOptions* opts);

/// Prints "tsq: error: <message>" to stderr.
void PrintError(const std::string& message);

}  // namespace tsq
