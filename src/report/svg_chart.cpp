#include "report/svg_chart.h"

#include <algorithm>
#include <cmath>
#include <numbers>

#include <fmt/format.h>

#include "report/report_format.h"
#include "report/text_table.h"

namespace tsq::report {
namespace {

constexpr double kLeft = 58;
constexpr double kRight = 12;
constexpr double kFontPx = 13;  // .tick and .legend in the HTML's CSS
constexpr double kLegendRow = 17;

// Approximate rendered width of text: CJK characters are about one em, others about half.
double TextWidth(std::string_view s) {
  return static_cast<double>(DisplayWidth(s)) * kFontPx * 0.56;
}

std::string Num(double v) { return fmt::format("{:.1f}", v); }

// Decimals that tell adjacent ticks apart.
int TickDecimals(double step_in_display_units) {
  if (step_in_display_units <= 0) return 2;
  return std::clamp(static_cast<int>(-std::floor(std::log10(step_in_display_units) + 1e-9)), 0, 4);
}

std::string TickLabel(double v, double step, std::string_view unit) {
  if (unit == "ratio") return fmt::format("{:.{}f}%", v * 100, TickDecimals(step * 100));
  if (unit == "count" && step >= 1) return Decimal(v, 0);
  return Decimal(v, TickDecimals(step));
}

const std::string& ColorOf(const Series& s) {
  const auto& palette = Palette();
  return palette[static_cast<size_t>(std::max(s.color, 0)) % palette.size()];
}

// Range of the chart's values; nullopt-free series give no range.
bool ValueRange(const Chart& chart, double* lo, double* hi) {
  bool any = false;
  for (const Series& s : chart.series) {
    for (const auto& v : s.values) {
      if (!v) continue;
      *lo = any ? std::min(*lo, *v) : *v;
      *hi = any ? std::max(*hi, *v) : *v;
      any = true;
    }
  }
  return any;
}

// Whether the target line is drawn: only when it lies near the values. A connect rate of 99.6 %
// against a 90 % limit would otherwise squash every line into a sliver at the top; the legend
// still states the target.
bool TargetOnScale(const Chart& chart, double lo, double hi) {
  if (!chart.target) return false;
  const double t = chart.target->value;
  const double span = std::max(hi - lo, std::fabs(hi) * 0.02);
  return t >= lo - 2 * span && t <= hi + 2 * span;
}

AxisScale ScaleFor(const Chart& chart, double lo, double hi) {
  const bool bars = chart.kind == Chart::Kind::kBar;
  // Bars start at zero unless they are rates crowded near the top (connect rates around 99 %):
  // there the differences would vanish, so the axis zooms in and the section says so.
  const bool zoom = !bars || (chart.unit == "ratio" && lo > 0.5);
  double span = hi - lo;
  if (span <= 0) span = std::max(std::fabs(hi) * 0.1, chart.unit == "ratio" ? 0.001 : 1.0);
  double a = zoom ? lo - span * 0.15 : 0;
  double b = hi + span * 0.15;
  if (lo >= 0) a = std::max(a, 0.0);
  if (chart.unit == "ratio" && hi <= 1) b = std::min(b, 1.0);
  AxisScale s = NiceScale(a, b);
  if (lo >= 0) s.lo = std::max(s.lo, 0.0);
  if (chart.unit == "ratio" && hi <= 1) s.hi = std::min(s.hi, 1.0);
  if (s.hi <= s.lo) s.hi = s.lo + s.step;
  return s;
}

struct Frame {
  double width = 480;
  double height = 0;
  double top = 0;     // y of the plot's top edge (below the legend)
  double bottom = 0;  // y of the plot's bottom edge
  AxisScale scale;
  bool target_on_scale = false;
  double Y(double v) const {
    return bottom - (v - scale.lo) / (scale.hi - scale.lo) * (bottom - top);
  }
  double Right() const { return width - kRight; }
};

// The legend, wrapped onto as many rows as the width needs; returns its height through `rows`.
std::string Legend(const Chart& chart, Lang lang, const Frame& f, int* rows) {
  struct Item {
    std::string label;
    const Series* series;  // nullptr = the target
  };
  std::vector<Item> items;
  for (const Series& s : chart.series) items.push_back({s.name, &s});
  if (chart.target) {
    std::string label =
        std::string(L(lang, "目标 ", "target ")) + FormatTarget(*chart.target, chart.unit, lang);
    if (!f.target_on_scale) label += L(lang, "（超出图示范围）", " (off scale)");
    items.push_back({std::move(label), nullptr});
  }
  std::string out;
  double x = kLeft;
  double y = 14;
  *rows = 1;
  for (const Item& item : items) {
    const double w = 22 + TextWidth(item.label) + 16;
    if (x + w > f.width && x > kLeft) {
      x = kLeft;
      y += kLegendRow;
      ++*rows;
    }
    if (item.series == nullptr) {
      out += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" class="target"/>)", Num(x),
                         Num(y), Num(x + 18), Num(y));
    } else if (chart.kind == Chart::Kind::kLine) {
      const std::string& color = ColorOf(*item.series);
      out += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="2.5"/>)"
                         R"(<circle cx="{}" cy="{}" r="3" fill="{}"/>)",
                         Num(x), Num(y), Num(x + 18), Num(y), color, Num(x + 9), Num(y), color);
    } else {
      out += fmt::format(R"(<rect x="{}" y="{}" width="13" height="11" rx="1.5" fill="{}"/>)",
                         Num(x + 2), Num(y - 5.5), ColorOf(*item.series));
    }
    out += fmt::format(R"(<text x="{}" y="{}" class="legend">{}</text>)", Num(x + 23), Num(y + 4),
                       HtmlEscape(item.label));
    x += w;
  }
  return out;
}

