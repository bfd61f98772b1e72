// A small file a user hands to tsq (a catalog override, a narrative, a work-order, places,
// whitelist, labels or model file), read whole.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace tsq {

/// The file's bytes; a file that cannot be opened is kNotFound "<path>: cannot open <what>".
Result<std::string> ReadTextFile(const std::string& path, std::string_view what);

}  // namespace tsq
