#include "model/schema.h"

#include <gtest/gtest.h>

#include "model/batch.h"

namespace tsq {
namespace {

TEST(Schema, NamesRoundTripAndColumnConstantsMatch) {
  for (RecordType t : AllRecordTypes()) {
    EXPECT_EQ(RecordTypeFromName(SchemaOf(t).name), t);
  }
  EXPECT_FALSE(RecordTypeFromName("call"));
  const RecordSchema& calls = SchemaOf(RecordType::kCalls);
  EXPECT_EQ(ColumnIndex(calls, "caller"), col::calls::kCaller);
  EXPECT_EQ(ColumnIndex(calls, "caller_imei"), col::calls::kCallerImei);
  EXPECT_EQ(ColumnIndex(SchemaOf(RecordType::kSpeedtests), "device_id"),
            col::speedtests::kDeviceId);
  EXPECT_EQ(ColumnIndex(SchemaOf(RecordType::kBroadbandTests), "up_mbps"),
            col::broadband_tests::kUpMbps);
  EXPECT_EQ(ColumnIndex(SchemaOf(RecordType::kHotline), "caller_age"), col::hotline::kCallerAge);
  EXPECT_EQ(ColumnIndex(SchemaOf(RecordType::kPorting), "reject_reason"),
            col::porting::kRejectReason);
  EXPECT_EQ(ColumnIndex(SchemaOf(RecordType::kComplaints), "customer_age"),
            col::complaints::kCustomerAge);
  EXPECT_EQ(ColumnIndex(SchemaOf(RecordType::kOrders), "area_type"), col::orders::kAreaType);
}

TEST(Schema, EnumsMatchTheContract) {
  const auto& outcome = SchemaOf(RecordType::kCalls).columns[col::calls::kOutcome];
  ASSERT_EQ(outcome.enum_values.size(), 6u);
  EXPECT_EQ(outcome.enum_values[static_cast<int>(enums::CallOutcome::kCongested)], "congested");
  const auto& cat = SchemaOf(RecordType::kComplaints).columns[col::complaints::kCategory];
  EXPECT_EQ(cat.enum_values[static_cast<int>(enums::Category::kServiceAttitude)],
            "service_attitude");
  for (RecordType t : AllRecordTypes()) {
    for (const ColumnSpec& c : SchemaOf(t).columns) {
      EXPECT_EQ(c.type == ColumnType::kEnum, !c.enum_values.empty()) << c.name;
    }
  }
}

TEST(Batch, ForSchemaTypesEveryColumn) {
  Batch b = Batch::ForSchema(SchemaOf(RecordType::kCalls));
  ASSERT_EQ(b.columns.size(), SchemaOf(RecordType::kCalls).columns.size());
  EXPECT_EQ(b.columns[col::calls::kStartTime].type, ColumnType::kTimestamp);
  b.columns[col::calls::kCaller].text.Append("13800000000");
  b.columns[col::calls::kCaller].text.Append("");
  EXPECT_EQ(b.Text(col::calls::kCaller, 0), "13800000000");
  EXPECT_EQ(b.Text(col::calls::kCaller, 1), "");
}

}  // namespace
}  // namespace tsq