std::string Axes(const Frame& f, std::string_view unit) {
  std::string out;
  for (double v = f.scale.lo; v <= f.scale.hi + f.scale.step * 1e-6; v += f.scale.step) {
    const double y = f.Y(v);
    out += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" class="grid"/>)", Num(kLeft),
                       Num(y), Num(f.Right()), Num(y));
    out += fmt::format(R"(<text x="{}" y="{}" class="tick" text-anchor="end">{}</text>)",
                       Num(kLeft - 6), Num(y + 4), HtmlEscape(TickLabel(v, f.scale.step, unit)));
  }
  out += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" class="axis"/>)", Num(kLeft),
                     Num(f.bottom), Num(f.Right()), Num(f.bottom));
  return out;
}

std::string TargetLine(const Chart& chart, const Frame& f) {
  if (!f.target_on_scale || chart.target->value < f.scale.lo || chart.target->value > f.scale.hi) {
    return "";
  }
  const double y = f.Y(chart.target->value);
  return fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" class="target"/>)", Num(kLeft),
                     Num(y), Num(f.Right()), Num(y));
}

std::string CategoryLabels(const std::vector<std::string>& categories, const Frame& f, double slot,
                           bool rotate) {
  std::string out;
  for (size_t i = 0; i < categories.size(); ++i) {
    const double x = kLeft + slot * (static_cast<double>(i) + 0.5);
    if (rotate) {
      out += fmt::format(
          R"svg(<text x="{}" y="{}" class="tick" text-anchor="end" transform="rotate(-35 {} {})">{}</text>)svg",
          Num(x), Num(f.bottom + 14), Num(x), Num(f.bottom + 14), HtmlEscape(categories[i]));
    } else {
      out += fmt::format(R"(<text x="{}" y="{}" class="tick" text-anchor="middle">{}</text>)",
                         Num(x), Num(f.bottom + 17), HtmlEscape(categories[i]));
    }
  }
  return out;
}

std::string PointTitle(const Series& s, const std::string& category, double v,
                       std::string_view unit, Lang lang) {
  return fmt::format("<title>{} · {}: {}</title>", HtmlEscape(s.name), HtmlEscape(category),
                     HtmlEscape(FormatValue(v, unit, lang)));
}

