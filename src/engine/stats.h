// Small statistics shared by the judge and the detectors: the Wilson score interval of a
// proportion and the linearly interpolated percentile of Excel's PERCENTILE.INC.
#pragma once

#include <cstdint>
#include <span>

#include "engine/value.h"

namespace tsq {

/// The z of a two-sided 95 % interval, and of a one-sided 95 % bound.
inline constexpr double kZ95TwoSided = 1.959963984540054;
inline constexpr double kZ95OneSided = 1.6448536269514722;

/// Two-sided Wilson score interval of `successes` out of `n` at normal quantile `z`; each end is
/// also the one-sided bound at the level of `z`.
/// REQUIRES: n > 0.
Interval WilsonInterval(uint64_t successes, uint64_t n, double z = kZ95TwoSided);

/// The p-th percentile (0 <= p <= 1) of ascending `sorted` values, interpolating linearly
/// between the closest ranks: rank p × (n − 1), as Excel's PERCENTILE.INC.
/// REQUIRES: !sorted.empty().
double PercentileInc(std::span<const double> sorted, double p);

/// PercentileInc() of `values` in any order, to the bit, found by selection (linear time) instead
/// of a sort; reorders `values`.
/// REQUIRES: !values.empty(), no NaN.
double SelectPercentileInc(std::span<double> values, double p);

}  // namespace tsq
