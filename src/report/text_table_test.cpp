#include "report/text_table.h"

#include <gtest/gtest.h>

namespace tsq {
namespace {

TEST(TextTable, ChineseIsTwoColumnsWide) {
  EXPECT_EQ(DisplayWidth("abc"), 3u);
  EXPECT_EQ(DisplayWidth("移动"), 4u);
  EXPECT_EQ(DisplayWidth("长春 5G"), 7u);
}

TEST(TextTable, AlignsMixedScripts) {
  TextTable t;
  t.SetHeader({"运营商", "n"}, {TextTable::Align::kLeft, TextTable::Align::kRight});
  t.AddRow({"移动", "12"});
  t.AddRow({"CMCC", "3"});
  EXPECT_EQ(t.Render(),
            "运营商   n\n"
            "──────────\n"
            "移动    12\n"
            "CMCC     3\n");
}

TEST(TextTable, GroupsThousands) {
  EXPECT_EQ(GroupThousands(0), "0");
  EXPECT_EQ(GroupThousands(999), "999");
  EXPECT_EQ(GroupThousands(1000), "1,000");
  EXPECT_EQ(GroupThousands(12345), "12,345");
  EXPECT_EQ(GroupThousands(1234567), "1,234,567");
}

}  // namespace
}  // namespace tsq
