#include "detectors/quadkey.h"

#include <cmath>
#include <numbers>

#include <gtest/gtest.h>

namespace tsq {
namespace {

// Expected quadkeys worked out with the Bing Maps tile-system formulas (pixel = (lon + 180) / 360
// and 0.5 − ln((1 + sin φ) / (1 − sin φ)) / 4π, times 2^16, digits = y bit · 2 + x bit).
TEST(Quadkey, ZoomSixteenTilesOfKnownPlaces) {
  EXPECT_EQ(TileQuadkey(TileCode(43.8171, 125.3235)), "1303320302011310");  // Changchun
  EXPECT_EQ(TileQuadkey(TileCode(0, 0)), "3000000000000000");
  EXPECT_EQ(TileQuadkey(TileCode(-33.8688, 151.2093)), "3112301330022332");  // Sydney
  EXPECT_EQ(TileQuadkey(TileCode(47.6062, -122.3321)), "0212300302200232");  // Seattle
}

TEST(Quadkey, BoundsHoldThePointAndAreAboutFiveHundredMetres) {
  const TileBounds b = TileBoundsOf(TileCode(43.8171, 125.3235));
  EXPECT_NEAR(b.south, 43.814711216000056, 1e-9);
  EXPECT_NEAR(b.west, 125.321044921875, 1e-9);
  EXPECT_NEAR(b.north, 43.8186748554532, 1e-9);
  EXPECT_NEAR(b.east, 125.3265380859375, 1e-9);
  // ~440 m wide and high at this latitude.
  const double width_m =
      (b.east - b.west) * 111320 * std::cos(b.CenterLat() * std::numbers::pi / 180);
  const double height_m = (b.north - b.south) * 110574;
  EXPECT_NEAR(width_m, 441, 5);
  EXPECT_NEAR(height_m, 438, 5);
}

TEST(Quadkey, PointsOutsideTheProjectionFallInEdgeTiles) {
  EXPECT_EQ(TileQuadkey(TileCode(89.9, 0)), TileQuadkey(TileCode(85.06, 0)));
  EXPECT_EQ(TileQuadkey(TileCode(0, 180)).size(), 16u);
  EXPECT_EQ(TileQuadkey(TileCode(-90, -180)), "2222222222222222");
}

}  // namespace
}  // namespace tsq
