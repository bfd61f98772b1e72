// The speedtests family: every figure of crowdsourced speed tests (tests, bad share, median and
// 10th-percentile rate per operator, RAT and month) and of the cells they judge (measured and poor
// cells, and the remediation of the baseline's poor cells), in one pass. It keeps each cell's
// tests, because a cell's verdict (a percentile, a bound, one sample per device and day) cannot
// be summed from partial counts; partial states still merge by key across workers and files.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "core/period.h"
#include "detectors/cells.h"
#include "engine/family.h"

namespace tsq {

struct SpeedtestsOptions {
  int32_t local_offset_s = kChinaOffsetSeconds;
  CellRule rule;
  /// The remediation baseline; nullopt = the preceding period of the same length (the run's
  /// previous slot).
  std::optional<Period> baseline;
  /// Fixes by cell id (a cell id names its operator: MCC-MNC-…).
  std::map<std::string, WorkOrder> work_orders;
  /// The baseline as stored by an earlier `tsq ingest`: used when the data has no test of the
  /// baseline and the stored figures were judged under the same rule.
  std::shared_ptr<const StoredBaseline> stored_baseline;
};

/// Every id the family prints.
const std::vector<std::string>& SpeedtestsIds();

std::unique_ptr<FamilyState> MakeSpeedtestsState(const SpeedtestsOptions& options);

/// The cells and tiles of the run's period judged against the baseline. Returns nullopt when
/// `state` is not the speedtests family's.
std::optional<CellFindings> SpeedtestsFindings(const FamilyState& state, const EvalContext& ctx);

}  // namespace tsq
