#include "detectors/caller_eval.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace tsq {

CallerEvaluation EvaluateCallers(const CallerFindings& findings,
                                 const std::unordered_map<uint64_t, bool>& labels,
                                 const std::vector<size_t>& ks, bool labelled_only) {
  CallerEvaluation e;
  // The ranking: every judged number with its score (labelled ones only when labelled_only),
  // then the positives that were not judged, at −∞. Unjudged negatives are only counted.
  struct Ranked {
    double score;
    uint64_t key;
    bool positive;
    bool suspected;
  };
  constexpr double kNever = -std::numeric_limits<double>::infinity();
  std::vector<Ranked> ranked;
  uint64_t unjudged_labelled_callers = 0;  // labelled, placed calls, too few to be judged
  for (const CallerScore& s : findings.scores) {
    auto it = labels.find(s.key);
    if (!s.judged) {
      if (it != labels.end()) ++unjudged_labelled_callers;
      continue;
    }
    if (labelled_only && it == labels.end()) continue;
    ranked.push_back({s.score, s.key, it != labels.end() && it->second, s.suspected});
  }
  const auto judged = [&](uint64_t key) {
    auto it = std::lower_bound(findings.scores.begin(), findings.scores.end(), key,
                               [](const CallerScore& s, uint64_t k) { return s.key < k; });
    return it != findings.scores.end() && it->key == key && it->judged;
  };
  uint64_t unjudged_labelled_negatives = 0;
  for (const auto& [key, positive] : labels) {
    if (judged(key)) continue;
    if (positive) {
      ranked.push_back({kNever, key, true, false});
      ++e.positives_unjudged;
    } else {
      ++unjudged_labelled_negatives;
    }
  }
  // Negatives in no list: with labelled_only the unjudged labelled negatives; otherwise every
  // unjudged caller except the labelled positives among them.
  uint64_t silent_negatives = unjudged_labelled_negatives;
  if (!labelled_only) {
    uint64_t unjudged_positive_callers = 0;
    for (const CallerScore& s : findings.scores) {
      if (s.judged) continue;
      auto it = labels.find(s.key);
      unjudged_positive_callers += it != labels.end() && it->second;
    }
    silent_negatives = findings.callers - findings.judged - unjudged_positive_callers;
  }
  std::sort(ranked.begin(), ranked.end(), [](const Ranked& a, const Ranked& b) {
    if (a.score != b.score) return a.score > b.score;
    return a.key < b.key;
  });
  e.population = ranked.size() + silent_negatives;
  for (const Ranked& r : ranked) {
    e.positives += r.positive;
    if (r.suspected && r.positive) ++e.m.tp;
    if (r.suspected && !r.positive) {
      ++e.m.fp;
      e.false_positives.push_back(r.key);
    }
    if (!r.suspected && r.positive) {
      ++e.m.fn;
      e.false_negatives.push_back(r.key);
    }
  }
  e.m.tn = e.population - e.m.tp - e.m.fp - e.m.fn;
  const auto ratio = [](uint64_t a, uint64_t b) -> std::optional<double> {
    if (b == 0) return std::nullopt;
    return static_cast<double>(a) / static_cast<double>(b);
  };
  e.precision = ratio(e.m.tp, e.m.tp + e.m.fp);
  e.recall = ratio(e.m.tp, e.positives);
  if (e.precision && e.recall) {
    const double sum = *e.precision + *e.recall;
    e.f1 = sum > 0 ? 2 * *e.precision * *e.recall / sum : 0;
  } else if (e.recall) {
    e.f1 = 0;  // positives exist and nothing was suspected
  }
  // Average precision: Σ (R_n − R_{n−1}) · P_n over the distinct scores, high to low; tied
  // scores form one threshold. The −∞ group holds the silent negatives too.
  if (e.positives > 0) {
    double ap = 0;
    uint64_t tp = 0, seen = 0;
    for (size_t i = 0; i < ranked.size();) {
      size_t end = i;
      while (end < ranked.size() && ranked[end].score == ranked[i].score) ++end;
      const uint64_t tp_before = tp;
      for (size_t k = i; k < end; ++k) tp += ranked[k].positive;
      seen += end - i;
      if (ranked[i].score == kNever) seen += silent_negatives;
      if (tp > tp_before) {
        ap += static_cast<double>(tp - tp_before) / static_cast<double>(e.positives) *
              static_cast<double>(tp) / static_cast<double>(seen);
      }
      i = end;
    }
    e.pr_auc = ap;
  }
  for (size_t k : ks) {
    if (k == 0) continue;
    uint64_t hits = 0;
    for (size_t i = 0; i < std::min(k, ranked.size()); ++i) hits += ranked[i].positive;
    e.precision_at.emplace_back(k, static_cast<double>(hits) / static_cast<double>(k));
  }
  return e;
}

}  // namespace tsq
