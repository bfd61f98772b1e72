// Charts as inline SVG, drawn in C++ so that the HTML report opens offline with no script:
// monthly trends as lines, regional comparisons as grouped bars, the target as a dashed line.
#pragma once

#include <string>

#include "report/lang.h"
#include "report/report_doc.h"

namespace tsq::report {

/// An <svg> element (no XML prolog) that scales to its container's width. Each point or bar
/// carries a <title> with its exact value, shown as a tooltip.
std::string RenderChartSvg(const Chart& chart, Lang lang);

/// A point map as an <svg> element: an equirectangular view (longitude scaled by the cosine of
/// the mean latitude) on a grid of round coordinates, the places labelled, a legend with each
/// class's count, and a <title> per point.
std::string RenderPointMapSvg(const PointMap& map, Lang lang);

/// Axis bounds and tick step covering [lo, hi] with about `ticks` round steps (1, 2, 5 × 10^k).
struct AxisScale {
  double lo = 0;
  double hi = 1;
  double step = 0.2;
};
AxisScale NiceScale(double lo, double hi, int ticks = 5);
/// Whether the chart needs the full page width (grouped bars over many regions).
bool IsWideChart(const Chart& chart);
/// The value axis of a chart: its values (and the target when it lies near them) with some room;
/// bars start at zero unless they are rates crowded near 100 %.
AxisScale ChartAxisScale(const Chart& chart);

}  // namespace tsq::report
