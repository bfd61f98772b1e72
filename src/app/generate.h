// `tsq generate`: the synthetic province, for demos, tests and benchmarks (see synth/generator.h).
#pragma once

#include "app/progress.h"
#include "synth/generator.h"

namespace tsq {

/// Generates the province; progress goes to `on_progress` as stage "generating".
Result<GenerateSummary> Generate(GenerateOptions options, const ProgressFn& on_progress);

}  // namespace tsq
