// The judge: gives each value its target (from the catalog, per operator), its verdict (met,
// missed, insufficient data) and, for rates, the 95 % Wilson interval with the inconclusive mark
// when the interval straddles the target.
#pragma once

#include <vector>

#include "engine/value.h"
#include "indicators/catalog.h"

namespace tsq {

/// Two-sided Wilson score interval of `successes` out of `n` at normal quantile `z`.
/// REQUIRES: n > 0.
Interval WilsonInterval(uint64_t successes, uint64_t n, double z = 1.959963984540054);

void Judge(const Catalog& catalog, std::vector<IndicatorValue>* values);

}  // namespace tsq
