#include "model/row_binder.h"

#include <gtest/gtest.h>

namespace tsq {
namespace {

TEST(RowBinder, ValueParsers) {
  for (const char* t : {"1", "y", "Y", "true", "TRUE", "True"}) EXPECT_EQ(ParseBool(t), true) << t;
  for (const char* f : {"0", "n", "N", "false", "FALSE", "fAlSe"}) EXPECT_EQ(ParseBool(f), false);
  for (const char* bad : {"", "2", "yes", "no", "t", "f", "\x11", "truex"}) {
    EXPECT_FALSE(ParseBool(bad)) << bad;
  }
  EXPECT_EQ(ParseNumber("63.5"), 63.5);
  EXPECT_EQ(ParseNumber("-1e3"), -1000.0);
  for (const char* bad : {"", "1.2.3", "inf", "nan", "1e400", "+1", "0x10", "1,5", "12a"}) {
    EXPECT_FALSE(ParseNumber(bad)) << bad;
  }
  EXPECT_EQ(ParseInt("-65"), -65);
  EXPECT_EQ(ParseInt("9223372036854775807"), INT64_MAX);
  for (const char* bad : {"", "65.0", "9223372036854775808", "6x", "+1"}) {
    EXPECT_FALSE(ParseInt(bad)) << bad;
  }
  constexpr std::string_view kVocab[] = {"2G", "4G", "5G"};
  EXPECT_EQ(EnumCode(kVocab, "5G"), 2);
  EXPECT_EQ(EnumCode(kVocab, "5g"), -1);
}

TEST(RowBinder, FirstFailureInContractOrderAndBatchUntouched) {
  const RecordSchema& schema = SchemaOf(RecordType::kSms);
  RowBinder binder(schema, kChinaOffsetSeconds);
  StringDictionary dict;
  DictionaryCache cache(&dict);
  Batch batch = Batch::ForSchema(schema);
  // sent_at, sender, receiver, operator, region, delivered_at, status
  std::string_view good[] = {"2022-07-01 08:00:00", "138", "139", "移动", "", "", "failed"};
  BindFailure failure;
  ASSERT_TRUE(binder.Bind(good, 2, &batch, &cache, &failure));
  // status unknown AND delivered before sent: the column check comes first.
  std::string_view bad[] = {"2022-07-01 08:00:00", "138", "139", "联通", "长春",
                            "2022-07-01 07:00:00", "lost"};
  ASSERT_FALSE(binder.Bind(bad, 3, &batch, &cache, &failure));
  EXPECT_EQ(failure.reason, BadRowReason::kUnknownEnum);
  EXPECT_EQ(failure.column, col::sms::kStatus);
  bad[6] = "delivered";
  ASSERT_FALSE(binder.Bind(bad, 3, &batch, &cache, &failure));
  EXPECT_EQ(failure.reason, BadRowReason::kEndBeforeStart);
  EXPECT_EQ(failure.column, col::sms::kDeliveredAt);
  // Nothing of the rejected rows is left behind.
  EXPECT_EQ(batch.rows, 1u);
  for (const ColumnData& c : batch.columns) {
    EXPECT_EQ(c.i64.size() + c.f64.size() + c.ids.size() + c.u8.size() + c.text.offsets.size() - 1,
              1u);
  }
  EXPECT_EQ(dict.Find("联通"), kMissingId);
  EXPECT_EQ(batch.line, std::vector<uint64_t>{2});
}

}  // namespace
}  // namespace tsq
