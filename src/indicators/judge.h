// The judge: gives each value its target (from the catalog, per operator), its verdict (met,
// missed, insufficient data) and, for rates, the 95 % Wilson interval with the inconclusive mark
// when the interval straddles the target.
#pragma once

#include <vector>

#include "engine/stats.h"
#include "engine/value.h"
#include "indicators/catalog.h"

namespace tsq {

void Judge(const Catalog& catalog, std::vector<IndicatorValue>* values);

}  // namespace tsq
