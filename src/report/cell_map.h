// The map page of `tsq cells --map-page FILE.html`: one self-contained HTML file (Leaflet, from
// Debian's libjs-leaflet, inlined with the data) with every cell and tile at the centroid of its
// tests, coloured by verdict and remediation, a popup with its figures, a legend with the counts,
// and a scale. Map tiles come from a URL the user configures (an operator's own tile server);
// without one the page draws a plain offline basemap: a coordinate grid and, when given, place
// labels.
#pragma once

#include <string>
#include <vector>

#include "report/findings_render.h"

namespace tsq {

struct MapPlace {
  std::string name;
  double lat = 0;
  double lon = 0;
};

struct CellMapOptions {
  std::string title;     // the page's title; empty = "质差小区 2022H2" / "Poor cells 2022H2"
  std::string tile_url;  // e.g. https://tiles.example.com/{z}/{x}/{y}.png; empty = offline
  std::string tile_attribution;  // shown in the corner with tiles
  std::vector<MapPlace> places;  // labels on the offline basemap (city centres)
};

std::string RenderCellMap(const ReportInput& in, const CellsView& view,
                          const CellMapOptions& options);

}  // namespace tsq
