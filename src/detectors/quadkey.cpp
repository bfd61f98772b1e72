#include "detectors/quadkey.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace tsq {
namespace {

constexpr double kMaxLatitude = 85.05112878;
constexpr uint32_t kTiles = 1u << kTileZoom;

// Tile x and y from a packed quadkey: digit = (y bit << 1) | x bit, most significant first.
void Unpack(uint32_t code, uint32_t* x, uint32_t* y) {
  *x = 0;
  *y = 0;
  for (int level = kTileZoom - 1; level >= 0; --level) {
    const uint32_t digit = (code >> (2 * level)) & 3u;
    *x |= (digit & 1u) << level;
    *y |= ((digit >> 1) & 1u) << level;
  }
}

double LatitudeOfRow(double y) {
  const double n = std::numbers::pi * (1 - 2 * y / kTiles);
  return std::atan(std::sinh(n)) * 180 / std::numbers::pi;
}

}  // namespace

uint32_t TileCode(double lat, double lon) {
  lat = std::clamp(lat, -kMaxLatitude, kMaxLatitude);
  lon = std::clamp(lon, -180.0, 180.0);
  const double sin_lat = std::sin(lat * std::numbers::pi / 180);
  const double fx = (lon + 180) / 360;
  const double fy = 0.5 - std::log((1 + sin_lat) / (1 - sin_lat)) / (4 * std::numbers::pi);
  const auto clip = [](double f) {
    return static_cast<uint32_t>(std::clamp(f * kTiles, 0.0, static_cast<double>(kTiles - 1)));
  };
  const uint32_t x = clip(fx);
  const uint32_t y = clip(fy);
  uint32_t code = 0;
  for (int level = kTileZoom - 1; level >= 0; --level) {
    const uint32_t digit = ((x >> level) & 1u) | (((y >> level) & 1u) << 1);
    code = (code << 2) | digit;
  }
  return code;
}

std::string TileQuadkey(uint32_t code) {
  std::string key(kTileZoom, '0');
  for (int i = 0; i < kTileZoom; ++i) {
    key[static_cast<size_t>(i)] =
        static_cast<char>('0' + ((code >> (2 * (kTileZoom - 1 - i))) & 3u));
  }
  return key;
}

TileBounds TileBoundsOf(uint32_t code) {
  uint32_t x = 0;
  uint32_t y = 0;
  Unpack(code, &x, &y);
  TileBounds b{};
  b.west = static_cast<double>(x) / kTiles * 360 - 180;
  b.east = static_cast<double>(x + 1) / kTiles * 360 - 180;
  b.north = LatitudeOfRow(y);
  b.south = LatitudeOfRow(y + 1.0);
  return b;
}

}  // namespace tsq
