#include <cstdio>

#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "core/timestamp.h"

namespace tsq {

void AddCommonOptions(CLI::App* cmd, CommonOptions* o) {
  cmd->add_option("--threads", o->threads, "Worker threads (default: all cores)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--tz", o->tz,
                  "UTC offset of timestamps written without one (default +08:00, China)");
  cmd->add_option("--map", o->maps,
                  "Read an operator's own header for a contract column, e.g.\n"
                  "--map calls.caller=CALLING_NBR (repeatable)");
  cmd->add_option("--mapping", o->mapping_file,
                  "A TOML file of such mappings: [calls] caller = \"CALLING_NBR\"")
      ->check(CLI::ExistingFile);
  cmd->add_option("--lang", o->lang, "Language of what a person reads: zh (default) or en")
      ->check(CLI::IsMember({"zh", "en"}));
  cmd->add_flag("--no-progress", o->no_progress, "Never draw a progress bar");
  cmd->add_flag("--show-numbers", o->show_numbers,
                "Show subscriber numbers in full (the quarantine file's rows); by default they\n"
                "are masked as 138****5678 in everything this command writes");
}

void PrintError(const std::string& message) {
  std::fputs(fmt::format("tsq: error: {}\n", message).c_str(), stderr);
}

Status ApplyCommonOptions(const CommonOptions& o, ColumnMapping* mapping, int32_t* local_offset_s) {
  auto offset = ParseUtcOffset(o.tz);
  if (!offset) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("--tz {}: expected a UTC offset such as +08:00, +0800 or Z", o.tz));
  }
  *local_offset_s = *offset;
  if (!o.mapping_file.empty()) TSQ_TRY(mapping->AddFile(o.mapping_file));
  for (const std::string& m : o.maps) TSQ_TRY(mapping->Add(m));
  return Ok();
}

}  // namespace tsq