std::string Lines(const Chart& chart, const Frame& f, double slot, Lang lang) {
  std::string svg;
  const size_t n = chart.categories.size();
  for (const Series& s : chart.series) {
    const std::string& color = ColorOf(s);
    // A missing month breaks the line rather than bridging it.
    std::string points;
    const auto flush = [&] {
      if (points.find(' ') != std::string::npos) {
        svg += fmt::format(R"(<polyline points="{}" fill="none" stroke="{}" class="series"/>)",
                           points, color);
      }
      points.clear();
    };
    for (size_t i = 0; i < s.values.size() && i < n; ++i) {
      if (!s.values[i]) {
        flush();
        continue;
      }
      const double x = kLeft + slot * (static_cast<double>(i) + 0.5);
      if (!points.empty()) points += ' ';
      points += Num(x) + "," + Num(f.Y(*s.values[i]));
    }
    flush();
    // Points that miss the target are drawn hollow, so misses stand out in print too.
    for (size_t i = 0; i < s.values.size() && i < n; ++i) {
      if (!s.values[i]) continue;
      const double x = kLeft + slot * (static_cast<double>(i) + 0.5);
      const bool missed = chart.target && !chart.target->Met(*s.values[i]);
      svg += fmt::format(R"(<circle cx="{}" cy="{}" r="{}" fill="{}"{}>{}</circle>)", Num(x),
                         Num(f.Y(*s.values[i])), missed ? "4.2" : "3", missed ? "#fff" : color,
                         missed ? fmt::format(R"( stroke="{}" stroke-width="2")", color) : "",
                         PointTitle(s, chart.categories[i], *s.values[i], chart.unit, lang));
    }
  }
  return svg;
}

std::string Bars(const Chart& chart, const Frame& f, double slot, Lang lang) {
  std::string svg;
  const size_t n = chart.categories.size();
  const size_t k = std::max<size_t>(chart.series.size(), 1);
  const double group_w = slot * 0.76;
  const double bar_w = group_w / static_cast<double>(k);
  for (size_t si = 0; si < chart.series.size(); ++si) {
    const Series& s = chart.series[si];
    for (size_t i = 0; i < s.values.size() && i < n; ++i) {
      if (!s.values[i]) continue;
      const double x0 = kLeft + slot * static_cast<double>(i) + (slot - group_w) / 2 +
                        bar_w * static_cast<double>(si);
      const double y = f.Y(std::clamp(*s.values[i], f.scale.lo, f.scale.hi));
      const bool missed = chart.target && !chart.target->Met(*s.values[i]);
      svg += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}"{}>{}</rect>)",
                         Num(x0 + 0.5), Num(y), Num(std::max(bar_w - 1, 1.0)),
                         Num(std::max(f.bottom - y, 0.5)), ColorOf(s),
                         missed ? R"( class="bar-missed")" : "",
                         PointTitle(s, chart.categories[i], *s.values[i], chart.unit, lang));
    }
  }
  return svg;
}

}  // namespace

AxisScale NiceScale(double lo, double hi, int ticks) {
  if (!(hi > lo)) hi = lo + 1;
  const double rough = (hi - lo) / std::max(ticks - 1, 1);
  const double magnitude = std::pow(10.0, std::floor(std::log10(rough)));
  const double residual = rough / magnitude;
  const double nice = residual < 1.5 ? 1 : residual < 3 ? 2 : residual < 7 ? 5 : 10;
  AxisScale s;
  s.step = nice * magnitude;
  s.lo = std::floor(lo / s.step + 1e-9) * s.step;
  s.hi = std::ceil(hi / s.step - 1e-9) * s.step;
  return s;
}

AxisScale ChartAxisScale(const Chart& chart) {
  double lo = 0;
  double hi = 1;
  if (!ValueRange(chart, &lo, &hi)) return AxisScale{};
  if (TargetOnScale(chart, lo, hi)) {
    lo = std::min(lo, chart.target->value);
    hi = std::max(hi, chart.target->value);
  }
  return ScaleFor(chart, lo, hi);
}

bool IsWideChart(const Chart& chart) {
  return chart.kind == Chart::Kind::kBar && chart.categories.size() * chart.series.size() > 12;
}

