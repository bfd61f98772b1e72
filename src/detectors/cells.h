// Poor-quality cells (质差小区) from crowdsourced speed tests: the rule that judges one cell (or
// one tile of tests that named no cell) and the remediation (整治) of the cells that were poor in
// a baseline period. Pure functions over a cell's tests; the family in speedtests.h gathers them.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.h"
#include "engine/stats.h"
#include "engine/value.h"

namespace tsq {

/// How a cell is judged. The defaults are the catalog's (speedtests.* parameters).
struct CellRule {
  /// Bad by signal (RSRP or SINR below its limit) instead of by downstream rate.
  bool by_signal = false;
  double bad_down_mbps_5g = 100;  // a test below this (strictly) is bad
  double bad_down_mbps_4g = 10;
  double bad_rsrp_dbm = -110;  // signal rule: bad when RSRP < this or SINR < the next
  double bad_sinr_db = 0;
  uint64_t min_tests = 20;   // a cell with fewer samples is not measured
  double poor_share = 0.20;  // poor when the lower bound of the bad share exceeds this (strictly)
  double z = kZ95OneSided;   // one-sided 95 %
  /// One sample per device per day (the mean of that device's tests that day), as crowdsourcing
  /// panels count, so that one eager tester cannot make a cell.
  bool one_per_device_day = false;
  /// Remediation: cells not poor in the baseline whose baseline bad share was at least this are
  /// the comparison group (they looked bad too, but not enough to be flagged).
  double control_min_bad_share = 0.10;

  bool operator==(const CellRule&) const = default;
};

/// One speed test as a cell keeps it.
struct CellTest {
  int32_t day = 0;      // local day number (days since 1970-01-01)
  uint32_t device = 0;  // a hash of device_id; 0 = not reported
  float down_mbps = 0;
  float rsrp_dbm = 0;  // NaN = not reported
  float sinr_db = 0;   // NaN = not reported
  float lat = 0;
  float lon = 0;
};

/// What the rule finds in one cell over one window of tests.
struct CellFigures {
  uint64_t tests = 0;    // tests in the window
  uint64_t samples = 0;  // judged samples: tests, or device-days; under the signal rule only those
                         // with RSRP or SINR
  uint64_t devices = 0;  // distinct devices that reported an id
  uint64_t bad = 0;      // bad samples
  std::optional<double> bad_share;         // bad ÷ samples
  std::optional<Interval> bounds;          // one-sided bounds of the bad share at the rule's z
  std::optional<double> median_down_mbps;  // over the samples (tests or device-days)
  std::optional<double> p10_down_mbps;
  double lat = 0;  // centroid of the tests
  double lon = 0;
  bool measured = false;  // samples >= min_tests
  bool poor = false;      // measured and the lower bound > poor_share
};

/// Judges the tests of one cell (5G when `five_g`, else 4G) under `rule`.
CellFigures JudgeCell(const std::vector<CellTest>& tests, bool five_g, const CellRule& rule);

/// Whether a test is bad under `rule` (nullopt: the signal rule, and the test reported neither
/// RSRP nor SINR).
std::optional<bool> IsBadTest(const CellTest& t, bool five_g, const CellRule& rule);

enum class Remediation : uint8_t {
  kRemediated,  // poor before, measured and not poor after
  kStillPoor,   // poor before and after
  kUnverified,  // poor before, too few tests after to tell
};
/// "remediated", "still_poor", "unverified".
const char* RemediationName(Remediation r);

/// A cell's place: operator, RAT, and the cell id or (for tests without one) the tile's quadkey.
struct CellKey {
  std::string op;
  std::string rat;  // "4G", "5G"
  std::string id;
  bool tile = false;
  auto operator<=>(const CellKey&) const = default;
};

/// A fix recorded in a work-order file: the cell's before and after split at its date.
struct WorkOrder {
  std::string order_id;
  int32_t fixed_day = 0;  // local day number of the fix; tests from this day on are "after"
};

/// One cell or tile with its figures now (the period, or after its fix) and before (the baseline,
/// or before its fix).
struct JudgedCell {
  CellKey key;
  std::optional<CellFigures> now;          // absent: no test in the period (or after the fix)
  std::optional<CellFigures> before;       // absent: no test in the baseline (or before the fix)
  std::optional<Remediation> remediation;  // when poor before
  std::optional<WorkOrder> work_order;
};

/// The mean bad share of a group of cells before and after (cells measured in both).
struct ShareChange {
  uint64_t cells = 0;
  double before = 0;
  double after = 0;
  double Change() const { return after - before; }
};

/// A baseline read back from the store: each cell's figures as the baseline period's own run
/// judged them. Used only when the run has no test of the baseline, and only under the same rule.
struct StoredBaseline {
  std::string label;  // "2022H1"
  CellRule rule;
  std::map<CellKey, CellFigures> cells;
};

/// Where the baseline's figures came from.
enum class BaselineSource : uint8_t {
  kData,   // the run's own tests of the baseline (or none at all)
  kStore,  // a StoredBaseline
};

/// Everything the detector found for a period against its baseline.
struct CellFindings {
  CellRule rule;
  std::string period;               // "2022H2"
  std::string baseline;             // "2022H1"
  bool baseline_has_tests = false;  // the baseline has tests (or stored figures)
  BaselineSource baseline_source = BaselineSource::kData;
  /// A stored baseline was there but judged under another rule, so it was not used.
  bool stored_baseline_rule_differs = false;
  std::vector<JudgedCell> cells;  // every cell and tile with a test in either window, sorted
  /// Baseline-poor cells measured again, and the comparison group of cells that were not poor in
  /// the baseline but had a bad share of at least rule.control_min_bad_share: how much each
  /// group's bad share changed. Cells only (not tiles).
  ShareChange treated;
  ShareChange control;
};

/// Judges every cell of `now` against `before` (tests per cell key) and sums up the changes. A
/// cell with a work order is split at its fix day instead: its tests of both windows before the
/// day are "before", those from the day on "after". `stored_before`, when given, holds the
/// baseline's figures of cells that have no test in `before` (a baseline read from the store).
CellFindings JudgeCells(const std::map<CellKey, std::vector<CellTest>>& now,
                        const std::map<CellKey, std::vector<CellTest>>& before,
                        const std::map<std::string, WorkOrder>& work_orders, const CellRule& rule,
                        const std::map<CellKey, CellFigures>* stored_before = nullptr);
/// JudgeCells() on `threads` threads; a thread's failure (out of memory) is the Error.
Result<CellFindings> JudgeCellsOn(int threads, const std::map<CellKey, std::vector<CellTest>>& now,
                                  const std::map<CellKey, std::vector<CellTest>>& before,
                                  const std::map<std::string, WorkOrder>& work_orders,
                                  const CellRule& rule,
                                  const std::map<CellKey, CellFigures>* stored_before = nullptr);

}  // namespace tsq
