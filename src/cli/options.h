// Turns the shared command-line options into the values the app layer takes.
#pragma once

#include "app/inputs.h"
#include "cli/commands.h"
#include "core/result.h"
#include "report/lang.h"

namespace tsq {

/// Fills the input options of `dir` from the common flags (--tz, --map/--mapping, --threads,
/// --show-numbers, --no-digests); a bad value is a usage error (kInvalidArgument).
Status ApplyCommonOptions(const std::string& dir, const CommonOptions& o, InputOptions* in);

inline Lang LangOf(const CommonOptions& o) { return o.lang == "en" ? Lang::kEn : Lang::kZh; }

}  // namespace tsq
