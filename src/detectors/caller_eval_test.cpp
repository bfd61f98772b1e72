#include "detectors/caller_eval.h"

#include <gtest/gtest.h>

namespace tsq {
namespace {

uint64_t K(int i) { return NumberKey("1380000000" + std::to_string(i)); }

// Ten callers, six judged: k1 0.9, k2 0.8, k3 0.7 suspected; k4 and k5 0.6, k6 0.2 not. k7 placed
// too few calls to be judged; k8 placed none. Labels: k1, k3, k5, k7, k8 positive; k2, k6
// negative; k4 unlabelled.
CallerFindings Findings() {
  CallerFindings f;
  f.callers = 10;
  f.judged = 6;
  f.scores = {{K(1), 0.9f, true, true},  {K(2), 0.8f, true, true},  {K(3), 0.7f, true, true},
              {K(4), 0.6f, false, true}, {K(5), 0.6f, false, true}, {K(6), 0.2f, false, true},
              {K(7), 0.0f, false, false}};
  std::sort(f.scores.begin(), f.scores.end(),
            [](const CallerScore& a, const CallerScore& b) { return a.key < b.key; });
  return f;
}

std::unordered_map<uint64_t, bool> Labels() {
  return {{K(1), true},  {K(2), false}, {K(3), true}, {K(5), true},
          {K(6), false}, {K(7), true},  {K(8), true}};
}

TEST(CallerEval, HandComputedConfusionMatrixOverEveryCaller) {
  const CallerEvaluation e = EvaluateCallers(Findings(), Labels(), {1, 3, 5}, false);
  // The ten callers and k8, the positive that placed no call.
  EXPECT_EQ(e.population, 11u);
  EXPECT_EQ(e.positives, 5u);
  EXPECT_EQ(e.positives_unjudged, 2u);  // k7, k8
  EXPECT_EQ(e.m.tp, 2u);                // k1, k3
  EXPECT_EQ(e.m.fp, 1u);                // k2
  EXPECT_EQ(e.m.fn, 3u);                // k5, k7, k8
  EXPECT_EQ(e.m.tn, 5u);                // k4, k6 and the three unjudged unlabelled callers
  EXPECT_DOUBLE_EQ(*e.precision, 2.0 / 3);
  EXPECT_DOUBLE_EQ(*e.recall, 2.0 / 5);
  EXPECT_DOUBLE_EQ(*e.f1, 0.5);
  // Thresholds 0.9: +1 of 1; 0.8: –; 0.7: +1 of 3; 0.6 (k4 −, k5 +): +1 of 5; 0.2: –; −∞ (k7,
  // k8 and three negatives): +2 of 11.
  EXPECT_NEAR(*e.pr_auc, 0.2 * 1 + 0.2 * 2 / 3 + 0.2 * 3 / 5 + 0.4 * 5 / 11, 1e-12);
  ASSERT_EQ(e.precision_at.size(), 3u);
  EXPECT_DOUBLE_EQ(e.precision_at[0].second, 1);
  EXPECT_DOUBLE_EQ(e.precision_at[1].second, 2.0 / 3);
  EXPECT_DOUBLE_EQ(e.precision_at[2].second, 3.0 / 5);
  EXPECT_EQ(e.false_positives, std::vector<uint64_t>{K(2)});
  EXPECT_EQ(e.false_negatives, (std::vector<uint64_t>{K(5), K(7), K(8)}));
}

TEST(CallerEval, LabelledOnly) {
  const CallerEvaluation e = EvaluateCallers(Findings(), Labels(), {}, true);
  EXPECT_EQ(e.population, 7u);
  EXPECT_EQ(e.m.tp, 2u);
  EXPECT_EQ(e.m.fp, 1u);
  EXPECT_EQ(e.m.fn, 3u);
  EXPECT_EQ(e.m.tn, 1u);  // k6
  // k4 is out: 0.6 now holds k5 alone (+1 of 4); −∞: +2 of 7.
  EXPECT_NEAR(*e.pr_auc, 0.2 * 1 + 0.2 * 2 / 3 + 0.2 * 3 / 4 + 0.4 * 5 / 7, 1e-12);
}

TEST(CallerEval, UndefinedRatiosStayUndefined) {
  CallerFindings f = Findings();
  for (CallerScore& s : f.scores) s.suspected = false;
  const CallerEvaluation none = EvaluateCallers(f, Labels(), {}, false);
  EXPECT_FALSE(none.precision.has_value());  // nothing suspected
  EXPECT_EQ(none.recall, 0);
  EXPECT_EQ(none.f1, 0);
  const CallerEvaluation no_positives = EvaluateCallers(Findings(), {{K(2), false}}, {}, false);
  EXPECT_FALSE(no_positives.recall.has_value());
  EXPECT_FALSE(no_positives.pr_auc.has_value());
  EXPECT_FALSE(no_positives.f1.has_value());
}

}  // namespace
}  // namespace tsq
