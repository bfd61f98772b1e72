// The catalog as people and machines read it (`tsq indicators`, the server's indicator list):
// every indicator with its section, names, unit, target, minimum sample, breakdowns and source,
// and the parameters the families compute with.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "indicators/catalog.h"
#include "report/lang.h"

namespace tsq {

nlohmann::ordered_json CatalogJson(const Catalog& catalog);
std::string RenderCatalogTable(const Catalog& catalog, Lang lang);

}  // namespace tsq
