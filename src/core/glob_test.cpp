#include "core/glob.h"

#include <gtest/gtest.h>

namespace tsq {
namespace {

TEST(GlobMatch, StarMatchesAnyRunIncludingDots) {
  EXPECT_TRUE(GlobMatch("calls.*", "calls.drop_rate"));
  EXPECT_TRUE(GlobMatch("*", "anything.at.all"));
  EXPECT_TRUE(GlobMatch("*", ""));
  EXPECT_TRUE(GlobMatch("orders.*.*.timely_rate", "orders.mobile.repair.timely_rate"));
  EXPECT_TRUE(GlobMatch("orders.*.timely_rate", "orders.mobile.repair.timely_rate"));
  EXPECT_TRUE(GlobMatch("*rate", "calls.drop_rate"));
  EXPECT_TRUE(GlobMatch("hotline.*15s*", "hotline.elderly.answered_within_15s_rate"));
}

TEST(GlobMatch, EverythingElseMatchesItself) {
  EXPECT_TRUE(GlobMatch("calls.drop_rate", "calls.drop_rate"));
  EXPECT_FALSE(GlobMatch("calls.drop_rate", "calls.drop_rates"));
  EXPECT_FALSE(GlobMatch("calls.*", "call.drop_rate"));
  EXPECT_FALSE(GlobMatch("calls.*", "sms.calls.x"));
  EXPECT_FALSE(GlobMatch("orders.*.*.timely_rate", "orders.mobile.repair.avg_hours"));
  EXPECT_FALSE(GlobMatch("", "x"));
  EXPECT_TRUE(GlobMatch("", ""));
}

TEST(GlobMatch, BacktracksPastEarlyMatches) {
  EXPECT_TRUE(GlobMatch("*a*b", "aXaXb"));
  EXPECT_FALSE(GlobMatch("*a*b", "aXaXc"));
  EXPECT_TRUE(GlobMatch("a*a*a", "aaaa"));
}

TEST(WildcardCount, CountsStars) {
  EXPECT_EQ(WildcardCount("orders.*.*.count"), 2);
  EXPECT_EQ(WildcardCount("calls.drop_rate"), 0);
}

TEST(EditDistance, Levenshtein) {
  EXPECT_EQ(EditDistance("", ""), 0u);
  EXPECT_EQ(EditDistance("abc", ""), 3u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("drop_rate", "drop_rat"), 1u);
  EXPECT_EQ(EditDistance("移懂", "移动"), 1u);
}

TEST(ClosestMatches, PlausibleMisspellingsBestFirst) {
  const std::vector<std::string> ids = {"calls.drop_rate", "calls.connect_rate", "sms.timely_rate",
                                        "calls.answer_rate"};
  EXPECT_EQ(ClosestMatches("calls.drop_rat", ids), std::vector<std::string>{"calls.drop_rate"});
  EXPECT_EQ(ClosestMatches("call.connect_rate", ids),
            std::vector<std::string>{"calls.connect_rate"});
  EXPECT_TRUE(ClosestMatches("billing.nothing_like_it", ids).empty());
  EXPECT_EQ(ClosestMatches("calls.answer_rat", ids, 1),
            std::vector<std::string>{"calls.answer_rate"});
}

}  // namespace
}  // namespace tsq