std::string RenderChartSvg(const Chart& chart, Lang lang) {
  Frame f;
  f.width = IsWideChart(chart) ? 720 : 440;
  const size_t n = chart.categories.size();
  double max_label = 0;
  for (const std::string& c : chart.categories) max_label = std::max(max_label, TextWidth(c));
  const double slot = n > 0 ? (f.Right() - kLeft) / static_cast<double>(n) : 1;
  const bool rotate = max_label > slot - 4;
  double lo = 0;
  double hi = 1;
  const bool has_data = ValueRange(chart, &lo, &hi);
  f.target_on_scale = has_data && TargetOnScale(chart, lo, hi);
  f.scale = ChartAxisScale(chart);
  int legend_rows = 1;
  const std::string legend = Legend(chart, lang, f, &legend_rows);
  f.top = 14 + kLegendRow * legend_rows + 14;
  const double label_room = rotate ? max_label * 0.6 + 20 : 28;
  const double plot_h = chart.kind == Chart::Kind::kBar ? 200 : 180;
  f.bottom = f.top + plot_h;
  f.height = f.bottom + label_room;

  std::string svg = fmt::format(
      R"(<svg class="chart-svg" viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}">)"
      R"(<title>{}</title>)",
      Num(f.width), Num(f.height), HtmlEscape(chart.title), HtmlEscape(chart.title));
  svg += legend;
  const std::string unit_text = chart.unit == "ratio" ? "%" : UnitText(chart.unit, lang);
  if (!unit_text.empty()) {
    svg += fmt::format(R"(<text x="{}" y="{}" class="tick" text-anchor="end">{}</text>)",
                       Num(kLeft - 6), Num(f.top - 8), HtmlEscape(unit_text));
  }
  if (!has_data) {
    svg += fmt::format(R"(<text x="{}" y="{}" class="tick" text-anchor="middle">{}</text></svg>)",
                       Num(f.width / 2), Num((f.top + f.bottom) / 2), L(lang, "无数据", "no data"));
    return svg;
  }
  svg += Axes(f, chart.unit);
  svg += CategoryLabels(chart.categories, f, slot, rotate);
  svg +=
      chart.kind == Chart::Kind::kLine ? Lines(chart, f, slot, lang) : Bars(chart, f, slot, lang);
  svg += TargetLine(chart, f);
  svg += "</svg>";
  return svg;
}

