// `tsq callers`: the ranked list of suspected harassment and fraud callers with their evidence,
// the reviewer's whitelist and label files, and the evaluation of the list against labels. The
// CLI and the server render through here.
#pragma once

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "app/analysis.h"
#include "app/findings.h"
#include "detectors/caller_lists.h"
#include "detectors/caller_model.h"
#include "report/callers_render.h"

namespace tsq {

/// The analysis request of `tsq callers`: only the calls are read.
std::vector<std::string> CallerIdPatterns();

/// The whitelist file (ParseWhitelist) and the labels file (ParseCallerLabels).
Result<std::unordered_set<uint64_t>> ReadWhitelist(const std::string& path);
Result<CallerLabels> ReadCallerLabels(const std::string& path);

/// The callers of `analysis` as `format`; an operator the data lacks is an error listing those it
/// has; so is data without calls.
Result<std::string> RenderCallers(const Analysis& analysis, FindingFormat format,
                                  const CallersView& view);

struct EvaluationRequest {
  std::vector<size_t> ks = {10, 100};  // precision at these k
  bool labelled_only = false;
  FindingFormat format = FindingFormat::kTable;
  Lang lang = Lang::kZh;
};

/// The list of `analysis` (run with the labels' numbers in FindingRequest::caller_labels_path)
/// against `labels`.
Result<std::string> RenderCallerEvaluation(const Analysis& analysis, const CallerLabels& labels,
                                           const EvaluationRequest& request);

struct TrainedModel {
  std::string text;  // the model file
  size_t positives = 0, negatives = 0;
};

/// Fits a model on the judged numbers of `analysis` (run with caller_labels_path, and with
/// caller_all_features unless `labelled_only`): the labelled ones, and unless `labelled_only`
/// every unlabelled judged number as a negative.
Result<TrainedModel> TrainCallerModelOn(const Analysis& analysis, const CallerLabels& labels,
                                        bool labelled_only, const CallerTrainingOptions& options);

}  // namespace tsq
