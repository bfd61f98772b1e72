#include "detectors/caller_lists.h"

#include <gtest/gtest.h>

#include "detectors/callers.h"

namespace tsq {
namespace {

TEST(CallerLists, WhitelistSkipsHeaderCommentsAndBlankLines) {
  auto w = ParseWhitelist("number\n# cleared by 张三\n\n13800000001\n+8613800000002,courier\r\n",
                          "w.txt");
  ASSERT_TRUE(w) << w.error().message;
  EXPECT_EQ(w->size(), 2u);
  EXPECT_TRUE(w->contains(NumberKey("13800000001")));
  EXPECT_TRUE(w->contains(NumberKey("+8613800000002")));
  auto bad = ParseWhitelist("13800000001\nabc\n", "w.txt");
  ASSERT_FALSE(bad);
  EXPECT_NE(bad.error().message.find("w.txt:2: 'abc' is not a phone number"), std::string::npos)
      << bad.error().message;
  // A mistyped number is still a number: the message masks it.
  auto typo = ParseWhitelist("1380000x002\n", "w.txt");
  ASSERT_FALSE(typo);
  EXPECT_EQ(typo.error().message.find("1380000"), std::string::npos) << typo.error().message;
}

TEST(CallerLists, LabelsReadEveryWordAndRefuseTheRest) {
  auto l = ParseCallerLabels(
      "label,caller\nFraud,13800000001\nlegitimate,13800000002\n1,13800000003\nno,13800000004\n",
      "l.csv");
  ASSERT_TRUE(l) << l.error().message;
  EXPECT_EQ(l->positive.at(NumberKey("13800000001")), true);
  EXPECT_EQ(l->positive.at(NumberKey("13800000002")), false);
  EXPECT_EQ(l->positive.at(NumberKey("13800000003")), true);
  EXPECT_EQ(l->positive.at(NumberKey("13800000004")), false);
  EXPECT_EQ(l->names.at(NumberKey("13800000001")), "13800000001");

  auto header = ParseCallerLabels("number,label\n13800000001,1\n", "l.csv");
  ASSERT_FALSE(header);
  EXPECT_NE(header.error().message.find("l.csv:1: the header needs the columns caller and label"),
            std::string::npos);
  auto twice = ParseCallerLabels("caller,label\n13800000001,1\n13800000001,0\n", "l.csv");
  ASSERT_FALSE(twice);
  // The number is masked in the message.
  EXPECT_NE(twice.error().message.find("l.csv:3: 138****0001 is labelled twice"), std::string::npos)
      << twice.error().message;
  auto width = ParseCallerLabels("caller,label\n13800000001\n", "l.csv");
  ASSERT_FALSE(width);
  EXPECT_NE(width.error().message.find("l.csv:2: expected 2 fields"), std::string::npos);
}

}  // namespace
}  // namespace tsq