std::string RenderPointMapSvg(const PointMap& map, Lang lang) {
  double south = 90, north = -90, west = 180, east = -180;
  const auto extend = [&](double lat, double lon) {
    south = std::min(south, lat);
    north = std::max(north, lat);
    west = std::min(west, lon);
    east = std::max(east, lon);
  };
  for (const MapPoint& p : map.points) extend(p.lat, p.lon);
  for (const auto& [name, ll] : map.places) extend(ll.first, ll.second);
  if (south > north) return "";
  // Some room around the points, and never less than ~1 km across.
  const double pad_lat = std::max(0.01, (north - south) * 0.05);
  const double pad_lon = std::max(0.01, (east - west) * 0.05);
  south -= pad_lat;
  north += pad_lat;
  west -= pad_lon;
  east += pad_lon;
  const double kx = std::cos((south + north) / 2 * std::numbers::pi / 180);
  constexpr double kWidth = 760, kLegend = 190, kMaxHeight = 560, kMargin = 28;
  const double plot_w = kWidth - kLegend - 2 * kMargin;
  double scale = plot_w / ((east - west) * kx);
  double plot_h = (north - south) * scale;
  if (plot_h > kMaxHeight) {
    scale *= kMaxHeight / plot_h;
    plot_h = kMaxHeight;
  }
  const double height = plot_h + 2 * kMargin;
  const auto x = [&](double lon) { return kMargin + (lon - west) * kx * scale; };
  const auto y = [&](double lat) { return kMargin + (north - lat) * scale; };
  std::string out =
      fmt::format(R"(<svg class="map" viewBox="0 0 {} {}" role="img" aria-label="{}" )"
                  R"(xmlns="http://www.w3.org/2000/svg">)",
                  Num(kWidth), Num(height), HtmlEscape(map.title));
  out += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="#f4f1ea"/>)", Num(kMargin),
                     Num(kMargin), Num((east - west) * kx * scale), Num(plot_h));
  // The grid: round coordinates, about six lines each way.
  const AxisScale lat_axis = NiceScale(south, north, 6);
  const AxisScale lon_axis = NiceScale(west, east, 6);
  const int digits = std::max(0, -static_cast<int>(std::floor(std::log10(lon_axis.step))));
  for (double v = lon_axis.lo; v <= east + 1e-9; v += lon_axis.step) {
    if (v < west) continue;
    out += fmt::format(R"(<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="#d8d0c0"/>)", Num(x(v)),
                       Num(y(north)), Num(y(south)));
    out += fmt::format(R"(<text x="{}" y="{}" font-size="10" fill="#8a8070" )"
                       R"(text-anchor="middle">{:.{}f}°E</text>)",
                       Num(x(v)), Num(y(south) + 14), v, digits);
  }
  const int lat_digits = std::max(0, -static_cast<int>(std::floor(std::log10(lat_axis.step))));
  for (double v = lat_axis.lo; v <= north + 1e-9; v += lat_axis.step) {
    if (v < south) continue;
    out += fmt::format(R"(<line x1="{1}" y1="{0}" x2="{2}" y2="{0}" stroke="#d8d0c0"/>)", Num(y(v)),
                       Num(x(west)), Num(x(east)));
    out += fmt::format(R"(<text x="{}" y="{}" font-size="10" fill="#8a8070" )"
                       R"(text-anchor="end">{:.{}f}°N</text>)",
                       Num(x(west) - 3), Num(y(v) + 3), v, lat_digits);
  }
  // The points, the least important class first so that the first class lies on top.
  std::vector<int> counts(map.classes.size(), 0);
  for (int c = static_cast<int>(map.classes.size()) - 1; c >= 0; --c) {
    const PointMap::Class& cls = map.classes[static_cast<size_t>(c)];
    for (const MapPoint& p : map.points) {
      if (p.cls != c) continue;
      ++counts[static_cast<size_t>(c)];
      const std::string title = "<title>" + HtmlEscape(p.label) + "</title>";
      if (p.square) {
        out += fmt::format(
            R"(<rect class="pt" x="{}" y="{}" width="{}" height="{}" fill="{}" fill-opacity="0.6" )"
            R"(stroke="#333" stroke-width="0.5">{}</rect>)",
            Num(x(p.lon) - cls.radius), Num(y(p.lat) - cls.radius), Num(2 * cls.radius),
            Num(2 * cls.radius), cls.color, title);
      } else {
        out += fmt::format(
            R"(<circle class="pt" cx="{}" cy="{}" r="{}" fill="{}" fill-opacity="0.85" )"
            R"(stroke="#333" stroke-width="0.6">{}</circle>)",
            Num(x(p.lon)), Num(y(p.lat)), Num(cls.radius), cls.color, title);
      }
    }
  }
  for (const auto& [name, ll] : map.places) {
    out += fmt::format(
        R"(<text x="{}" y="{}" font-size="12" font-weight="bold" fill="#5a4a3a" )"
        R"(text-anchor="middle" stroke="#ffffff" stroke-width="3" paint-order="stroke">{}</text>)",
        Num(x(ll.second)), Num(y(ll.first) - 6), HtmlEscape(name));
  }
  // The legend, right of the map.
  double ly = kMargin + 8;
  const double lx = kWidth - kLegend + 8;
  for (size_t c = 0; c < map.classes.size(); ++c) {
    if (counts[c] == 0) continue;
    out +=
        fmt::format(R"(<circle cx="{}" cy="{}" r="5" fill="{}" stroke="#333" stroke-width="0.6"/>)",
                    Num(lx + 5), Num(ly), map.classes[c].color);
    out += fmt::format(R"(<text x="{}" y="{}" font-size="12">{} {}</text>)", Num(lx + 16),
                       Num(ly + 4), HtmlEscape(map.classes[c].name), counts[c]);
    ly += 20;
  }
  out += fmt::format(
      R"(<text x="{}" y="{}" font-size="10" fill="#777">{}</text>)", Num(lx), Num(ly + 6),
      HtmlEscape(
          std::string(L(lang, "经纬度网格，非比例尺底图", "longitude/latitude grid, no basemap"))));
  out += "</svg>";
  return out;
}

}  // namespace tsq::report
