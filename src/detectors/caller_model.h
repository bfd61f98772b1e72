// The trained tier of the caller detector: gradient-boosted trees (Debian's libxgboost) over
// CallerFeatureValues(). `tsq callers train` fits one on labelled numbers and saves it as one
// JSON file — tsq's header (format version, feature names, threshold) around XGBoost's own JSON
// model — and `--model FILE` scores with it instead of the rules. A file whose features differ
// from this build's is refused, so a model never reads the wrong columns.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/result.h"
#include "detectors/callers.h"

namespace tsq {

struct CallerTrainingOptions {
  int rounds = 200;
  int max_depth = 4;
  double learning_rate = 0.1;
  double threshold = 0.5;  // suspected at or above this probability
  int threads = 0;         // 0: all cores
  uint64_t seed = 1;
};

/// One labelled example: CallerFeatureValues() (NaN: missing) and whether it is harassment or
/// fraud.
struct CallerExample {
  std::vector<double> features;
  bool positive = false;
};

/// Fits a model; the result is the model file's text. Needs at least one positive and one
/// negative example.
Result<std::string> TrainCallerModel(const std::vector<CallerExample>& examples,
                                     const CallerTrainingOptions& options);

/// Reads a model file written by TrainCallerModel. `name` is what the findings call the scorer.
Result<std::shared_ptr<const CallerScorer>> ParseCallerModel(const std::string& text,
                                                             const std::string& name);
Result<std::shared_ptr<const CallerScorer>> LoadCallerModel(const std::string& path);

}  // namespace tsq
