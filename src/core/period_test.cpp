#include "core/period.h"

#include <gtest/gtest.h>

namespace tsq {
namespace {

constexpr int32_t kCst = kChinaOffsetSeconds;

TEST(Period, HalfYearBoundsAreLocalMidnights) {
  auto p = ParsePeriod("2022H2", kCst);
  ASSERT_TRUE(p);
  EXPECT_EQ(p->label, "2022H2");
  EXPECT_EQ(FormatTimestamp(p->from, kCst), "2022-07-01T00:00:00+08:00");
  EXPECT_EQ(FormatTimestamp(p->to, kCst), "2023-01-01T00:00:00+08:00");
  EXPECT_TRUE(p->Contains(*ParseTimestamp("2022-12-31 23:59:59.999", kCst)));
  EXPECT_FALSE(p->Contains(*ParseTimestamp("2023-01-01 00:00:00", kCst)));
}

TEST(Period, PreviousAndYearEarlier) {
  auto h2 = *ParsePeriod("2022H2", kCst);
  EXPECT_EQ(h2.Previous(kCst).label, "2022H1");
  EXPECT_EQ(h2.YearEarlier(kCst).label, "2021H2");
  EXPECT_EQ(ParsePeriod("2022H1", kCst)->Previous(kCst).label, "2021H2");
  EXPECT_EQ(ParsePeriod("2023-01", kCst)->Previous(kCst).label, "2022-12");
  EXPECT_EQ(ParsePeriod("2022Q1", kCst)->Previous(kCst).label, "2021Q4");
  EXPECT_EQ(ParsePeriod("2022", kCst)->YearEarlier(kCst).label, "2021");
  auto custom = *CustomPeriod("2022-07-01", "2022-07-11", kCst);
  EXPECT_EQ(custom.label, "2022-07-01..2022-07-10");
  EXPECT_EQ(custom.Previous(kCst).label, "2022-06-21..2022-06-30");
}

TEST(Period, RejectsWhatIsNotAPeriod) {
  for (const char* s : {"", "2022H3", "2022Q5", "2022-13", "22H2", "2022-1", "H2", "2022H2x"}) {
    auto p = ParsePeriod(s, kCst);
    ASSERT_FALSE(p) << s;
    EXPECT_NE(p.error().message.find("is not a period"), std::string::npos);
  }
  EXPECT_FALSE(CustomPeriod("2022-07-10", "2022-07-01", kCst));
  EXPECT_FALSE(CustomPeriod("2022-02-30", "2022-07-01", kCst));
}

}  // namespace
}  // namespace tsq
