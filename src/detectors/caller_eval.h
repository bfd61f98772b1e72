// How good a caller list is against labels a reviewer (or the generator) supplies: the confusion
// matrix of the suspected verdicts, precision, recall, F1, the area under the precision-recall
// curve of the scores (average precision), and precision among the top k. At the prevalence of
// real networks (about one number in a thousand) accuracy and ROC-AUC say little; these do not.
#pragma once

#include <cstdint>
#include <optional>
#include <unordered_map>
#include <vector>

#include "detectors/callers.h"

namespace tsq {

struct ConfusionMatrix {
  uint64_t tp = 0, fp = 0, fn = 0, tn = 0;
};

struct CallerEvaluation {
  ConfusionMatrix m;
  uint64_t population = 0;          // numbers evaluated
  uint64_t positives = 0;           // of them, labelled positive
  uint64_t positives_unjudged = 0;  // positives with too few calls in the period to be judged
  std::optional<double> precision;  // none when nothing was suspected
  std::optional<double> recall;     // none when there is no positive
  std::optional<double> f1;
  std::optional<double> pr_auc;                         // average precision over the score ranking
  std::vector<std::pair<size_t, double>> precision_at;  // (k, precision of the top k)
  std::vector<uint64_t> false_positives;                // NumberKey()s, by score
  std::vector<uint64_t> false_negatives;
};

/// `labels`: NumberKey → positive. `labelled_only`: only labelled numbers count; otherwise every
/// number that placed a call in the period does, unlabelled ones as negatives. A positive that
/// was not judged (or placed no call) ranks last and counts as missed.
CallerEvaluation EvaluateCallers(const CallerFindings& findings,
                                 const std::unordered_map<uint64_t, bool>& labels,
                                 const std::vector<size_t>& ks, bool labelled_only);

}  // namespace tsq
