#include "engine/stats.h"

#include <algorithm>
#include <cmath>
#include <random>
#include <vector>

#include <gtest/gtest.h>

namespace tsq {
namespace {

// Wilson score intervals at z = 1.96, worked out from the formula
//   centre = (p + z²/2n) / (1 + z²/n),  half = z·sqrt(p(1−p)/n + z²/4n²) / (1 + z²/n)
// for each case by hand (to 12 places), and clamped to [0, 1].
TEST(WilsonInterval, HandComputedCases) {
  struct Case {
    uint64_t successes, n;
    double low, high;
  };
  const Case cases[] = {
      {90, 100, 0.825634338495, 0.944770862939},
      {950, 1000, 0.934686179756, 0.961869737607},
      {3, 7, 0.158219855251, 0.749541635472},
      {0, 10, 0.0, 0.277532799863},   // p = 0: the lower bound is 0
      {10, 10, 0.722467200137, 1.0},  // p = 1: the upper bound is 1
      {1, 1, 0.206549314377, 1.0},
  };
  for (const Case& c : cases) {
    const Interval ci = WilsonInterval(c.successes, c.n);
    EXPECT_NEAR(ci.low, c.low, 1e-9) << c.successes << "/" << c.n;
    EXPECT_NEAR(ci.high, c.high, 1e-9) << c.successes << "/" << c.n;
    EXPECT_FALSE(ci.inconclusive);
  }
}

// The one-sided 95 % bounds (z = 1.645) the poor-cell rule compares with 20 %: at exactly 20
// tests, 7 bad gives a lower bound just above 0.20 and 6 bad one below it.
TEST(WilsonInterval, OneSidedBoundsAroundThePoorCellThreshold) {
  struct Case {
    uint64_t successes, n;
    double low, high;
  };
  const Case cases[] = {
      {7, 20, 0.202260040057, 0.533487311152},
      {6, 20, 0.163859415352, 0.483803719592},
      {10, 40, 0.155703783863, 0.375972940460},
      {22, 44, 0.379659157889, 0.620340842111},
  };
  for (const Case& c : cases) {
    const Interval ci = WilsonInterval(c.successes, c.n, kZ95OneSided);
    EXPECT_NEAR(ci.low, c.low, 1e-9) << c.successes << "/" << c.n;
    EXPECT_NEAR(ci.high, c.high, 1e-9) << c.successes << "/" << c.n;
  }
}

TEST(WilsonInterval, NarrowsWithTheSampleAroundTheSameShare) {
  const Interval small = WilsonInterval(9, 10);
  const Interval large = WilsonInterval(9000, 10000);
  EXPECT_LT(large.high - large.low, small.high - small.low);
  EXPECT_LT(large.low, 0.9);
  EXPECT_GT(large.high, 0.9);
}

// PERCENTILE.INC by hand: rank p·(n − 1) between the closest ranks.
TEST(PercentileInc, InterpolatesBetweenClosestRanks) {
  const std::vector<double> v = {10, 20, 30, 40, 50};
  EXPECT_DOUBLE_EQ(PercentileInc(v, 0.5), 30);  // rank 2
  EXPECT_DOUBLE_EQ(PercentileInc(v, 0.1), 14);  // rank 0.4: 10 + 0.4 × 10
  EXPECT_DOUBLE_EQ(PercentileInc(v, 0.0), 10);
  EXPECT_DOUBLE_EQ(PercentileInc(v, 1.0), 50);
  const std::vector<double> even = {1, 2, 3, 10};
  EXPECT_DOUBLE_EQ(PercentileInc(even, 0.5), 2.5);  // rank 1.5
  EXPECT_DOUBLE_EQ(PercentileInc(even, 0.1), 1.3);  // rank 0.3
  const std::vector<double> one = {7};
  EXPECT_DOUBLE_EQ(PercentileInc(one, 0.1), 7);
}

}  // namespace
TEST(SelectPercentileInc, EqualsPercentileIncOfTheSortedValuesToTheBit) {
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> rate(0, 1000);
  for (size_t n : {1, 2, 3, 10, 101, 1000}) {
    std::vector<double> values(n);
    for (double& v : values) v = std::round(rate(rng) * 100) / 100;  // ties too
    std::vector<double> sorted = values;
    std::sort(sorted.begin(), sorted.end());
    for (double p : {0.0, 0.1, 0.5, 0.9, 1.0}) {
      std::vector<double> shuffled = values;
      const double selected = SelectPercentileInc(shuffled, p);
      EXPECT_EQ(selected, PercentileInc(sorted, p)) << "n " << n << " p " << p;
    }
  }
}

}  // namespace tsq
