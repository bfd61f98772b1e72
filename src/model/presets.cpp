#include "model/presets.h"

#include <fmt/format.h>
#include <toml++/toml.h>

namespace tsq {

extern const std::string_view kPresetZhToml;

const std::vector<MappingPreset>& MappingPresets() {
  static const std::vector<MappingPreset> presets = [] {
    std::vector<MappingPreset> out = {{"zh", kPresetZhToml, {}, {}}};
    for (MappingPreset& p : out) {
      // The shipped files are tested to parse (presets_test.cpp); a description is optional.
      try {
        const toml::table root = toml::parse(p.toml);
        p.description_zh = root["preset"]["description_zh"].value_or(std::string());
        p.description_en = root["preset"]["description_en"].value_or(std::string());
      } catch (const toml::parse_error&) {
      }
    }
    return out;
  }();
  return presets;
}

Result<const MappingPreset*> FindMappingPreset(std::string_view name) {
  std::string names;
  for (const MappingPreset& p : MappingPresets()) {
    if (p.name == name) return &p;
    names += (names.empty() ? "" : ", ") + std::string(p.name);
  }
  return Error(ErrorCode::kInvalidArgument,
               fmt::format("--preset {}: no such preset (presets: {}; 'tsq presets' lists them)",
                           name, names));
}

}  // namespace tsq
