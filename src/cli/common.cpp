#include <cstdio>

#include <fmt/format.h>

#include "app/cluster.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "core/timestamp.h"
#include "io/output_file.h"
#include "io/text_encoding.h"

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
  cmd->add_option("--preset", o->preset,
                  "Read operators' own headers of a shipped preset, e.g. --preset zh (主叫号码,\n"
                  "开始时间, ...); 'tsq presets' lists them. --map/--mapping win over it");
  cmd->add_option("--form", o->forms,
                  "A column whose values take another form, e.g. --form calls.start_time=slash\n"
                  "(2022/7/1 8:05:03), compact (20220701080503), excel (date serials),\n"
                  "thousands (1,234.5) (repeatable; or [calls.forms] in a --mapping file)");
  cmd->add_option("--encoding", o->encoding,
                  "The files' text encoding: utf-8 (default), gb18030, gbk, or auto (UTF-8 when\n"
                  "a file's first 64 KB are valid UTF-8, else GB18030; the summary says which)");
  cmd->add_option("--lang", o->lang, "Language of what a person reads: zh (default) or en")
      ->check(CLI::IsMember({"zh", "en"}));
  cmd->add_flag("--no-progress", o->no_progress, "Never draw a progress bar");
  cmd->add_flag("--no-digests", o->no_digests,
                "Skip the SHA-256 of every input file, which JSON outputs and reports carry\n"
                "(computed while reading, about 0.5 CPU-seconds per GB)");
  cmd->add_flag("--show-numbers", o->show_numbers,
                "Show subscriber numbers in full (the quarantine file's rows); by default they\n"
                "are masked as 138****5678 in everything this command writes");
}

void PrintError(const std::string& message) {
  if (!Cluster::Get().root()) return;  // rank 0 speaks for a distributed run
  std::fputs(fmt::format("tsq: error: {}\n", message).c_str(), stderr);
}

void PrintWarning(const std::string& message) {
  if (!Cluster::Get().root()) return;  // rank 0 speaks for a distributed run
  std::fputs(fmt::format("tsq: warning: {}\n", message).c_str(), stderr);
}

void PrintNote(const std::string& message) {
  if (!Cluster::Get().root()) return;  // rank 0 speaks for a distributed run
  std::fputs(fmt::format("tsq: note: {}\n", message).c_str(), stderr);
}

ExitStatus Fail(const Error& error) {
  PrintError(error.message);
  switch (error.code) {
    case ErrorCode::kInvalidArgument:
      return ExitStatus::kUsage;
    case ErrorCode::kDataQuality:
      return ExitStatus::kDataQuality;
    default:
      return ExitStatus::kFailure;
  }
}

ExitStatus Emit(const std::string& path, const std::string& text) {
  if (path.empty()) {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return ExitStatus::kOk;
  }
  if (Status st = WriteFileAtomically(path, text); !st) return Fail(st.error());
  std::fprintf(stderr, "tsq: wrote %s\n", path.c_str());
  return ExitStatus::kOk;
}

Status ApplyCommonOptions(const std::string& dir, const CommonOptions& o, InputOptions* in) {
  auto offset = ParseUtcOffset(o.tz);
  if (!offset) {
    return Error(ErrorCode::kInvalidArgument,
                 fmt::format("--tz {}: expected a UTC offset such as +08:00, +0800 or Z", o.tz));
  }
  in->dir = dir;
  in->local_offset_s = *offset;
  in->threads = o.threads;
  in->show_numbers = o.show_numbers;
  in->digests = !o.no_digests;
  auto encoding = ParseEncoding(o.encoding);
  if (!encoding) return std::move(encoding).error();
  in->encoding = *encoding;
  const auto usage = [](Status s) -> Status {
    // A mapping that names no record type or column is the user's to fix.
    if (!s) return Error(ErrorCode::kInvalidArgument, s.error().message);
    return s;
  };
  if (!o.preset.empty()) TSQ_TRY(in->mapping.AddPreset(o.preset));
  if (!o.mapping_file.empty()) TSQ_TRY(usage(in->mapping.AddFile(o.mapping_file)));
  for (const std::string& m : o.maps) TSQ_TRY(usage(in->mapping.Add(m)));
  for (const std::string& f : o.forms) TSQ_TRY(usage(in->mapping.AddForm(f)));
  return Ok();
}

}  // namespace tsq
