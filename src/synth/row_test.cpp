#include "synth/row.h"

#include <gtest/gtest.h>

#include "synth/rng.h"
#include "synth/text.h"

namespace tsq::synth {
namespace {

TEST(Text, FixedAndPadded) {
  std::string s;
  AppendFixed(&s, -95.5, 2);
  s += '|';
  AppendFixed(&s, 0.004, 2);
  s += '|';
  AppendFixed(&s, 179.99, 2);
  s += '|';
  AppendPadded(&s, 42, 6);
  EXPECT_EQ(s, "-95.50|0.00|179.99|000042");
  EXPECT_EQ(RoundTo(179.994, 2), 179.99);
}

TEST(Text, TimeFormatter) {
  TimeFormatter f(kChinaOffsetSeconds);
  const Micros t = *ParseTimestamp("2022-07-01 08:15:03", kChinaOffsetSeconds) + 123'000;
  std::string s;
  f.AppendLocal(&s, t);
  s += '|';
  f.AppendLocal(&s, t, true);
  s += '|';
  f.AppendIso(&s, t);
  s += '|';
  f.AppendCompactDate(&s, t);
  EXPECT_EQ(s, "2022-07-01 08:15:03|2022-07-01 08:15:03.123|2022-07-01T08:15:03+08:00|20220701");
}

TEST(Rng, DeterministicAndUniform) {
  Rng a(7), b(7), c(8);
  EXPECT_EQ(a.Next(), b.Next());
  EXPECT_NE(a.Next(), c.Next());
  Rng r(1);
  double sum = 0;
  for (int i = 0; i < 10000; ++i) {
    const double u = r.Uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
  }
  EXPECT_NEAR(sum / 10000, 0.5, 0.02);
  for (int i = 0; i < 1000; ++i) {
    const int64_t v = r.Range(3, 5);
    ASSERT_GE(v, 3);
    ASSERT_LE(v, 5);
  }
}

TEST(AppendRow, CsvQuotesFreeTextAndCountsLines) {
  FileLayout layout = FileLayout::Make(RecordType::kPorting, OutputFormat::kCsv);
  RowBuilder row(layout.field_count());
  row.Set(col::porting::kRequestId, "NP1");
  row.Set(col::porting::kRejectReason, "a, \"b\"\nc");
  std::string out;
  const int lines = AppendRow(layout, row, {}, &out);
  EXPECT_EQ(lines, 2);
  EXPECT_EQ(out, "NP1,,,,,,,\"a, \"\"b\"\"\nc\"\n");
}

TEST(AppendRow, JsonOmitsMissingAndKeepsNumbersBare) {
  FileLayout layout = FileLayout::Make(RecordType::kBroadbandTests, OutputFormat::kJsonl);
  RowBuilder row(layout.field_count());
  row.Set(col::broadband_tests::kTestId, "BT1");
  row.Set(col::broadband_tests::kDownMbps, "91.5");
  std::string out;
  AppendRow(layout, row, {}, &out);
  EXPECT_EQ(out, "{\"test_id\":\"BT1\",\"down_mbps\":91.5}\n");
  out.clear();
  row.ForceString(col::broadband_tests::kDownMbps);
  AppendRow(layout, row, {EmitKind::kBrokenJson, -1}, &out);
  EXPECT_EQ(out, "{\"test_id\":\"BT1\",\"down_mbps\":\"91.5\n");
}

TEST(AppendRow, BrokenCsvShapes) {
  FileLayout layout = FileLayout::Make(RecordType::kSms, OutputFormat::kCsv);
  RowBuilder row(layout.field_count());
  for (int i = 0; i < layout.field_count(); ++i) row.Set(i, "x");
  std::string out;
  AppendRow(layout, row, {EmitKind::kDropLastField, -1}, &out);
  AppendRow(layout, row, {EmitKind::kExtraField, -1}, &out);
  EXPECT_EQ(out, "x,x,x,x,x,x\nx,x,x,x,x,x,x,1\n");
}

}  // namespace
}  // namespace tsq::synth
