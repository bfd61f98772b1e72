#include "core/timestamp.h"

#include <gtest/gtest.h>

namespace tsq {
namespace {

TEST(Timestamp, PlainFormIsLocalTime) {
  // 2022-07-01 08:15:03 in China is 00:15:03 UTC.
  auto t = ParseTimestamp("2022-07-01 08:15:03", kChinaOffsetSeconds);
  ASSERT_TRUE(t);
  EXPECT_EQ(*t, (DaysFromCivil(2022, 7, 1) * 86400 + 15 * 60 + 3) * kMicrosPerSecond);
}

TEST(Timestamp, IsoWithOffsetsAgree) {
  const auto plain = ParseTimestamp("2022-07-01 08:15:03", kChinaOffsetSeconds);
  for (const char* s :
       {"2022-07-01T08:15:03+08:00", "2022-07-01T08:15:03+0800", "2022-07-01T08:15:03+08",
        "2022-07-01T00:15:03Z", "2022-06-30T19:15:03-05:00", "2022-07-01T08:15:03"}) {
    auto t = ParseTimestamp(s, kChinaOffsetSeconds);
    ASSERT_TRUE(t) << s;
    EXPECT_EQ(*t, *plain) << s;
  }
}

TEST(Timestamp, FractionalSecondsAreKept) {
  auto t = ParseTimestamp("2022-07-01T08:15:03.25+08:00", kChinaOffsetSeconds);
  auto u = ParseTimestamp("2022-07-01 08:15:03.123456789", kChinaOffsetSeconds);
  ASSERT_TRUE(t && u);
  EXPECT_EQ(*t % kMicrosPerSecond, 250000);
  EXPECT_EQ(*u % kMicrosPerSecond, 123456);  // beyond microseconds: truncated
}

TEST(Timestamp, RejectsMalformedAndImpossible) {
  for (const char* s : {"", "2022-07-01", "2022/07/01 08:15:03", "2022-13-01 00:00:00",
                        "2022-02-29 00:00:00", "2022-07-01 24:00:00", "2022-07-01 08:15:3",
                        "2022-07-01 08:15:03.", "2022-07-01 08:15:03+8", "2022-07-01 08:15:03 ",
                        "2022-07-01T08:15:03+08:00:00", "abcd-07-01 08:15:03"}) {
    EXPECT_FALSE(ParseTimestamp(s, kChinaOffsetSeconds)) << s;
  }
  EXPECT_TRUE(ParseTimestamp("2024-02-29 00:00:00", kChinaOffsetSeconds));  // leap year
}

TEST(Timestamp, LocalCalendarUnits) {
  // 2022-12-31 23:30 local is still December locally although it is a different UTC hour.
  auto t = *ParseTimestamp("2022-12-31 23:30:00", kChinaOffsetSeconds);
  EXPECT_EQ(LocalHour(t, kChinaOffsetSeconds), 23);
  EXPECT_EQ(MonthKeyToString(LocalMonthKey(t, kChinaOffsetSeconds)), "2022-12");
  EXPECT_EQ(LocalDay(t, kChinaOffsetSeconds), DaysFromCivil(2022, 12, 31));
  EXPECT_EQ(FormatTimestamp(t, kChinaOffsetSeconds), "2022-12-31T23:30:00+08:00");
  EXPECT_EQ(FormatLocal(t + 5, kChinaOffsetSeconds), "2022-12-31 23:30:00.000005");
  EXPECT_EQ(LocalMidnight({2023, 1, 1}, kChinaOffsetSeconds),
            *ParseTimestamp("2023-01-01T00:00:00+08:00", 0));
}

TEST(Timestamp, CivilRoundTrip) {
  for (int64_t d = -800000; d < 800000; d += 997) {
    CivilDate c = CivilFromDays(d);
    EXPECT_EQ(DaysFromCivil(c.year, c.month, c.day), d);
  }
}

}  // namespace
}  // namespace tsq
