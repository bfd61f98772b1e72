// Fuzzes the state files `--state` merges, past their checksums: the input is the decoded content
// of a state's frames (the meta with the dictionary, then one frame per family), separated by
// kFrameBreak; the target frames it with valid checksums, as a crafted or buggy writer would, and
// loads it into every default family.
// Invariants: opening and loading either succeed or fail with a message that names the state;
// nothing allocates without bound (a count larger than the state's bytes is refused), crashes or
// throws past the reader.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "engine/state_file.h"
#include "fuzz_util.h"
#include "indicators/families.h"
#include "io/zstd_stream.h"

namespace {

constexpr std::string_view kFrameBreak = "TSQFRAME";
constexpr const char* kName = "fuzz.state";

// The bytes a state file starts with (magic, format version, byte order, writer's version),
// taken from a real empty state so that the fuzzer spends its time past them.
const std::string& Prefix() {
  static const std::string prefix = [] {
    tsq::StateMeta meta;
    meta.tsq_version = "fuzz";
    tsq::StringDictionary dict;
    auto bytes = tsq::StateBytes(meta, dict, {}, false);
    FUZZ_CHECK(bytes.has_value());
    return bytes->substr(0, 20 + meta.tsq_version.size());
  }();
  return prefix;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const tsq::Catalog catalog = [] {
    auto c = tsq::Catalog::Default();
    FUZZ_CHECK(c.has_value());
    return std::move(*c);
  }();
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  std::string bytes = Prefix();
  {
    tsq::ZstdOutBuf out(&bytes, kName, 1);
    size_t start = 0;
    for (;;) {
      const size_t end = input.find(kFrameBreak, start);
      const std::string_view frame = input.substr(start, end - start);
      FUZZ_CHECK(out.sputn(frame.data(), static_cast<std::streamsize>(frame.size())) ==
                 static_cast<std::streamsize>(frame.size()));
      FUZZ_CHECK(static_cast<bool>(out.EndFrame()));
      if (end == std::string_view::npos) break;
      start = end + kFrameBreak.size();
    }
  }

  auto reader = tsq::StateFileReader::FromBytes(std::move(bytes), kName);
  if (!reader) {
    FUZZ_CHECK(reader.error().message.starts_with(kName));
    return 0;
  }
  tsq::StringDictionary dict;
  tsq::FamilyConfig cfg;
  cfg.catalog = &catalog;
  cfg.dict = &dict;
  std::vector<tsq::FamilySpec> specs = tsq::DefaultFamilies(cfg);
  std::vector<std::unique_ptr<tsq::FamilyState>> states;
  for (const tsq::FamilySpec& spec : specs) states.push_back(spec.create());
  const auto target = [&](std::string_view name) -> tsq::FamilyState* {
    for (size_t i = 0; i < specs.size(); ++i) {
      if (specs[i].name == name) return states[i].get();
    }
    return nullptr;
  };
  const tsq::Status loaded = (*reader)->LoadInto(target, &dict, 0, false);
  if (!loaded) FUZZ_CHECK(loaded.error().message.starts_with(kName));
  return 0;
}
