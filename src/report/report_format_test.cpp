#include "report/report_format.h"

#include <gtest/gtest.h>

namespace tsq::report {
namespace {

TEST(ReportFormat, RatesArePercentagesWithTwoDecimals) {
  EXPECT_EQ(Percent(0.9931), "99.31%");
  EXPECT_EQ(Percent(1.0), "100.00%");
  EXPECT_EQ(Percent(0.0), "0.00%");
  // Billing error rates would all read 0.00%: they get 4 decimals.
  EXPECT_EQ(Percent(0.000012), "0.0012%");
}

TEST(ReportFormat, ValuesCarryTheirUnit) {
  EXPECT_EQ(FormatValue(0.5869, "ratio", Lang::kZh), "58.69%");
  EXPECT_EQ(FormatValue(4.01, "hours", Lang::kZh), "4.01 小时");
  EXPECT_EQ(FormatValue(4.01, "hours", Lang::kEn), "4.01 h");
  EXPECT_EQ(FormatValue(0.0033, "hours", Lang::kZh), "0.0033 小时");
  EXPECT_EQ(FormatValue(27.14, "seconds", Lang::kZh), "27.1 秒");
  EXPECT_EQ(FormatValue(5567, "count", Lang::kZh), "5,567");
  EXPECT_EQ(FormatValue(1234567.891, "cny", Lang::kEn), "1,234,567.89 CNY");
  EXPECT_EQ(FormatValue(std::nullopt, "ratio", Lang::kZh), "—");
  EXPECT_EQ(Decimal(-0.001, 2), "0.00");
  EXPECT_EQ(Decimal(-1234.5, 1), "-1,234.5");
}

TEST(ReportFormat, TargetsDropTrailingZeros) {
  EXPECT_EQ(FormatTarget({TargetOp::kAtLeast, 0.99}, "ratio", Lang::kZh), "≥ 99%");
  EXPECT_EQ(FormatTarget({TargetOp::kAtLeast, 0.995}, "ratio", Lang::kZh), "≥ 99.5%");
  EXPECT_EQ(FormatTarget({TargetOp::kAtMost, 0.0001}, "ratio", Lang::kZh), "≤ 0.01%");
  EXPECT_EQ(FormatTarget({TargetOp::kAtMost, 30}, "seconds", Lang::kZh), "≤ 30 秒");
  EXPECT_EQ(FormatTarget({TargetOp::kAtMost, 24}, "hours", Lang::kEn), "≤ 24 h");
}

TEST(ReportFormat, ChangesOfRatesAreInPercentagePoints) {
  EXPECT_EQ(FormatChange(0.9931, 0.9919, "ratio", Lang::kZh), "+0.12 个百分点");
  EXPECT_EQ(FormatChange(0.9919, 0.9931, "ratio", Lang::kEn), "-0.12 pp");
  // No "-0.00" for a change that rounds to nothing.
  EXPECT_EQ(FormatChange(0.99990, 0.99991, "ratio", Lang::kZh), "0.00 个百分点");
  EXPECT_EQ(FormatChange(5567, 4925, "count", Lang::kZh), "+13.04%");
  EXPECT_EQ(FormatChange(3, 0, "count", Lang::kZh), "—");
  EXPECT_EQ(FormatRelativeChangeWords(0.1304, Lang::kZh), "上升13.04%");
  EXPECT_EQ(FormatRelativeChangeWords(-0.245, Lang::kEn), "down 24.50%");
}

TEST(ReportFormat, TrendFollowsPolarity) {
  EXPECT_EQ(ChangeTrend(0.99, 0.98, "higher"), Trend::kBetter);
  EXPECT_EQ(ChangeTrend(0.03, 0.02, "lower"), Trend::kWorse);
  EXPECT_EQ(ChangeTrend(5, 4, "none"), Trend::kNeutral);
  EXPECT_EQ(ChangeTrend(5, 5, "higher"), Trend::kSame);
}

TEST(ReportFormat, PeriodsAsTheRegulatorWritesThem) {
  auto h2 = ParsePeriod("2022H2", kChinaOffsetSeconds);
  ASSERT_TRUE(h2);
  EXPECT_EQ(PeriodTitle(*h2, Lang::kZh), "2022年下半年");
  EXPECT_EQ(PeriodTitle(*h2, Lang::kEn), "2022 H2");
  EXPECT_EQ(PeriodRange(*h2, Lang::kZh), "2022-07-01 至 2022-12-31");
  auto q4 = ParsePeriod("2022Q4", kChinaOffsetSeconds);
  ASSERT_TRUE(q4);
  EXPECT_EQ(PeriodTitle(*q4, Lang::kZh), "2022年第四季度");
  auto m = ParsePeriod("2022-11", kChinaOffsetSeconds);
  ASSERT_TRUE(m);
  EXPECT_EQ(PeriodTitle(*m, Lang::kZh), "2022年11月");
  EXPECT_EQ(PeriodTitle(*m, Lang::kEn), "November 2022");
  auto custom = CustomPeriod("2022-07-01", "2022-08-15", kChinaOffsetSeconds);
  ASSERT_TRUE(custom);
  EXPECT_EQ(PeriodTitle(*custom, Lang::kZh), "2022-07-01 至 2022-08-14");
  EXPECT_EQ(MonthLabel("2022-07", false, Lang::kZh), "7月");
  EXPECT_EQ(MonthLabel("2022-07", true, Lang::kEn), "Jul 2022");
}

TEST(ReportFormat, ChineseNumbersAndEscaping) {
  EXPECT_EQ(ChineseNumber(1), "一");
  EXPECT_EQ(ChineseNumber(10), "十");
  EXPECT_EQ(ChineseNumber(12), "十二");
  EXPECT_EQ(ChineseNumber(23), "二十三");
  EXPECT_EQ(HtmlEscape(R"(<a href="x">&'</a>)"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
}

}  // namespace
}  // namespace tsq::report
