#include "core/privacy.h"

#include <gtest/gtest.h>

namespace tsq {
namespace {

TEST(MaskNumber, MobileNumberKeepsThreeAndFour) {
  EXPECT_EQ(MaskNumber("13812345678"), "138****5678");
  EXPECT_EQ(MaskNumber("+8613812345678"), "+86****5678");
}

TEST(MaskNumber, LongValuesKeepAFixedWidth) {
  // A hashed number: the mask does not reveal its length.
  EXPECT_EQ(MaskNumber("9f86d081884c7d659a2feaa0c55ad015"), "9f8****d015");
}

TEST(MaskNumber, ShortNumbersKeepTheLastTwo) {
  EXPECT_EQ(MaskNumber("10086"), "***86");
  EXPECT_EQ(MaskNumber("8512345"), "*****45");
  EXPECT_EQ(MaskNumber("1381234567"), "********67");  // 10 characters: too short to keep 7
  EXPECT_EQ(MaskNumber("12"), "**");
  EXPECT_EQ(MaskNumber("7"), "*");
  EXPECT_EQ(MaskNumber(""), "");
}

TEST(MaskNumber, CountsCodePointsNotBytes) {
  // Eleven code points, three of them three bytes long: never split inside a character.
  EXPECT_EQ(MaskNumber("号码一12345678"), "号码一****5678");
  EXPECT_EQ(MaskNumber("号码12"), "**12");
}

TEST(MaskDigitRuns, MasksOnlyRunsOfSevenOrMore) {
  EXPECT_EQ(MaskDigitRuns("2022-07-01 08:05:03,13812345678,移动,8512345,123456"),
            "2022-07-01 08:05:03,138****5678,移动,*****45,123456");
  EXPECT_EQ(MaskDigitRuns("\"13812345678"), "\"138****5678");
  EXPECT_EQ(MaskDigitRuns(""), "");
  EXPECT_EQ(MaskDigitRuns("abc"), "abc");
}

}  // namespace
}  // namespace tsq
