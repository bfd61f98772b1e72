#include "core/value_forms.h"

#include <gtest/gtest.h>

namespace tsq {
namespace {

constexpr int32_t kBeijing = 8 * 3600;

Micros At(std::string_view iso) { return *ParseTimestamp(iso, kBeijing); }

TEST(ValueForms, SlashDatesUnpaddedWithOrWithoutSeconds) {
  EXPECT_EQ(ParseTimestampForm("2022/7/1 8:05:03", ValueForm::kSlash, kBeijing),
            At("2022-07-01 08:05:03"));
  EXPECT_EQ(ParseTimestampForm("2022-07-01 08:05", ValueForm::kSlash, kBeijing),
            At("2022-07-01 08:05:00"));
  EXPECT_EQ(ParseTimestampForm("2022.12.31", ValueForm::kSlash, kBeijing),
            At("2022-12-31 00:00:00"));
  for (std::string_view bad : {"2022/13/1 8:00", "2022/2/30", "2022/7/1 24:00", "2022/7-1",
                               "22/7/1", "2022/7/1 8:5", "2022/7/1T08:00"}) {
    EXPECT_FALSE(ParseTimestampForm(bad, ValueForm::kSlash, kBeijing)) << bad;
  }
}

TEST(ValueForms, CompactDigits) {
  EXPECT_EQ(ParseTimestampForm("20220701080503", ValueForm::kCompact, kBeijing),
            At("2022-07-01 08:05:03"));
  EXPECT_EQ(ParseTimestampForm("202207010805", ValueForm::kCompact, kBeijing),
            At("2022-07-01 08:05:00"));
  EXPECT_EQ(ParseTimestampForm("20220701", ValueForm::kCompact, kBeijing),
            At("2022-07-01 00:00:00"));
  EXPECT_FALSE(ParseTimestampForm("2022070108050", ValueForm::kCompact, kBeijing));
  EXPECT_FALSE(ParseTimestampForm("20221301080503", ValueForm::kCompact, kBeijing));
}

TEST(ValueForms, MonthsInTheContractAndEveryTimeForm) {
  const Micros december = At("2022-12-01 00:00:00");
  // The contract: YYYY-MM, or the month's first instant as a workbook's date cell reads.
  for (std::string_view ok : {"2022-12", "2022-12-01", "2022-12-01 00:00:00"}) {
    EXPECT_EQ(ParseMonthForm(ok, ValueForm::kContract, kBeijing), december) << ok;
  }
  for (std::string_view bad : {"2022-12-31", "2022-12-01 08:00:00", "2022-1", "2022/12", "202212",
                               "2022-13", "2022-12-", "December 2022"}) {
    EXPECT_FALSE(ParseMonthForm(bad, ValueForm::kContract, kBeijing)) << bad;
  }
  // A time form reads its month forms, and any date or instant of the month.
  for (std::string_view ok : {"2022/12", "2022.12", "2022-12", "2022/12/31 23:59:59"}) {
    EXPECT_EQ(ParseMonthForm(ok, ValueForm::kSlash, kBeijing), december) << ok;
  }
  EXPECT_EQ(ParseMonthForm("202212", ValueForm::kCompact, kBeijing), december);
  EXPECT_EQ(ParseMonthForm("20221215", ValueForm::kCompact, kBeijing), december);
  EXPECT_EQ(ParseMonthForm("44926", ValueForm::kExcel, kBeijing), december);  // 2022-12-31
  EXPECT_FALSE(ParseMonthForm("2022/13", ValueForm::kSlash, kBeijing));
  EXPECT_FALSE(ParseMonthForm("202213", ValueForm::kCompact, kBeijing));
}

TEST(ValueForms, ExcelSerialsRoundToTheSecond) {
  // 44743 is 2022-07-01 in Excel; 0.336840277... of a day is 08:05:03.
  EXPECT_EQ(ParseTimestampForm("44743", ValueForm::kExcel, kBeijing), At("2022-07-01 00:00:00"));
  EXPECT_EQ(ParseTimestampForm("44743.33684027778", ValueForm::kExcel, kBeijing),
            At("2022-07-01 08:05:03"));
  EXPECT_EQ(ParseTimestampForm("44743.3368402", ValueForm::kExcel, kBeijing),
            At("2022-07-01 08:05:03"));
  EXPECT_FALSE(ParseTimestampForm("-1", ValueForm::kExcel, kBeijing));
  EXPECT_FALSE(ParseTimestampForm("44743,5", ValueForm::kExcel, kBeijing));
}

TEST(ValueForms, ThousandsSeparatorsInGroupsOfThree) {
  EXPECT_EQ(ParseGroupedNumber("1,234,567.25"), 1234567.25);
  EXPECT_EQ(ParseGroupedNumber("-1,000"), -1000);
  EXPECT_EQ(ParseGroupedNumber("999"), 999);
  EXPECT_EQ(ParseGroupedNumber("12.5"), 12.5);
  for (std::string_view bad : {"12,5", "1,23,456", "1234,567", ",123", "1,", "", "1,2a4"}) {
    EXPECT_FALSE(ParseGroupedNumber(bad)) << bad;
  }
}

TEST(ValueForms, NamesRoundTripAndUnknownNamesListTheForms) {
  for (ValueForm f : {ValueForm::kSlash, ValueForm::kCompact, ValueForm::kExcel,
                      ValueForm::kThousands, ValueForm::kContract}) {
    EXPECT_EQ(*ParseValueForm(ValueFormName(f)), f);
  }
  auto bad = ParseValueForm("iso");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("slash"), std::string::npos);
}

}  // namespace
}  // namespace tsq
