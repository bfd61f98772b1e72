// Turns the shared command-line options into the values the app layer takes.
#pragma once

#include "cli/commands.h"
#include "core/result.h"
#include "model/read.h"
#include "report/lang.h"

namespace tsq {

/// Parses --tz and --map/--mapping; a bad value is a usage error with a clear message.
Status ApplyCommonOptions(const CommonOptions& o, ColumnMapping* mapping, int32_t* local_offset_s);

inline Lang LangOf(const CommonOptions& o) { return o.lang == "en" ? Lang::kEn : Lang::kZh; }

}  // namespace tsq
