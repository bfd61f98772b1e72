#include "detectors/work_orders.h"

#include <gtest/gtest.h>

#include "core/timestamp.h"

namespace tsq {
namespace {

TEST(WorkOrders, DatesAndTimestampsInAnyColumnOrder) {
  const auto orders = ParseWorkOrders(
      "order_id,note,cell_id,fixed_at\n"
      "WO-1,new antenna,460-00-1-1,2022-09-15\n"
      "WO-2,,460-00-1-2,2022-09-30 23:30:00\n",
      "wo.csv", kChinaOffsetSeconds);
  ASSERT_TRUE(orders) << orders.error().message;
  ASSERT_EQ(orders->size(), 2u);
  EXPECT_EQ(orders->at("460-00-1-1").order_id, "WO-1");
  EXPECT_EQ(orders->at("460-00-1-1").fixed_day, DaysFromCivil(2022, 9, 15));
  // A local timestamp counts from its local day.
  EXPECT_EQ(orders->at("460-00-1-2").fixed_day, DaysFromCivil(2022, 9, 30));
}

TEST(WorkOrders, EveryProblemIsAnErrorNamingTheLine) {
  const auto missing = ParseWorkOrders("cell,order_id,fixed_at\n", "wo.csv", kChinaOffsetSeconds);
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("wo.csv:1: no column cell_id"), std::string::npos);
  const auto bad_date = ParseWorkOrders("cell_id,order_id,fixed_at\nc1,WO-1,15.09.2022\n", "wo.csv",
                                        kChinaOffsetSeconds);
  ASSERT_FALSE(bad_date);
  EXPECT_NE(bad_date.error().message.find("wo.csv:2: fixed_at '15.09.2022'"), std::string::npos);
  const auto twice =
      ParseWorkOrders("cell_id,order_id,fixed_at\nc1,WO-1,2022-09-01\nc1,WO-2,2022-10-01\n",
                      "wo.csv", kChinaOffsetSeconds);
  ASSERT_FALSE(twice);
  EXPECT_NE(twice.error().message.find("wo.csv:3: cell c1 has a second work order"),
            std::string::npos);
  const auto width =
      ParseWorkOrders("cell_id,order_id,fixed_at\nc1,WO-1\n", "wo.csv", kChinaOffsetSeconds);
  ASSERT_FALSE(width);
  EXPECT_NE(width.error().message.find("wo.csv:2: 2 fields"), std::string::npos);
}

}  // namespace
}  // namespace tsq
