#include "engine/stats.h"

#include <algorithm>
#include <cmath>

namespace tsq {

Interval WilsonInterval(uint64_t successes, uint64_t n, double z) {
  const double nn = static_cast<double>(n);
  const double p = static_cast<double>(successes) / nn;
  const double z2 = z * z;
  const double denom = 1 + z2 / nn;
  const double center = (p + z2 / (2 * nn)) / denom;
  const double half = z * std::sqrt(p * (1 - p) / nn + z2 / (4 * nn * nn)) / denom;
  return Interval{std::max(0.0, center - half), std::min(1.0, center + half), false};
}

double PercentileInc(std::span<const double> sorted, double p) {
  const double rank = p * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<size_t>(std::floor(rank));
  const size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (rank - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

double SelectPercentileInc(std::span<double> values, double p) {
  const double rank = p * static_cast<double>(values.size() - 1);
  const auto lo = static_cast<size_t>(std::floor(rank));
  const auto at = values.begin() + static_cast<std::ptrdiff_t>(lo);
  std::nth_element(values.begin(), at, values.end());
  // The next rank's value is the smallest of those after it.
  const double high = lo + 1 < values.size() ? *std::min_element(at + 1, values.end()) : *at;
  return *at + (rank - static_cast<double>(lo)) * (high - *at);
}

}  // namespace tsq
