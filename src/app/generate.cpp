#include "app/generate.h"

namespace tsq {

Result<GenerateSummary> Generate(GenerateOptions options, const ProgressFn& on_progress) {
  if (on_progress) {
    options.on_progress = [&on_progress](std::string_view stage, double fraction) {
      on_progress(ProgressEvent{std::string(stage), static_cast<uint64_t>(fraction * 1000), 1000});
    };
  }
  return GenerateProvince(options);
}

}  // namespace tsq
