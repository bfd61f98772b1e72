// Renders the data-quality facts of a read (`tsq validate`, the report appendix) as a terminal
// table or as JSON.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "model/data_quality.h"
#include "report/lang.h"

namespace tsq {

std::string RenderDataQualityText(const DataQuality& dq, Lang lang);
/// The accounting of a read as every JSON output carries it (`tsq validate`, `tsq kpi`, the
/// report): totals, then per file path, type, sizes, SHA-256 (null when not computed), rows read,
/// accepted and quarantined by reason, time range, operators and regions; ignored files; where
/// bad rows were written.
nlohmann::ordered_json DataQualityJson(const DataQuality& dq);
/// DataQualityJson() plus the read's wall time, pretty-printed (`tsq validate --format json`).
std::string RenderDataQualityJson(const DataQuality& dq);

}  // namespace tsq
