// Hand-computed cases of the poor-cell rule: the minimum tests, the lower bound just above and
// just below 20 %, the strict rate thresholds, percentiles, one sample per device and day, the
// signal rule, and the remediation of baseline-poor cells (with and without a work order).
#include "detectors/cells.h"

#include <cmath>

#include <gtest/gtest.h>

namespace tsq {
namespace {

// `n` 5G tests on `day`, the first `bad` of them at 50 Mbit/s (bad), the rest at 200 (good).
std::vector<CellTest> Tests(int n, int bad, int32_t day = 100, uint32_t first_device = 1) {
  std::vector<CellTest> out;
  for (int i = 0; i < n; ++i) {
    CellTest t;
    t.day = day;
    t.device = first_device + static_cast<uint32_t>(i);
    t.down_mbps = i < bad ? 50 : 200;
    t.rsrp_dbm = NAN;
    t.sinr_db = NAN;
    t.lat = 43.8f;
    t.lon = 125.3f;
    out.push_back(t);
  }
  return out;
}

const CellRule kRule;  // the catalog's defaults

TEST(JudgeCell, SevenBadOfTwentyIsPoorSixIsNot) {
  // One-sided 95 % Wilson lower bounds: 7/20 → 0.202260 > 0.20; 6/20 → 0.163859.
  const CellFigures seven = JudgeCell(Tests(20, 7), true, kRule);
  EXPECT_TRUE(seven.measured);
  EXPECT_TRUE(seven.poor);
  EXPECT_EQ(seven.samples, 20u);
  EXPECT_EQ(seven.bad, 7u);
  EXPECT_DOUBLE_EQ(*seven.bad_share, 0.35);
  EXPECT_NEAR(seven.bounds->low, 0.202260040057, 1e-9);
  const CellFigures six = JudgeCell(Tests(20, 6), true, kRule);
  EXPECT_TRUE(six.measured);
  EXPECT_FALSE(six.poor);
  EXPECT_NEAR(six.bounds->low, 0.163859415352, 1e-9);
}

TEST(JudgeCell, NineteenTestsAreNotMeasuredHoweverBad) {
  const CellFigures f = JudgeCell(Tests(19, 15), true, kRule);
  EXPECT_FALSE(f.measured);
  EXPECT_FALSE(f.poor);
  EXPECT_NEAR(*f.bad_share, 15.0 / 19, 1e-12);
  EXPECT_NEAR(f.bounds->low, 0.605003572971, 1e-9);
}

TEST(JudgeCell, RateThresholdsAreStrictPerRat) {
  CellTest t = Tests(1, 0)[0];
  t.down_mbps = 100;
  EXPECT_FALSE(*IsBadTest(t, true, kRule));
  t.down_mbps = 99.99f;
  EXPECT_TRUE(*IsBadTest(t, true, kRule));
  t.down_mbps = 10;
  EXPECT_FALSE(*IsBadTest(t, false, kRule));
  t.down_mbps = 9.99f;
  EXPECT_TRUE(*IsBadTest(t, false, kRule));
  EXPECT_FALSE(*IsBadTest(t, true, kRule) && false);
}

TEST(JudgeCell, PercentilesDevicesAndCentroid) {
  std::vector<CellTest> tests = Tests(5, 0);
  const float downs[] = {30, 10, 50, 20, 40};
  for (size_t i = 0; i < tests.size(); ++i) {
    tests[i].down_mbps = downs[i];
    tests[i].lat = 43.0f + static_cast<float>(i);  // 43..47: centroid 45
  }
  tests[4].device = tests[3].device;  // four distinct devices
  const CellFigures f = JudgeCell(tests, false, kRule);
  EXPECT_DOUBLE_EQ(*f.median_down_mbps, 30);
  EXPECT_DOUBLE_EQ(*f.p10_down_mbps, 14);  // rank 0.4 between 10 and 20
  EXPECT_EQ(f.devices, 4u);
  EXPECT_NEAR(f.lat, 45, 1e-6);
  EXPECT_FALSE(f.measured);
}

TEST(JudgeCell, OnePerDeviceDayStopsOneEagerTester) {
  // Device 7 runs eight bad tests on one day; twelve other devices one good test each.
  std::vector<CellTest> tests = Tests(12, 0, 100, 100);
  for (int i = 0; i < 8; ++i) {
    CellTest t = Tests(1, 1)[0];
    t.device = 7;
    tests.push_back(t);
  }
  // 8 bad of 20 tests: lower bound 0.242387 > 0.20, poor.
  EXPECT_TRUE(JudgeCell(tests, true, kRule).poor);
  CellRule dedup = kRule;
  dedup.one_per_device_day = true;
  const CellFigures f = JudgeCell(tests, true, dedup);
  EXPECT_EQ(f.tests, 20u);
  EXPECT_EQ(f.samples, 13u);  // 12 + one device-day
  EXPECT_EQ(f.bad, 1u);
  EXPECT_FALSE(f.measured);
  // A device-day is the mean of its tests: 50 and 250 make 150, good.
  std::vector<CellTest> mixed = Tests(2, 1);
  mixed[0].device = mixed[1].device = 9;
  mixed[1].down_mbps = 250;
  const CellFigures m = JudgeCell(mixed, true, dedup);
  EXPECT_EQ(m.samples, 1u);
  EXPECT_EQ(m.bad, 0u);
  EXPECT_DOUBLE_EQ(*m.median_down_mbps, 150);
}

TEST(JudgeCell, SignalRuleJudgesRsrpOrSinrAndSkipsTestsWithNeither) {
  std::vector<CellTest> tests = Tests(4, 0);
  tests[0].rsrp_dbm = -111;  // bad: RSRP below −110
  tests[1].rsrp_dbm = -100;  // good
  tests[1].sinr_db = 5;
  tests[2].sinr_db = -1;  // bad: SINR below 0
  // tests[3] reports neither: not judged
  CellRule signal = kRule;
  signal.by_signal = true;
  const CellFigures f = JudgeCell(tests, true, signal);
  EXPECT_EQ(f.tests, 4u);
  EXPECT_EQ(f.samples, 3u);
  EXPECT_EQ(f.bad, 2u);
  EXPECT_FALSE(IsBadTest(tests[3], true, signal).has_value());
  EXPECT_EQ(*IsBadTest(tests[1], true, signal), false);
}

CellKey Cell(const std::string& id, bool tile = false) { return {"移动", "5G", id, tile}; }

TEST(JudgeCells, RemediatedStillPoorUnverifiedAndTheComparisonGroup) {
  std::map<CellKey, std::vector<CellTest>> before, now;
  before[Cell("a")] = Tests(20, 10);  // poor (lower bound 0.327)
  now[Cell("a")] = Tests(20, 0);      // measured, not poor: remediated
  before[Cell("b")] = Tests(20, 10);
  now[Cell("b")] = Tests(30, 15);  // lower bound 0.356: still poor
  before[Cell("c")] = Tests(20, 10);
  now[Cell("c")] = Tests(5, 0);      // too few tests: unverified
  before[Cell("d")] = Tests(20, 3);  // 15 % bad, not poor: comparison group
  now[Cell("d")] = Tests(20, 1);
  before[Cell("e")] = Tests(20, 0);  // 0 % bad: in neither group
  now[Cell("e")] = Tests(20, 0);
  before[Cell("1303320302011310", true)] = Tests(20, 10);  // a poor tile not tested again
  const CellFindings f = JudgeCells(now, before, {}, kRule);
  ASSERT_EQ(f.cells.size(), 6u);
  std::map<std::string, std::optional<Remediation>> status;
  for (const JudgedCell& c : f.cells) status[c.key.id] = c.remediation;
  EXPECT_EQ(status["a"], Remediation::kRemediated);
  EXPECT_EQ(status["b"], Remediation::kStillPoor);
  EXPECT_EQ(status["c"], Remediation::kUnverified);
  EXPECT_FALSE(status["d"].has_value());
  EXPECT_FALSE(status["e"].has_value());
  EXPECT_EQ(status["1303320302011310"], Remediation::kUnverified);
  // Poor cells measured in both periods (a, b): 50 % → (0 % + 50 %) / 2.
  EXPECT_EQ(f.treated.cells, 2u);
  EXPECT_DOUBLE_EQ(f.treated.before, 0.5);
  EXPECT_DOUBLE_EQ(f.treated.after, 0.25);
  // Comparison group (d): 15 % → 5 %.
  EXPECT_EQ(f.control.cells, 1u);
  EXPECT_DOUBLE_EQ(f.control.before, 0.15);
  EXPECT_DOUBLE_EQ(f.control.after, 0.05);
}

TEST(JudgeCells, StoredBaselineFiguresStandInForTestsTheRunDoesNotHave) {
  // The baseline's figures as an earlier run stored them judge the same as its tests would.
  std::map<CellKey, std::vector<CellTest>> before, now;
  before[Cell("a")] = Tests(20, 10);
  before[Cell("d")] = Tests(20, 3);
  now[Cell("a")] = Tests(20, 0);
  now[Cell("d")] = Tests(20, 1);
  std::map<CellKey, CellFigures> stored;
  for (const auto& [key, tests] : before) stored[key] = JudgeCell(tests, true, kRule);
  const CellFindings from_tests = JudgeCells(now, before, {}, kRule);
  const CellFindings from_store = JudgeCells(now, {}, {}, kRule, &stored);
  ASSERT_EQ(from_store.cells.size(), 2u);
  EXPECT_TRUE(from_store.baseline_has_tests);
  EXPECT_EQ(from_store.cells[0].remediation, Remediation::kRemediated);
  EXPECT_EQ(from_store.cells[0].remediation, from_tests.cells[0].remediation);
  EXPECT_EQ(from_store.treated.before, from_tests.treated.before);
  EXPECT_EQ(from_store.control.after, from_tests.control.after);
  // Tests of a cell win over its stored figures.
  std::map<CellKey, std::vector<CellTest>> some_before = {{Cell("a"), Tests(20, 0)}};
  const CellFindings mixed = JudgeCells(now, some_before, {}, kRule, &stored);
  EXPECT_FALSE(mixed.cells[0].remediation.has_value());  // a: not poor by its own tests
  EXPECT_EQ(mixed.control.cells, 1u);                    // d: from the store
}

TEST(JudgeCells, AWorkOrderSplitsBeforeAndAfterAtItsFixDay) {
  std::map<CellKey, std::vector<CellTest>> before, now;
  before[Cell("w")] = Tests(20, 10, 100);
  std::vector<CellTest> period = Tests(10, 10, 200);  // bad tests before the fix
  for (const CellTest& t : Tests(20, 0, 220)) period.push_back(t);
  now[Cell("w")] = period;
  // Without the work order the period has 10 bad of 30 (lower bound 0.211): still poor.
  EXPECT_EQ(JudgeCells(now, before, {}, kRule).cells[0].remediation, Remediation::kStillPoor);
  // Fixed on day 215: before = 30 tests, 20 bad; after = 20 good tests.
  const std::map<std::string, WorkOrder> orders = {{"w", {"WO-1", 215}}};
  const CellFindings f = JudgeCells(now, before, orders, kRule);
  const JudgedCell& c = f.cells[0];
  EXPECT_EQ(c.remediation, Remediation::kRemediated);
  EXPECT_EQ(c.before->tests, 30u);
  EXPECT_EQ(c.before->bad, 20u);
  EXPECT_EQ(c.now->tests, 20u);
  EXPECT_EQ(c.now->bad, 0u);
  EXPECT_EQ(c.work_order->order_id, "WO-1");
}

TEST(JudgeCells, OnThreadsGivesTheSameFindings) {
  // Enough cells for several blocks of work, poor and fine, some with a work order, some only in
  // the baseline, some only in the stored baseline.
  std::map<CellKey, std::vector<CellTest>> before, now;
  std::map<std::string, WorkOrder> orders;
  std::map<CellKey, CellFigures> stored;
  for (int i = 0; i < 2000; ++i) {
    const std::string id = "c" + std::to_string(i);
    if (i % 3 != 0) before[Cell(id)] = Tests(20 + i % 7, (i * 7) % 15, 100);
    if (i % 5 != 0) now[Cell(id)] = Tests(20 + i % 11, (i * 3) % 12, 200);
    if (i % 9 == 0) orders[id] = {"WO-" + id, 150};
    if (i % 3 == 0 && i % 2 == 0) stored[Cell(id)] = JudgeCell(Tests(25, 9, 90), true, kRule);
  }
  const CellFindings serial = JudgeCells(now, before, orders, kRule, &stored);
  auto threaded = JudgeCellsOn(3, now, before, orders, kRule, &stored);
  ASSERT_TRUE(threaded) << threaded.error().message;
  ASSERT_EQ(threaded->cells.size(), serial.cells.size());
  for (size_t i = 0; i < serial.cells.size(); ++i) {
    const JudgedCell& a = serial.cells[i];
    const JudgedCell& b = threaded->cells[i];
    ASSERT_EQ(a.key, b.key);
    EXPECT_EQ(a.remediation, b.remediation) << a.key.id;
    EXPECT_EQ(a.now.has_value(), b.now.has_value()) << a.key.id;
    EXPECT_EQ(a.before.has_value(), b.before.has_value()) << a.key.id;
    if (a.now && b.now) {
      EXPECT_EQ(a.now->bad_share, b.now->bad_share) << a.key.id;
    }
    if (a.before && b.before) {
      EXPECT_EQ(a.before->bad_share, b.before->bad_share) << a.key.id;
    }
  }
  EXPECT_GT(serial.treated.cells, 0u);
  EXPECT_EQ(threaded->treated.cells, serial.treated.cells);
  EXPECT_EQ(threaded->treated.after, serial.treated.after);
  EXPECT_EQ(threaded->control.cells, serial.control.cells);
  EXPECT_EQ(threaded->control.before, serial.control.before);
}

}  // namespace
}  // namespace tsq
