// The command table of `tsq`: each command adds its CLI11 subcommand and sets the function that
// runs it. Commands only parse arguments and print; the work is in app/.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "core/error.h"

namespace tsq {

/// Exit statuses, documented in each command's --help: 1 when the data cannot be read, 2 for a
/// usage error (a misspelt option, period, id, catalog key), 3 when --max-bad-share is exceeded.
enum class ExitStatus : int { kOk = 0, kFailure = 1, kUsage = 2, kDataQuality = 3 };

/// Options every data-reading command shares.
struct CommonOptions {
  int threads = 0;
  std::string tz = "+08:00";
  std::vector<std::string> maps;
  std::string mapping_file;
  std::string encoding = "utf-8";
  std::string preset;
  std::vector<std::string> forms;
  std::string lang = "zh";
  bool no_progress = false;
  bool show_numbers = false;
  bool no_digests = false;
};

struct CommandContext {
  std::function<ExitStatus()> run;  // set by the command that was chosen
};

void AddGenerateCommand(CLI::App& app, CommandContext* ctx);
void AddValidateCommand(CLI::App& app, CommandContext* ctx);
void AddKpiCommand(CLI::App& app, CommandContext* ctx);
void AddReportCommand(CLI::App& app, CommandContext* ctx);
void AddCellsCommand(CLI::App& app, CommandContext* ctx);
void AddBroadbandCommand(CLI::App& app, CommandContext* ctx);
void AddCallersCommand(CLI::App& app, CommandContext* ctx);
void AddIngestCommand(CLI::App& app, CommandContext* ctx);
void AddServeCommand(CLI::App& app, CommandContext* ctx);
void AddPresetsCommand(CLI::App& app, CommandContext* ctx);
void AddIndicatorsCommand(CLI::App& app, CommandContext* ctx);

/// Adds --threads, --tz, --map, --mapping, --lang, --no-progress to a subcommand.
void AddCommonOptions(CLI::App* cmd, CommonOptions* opts);

/// Prints "tsq: error: <message>" to stderr.
void PrintError(const std::string& message);
/// Prints "tsq: warning: <message>" to stderr.
void PrintWarning(const std::string& message);
/// "tsq: note: <message>" on stderr: where a figure came from, nothing to fix.
void PrintNote(const std::string& message);
/// Prints the error and returns the exit status its code calls for.
ExitStatus Fail(const Error& error);
/// Writes `text` to `path` atomically and says so on stderr, or to stdout when `path` is empty.
ExitStatus Emit(const std::string& path, const std::string& text);

/// The exit statuses, for the end of a command's --help.
inline constexpr const char* kExitStatusHelp =
    "Exit status: 0 done; 1 a file cannot be read (missing, corrupt, a required column\n"
    "missing) or an output cannot be written; 2 a usage error (a misspelt option, period,\n"
    "--id pattern or catalog key); 3 --max-bad-share exceeded.";

}  // namespace tsq
