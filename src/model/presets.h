// Mapping presets: the headers of common exports, shipped with tsq (src/model/presets/*.toml,
// embedded), so that an operator's file with Chinese headers reads with one `--preset zh`
// instead of a --map per column.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace tsq {

struct MappingPreset {
  std::string_view name;  // "zh"
  std::string_view toml;  // the preset file as shipped
  std::string description_zh;
  std::string description_en;
};

/// Every preset, by name.
const std::vector<MappingPreset>& MappingPresets();

/// The preset called `name`; an error listing the presets when there is none.
Result<const MappingPreset*> FindMappingPreset(std::string_view name);

}  // namespace tsq
