// Fuzzes the configuration a user writes: a --catalog override and a --mapping file (both TOML).
// Invariants:
//  - an override either applies or fails with a message that names the file; a failed override
//    changes nothing (same hash, same targets);
//  - after an override that applies, every indicator still resolves: its target, minimum sample,
//    names and section can be asked for, per operator too;
//  - a mapping file either applies or fails with a message that names the file.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>

#include <unistd.h>

#include "fuzz_util.h"
#include "indicators/catalog.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const tsq::Catalog base = [] {
    auto c = tsq::Catalog::Default();
    FUZZ_CHECK(c.has_value());
    return std::move(*c);
  }();
  const std::string text(reinterpret_cast<const char*>(data), size);

  tsq::Catalog catalog = base;
  const tsq::Status s = catalog.Override(text, "my.toml");
  if (!s) {
    FUZZ_CHECK(s.error().message.starts_with("my.toml"));
    FUZZ_CHECK(catalog.Hash() == base.Hash());
    FUZZ_CHECK(catalog.defs().size() == base.defs().size());
  } else {
    for (const tsq::IndicatorDef& d : catalog.defs()) {
      for (const std::string& op : catalog.OperatorNames()) {
        (void)catalog.TargetFor(d.id, op);
        (void)catalog.MinSampleFor(d.id, op);
        (void)catalog.DisplayName(d.id, "zh", op);
      }
      (void)catalog.DisplayName(d.id, "en");
      (void)catalog.DisplayFormula(d.id, "zh");
      (void)catalog.SectionOf(d.id);
      if (d.target && d.unit == "ratio") FUZZ_CHECK(d.target->value >= 0 && d.target->value <= 1);
    }
  }

  const std::string path = (std::filesystem::temp_directory_path() /
                            ("tsq_fuzz_mapping_" + std::to_string(::getpid()) + ".toml"))
                               .string();
  std::ofstream(path, std::ios::binary | std::ios::trunc)
      .write(text.data(), static_cast<std::streamsize>(text.size()));
  tsq::ColumnMapping mapping;
  const tsq::Status m = mapping.AddFile(path);
  if (!m) FUZZ_CHECK(m.error().message.find(path) != std::string::npos);
  std::filesystem::remove(path);
  return 0;
}
