// Renders the data-quality facts of a read (`tsq validate`, the report appendix) as a terminal
// table or as JSON.
#pragma once

#include <string>

#include "model/data_quality.h"
#include "report/lang.h"

namespace tsq {

std::string RenderDataQualityText(const DataQuality& dq, Lang lang);
std::string RenderDataQualityJson(const DataQuality& dq);

}  // namespace tsq
