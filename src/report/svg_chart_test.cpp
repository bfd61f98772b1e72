#include "report/svg_chart.h"

#include <gtest/gtest.h>

namespace tsq::report {
namespace {

size_t Count(const std::string& s, const std::string& needle) {
  size_t n = 0;
  for (size_t pos = s.find(needle); pos != std::string::npos; pos = s.find(needle, pos + 1)) ++n;
  return n;
}

Chart MonthlyRates() {
  Chart c;
  c.kind = Chart::Kind::kLine;
  c.title = "网络接通率";
  c.unit = "ratio";
  c.categories = {"7月", "8月", "9月"};
  c.series = {{"移动", {0.991, 0.993, 0.992}, 0}, {"联通", {0.989, std::nullopt, 0.988}, 1}};
  c.target = Target{TargetOp::kAtLeast, 0.99};
  return c;
}

TEST(SvgChart, NiceScale) {
  const AxisScale s = NiceScale(0.985, 0.995);
  EXPECT_NEAR(s.step, 0.002, 1e-12);
  EXPECT_NEAR(s.lo, 0.984, 1e-12);
  EXPECT_NEAR(s.hi, 0.996, 1e-12);
  const AxisScale t = NiceScale(0, 33.5);
  EXPECT_DOUBLE_EQ(t.step, 10);
  EXPECT_DOUBLE_EQ(t.hi, 40);
}

TEST(SvgChart, LineChartWithTargetAndGaps) {
  const std::string svg = RenderChartSvg(MonthlyRates(), Lang::kZh);
  EXPECT_TRUE(svg.starts_with("<svg"));
  EXPECT_TRUE(svg.ends_with("</svg>"));
  EXPECT_EQ(svg.find("http"), std::string::npos);
  // 移动: one line of three points; 联通: a gap in August leaves two single points, no line.
  EXPECT_EQ(Count(svg, "<polyline"), 1u);
  EXPECT_EQ(Count(svg, "<circle"), 5u + 2u);  // points + the legend's two markers
  EXPECT_NE(svg.find(R"(class="target")"), std::string::npos);
  EXPECT_NE(svg.find("目标 ≥ 99%"), std::string::npos);
  EXPECT_NE(svg.find("<title>联通 · 9月: 98.80%</title>"), std::string::npos);
  // The points that miss the target are hollow.
  EXPECT_EQ(Count(svg, R"(fill="#fff")"), 2u);
}

TEST(SvgChart, FarTargetIsNamedButNotDrawn) {
  Chart c = MonthlyRates();
  c.target = Target{TargetOp::kAtLeast, 0.90};
  const std::string svg = RenderChartSvg(c, Lang::kZh);
  EXPECT_NE(svg.find("（超出图示范围）"), std::string::npos);
  EXPECT_EQ(Count(svg, R"(class="target")"), 1u);  // only the legend's sample line
  const AxisScale s = ChartAxisScale(c);
  EXPECT_GT(s.lo, 0.95);
}

TEST(SvgChart, BarsStartAtZeroUnlessRatesNearTheTop) {
  Chart c;
  c.kind = Chart::Kind::kBar;
  c.unit = "seconds";
  c.categories = {"长春", "吉林"};
  c.series = {{"移动", {21.0, 33.5}, 0}};
  c.target = Target{TargetOp::kAtMost, 30};
  EXPECT_DOUBLE_EQ(ChartAxisScale(c).lo, 0);
  const std::string svg = RenderChartSvg(c, Lang::kEn);
  EXPECT_EQ(Count(svg, "<rect"), 3u);  // two bars + the legend swatch
  EXPECT_EQ(Count(svg, "bar-missed"), 1u);
  c.unit = "ratio";
  c.series = {{"移动", {0.991, 0.995}, 0}};
  c.target = Target{TargetOp::kAtLeast, 0.99};
  EXPECT_GT(ChartAxisScale(c).lo, 0.9);
}

TEST(SvgChart, NoData) {
  Chart c = MonthlyRates();
  c.series = {{"移动", {std::nullopt, std::nullopt, std::nullopt}, 0}};
  const std::string svg = RenderChartSvg(c, Lang::kEn);
  EXPECT_NE(svg.find("no data"), std::string::npos);
  EXPECT_TRUE(svg.ends_with("</svg>"));
}

}  // namespace
}  // namespace tsq::report
