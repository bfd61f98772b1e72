// Web-Mercator quadkey tiles (the Bing Maps tile system, which Ookla's open speed-test data also
// uses at zoom 16): speed tests that name no cell are binned on them, so poor areas show on the
// map even where the serving cell is unknown. A zoom-16 tile is ~611 m wide at the equator and
// ~440 m at 44° N, about the 500 m squares operators plot.
#pragma once

#include <cstdint>
#include <string>

namespace tsq {

inline constexpr int kTileZoom = 16;

/// The zoom-16 tile holding a WGS 84 point, as its quadkey digits packed two bits each (16 digits
/// fit 32 bits). Latitudes beyond ±85.0511° (the projection's edge) fall in the edge tiles.
uint32_t TileCode(double lat, double lon);

/// The quadkey text of a tile: 16 digits 0–3, e.g. "1320102331023123".
std::string TileQuadkey(uint32_t code);

struct TileBounds {
  double south, west, north, east;
  double CenterLat() const { return (south + north) / 2; }
  double CenterLon() const { return (west + east) / 2; }
};
TileBounds TileBoundsOf(uint32_t code);

}  // namespace tsq
