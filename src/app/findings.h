// `tsq cells` and `tsq broadband`: the findings of a period in the format asked for, plus the
// GeoJSON and the map page of the cells. The CLI and the server render through here.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "app/analysis.h"
#include "report/cell_map.h"
#include "report/findings_render.h"

namespace tsq {

enum class FindingFormat { kTable, kJson, kCsv };

/// "table", "json" or "csv"; anything else is an error that lists them.
Result<FindingFormat> ParseFindingFormat(std::string_view name);

/// Ok when `wanted` is empty or one of `present`; otherwise an error listing them (a misspelt
/// --operator).
Status CheckOperator(const std::string& wanted, const std::set<std::string>& present);

/// The analysis request of `tsq cells` / `tsq broadband`: only the record type it needs is read.
std::vector<std::string> CellIdPatterns();
std::vector<std::string> BroadbandIdPatterns();

/// The cells of `analysis` as `format`. An operator the data does not have is an error that lists
/// those it has; so is data without speed tests.
Result<std::string> RenderCells(const Analysis& analysis, FindingFormat format,
                                const CellsView& view);
/// The GeoJSON FeatureCollection of the cells, pretty-printed.
Result<std::string> RenderCellsGeoJson(const Analysis& analysis, const CellsView& view);

/// Reads a places file for the map: CSV with the columns name, lat and lon. Every problem is an
/// error naming the line.
Result<std::vector<MapPlace>> ReadPlaces(const std::string& path);

/// The broadband lines of `analysis` as `format`; a --line the data does not have is an error.
Result<std::string> RenderBroadband(const Analysis& analysis, FindingFormat format,
                                    const BroadbandView& view);

}  // namespace tsq
